"""`droid apex check JOURNAL`: evaluate an account journal against the Apex policy, at any size.

The journal is streamed (trading_core.apex.journal_chunks): memory stays flat whatever its size,
except with `--sort`, which needs the whole journal and keeps it in memory as columns. It is judged
under the chosen rule set and, in the same pass (one ledger, one more set of thresholds each), under
the policy's other rule sets for the same account, so the report can say where and why they differ.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from orchestrator.cli.session import Session

apex_app = typer.Typer(
    help="The Apex Trader Funding rule engine of the trading core.", no_args_is_help=True, rich_markup_mode=None
)


@apex_app.command("check")
def check(
    ctx: typer.Context,
    journal: Annotated[Path, typer.Argument(help="Account journal: .csv, .parquet or .jsonl, of any size.")],
    account: Annotated[str | None, typer.Option(help="Account size, e.g. 50k (default: policies/apex.yaml).")] = None,
    ruleset: Annotated[
        str | None, typer.Option(help="Rule set: seed, apex-3.0, apex-4.0 (default: the policy's).")
    ] = None,
    sort: Annotated[
        bool,
        typer.Option(
            "--sort",
            help="Sort events by time instead of rejecting disorder. Sorting needs the whole journal: it is"
            " held in memory (about 100 bytes per row); without --sort memory stays flat.",
        ),
    ] = False,
    payout: Annotated[
        bool,
        typer.Option(
            "--payout",
            help="Judge the consistency rule (APX004) as for a payout requested after the last event."
            " Payout rows in the journal (kind 'payout') are always judged; otherwise APX004 is information.",
        ),
    ] = False,
    max_per_rule: Annotated[
        int, typer.Option("--max-per-rule", min=0, help="List at most N violations per rule; all are counted.")
    ] = 100,
    compare: Annotated[
        bool,
        typer.Option(help="Also judge the journal under the policy's other rule sets and say where they differ."),
    ] = True,
    fmt: Annotated[str | None, typer.Option("--format", "-f")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Exit 0 when the journal breaks no rule, 1 when it does (violations listed), 2 on bad input."""
    from orchestrator.apex_report import apex_report
    from orchestrator.render import render
    from trading_core.apex import evaluate_chunks, journal_chunks, list_rulesets, load_apex_policy
    from trading_core.apex.compare import describe, differences

    session: Session = ctx.obj.with_output(fmt, output)
    started = time.time()
    policy = load_apex_policy(session.policies, ruleset=ruleset, account=account)
    others = [
        load_apex_policy(session.policies, ruleset=name, account=policy.account_name)
        for name in (list_rulesets(session.policies) if compare else [])
        if name != policy.ruleset_name
    ]
    path = (session.cwd / journal).resolve() if not journal.is_absolute() else journal
    chunks = journal_chunks(path, instruments=policy.instruments, sort=sort)
    result, *rest = evaluate_chunks(chunks, [policy, *others], payout_at_end=payout, keep=max_per_rule)
    try:
        display = path.relative_to(session.repo).as_posix()
    except ValueError:
        display = str(journal)
    compared = [
        {
            "ruleset": other.ruleset_name,
            "passed": theirs.passed,
            "violation_counts": dict(sorted(theirs.counts.items())),
            "payout_eligible": theirs.summary.payout.eligible if theirs.summary.payout else None,
            "differences": [d.to_dict() for d in differences(policy, result, other, theirs)],
        }
        for other, theirs in zip(others, rest, strict=True)
    ]
    judged = {"judged_by": describe(policy), "listed_per_rule": max_per_rule, "other_rulesets": compared}
    report = apex_report(result, path, display, session.repo, started, judged)
    session.emit(_text(report) if session.fmt == "text" else render(report, session.fmt))
    raise typer.Exit(0 if result.passed else 1)


def _text(report: Any) -> str:
    """A short table of violations, the account summary, the payout eligibility and the other rule sets."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    buf = StringIO()
    console = Console(file=buf, width=110, color_system=None)
    apex = report.extra["apex"]
    counts = apex["violation_counts"]
    if report.findings:
        total = sum(counts.values())
        shown = "" if total == len(report.findings) else f" (the first {apex['listed_per_rule']} of each rule listed)"
        table = Table(title=f"{total} Apex violation(s){shown}")
        for col in ("rule", "event", "time (UTC)", "day", "symbol", "value", "limit", "what"):
            table.add_column(col, overflow="fold")
        for f in report.findings:
            table.add_row(
                f.rule, str(f.event_index), f.ts, f.trading_day, f.symbol or "-", f"{f.value:g}", f"{f.limit:g}",
                f.message,
            )  # fmt: skip
        console.print(table)
    verdict = "VIOLATIONS" if counts else "PASS"
    per_rule = ", ".join(f"{rule} x{n}" for rule, n in counts.items())
    console.print(
        f"{verdict}: ruleset {apex['ruleset']}, account {apex['account']}, {report.extra['events']} events, "
        f"{apex['trading_days']} trading days; equity {apex['starting_balance']:,.2f} -> {apex['final_equity']:,.2f} "
        f"(peak {apex['peak_equity']:,.2f}); closest to the threshold: {apex['min_distance_to_threshold']:,.2f}; "
        f"best day {apex['best_day'] or '-'} share {_pct(apex['best_day_share'])} of {apex['total_profit']:,.2f} profit"
        + (f"; {per_rule}" if per_rule else "")
    )
    console.print(f"judged by {apex['judged_by']}")
    if apex.get("payout"):
        console.print(f"payout: {apex['payout']['reason']}")
    for other in apex["other_rulesets"]:
        verdict = "passes" if other["passed"] else "fails"
        if not other["differences"]:
            console.print(f"under {other['ruleset']}: judged the same ({verdict})")
            continue
        console.print(f"under {other['ruleset']} it {verdict} (violations here -> there):")
        by_reason: dict[str, list[str]] = {}  # rules that differ for one reason are named together
        for d in other["differences"]:
            if d["rule"] == "payout":
                what = "payout possible here, not there" if d["here"] else "payout not possible here, possible there"
            else:
                what = f"{d['rule']} {d['here']} -> {d['there']}"
            by_reason.setdefault(d["why"], []).append(what)
        for why, what in by_reason.items():
            console.print(f"  {', '.join(what)}; {why}")
    return buf.getvalue()


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.1%}"


def register(app: typer.Typer) -> None:
    app.add_typer(apex_app, name="apex")
