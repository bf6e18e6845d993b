"""Counts that a test run reports at its end (how many route × persona checks, fuzz examples, 5xx).

A test adds to a named count with `tally(config, name, n)`. The plugin is registered when the
run starts (tests/conftest.py); with pytest-xdist each worker sends its counts to the main
process when it finishes, and the main process prints the sums after the usual summary.
"""
from __future__ import annotations

from collections import Counter

import pytest

_PLUGIN = "quizapp-tally"
_KEY = "quizapp_tally"


class _Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        output = getattr(session.config, "workeroutput", None)
        if output is not None:  # an xdist worker: hand the counts to the main process
            output[_KEY] = dict(self.counts)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:  # type: ignore[no-untyped-def]
        self.counts.update(getattr(node, "workeroutput", {}).get(_KEY, {}))

    def pytest_terminal_summary(self, terminalreporter) -> None:  # type: ignore[no-untyped-def]
        if not self.counts:
            return
        terminalreporter.section("counts")
        for name in sorted(self.counts):
            terminalreporter.write_line(f"{name}: {self.counts[name]}")


def register(config: pytest.Config) -> None:
    if config.pluginmanager.get_plugin(_PLUGIN) is None:
        config.pluginmanager.register(_Tally(), _PLUGIN)


def tally(config: pytest.Config, name: str, n: int = 1) -> None:
    config.pluginmanager.get_plugin(_PLUGIN).counts[name] += n  # registered by tests/conftest.py
