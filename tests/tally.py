"""Counts that a test run reports at its end (how many route × persona checks, fuzz examples, 5xx).

A test adds to a named count with `tally(config, name, n)`; the first call registers a small
plugin whose terminal summary prints every count, per database, after the usual summary.
"""
from __future__ import annotations

from collections import Counter

import pytest

_PLUGIN = "quizapp-tally"


class _Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def pytest_terminal_summary(self, terminalreporter) -> None:  # type: ignore[no-untyped-def]
        if not self.counts:
            return
        terminalreporter.section("counts")
        for name in sorted(self.counts):
            terminalreporter.write_line(f"{name}: {self.counts[name]}")


def tally(config: pytest.Config, name: str, n: int = 1) -> None:
    plugin = config.pluginmanager.get_plugin(_PLUGIN)
    if plugin is None:
        plugin = _Tally()
        config.pluginmanager.register(plugin, _PLUGIN)
    plugin.counts[name] += n
