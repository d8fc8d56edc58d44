"""`droid sim run`: run the bundled trading core offline on generated days."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli.session import Session

sim_app = typer.Typer(
    help="Run the bundled trading core offline (simulator).", no_args_is_help=True, rich_markup_mode=None
)


@sim_app.command("run")
def run(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option(help="Trading days to simulate (default: policies/sim.yaml).")] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed of the generated market (default: the policy's).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default .droid/sim/<UTC time>/).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="text or json")] = None,
) -> None:
    """Write journal.csv and equity.csv; exit 1 when the journal breaks an account rule of the Apex policy.

    Consistency (APX004) decides a payout, not the account: the summary says whether a payout could
    be requested after the run; it fails the run only through a payout request, which the simulator
    does not make.
    """
    from trading_core.sim import run_simulation

    session: Session = ctx.obj.with_output(fmt, None)
    out_dir = out or session.state_dir / "sim" / _stamp()
    result = run_simulation(session.policies, days=days, seed=seed, out_dir=out_dir)
    summary = result.summary()
    if session.fmt == "json":
        session.emit(json.dumps(summary, indent=2))
    else:
        session.emit(_text(summary))
    raise typer.Exit(0 if result.passed else 1)


def _stamp() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(s: dict) -> str:
    lines = [
        f"simulated {s['days']} trading day(s) of generated market (random seed {s['seed']}): {s['ticks']:,} ticks "
        f"({s['rejected_ticks']} rejected) at {s['ticks_per_s']:,} ticks/s, {s['trades']} trades, {s['fills']} fills",
        f"equity {s['start_equity']:,.2f} -> {s['final_equity']:,.2f} (profit {s['total_profit']:,.2f}; "
        f"fees {s['fees']:,.2f}, slippage {s['slippage']:,.2f})",
        f"apex check of journal.csv under rule set {s['ruleset']}, account {s['account']}: {s['apex_check']}",
    ]
    lines += [f"  {v['rule']} event {v['event_index']} ({v['trading_day']}): {v['message']}" for v in s["violations"]]
    if s.get("payout"):
        lines.append(f"payout (information, not a rule): {s['payout']['reason']}")
    lines.append(f"files: {s['out_dir']}/ (journal.csv, equity.csv, trades.csv, risk_events.csv)")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.add_typer(sim_app, name="sim")
