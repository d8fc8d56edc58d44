"""Episodes: one page each, cooldown, resolution messages, grouping per channel, routes; stable ids."""

from __future__ import annotations

from droids.monitoring.alerts.episodes import Episodes, compose
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules.base import Signal

MIN = 60_000_000


def _s(rule: str, firing: bool, minute: float, subject: str = "account", instant: bool = False) -> Signal:
    ts = int(minute * MIN)
    return Signal(rule, subject, firing, ts, int(minute), 0.0, 0.0, f"{rule} at {minute}", instant=instant)


def test_one_page_per_episode_and_its_resolution() -> None:
    ep = Episodes(MonitoringPolicy(), "watch:j")
    out = ep.decide([_s("MON001", True, 0), _s("MON001", True, 1), _s("MON001", False, 5)])
    assert [(s.firing, row.paged) for s, row in out] == [(True, True), (False, True)]


def test_a_new_episode_inside_the_cooldown_is_recorded_not_paged() -> None:
    ep = Episodes(MonitoringPolicy.model_validate({"episodes": {"cooldown_s": 900}}), "watch:j")
    first = ep.decide([_s("MON001", True, 0), _s("MON001", False, 2)])
    again = ep.decide([_s("MON001", True, 10), _s("MON001", False, 12)])
    later = ep.decide([_s("MON001", True, 16)])
    assert [row.paged for _, row in first] == [True, True]
    assert [row.paged for _, row in again] == [False, False]
    assert "cooldown" in again[0][1].note
    assert [row.paged for _, row in later] == [True]


def test_subjects_are_separate_episodes_and_instant_signals_page_once_per_cooldown() -> None:
    ep = Episodes(MonitoringPolicy(), "s")
    out = ep.decide([_s("MON004", True, 0, "ES"), _s("MON004", True, 1, "NQ"), _s("MON008", True, 2, "on_tick", True),
                     _s("MON008", True, 3, "on_tick", True)])  # fmt: skip
    assert [(s.subject, row.paged) for s, row in out] == [("ES", True), ("NQ", True), ("on_tick", True),
                                                          ("on_tick", False)]  # fmt: skip


def test_ids_are_stable_for_the_same_scope_and_differ_between_scopes() -> None:
    sig = [_s("MON002", True, 3)]
    a = Episodes(MonitoringPolicy(), "watch:j").decide(sig)[0][1].id
    b = Episodes(MonitoringPolicy(), "watch:j").decide(sig)[0][1].id
    c = Episodes(MonitoringPolicy(), "replay:1").decide(sig)[0][1].id
    assert a == b != c


def test_compose_groups_within_the_window_and_follows_routes() -> None:
    ep = Episodes(MonitoringPolicy(), "s")
    rows = [row for _, row in ep.decide([_s("MON001", True, 0), _s("MON002", True, 0.2), _s("MON003", True, 40)])]
    targets = {"slack": "https://hooks.slack.com/services/****", "email": "smtp://mail:25 -> ops@example.com"}
    msgs = compose(rows, MonitoringPolicy(), targets)
    by = [(m.channel, len(m.alerts)) for m in msgs]
    assert by == [("slack", 2), ("email", 1), ("slack", 1)]  # MON002 goes by email too (the seed)
    assert msgs[0].title.startswith("[droid monitor] MON001") and "(+1 more)" in msgs[0].title
    assert "what to do:" in msgs[0].body
    only_slack = compose(rows, MonitoringPolicy(), {"slack": targets["slack"]})
    assert {m.channel for m in only_slack} == {"slack"}
