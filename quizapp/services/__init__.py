"""Use cases: take a session, plain values and `now`; raise typed errors; flush, never commit."""
