"""The droids' own sub-commands (`droid security ...`, `droid perf ...`), found in their manifests.

The top-level group lists them from the manifests (no droid code imported) and loads a droid's typer
app only when its command is used or its help is shown, so `droid --help` stays instant and adding
a droid needs no edit here.
"""

from __future__ import annotations

from functools import lru_cache

import click
import typer
from typer.core import TyperGroup


@lru_cache(maxsize=1)
def _commands() -> dict[str, object]:
    from droids.core.manifest import commands, manifests

    return commands(manifests())  # type: ignore[return-value]


class DroidCommandGroup(TyperGroup):
    """The `droid` group: its own commands, then each droid's sub-command group."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        own = super().list_commands(ctx)
        return own + [name for name in _commands() if name not in own]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        spec = _commands().get(cmd_name)
        if spec is None:
            return None
        from droids.core.manifest import load

        group = typer.main.get_group(load(spec.app))  # type: ignore[attr-defined]
        group.name, group.help = cmd_name, spec.help  # type: ignore[attr-defined]
        return group
