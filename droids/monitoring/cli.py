"""`droid monitor ...`: the monitoring droid's commands (watch, replay, serve, status, report)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from droids.core.command import CommandContext

app = typer.Typer(
    help="Live drawdown, alerts that reach a person once, the dashboard and the circuit breaker.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

FormatOpt = Annotated[str | None, typer.Option("--format", "-f", help="text or json")]
JournalArg = Annotated[
    Path | None,
    typer.Argument(
        help="Account journal (.csv/.jsonl; replay also .parquet). Default: monitoring.yaml, "
        "else the newest .droid/**/journal.csv."
    ),
]


def _emit(session: CommandContext, result: dict[str, Any], text: str) -> None:
    session.emit(json.dumps(result, indent=2, default=str) if session.fmt == "json" else text)


@app.command("watch")
def watch(
    ctx: typer.Context,
    journal: JournalArg = None,
    once: Annotated[bool, typer.Option("--once", help="Read the journal to its end, deliver, and exit.")] = False,
    fmt: FormatOpt = None,
) -> None:
    """Follow the journal as it grows and alert (until Ctrl-C or SIGTERM)."""
    from droids.monitoring import api, text

    session: CommandContext = ctx.obj.with_output(fmt, None)
    result = api.follow(session.repo, session.policies, session.state_dir, journal, once=once, announce=session.note)
    _emit(session, result, text.run_summary(result, "watched"))


@app.command("replay")
def replay(
    ctx: typer.Context,
    journal: JournalArg = None,
    speed: Annotated[float, typer.Option(min=0, help="Pace at N x journal time (0: as fast as it reads).")] = 0.0,
    wait: Annotated[float, typer.Option(min=0, help="Seconds to wait for delivery at the end.")] = 60.0,
    fmt: FormatOpt = None,
) -> None:
    """Send the alerts the journal would have caused through the configured channels."""
    from droids.monitoring import api, text

    session: CommandContext = ctx.obj.with_output(fmt, None)
    result = api.replay(session.repo, session.policies, session.state_dir, journal, speed=speed, wait_s=wait)
    for note in result["notes"]:
        session.note(note)
    _emit(session, result, text.run_summary(result, "replayed"))


@app.command("serve")
def serve(
    ctx: typer.Context,
    journal: JournalArg = None,
    port: Annotated[int | None, typer.Option(help="Port on 127.0.0.1 (default monitoring.yaml; 0: any).")] = None,
    fmt: FormatOpt = None,
) -> None:
    """Follow the journal and serve the dashboard, live (SSE), and /metrics on 127.0.0.1."""
    from droids.monitoring import api, text

    session: CommandContext = ctx.obj.with_output(fmt, None)
    result = api.follow(
        session.repo, session.policies, session.state_dir, journal, serve=True, port=port, announce=session.note
    )
    _emit(session, result, text.run_summary(result, "served"))


@app.command("status")
def status(ctx: typer.Context, journal: JournalArg = None, fmt: FormatOpt = None) -> None:
    """One screen: equity, drawdown and distances, positions, alerts, performance, the outbox."""
    from droids.monitoring import api, text

    session: CommandContext = ctx.obj.with_output(fmt, None)
    state = api.status(session.repo, session.policies, session.state_dir, journal)
    state.pop("series", None)
    _emit(session, state, text.status_screen(state))


@app.command("report")
def report(
    ctx: typer.Context,
    journal: JournalArg = None,
    out: Annotated[Path | None, typer.Option(help="Folder (default .droid/monitor/report/).")] = None,
    fmt: FormatOpt = None,
) -> None:
    """Write the dashboard as one self-contained HTML file (opens with no network)."""
    from droids.monitoring import api

    session: CommandContext = ctx.obj.with_output(fmt, None)
    target = api.report(
        session.repo, session.policies, session.state_dir, journal, out or session.state_dir / "monitor" / "report"
    )
    _emit(session, {"report": str(target)}, f"wrote {target}")
