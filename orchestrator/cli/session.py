"""What every command shares: the repo, the policies folder, output options, the registry.

`Session` is what droids' sub-commands see as `droids.core.command.CommandContext`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from orchestrator.errors import OrchestratorError

if TYPE_CHECKING:
    from droids.core.models import RunReport
    from droids.core.policy import GatesPolicy
    from droids.core.registry import Registry

FORMATS = ("text", "json", "markdown", "sarif", "junit", "html")


@dataclass
class Session:
    repo: Path
    policies: Path
    policies_how: str = "--policies"
    fmt: str = "text"
    output: Path | None = None
    quiet: bool = False
    verbose: bool = False
    show_preexisting: bool = False
    cwd: Path = field(default_factory=Path.cwd)

    @cached_property
    def registry(self) -> Registry:
        from droids.core.registry import load_registry

        return load_registry()

    @cached_property
    def gates(self) -> GatesPolicy:
        from droids.core.policy import load_gates

        return load_gates(self.policies, self.repo)

    @cached_property
    def state_dir(self) -> Path:
        """`<repo>/.droid`, unless the repository supplies it (a link, committed): then the user's
        state folder, said once on stderr (droids.core.settings.state_dir)."""
        from droids.core.settings import outside_state_dir, state_dir

        folder, note = state_dir(self.repo)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a read-only checkout: keep state in the user's folder instead
            folder, note = (
                outside_state_dir(self.repo),
                f"{folder}: cannot write ({exc.strerror}): state kept elsewhere",
            )
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as again:
                raise OrchestratorError(f"{folder}: cannot write droid's state ({again.strerror})") from None
            note += f" ({folder})"
        if note:
            self.note(note)
        return folder

    def with_output(self, fmt: str | None, output: Path | None) -> Session:
        """Apply a command's own --format/--output over the global ones."""
        if fmt is not None:
            self.fmt = check_format(fmt)
        if output is not None:
            self.output = output
        return self

    def emit(self, text: str) -> None:
        """Write rendered output to --output or stdout."""
        if self.output is not None:
            try:
                self.output.parent.mkdir(parents=True, exist_ok=True)
                self.output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
            except OSError as exc:
                raise OrchestratorError(f"--output {self.output}: cannot write ({exc.strerror})") from None
            return
        if self.quiet and self.fmt == "text":
            return
        sys.stdout.write(text if text.endswith("\n") else text + "\n")

    def render(self, report: RunReport) -> str:
        """`report` in this session's --format (the renderers live up here, droids call this)."""
        from orchestrator.render import render

        return render(
            report, self.fmt, color=self.color(), verbose=self.verbose, show_preexisting=self.show_preexisting
        )

    def color(self) -> bool:
        return self.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ

    def note(self, message: str) -> None:
        """A line for the human on stderr (never part of the machine-readable output)."""
        if not self.quiet:
            sys.stderr.write(f"droid: {message}\n")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise OrchestratorError(f"--format {fmt}: expected one of {', '.join(FORMATS)}")
    return fmt
