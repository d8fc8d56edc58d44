"""Where a workflow runs the droid gate, and what the step's command line says about its report."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import lru_cache

from droids.devops.workflows.model import Step, Workflow

# `cmd || true`, `|| :`, `|| exit 0`, `; exit 0`: the step succeeds whatever the gate said
SWALLOWED = re.compile(r"(\|\|\s*(true|:|exit\s+0)\b)|(;\s*(true|exit\s+0)\s*$)", re.MULTILINE)


@dataclass(frozen=True)
class GateStep:
    workflow: Workflow
    step: Step
    command: str  # the line of `run:` that calls the gate

    def sarif_outputs(self) -> set[str]:
        """Where this gate writes SARIF: `--out DIR` (DIR/report.sarif, and DIR itself) or
        `--format sarif --output FILE`."""
        try:
            words = shlex.split(self.command, comments=True)
        except ValueError:
            words = self.command.split()
        out: set[str] = set()
        fmt, output = _option(words, "--format", "-f"), _option(words, "--output", "-o")
        if (directory := _option(words, "--out")) is not None:
            directory = directory.rstrip("/")
            out |= {directory, f"{directory}/report.sarif"}
        if fmt == "sarif" and output:
            out.add(output)
        return {o.removeprefix("./") for o in out}


def _option(words: list[str], *names: str) -> str | None:
    for i, word in enumerate(words):
        for name in names:
            if word == name and i + 1 < len(words):
                return words[i + 1]
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    return None


@lru_cache(maxsize=8)
def _pattern(command: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in command.split()) + r"(?![\w-])")


def gate_steps(workflows: list[Workflow], command: str) -> list[GateStep]:
    """Every step whose `run:` calls `command` (e.g. "droid gate"), in workflow and job order."""
    pattern = _pattern(command)
    found = []
    for workflow in workflows:
        for job in workflow.jobs():
            for step in workflow.steps(job):
                for text in step.run.splitlines():
                    if pattern.search(text):
                        found.append(GateStep(workflow, step, text.strip()))
                        break
    return found


def truthy(value: object) -> bool:
    """Is a `continue-on-error:` value set? true, "true", or an expression that may be true."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() not in ("", "false", "no", "off")
