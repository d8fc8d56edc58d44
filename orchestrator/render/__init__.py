"""Renderers: one `RunReport` in, one string out, in the format the user asked for.

Each format lives in its own module and is imported only when asked for, so `droid --help` and
`droid list` never pay for rich, junitparser or the SARIF models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from orchestrator.errors import OrchestratorError

if TYPE_CHECKING:
    from droids.core.models import RunReport

FORMATS = ("text", "json", "markdown", "sarif", "junit", "html")

# format -> module in this package that has `render(report) -> str` (text also takes `color`)
_MODULES = {
    "text": "text",
    "json": "json_report",
    "markdown": "markdown",
    "sarif": "sarif",
    "junit": "junit",
    "html": "html_page",
}


def render(
    report: RunReport, fmt: str, *, color: bool = False, verbose: bool = False, show_preexisting: bool = False
) -> str:
    """The report as `fmt` text, ending with a newline. `color`, `verbose` and `show_preexisting`
    only change `text` (the other formats always carry everything)."""
    if fmt not in _MODULES:
        raise OrchestratorError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    module = import_module(f"{__name__}.{_MODULES[fmt]}")
    if fmt == "text":
        return module.render(report, color=color, verbose=verbose, show_preexisting=show_preexisting)
    return module.render(report)
