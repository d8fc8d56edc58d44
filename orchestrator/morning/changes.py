"""What changed since the previous audit: new and fixed findings, by droid.

Exact when the previous audit's report.json is stored here: a finding is *new* when its fingerprint
was not among the previous audit's counting findings (active: neither suppressed nor baselined),
*fixed* when a fingerprint the previous audit counted is no longer counted (gone, or suppressed
since: said so). Fingerprints hash the rule, the path and the matched content, not the line, so a
finding that only moved is neither new nor fixed.

When only the audit trail knows the previous audit (a CI runner keeps no report folder between
runs, the team's trail is on a server), the trail entry's finding counts by rule are compared
instead: per rule, more findings now count as new, fewer as fixed; the page says the comparison is
by counts. A droid that did not finish (error, timeout) in either audit is not compared: its missing
findings would otherwise read as fixed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from droids.core.models import Finding, RunReport

_FAILED = ("error", "timeout")


@dataclass
class DroidChange:
    droid: str
    open_now: int
    new: list[Finding] = field(default_factory=list)  # exact comparisons only
    fixed: list[Finding] = field(default_factory=list)
    new_count: int = 0
    fixed_count: int = 0
    note: str = ""  # why it is not compared, or what else to know

    @property
    def compared(self) -> bool:
        return not self.note.startswith("not compared")

    def shown(self) -> tuple[str, str]:
        """The new and fixed counts as the report prints them: "+2" and "-1", a plain "0" for none
        (not "-0"), "n/a" for a droid not compared (its note says why)."""
        if not self.compared:
            return "n/a", "n/a"
        return (f"+{self.new_count}" if self.new_count else "0", f"-{self.fixed_count}" if self.fixed_count else "0")


@dataclass
class Changes:
    previous_at: str  # when the previous audit started (report) or was recorded (trail)
    exact: bool  # True: by fingerprint; False: by rule counts of the trail entry
    droids: list[DroidChange]
    now_suppressed: set[str] = field(default_factory=set)  # fingerprints fixed by a suppression
    previous_seq: int | None = None

    @property
    def new_total(self) -> int:
        return sum(d.new_count for d in self.droids if d.compared)

    @property
    def fixed_total(self) -> int:
        return sum(d.fixed_count for d in self.droids if d.compared)


def by_fingerprint(current: RunReport, previous: RunReport, previous_seq: int | None = None) -> Changes:
    now = {f.fingerprint: f for f in current.active()}
    before = {f.fingerprint: f for f in previous.active()}
    suppressed_now = {f.fingerprint for f in current.findings if f.suppressed}
    status_now = {d.name: d.status for d in current.droids}
    status_before = {d.name: d.status for d in previous.droids}
    out = []
    for name in _names(current, previous):
        change = DroidChange(name, sum(f.droid == name for f in now.values()))
        change.new = [f for fp, f in now.items() if f.droid == name and fp not in before]
        change.fixed = [f for fp, f in before.items() if f.droid == name and fp not in now]
        change.new_count, change.fixed_count = len(change.new), len(change.fixed)
        change.note = _note(name, status_now, status_before)
        out.append(change)
    fixed = {f.fingerprint for d in out for f in d.fixed}
    return Changes(previous.started_at, True, out, fixed & suppressed_now, previous_seq)


def by_counts(
    current: RunReport, counts: Mapping[str, int], owner: Mapping[str, str], at: str, seq: int, statuses: Mapping
) -> Changes:
    """Per rule, the counting findings now against a trail entry's `counts`; `owner` maps a rule to its
    droid, `statuses` the droids' statuses recorded in that entry (details.droids)."""
    now = Counter(f.rule for f in current.active())
    rule_droid = {**owner, **{f.rule: f.droid for f in current.findings}}
    status_now = {d.name: d.status for d in current.droids}
    names = list(dict.fromkeys([d.name for d in current.droids] + [rule_droid.get(r, "?") for r in counts]))
    out = {n: DroidChange(n, sum(1 for f in current.active() if f.droid == n)) for n in names}
    for rule in sorted(set(now) | set(counts)):
        change = out[rule_droid.get(rule, "?")]
        delta = now[rule] - int(counts.get(rule, 0))
        change.new_count += max(0, delta)
        change.fixed_count += max(0, -delta)
    for change in out.values():
        change.note = _note(change.droid, status_now, statuses)
    return Changes(at, False, list(out.values()), set(), seq)


def _names(current: RunReport, previous: RunReport) -> list[str]:
    names: Iterable[str] = [d.name for d in current.droids] + [d.name for d in previous.droids]
    names = [*names, *(f.droid for f in current.findings), *(f.droid for f in previous.findings)]
    return list(dict.fromkeys(names))


def _note(name: str, now: Mapping[str, str], before: Mapping[str, str]) -> str:
    if now.get(name) in _FAILED:
        return f"not compared: {name} did not finish in this audit ({now[name]})"
    if before.get(name) in _FAILED:
        return f"not compared: {name} did not finish in the previous audit ({before[name]})"
    if before and name not in before:
        return "not in the previous audit: all its findings are new"
    return ""
