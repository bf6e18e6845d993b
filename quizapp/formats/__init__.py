"""Question-bank readers and writers, to and from plain dataclasses."""
