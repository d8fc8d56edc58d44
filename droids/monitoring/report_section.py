"""The monitoring droid's two sections of the morning report: Apex and risk, and the alerts of the day.

**Apex and risk**: the latest journal (policies/monitoring.yaml `journal:`, else the newest
journal.csv under .droid/, as `droid monitor status` picks it) read through the monitor, nothing
sent and no kill switch armed: equity and the trailing drawdown threshold over time, the drawdown
used against the warning and danger levels, the distance to the threshold, and whether a payout
could be requested (the trading core's consistency rule, as `droid apex check` judges it), with the
Apex violations the journal holds.

**Alerts**: what the monitor recorded in its outbox (.droid/monitor/outbox.sqlite) over the last day,
or over the report's period when that is longer: each alert, whether it paged, and the messages that
failed. Alerts of `droid monitor replay` (replays of past journals) are listed apart from live ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from droids.core.report_section import Block, LineChart, ReportSection, SectionContext, Series, Table, none_section

DROID = "monitoring"
RISK_TITLE = "Apex and risk"
ALERTS_TITLE = "Monitoring: alerts of the last day"
DAY = timedelta(days=1)


def build(ctx: SectionContext) -> list[ReportSection]:
    return [risk_section(ctx), alerts_section(ctx)]


# --- Apex and risk --------------------------------------------------------------------------------


def risk_section(ctx: SectionContext) -> ReportSection:
    from droids.monitoring import api, runner
    from droids.monitoring.policy import load_monitoring_policy

    policy, _ = load_monitoring_policy(ctx.policies)
    journal = runner.find_journal(ctx.repo, ctx.state_dir, policy, None)
    if journal is None:
        why = "No journal: set `journal:` in policies/monitoring.yaml, or `droid sim run` writes one under .droid/."
        return none_section("risk", DROID, RISK_TITLE, why)
    state = api.status(ctx.repo, ctx.policies, ctx.state_dir, journal)
    if state.get("equity") is None:
        return none_section("risk", DROID, RISK_TITLE, f"The journal {state['journal']} holds no event yet.")
    payout, counts = _apex_judgement(ctx.policies, policy, journal)
    used, warn, danger = state["drawdown_share"] or 0.0, state["warn_at"], state["danger_at"]
    broken = {rule: n for rule, n in sorted(counts.items()) if n}
    lines = [
        f"Journal {state['journal']}: {state['events']:,} events, the last at {state['last_event']}; rule set "
        f"{state['ruleset']}, account {state['account']}.",
        f"Equity {_money(state['equity'])}, trailing threshold {_money(state['threshold'])}: "
        f"{_money(state['distance_to_threshold'])} above it; {used:.1%} of the allowed drawdown used "
        f"(warning at {warn:.0%}, danger at {danger:.0%}).",
        f"Payout: {payout.reason}." if payout is not None else "Payout: not judged by this rule set.",
        "Apex violations in this journal: " + ", ".join(f"{r} {n}" for r, n in broken.items()) + "."
        if broken
        else "No Apex rule broken in this journal.",
    ]
    block = Block("Equity and drawdown of the latest journal", lines=lines, charts=_risk_charts(state))
    attention = used >= warn or bool(broken)
    block.status = "attention" if attention else "ok"
    headline = (
        f"Equity {_money(state['equity'])}, {_money(state['distance_to_threshold'])} above the trailing threshold "
        f"({used:.1%} of the allowed drawdown used); "
        + ("payout could be requested" if payout is not None and payout.eligible else "no payout yet")
        + (f"; {sum(broken.values())} Apex violations" if broken else "")
        + "."
    )
    return ReportSection("risk", DROID, RISK_TITLE, block.status, headline, [block])


def _apex_judgement(policies: Path, policy: Any, journal: Path) -> tuple[Any, dict[str, int]]:
    """The payout status and the violation counts of the whole journal, streamed (any size)."""
    from trading_core.apex import journal_chunks, load_apex_policy
    from trading_core.apex.evaluate import evaluate_chunks
    from trading_core.apex.spec import compile_spec

    apex = load_apex_policy(policies, ruleset=policy.ruleset, account=policy.account)
    chunks = journal_chunks(journal, instruments=apex.instruments)
    (result,) = evaluate_chunks(chunks, [compile_spec(apex)], keep=0)
    return result.summary.payout, dict(result.counts)


def _risk_charts(state: dict[str, Any]) -> list[LineChart]:
    s = state["series"]
    if not s["t"]:
        return []
    x = tuple(datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for ms in s["t"])
    equity = LineChart(
        "Equity and the trailing drawdown threshold",
        x,
        (
            Series("equity", tuple(s["equity"]), color="#0969da"),
            Series("warning level", tuple(s["warn"]), "dotted", "#9a6700"),
            Series("danger level", tuple(s["danger"]), "dotted", "#bc4c00"),
            Series("threshold (account blown)", tuple(s["threshold"]), "dashed", "#cf222e"),
        ),
        y_unit="$",
    )
    n = len(x)
    drawdown = LineChart(
        "Drawdown used, share of the allowed drawdown",
        x,
        (
            Series("drawdown used", tuple(s["drawdown"]), color="#0969da"),
            Series("warning", (state["warn_at"] * 100,) * n, "dotted", "#9a6700"),
            Series("danger", (state["danger_at"] * 100,) * n, "dotted", "#bc4c00"),
            Series("threshold", (100.0,) * n, "dashed", "#cf222e"),
        ),
        y_unit="%",
    )
    return [equity, drawdown]


def _money(value: float | None) -> str:
    if value is None:
        return "-"
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


# --- alerts -----------------------------------------------------------------------------------------


def alerts_section(ctx: SectionContext) -> ReportSection:
    from droids.monitoring import runner
    from droids.monitoring.alerts.outbox import Outbox

    path = runner.monitor_dir(ctx.state_dir) / "outbox.sqlite"
    if not path.is_file():
        why = "No alert recorded: the monitor has not run here (`droid monitor watch`, `serve` or `replay`)."
        return none_section("monitoring", DROID, ALERTS_TITLE, why)
    start = min(ctx.now - DAY, ctx.since or ctx.now)
    box = Outbox(path)
    try:
        alerts = box.recorded_since(start.timestamp())
        messages = box.messages_since(start.timestamp())
    finally:
        box.close()
    live = [(t, a) for t, a in alerts if not a.scope.startswith("replay:")]
    replayed = len(alerts) - len(live)
    firing = [a for _, a in live if a.firing]
    failed = [m for m in messages if m.status in ("failed", "unconfirmed")]
    sent = sum(m.status == "sent" for m in messages)
    period = "the last day" if start == ctx.now - DAY else f"since {start.strftime('%Y-%m-%d %H:%M')} UTC"
    block = Block(f"Alerts recorded {period}")
    block.status = "attention" if firing or failed else "ok"
    by_rule: dict[str, int] = {}
    for a in firing:
        by_rule[a.rule] = by_rule.get(a.rule, 0) + 1
    said = (
        f"{len(live)} live alerts ({len(firing)} firing" + (": " if by_rule else "")
        + ", ".join(f"{r} {n}" for r, n in sorted(by_rule.items())) + f"), {sent} messages sent, {len(failed)} failed"
    )  # fmt: skip
    if replayed:
        said += f"; {replayed} more from replays of past journals"
    block.lines.append(said + ".")
    if alerts:
        rows = tuple(
            (
                _utc(created),
                "replay" if a.scope.startswith("replay:") else "live",
                a.rule,
                a.subject,
                "firing" if a.firing else "resolved",
                "paged" if a.paged else (a.note or "not paged"),
                a.message,
            )
            for created, a in alerts
        )
        block.tables.append(Table(("recorded (UTC)", "source", "rule", "subject", "state", "page", "message"), rows))
    if failed:
        rows = tuple((m.channel, m.target, m.status, m.title, m.last_error) for m in failed)
        block.tables.append(Table(("channel", "to", "status", "message", "why"), rows))
    headline = said + "." if alerts or messages else f"No alert recorded {period}."
    return ReportSection("monitoring", DROID, ALERTS_TITLE, block.status, headline, [block])


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")
