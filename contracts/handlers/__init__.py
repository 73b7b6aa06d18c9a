"""Report handlers: each output of a run is a handler, the way Schemathesis' CLI subscribes
its console, JUnit and HTML writers to the engine's events.

A handler gets the live steps (`on_progress`) and the finished `RunResult` (`on_finish`);
none of them computes anything the run did not already decide. Add a report format by adding
a module with a handler and naming it in `REPORTS`, not by editing the runner.
"""

from __future__ import annotations

from typing import Protocol

from contracts.engine import Progress
from contracts.handlers.html import HtmlReport
from contracts.handlers.junit import JUnitReport
from contracts.results import RunResult


class Handler(Protocol):
    def on_progress(self, step: Progress) -> None: ...

    def on_finish(self, result: RunResult) -> None: ...


# `--report KIND:PATH` -> the handler class that writes it
REPORTS: dict[str, type] = {"junit": JUnitReport, "html": HtmlReport}


def file_reports(specs: tuple[str, ...]) -> list[Handler]:
    """One handler per `kind:PATH` report the user asked for (validated by the settings)."""
    handlers = []
    for spec in specs:
        kind, _, path = spec.partition(":")
        handlers.append(REPORTS[kind](path))
    return handlers
