"""A GitHub Actions workflow as the workflow rules read it: triggers, jobs, steps, and the place
(line) of every value, from the YAML node tree of `trading_core.policy.yamldoc`.

YAML 1.1 (PyYAML) reads the key `on` as the boolean true; GitHub reads it as "on". `triggers` takes
either. Expressions (`${{ ... }}`) are plain text here: the rules look for what they reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from droids.core.models import Task
from droids.core.protocol import DroidContext
from droids.devops.common import matching, policy, yaml_doc
from trading_core.policy.yamldoc import KeyPath, YamlDoc, line_of

SHA = re.compile(r"^[0-9a-f]{40}$")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


@dataclass(frozen=True)
class Step:
    job: str
    index: int
    data: dict[str, Any]
    path: KeyPath  # ("jobs", job, "steps", index)

    @property
    def uses(self) -> str:
        value = self.data.get("uses")
        return value if isinstance(value, str) else ""

    @property
    def run(self) -> str:
        value = self.data.get("run")
        return value if isinstance(value, str) else ""

    @property
    def with_(self) -> dict[str, Any]:
        value = self.data.get("with")
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Workflow:
    path: str
    doc: YamlDoc

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data if isinstance(self.doc.data, dict) else {}

    def line(self, *keys: str | int) -> int | None:
        return line_of(self.doc.node, tuple(str(k) for k in keys))

    def triggers(self) -> set[str]:
        """Event names under `on:` (a string, a list or a mapping)."""
        on = self.data.get("on", self.data.get(True))
        if isinstance(on, str):
            return {on}
        if isinstance(on, list):
            return {str(e) for e in on}
        if isinstance(on, dict):
            return {str(e) for e in on}
        return set()

    def jobs(self) -> dict[str, dict[str, Any]]:
        jobs = self.data.get("jobs")
        return {str(k): v for k, v in jobs.items() if isinstance(v, dict)} if isinstance(jobs, dict) else {}

    def steps(self, job: str) -> list[Step]:
        steps = self.jobs().get(job, {}).get("steps")
        if not isinstance(steps, list):
            return []
        return [Step(job, i, s, ("jobs", job, "steps", str(i))) for i, s in enumerate(steps) if isinstance(s, dict)]

    def node(self, path: KeyPath) -> yaml.Node | None:
        """The YAML node at `path` (mapping keys and list indexes as strings), or None."""
        node = self.doc.node
        for part in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if str(k.value) == part), None)
            elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
            else:
                return None
        return node


def scalars(node: yaml.Node | None, path: KeyPath = ()) -> Iterator[tuple[KeyPath, yaml.ScalarNode]]:
    """Every scalar value below `node` with its key path (mapping keys are not values)."""
    if isinstance(node, yaml.ScalarNode):
        yield path, node
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from scalars(value, (*path, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            yield from scalars(value, (*path, str(i)))


def line_in_scalar(node: yaml.ScalarNode, offset: int) -> int:
    """1-based line of character `offset` of a scalar's value (block scalars start a line later)."""
    first = node.start_mark.line + 1 + (1 if node.style in ("|", ">") else 0)
    return first + str(node.value).count("\n", 0, offset)


def is_workflow(task: Task, path: str) -> bool:
    return bool(matching([path], policy(task).workflows.paths))


def targeted(task: Task) -> list[str]:
    """The task's workflow files."""
    return matching(task.targets.paths, policy(task).workflows.paths)


def load(task: Task, ctx: DroidContext, paths: list[str]) -> list[Workflow]:
    out = []
    for path in paths:
        doc = yaml_doc(task, ctx, path)
        if doc is not None:
            out.append(Workflow(path, doc))
    return out


def all_workflows(task: Task, ctx: DroidContext) -> list[Workflow]:
    """Every workflow of the repository as the run sees it (the index for a staged gate), not only
    the changed ones: "is there a gate step?" is a question about the set."""
    from droids.core import git

    workspace = ctx.workspace(task)

    def compute() -> list[str]:
        listed = git.try_text(task.repo, "ls-files", "-z", "--cached", "--", ".github")
        paths = [p for p in git.split_z(listed)] if listed else []
        if not paths and not workspace.staged:  # not a git repository: the files on disk
            base = task.repo / ".github"
            paths = [p.relative_to(task.repo).as_posix() for p in base.rglob("*") if p.is_file()]
        return sorted(set(matching(paths, policy(task).workflows.paths)) | set(targeted(task)))

    return load(task, ctx, workspace.shared("devops.workflows", compute))
