"""A docker-compose file as the compose rules read it: its services and top-level definitions, and
the line of every key (`trading_core.policy.yamldoc`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from droids.core.models import Task
from droids.core.protocol import DroidContext
from droids.devops.common import matching, policy, yaml_doc
from trading_core.policy.yamldoc import YamlDoc, line_of


@dataclass(frozen=True)
class ComposeFile:
    path: str
    doc: YamlDoc

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data if isinstance(self.doc.data, dict) else {}

    def services(self) -> dict[str, dict[str, Any]]:
        services = self.data.get("services")
        if not isinstance(services, dict):
            return {}
        return {str(k): v if isinstance(v, dict) else {} for k, v in services.items()}

    def defined(self, section: str) -> set[str]:
        """Names under a top-level section (networks, volumes, secrets, configs)."""
        value = self.data.get(section)
        return {str(k) for k in value} if isinstance(value, dict) else set()

    def line(self, *keys: str | int) -> int | None:
        return line_of(self.doc.node, tuple(str(k) for k in keys))


def targeted(task: Task) -> list[str]:
    return matching(task.targets.paths, policy(task).compose.paths)


def load(task: Task, ctx: DroidContext) -> list[ComposeFile]:
    out = []
    for path in targeted(task):
        doc = yaml_doc(task, ctx, path)
        if doc is not None:
            out.append(ComposeFile(path, doc))
    return out


def names(value: Any) -> list[str]:
    """Names in a compose list-or-mapping field (`depends_on: [a, b]` or `depends_on: {a: ...}`)."""
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, list):
        return [str(v) if not isinstance(v, dict) else str(v.get("source", "")) for v in value]
    return []
