"""A droid's manifest: how a droid describes itself to the orchestrator without being imported.

Each droid package exports `MANIFEST` from its `__init__.py` (which imports nothing else), naming in
"module:attribute" strings:
- `droid`: its class (card, rules, checks; imported when a run needs it);
- `command`: its sub-command group (`droid security ...`), name, one-line help and typer app;
- `policy_files`: the YAML files under policies/ it reads, each with its model (JSON Schema for
  `droid policy schema`) and the loader a run uses (`droid policy check` runs it);
- `services`: functions other droids or the orchestrator may call by name through the registry
  (droids never import each other), e.g. "secret-screen" from the security droid.
The orchestrator reads manifests for `droid --help`, `droid policy` and the droid sub-commands; so
adding a droid needs no edit in orchestrator/. Only the standard library is imported here, which
keeps `droid --help` instant.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from droids.core.errors import DroidError

ENTRY_POINT_GROUP = "droids"


def load(target: str) -> Any:
    """The attribute a "module:attribute" string names (imported now)."""
    module, _, attribute = target.partition(":")
    value: Any = importlib.import_module(module)
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


@dataclass(frozen=True)
class PolicyFile:
    """One YAML file under policies/: its name, its pydantic model and the loader a run uses.

    `check` is called as `check(policies_dir, repo)` and raises the layer's error naming file, line
    and key on the first problem; `model` gives the JSON Schema."""

    name: str
    model: str
    check: str
    builtin_dir: str | None = None  # "module:ATTR" naming the folder of the built-in file, if one ships
    starter: str | None = None  # "module:ATTR" naming the commented file `droid init` writes, if any

    def source(self, policies: Any) -> str:
        """Where a run reads this file from: the repository's, a built-in, or the model's defaults."""
        from trading_core.policy.locate import policy_path

        own = policies / self.name
        if own.exists() or own.is_symlink():
            return str(own)
        if self.builtin_dir is not None:
            builtin = policy_path(policies, self.name, load(self.builtin_dir))
            if builtin != own:
                return f"built-in ({builtin})"
        return "built-in (the model's defaults)"

    def schema(self) -> dict[str, Any]:
        return load(self.model).model_json_schema()

    def validate(self, policies: Any, repo: Any) -> object:
        return load(self.check)(policies, repo)


@dataclass(frozen=True)
class Command:
    """A droid's sub-command group: `droid <name> ...`, a typer app loaded when it is used."""

    name: str
    help: str
    app: str


@dataclass(frozen=True)
class Manifest:
    droid: str
    command: Command | None = None
    policy_files: tuple[PolicyFile, ...] = ()
    services: dict[str, str] = field(default_factory=dict)

    @property
    def package(self) -> str:
        return self.droid.partition(":")[0].rsplit(".", 1)[0]


def manifests() -> list[Manifest]:
    """Built-in manifests, then one per installed `droids` entry point, without importing droid code
    (a third-party entry point is loaded: keep its module light)."""
    from droids import builtin_manifests

    found = list(builtin_manifests())
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            value = ep.load()
        except Exception as exc:  # a broken plugin must name itself, not crash with a traceback
            raise DroidError(f"entry point '{ep.name}' ({ep.value}) in group '{ENTRY_POINT_GROUP}': {exc}") from None
        found.append(
            value if isinstance(value, Manifest) else Manifest(droid=f"{value.__module__}:{value.__qualname__}")
        )
    return found


def commands(found: Sequence[Manifest]) -> dict[str, Command]:
    """Sub-command name -> command, refusing one name claimed twice."""
    out: dict[str, Command] = {}
    for manifest in found:
        if manifest.command is None:
            continue
        if manifest.command.name in out:
            raise DroidError(f"{manifest.droid}: sub-command '{manifest.command.name}' is already taken")
        out[manifest.command.name] = manifest.command
    return out
