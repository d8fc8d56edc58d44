"""Plain-text views of the monitor's state: `droid monitor status` (one screen), the replay and watch
summaries, and the answer `droid ask` gives ("how close are we to the drawdown limit?")."""

from __future__ import annotations

from typing import Any


def _money(v: float | None) -> str:
    return "-" if v is None else (f"-${-v:,.2f}" if v < 0 else f"${v:,.2f}")


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.1%}"


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}"


def answer(s: dict[str, Any]) -> str:
    """How close the account is to the drawdown limit, in numbers."""
    if s.get("equity") is None:
        return f"{s['journal']}: no events yet."
    level = (
        "danger"
        if s["drawdown_share"] >= s["danger_at"]
        else "warning"
        if s["drawdown_share"] >= s["warn_at"]
        else None
    )
    where = f"; at the {level} level" if level else ""
    return (
        f"{s['journal']} ({s['ruleset']}, {s['account']}, {s['events']:,} events to {s['last_event']}): equity"
        f" {_money(s['equity'])} is {_money(s['distance_to_threshold'])} above the trailing drawdown threshold"
        f" {_money(s['threshold'])} (high-water mark {_money(s['high_water_mark'])}); drawdown"
        f" {_pct(s['drawdown_share'])} of the allowed drawdown{where}. {_money(s['distance_to_warn'])} to the"
        f" warning level ({_pct(s['warn_at'])}, {_money(s['warn_level'])}) and {_money(s['distance_to_danger'])}"
        f" to the danger level ({_pct(s['danger_at'])}, {_money(s['danger_level'])}, the kill switch)."
        f" Open alerts: {len(s['open_alerts'])}; open positions: {len(s['positions'])}."
    )


def status_screen(s: dict[str, Any]) -> str:
    lines = [answer(s), ""]
    p = s.get("performance") or {}
    lines.append(
        f"trades {s['trades']}, win rate {_pct(s['win_rate'])} (last 50: {_pct(s['win_rate_recent'])}),"
        f" Sharpe {_num(p.get('sharpe'))}, Sortino {_num(p.get('sortino'))}, Calmar {_num(p.get('calmar'))},"
        f" SQN {_num(p.get('sqn'))} over {p.get('trading_days', 0)} trading days (daily returns, 252 a year)"
    )
    if s.get("latency_p99_ms") is not None:
        lines.append(f"OnTick p99 {s['latency_p99_ms']:.1f} ms")
    for pos in s["positions"]:
        lines.append(
            f"position {pos['qty']:+d} {pos['symbol']} open {pos['minutes']} min (data row {pos['since_row']})"
        )
    for a in s["open_alerts"]:
        lines.append(f"OPEN {a['rule']} ({a['subject']}): {a['message']}")
    for a in s["recent_alerts"][:5]:
        state = "firing" if a["firing"] else "resolved"
        paged = "paged" if a["paged"] else f"not paged ({a['note']})"
        lines.append(f"{a['ts']} {a['rule']} {state}, {paged}: {a['message']}")
    box = s.get("outbox") or {}
    if box:
        lines.append("outbox: " + ", ".join(f"{k} {v}" for k, v in box.items()))
    for m in s.get("undelivered") or []:
        lines.append(
            f"  #{m['id']} {m['status']} {m['channel']} to {m['to']}: {m['title']}"
            f" ({m['attempts']} tries; {m['error']})"
        )
    return "\n".join(lines)


def run_summary(r: dict[str, Any], verb: str) -> str:
    s = r["state"]
    rate = r["events"] / r["elapsed_s"] if r["elapsed_s"] else 0.0
    lines = [
        f"{verb} {r['journal']}: {r['events']:,} events in {r['elapsed_s']:.2f} s ({rate:,.0f}/s);"
        f" {r['alerts']} alert decisions, {r['pages']} paged",
    ]
    box = {k: v for k, v in r["outbox"].items() if v}
    if box:
        lines.append("messages: " + ", ".join(f"{k} {v}" for k, v in box.items()))
    for t in s.get("kill_switch") or []:
        seq = f", audit entry {t['audit_seq']}" if t.get("audit_seq") is not None else ""
        lines.append(f"kill switch called ({t['target']}) {t['latency_ms']:.1f} ms after the crossing{seq}")
    for p in s.get("profiles") or []:
        lines.append(f"profile requested from the performance droid: {p}")
    lines.append(answer(s))
    return "\n".join(lines)
