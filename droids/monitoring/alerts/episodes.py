"""From signals to pages: one page per episode, cooldown, resolution messages, grouping per channel.

Alertmanager's lessons, on journal time so a replay decides exactly what the live run decided:
- an episode is (rule, subject) from its `firing` signal to its `resolved` one; a second `firing`
  inside an open episode is the same episode (deduplicated);
- a new episode within `episodes.cooldown_s` of the last page of the same (rule, subject) is
  recorded (status, dashboard) but not paged, and neither is its resolution;
- a paged episode's end is paged as a resolution (`episodes.resolved`);
- instant signals (a latency spike) page once per cooldown;
- alerts decided within `episodes.group_s` of each other go out as one message per channel.
Each alert gets a stable id from the run's scope (the journal being watched, or a replay run) and
the signal, so re-deciding it after a restart adds nothing (outbox.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from droids.monitoring.alerts.outbox import AlertRow, MessageRow
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules import BY_ID
from droids.monitoring.rules.base import Signal


@dataclass
class _Episode:
    start: Signal
    paged: bool


@dataclass
class Episodes:
    policy: MonitoringPolicy
    scope: str
    open: dict[tuple[str, str], _Episode] = field(default_factory=dict)
    last_page_us: dict[tuple[str, str], int] = field(default_factory=dict)
    signals: int = 0
    pages: int = 0

    def decide(self, signals: list[Signal]) -> list[tuple[Signal, AlertRow]]:
        """Each signal that starts or ends an episode, as an alert row (paged or not)."""
        cooldown_us = int(self.policy.episodes.cooldown_s * 1_000_000)
        out = []
        for s in sorted(signals, key=lambda s: (s.ts_us, s.position)):
            self.signals += 1
            key = (s.rule, s.subject)
            if s.firing:
                if key in self.open and not s.instant:
                    continue
                last = self.last_page_us.get(key)
                paged = last is None or s.ts_us - last >= cooldown_us
                if paged:
                    self.last_page_us[key] = s.ts_us
                if not s.instant:
                    self.open[key] = _Episode(s, paged)
                note = "" if paged else f"in cooldown ({self.policy.episodes.cooldown_s:g} s after the last page)"
                out.append((s, self._row(s, s, paged, note)))
            else:
                episode = self.open.pop(key, None)
                if episode is None:
                    continue
                paged = episode.paged and self.policy.episodes.resolved
                out.append((s, self._row(s, episode.start, paged, "" if paged else "episode was not paged")))
        self.pages += sum(1 for _, row in out if row.paged)
        return out

    def _row(self, s: Signal, start: Signal, paged: bool, note: str) -> AlertRow:
        ident = f"{self.scope}\0{s.rule}\0{s.subject}\0{start.ts_us}\0{start.position}\0{int(s.firing)}"
        digest = hashlib.sha256(ident.encode()).hexdigest()[:20]
        return AlertRow(digest, self.scope, s.rule, s.subject, s.firing, s.ts_us, s.message, paged, note)

    def open_alerts(self) -> list[Signal]:
        return [e.start for e in self.open.values()]


def compose(
    alerts: list[AlertRow], policy: MonitoringPolicy, targets: dict[str, str], *, extra: dict[str, str] | None = None
) -> list[MessageRow]:
    """One message per channel per group of alerts decided within `episodes.group_s` of each other.
    `targets`: the configured channels (name -> masked address); `extra`: alert id -> a line to add."""
    from trading_core.apex.session import iso_utc

    group_us = int(policy.episodes.group_s * 1_000_000)
    groups: list[list[AlertRow]] = []
    for a in sorted(alerts, key=lambda a: a.ts_us):
        if groups and a.ts_us - groups[-1][0].ts_us <= group_us:
            groups[-1].append(a)
        else:
            groups.append([a])
    out = []
    for group in groups:
        by_channel: dict[str, list[AlertRow]] = {}
        for a in group:
            for channel in policy.channels.routes.get(a.rule, ()):
                if channel in targets:
                    by_channel.setdefault(channel, []).append(a)
        for channel, mine in by_channel.items():
            lines = []
            for a in mine:
                spec = BY_ID[a.rule]
                head = f"[{spec.severity.value.upper()}] {a.rule} {spec.title}" if a.firing else f"[RESOLVED] {a.rule}"
                lines.append(f"{head} ({a.subject}, {iso_utc(a.ts_us)}): {a.message}")
                if extra and a.id in extra:
                    lines.append(f"  {extra[a.id]}")
                if a.firing and spec.fix:
                    lines.append(f"  what to do: {spec.fix}")
            first = mine[0]
            title = f"[droid monitor] {first.rule} {BY_ID[first.rule].title}" + ("" if first.firing else " resolved")
            if len(mine) > 1:
                title += f" (+{len(mine) - 1} more)"
            out.append(MessageRow(channel, targets[channel], title, "\n".join(lines), tuple(a.id for a in mine)))
    return out
