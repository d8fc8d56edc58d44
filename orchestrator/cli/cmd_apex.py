"""`droid apex check JOURNAL`: evaluate an account journal against the Apex policy."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli.session import Session

apex_app = typer.Typer(
    help="The Apex Trader Funding rule engine of the trading core.", no_args_is_help=True, rich_markup_mode=None
)


@apex_app.command("check")
def check(
    ctx: typer.Context,
    journal: Annotated[Path, typer.Argument(help="Account journal: .csv, .parquet or .jsonl.")],
    account: Annotated[str | None, typer.Option(help="Account size, e.g. 50k (default: policies/apex.yaml).")] = None,
    ruleset: Annotated[
        str | None, typer.Option(help="Rule set: seed, apex-3.0, apex-4.0 (default: the policy's).")
    ] = None,
    sort: Annotated[bool, typer.Option("--sort", help="Sort events by time instead of rejecting disorder.")] = False,
    fmt: Annotated[str | None, typer.Option("--format", "-f")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Exit 0 when the journal breaks no rule, 1 when it does (violations listed), 2 on bad input."""
    from orchestrator.apex_report import apex_report
    from orchestrator.render import render
    from trading_core.apex import evaluate, load_apex_policy, read_journal

    session: Session = ctx.obj.with_output(fmt, output)
    started = time.time()
    policy = load_apex_policy(session.policies, ruleset=ruleset, account=account)
    path = (session.cwd / journal).resolve() if not journal.is_absolute() else journal
    result = evaluate(read_journal(path, instruments=policy.instruments, sort=sort), policy)
    try:
        display = path.relative_to(session.repo).as_posix()
    except ValueError:
        display = str(journal)
    report = apex_report(result, path, display, session.repo, started)
    session.emit(_text(report) if session.fmt == "text" else render(report, session.fmt))
    raise typer.Exit(1 if report.findings else 0)


def _text(report) -> str:
    """A short table of violations and the account summary."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    buf = StringIO()
    console = Console(file=buf, width=110, color_system=None)
    apex = report.extra["apex"]
    if report.findings:
        table = Table(title=f"{len(report.findings)} Apex violation(s)")
        for col in ("rule", "event", "time (UTC)", "day", "symbol", "value", "limit", "what"):
            table.add_column(col, overflow="fold")
        for f in report.findings:
            table.add_row(
                f.rule,
                str(f.event_index),
                f.ts,
                f.trading_day,
                f.symbol or "-",
                f"{f.value:g}",
                f"{f.limit:g}",
                f.message,
            )
        console.print(table)
    verdict = "VIOLATIONS" if report.findings else "PASS"
    console.print(
        f"{verdict}: ruleset {apex['ruleset']}, account {apex['account']}, {report.extra['events']} events, "
        f"{apex['trading_days']} trading days; equity {apex['starting_balance']:,.2f} -> {apex['final_equity']:,.2f} "
        f"(peak {apex['peak_equity']:,.2f}); closest to the threshold: {apex['min_distance_to_threshold']:,.2f}; "
        f"best day {apex['best_day'] or '-'} share {_pct(apex['best_day_share'])} of {apex['total_profit']:,.2f} profit"
    )
    return buf.getvalue()


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.1%}"


def register(app: typer.Typer) -> None:
    app.add_typer(apex_app, name="apex")
