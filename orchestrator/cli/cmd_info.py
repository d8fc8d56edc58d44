"""Commands that describe the setup: list, rules, policy check|schema, baseline update."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from orchestrator.cli.session import Session

policy_app = typer.Typer(
    help="Validate the policies folder or print its JSON Schema.", no_args_is_help=True, rich_markup_mode=None
)
baseline_app = typer.Typer(help="Accept the current findings as known.", no_args_is_help=True, rich_markup_mode=None)


def _table(session: Session, title: str, columns: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(color_system="auto" if session.color() else None, width=120).print(table)


def list_droids(ctx: typer.Context, fmt: Annotated[str | None, typer.Option("--format", "-f")] = None) -> None:
    """The registered droids: name, title, triggers, rules."""
    session: Session = ctx.obj.with_output(fmt, None)
    cards = session.registry.cards()
    if session.fmt == "json":
        keys = ("name", "title", "description", "triggers", "paths", "rules")
        session.emit(json.dumps([card.model_dump(include=set(keys)) for card in cards], indent=2))
        return
    rows = [[c.name, c.title, ", ".join(c.triggers), ", ".join(c.rules)] for c in cards]
    _table(session, "Droids", ["name", "title", "triggers", "rules"], rows)


def list_rules(ctx: typer.Context, fmt: Annotated[str | None, typer.Option("--format", "-f")] = None) -> None:
    """Every rule id with its droid, severity and one-line description."""
    session: Session = ctx.obj.with_output(fmt, None)
    rules = session.registry.rules()
    if session.fmt == "json":
        session.emit(json.dumps([r.model_dump(mode="json") for r in rules], indent=2))
        return
    rows = [[r.id, r.droid, r.severity.value, r.title] for r in rules]
    _table(session, "Rules", ["rule", "droid", "severity", "title"], rows)


@policy_app.command("check")
def policy_check(ctx: typer.Context) -> None:
    """Validate every policy file; the first error names file, line and key (exit 2)."""
    from droids.core.policy_files import all_policy_files

    session: Session = ctx.obj
    files = all_policy_files(session.registry.policy_files())
    for pf in files:
        pf.validate(session.policies, session.repo)
    session.emit(f"policies OK: {', '.join(pf.name for pf in files)} in {session.policies}")


@policy_app.command("where")
def policy_where(ctx: typer.Context) -> None:
    """Which policies folder this repository uses and why, and where each file is read from."""
    from droids.core.policy_files import all_policy_files

    session: Session = ctx.obj
    lines = [f"policies folder: {session.policies} ({session.policies_how})"]
    lines += ["  --policies, then DROID_POLICIES, then [tool.droid] policies, then <repo>/policies/, then built-ins"]
    for pf in all_policy_files(session.registry.policy_files()):
        lines.append(f"{pf.name:<20} {pf.source(session.policies)}")
    session.emit("\n".join(lines))


@policy_app.command("schema")
def policy_schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of every policy file."""
    from droids.core.policy_files import all_policy_files

    session: Session = ctx.obj
    files = all_policy_files(session.registry.policy_files())
    session.emit(json.dumps({pf.name: pf.schema() for pf in files}, indent=2))


@baseline_app.command("update")
def baseline_update(ctx: typer.Context) -> None:
    """Run an audit and record every current finding's fingerprint in the baseline file."""
    from orchestrator.execute import execute
    from orchestrator.resolve import write_baseline
    from orchestrator.targets import simple_task

    session: Session = ctx.obj
    task = simple_task("audit", session.repo, session.policies, cwd=session.cwd)
    report = execute(task, session.registry, session.gates, session.state_dir)
    if report.failed_droids():
        failed = ", ".join(f"{d.name} ({d.status})" for d in report.failed_droids())
        session.note(f"baseline not written: {failed} did not finish")
        raise typer.Exit(3)
    path = session.repo / session.gates.baseline
    count = write_baseline(path, [f for f in report.findings if not f.suppressed or f.suppression == "baseline"])
    session.emit(f"baseline: {count} fingerprints written to {path}")


def register(app: typer.Typer) -> None:
    app.command("list")(list_droids)
    app.command("rules")(list_rules)
    app.add_typer(policy_app, name="policy")
    app.add_typer(baseline_app, name="baseline")
