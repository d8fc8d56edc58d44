"""What a droid's sub-commands (`droid security ...`, `droid perf ...`) get from the CLI.

A droid's typer app reads `ctx.obj`, which the orchestrator's session fills; this protocol is all a
droid may rely on, so droids never import the orchestrator (arrows point down). `render` turns a
`RunReport` into the chosen `--format`; `gates` is the run's policies/gates.yaml.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from droids.core.models import RunReport
    from droids.core.policy import GatesPolicy
    from droids.core.registry import Registry


class CommandContext(Protocol):
    repo: Path
    policies: Path
    fmt: str
    cwd: Path

    @property
    def state_dir(self) -> Path: ...

    @property
    def gates(self) -> GatesPolicy: ...

    @property
    def registry(self) -> Registry: ...

    def with_output(self, fmt: str | None, output: Path | None) -> CommandContext: ...

    def emit(self, text: str) -> None: ...

    def note(self, message: str) -> None: ...

    def render(self, report: RunReport) -> str: ...
