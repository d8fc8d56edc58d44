"""Property: the vectorised `evaluate` and the event-by-event `ApexGuard` agree on random journals.

Both must report the same violations (rule, event, day, value, limit, message) and the same summary,
for every preset, with payout requests anywhere in the journal, whole or streamed in chunks of any
size, and with `--payout` or without. Examples: 500 by default (the CI figure);
`HYPOTHESIS_PROFILE=quick` runs 50.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.trading_core.apex.conftest import chunked, monitor_result, policy
from trading_core.apex.evaluate import evaluate, evaluate_chunks
from trading_core.apex.guard import ApexGuard
from trading_core.apex.journal import Event, Journal, Payout
from trading_core.apex.session import to_us
from trading_core.apex.spec import compile_spec

settings.register_profile("ci", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("quick", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# roots with their base price in ticks; NQ/MNQ and ES/MES are correlated pairs
ROOTS = {"ES": 20_000, "MES": 20_000, "NQ": 80_000, "MNQ": 80_000, "CL": 8_000}
# instants around both 2026 DST changes and an early close, to cross deadlines in both offsets
STARTS = [
    dt.datetime(2026, 3, 6, 14, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 30, 19, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 26, 20, tzinfo=dt.UTC),
]
GAPS_S = st.sampled_from([0, 1, 30, 300, 1800, 3600, 3 * 3600, 9 * 3600, 86_400])


@st.composite
def journals(draw: st.DrawFn) -> Journal:
    n = draw(st.integers(1, 60))
    ts = to_us(draw(st.sampled_from(STARTS))) + draw(st.integers(0, 86_400)) * 1_000_000
    price = dict(ROOTS)
    held = dict.fromkeys(ROOTS, 0)
    events: list[Event] = []
    payouts: list[Payout] = []
    index = 0
    for _ in range(n):
        ts += draw(GAPS_S) * 1_000_000
        if draw(st.integers(0, 9)) == 0:  # a payout request between two events, now and then
            payouts.append(Payout(index, ts, len(events)))
            index += 1
        root = draw(st.sampled_from(list(ROOTS)))
        price[root] = max(1, price[root] + draw(st.integers(-60, 60)))
        if draw(st.booleans()):
            events.append(Event(index, ts, "mark", root, 0, price[root], 0))
        else:
            # sometimes flatten, so journals also have flat periods
            flatten = held[root] and draw(st.integers(0, 3)) == 0
            qty = -held[root] if flatten else draw(st.integers(-12, 12).filter(bool))
            held[root] += qty
            events.append(Event(index, ts, "fill", root, qty, price[root], draw(st.integers(0, 30_000))))
        index += 1
    return Journal.from_events(events, payouts=tuple(payouts))


@pytest.mark.slow
@given(
    journal=journals(),
    ruleset=st.sampled_from(["seed", "apex-3.0", "apex-4.0"]),
    account=st.sampled_from(["25k", "50k", "300k"]),
)
def test_evaluate_and_guard_agree(journal: Journal, ruleset: str, account: str) -> None:
    pol = policy(ruleset, account)
    guard = ApexGuard(pol)
    for event in journal.events():
        guard.on_event(event)
    whole = evaluate(journal, pol)
    if not journal.payouts:
        assert guard.result() == whole
    assert monitor_result(journal, pol) == whole


@pytest.mark.slow
@given(
    journal=journals(),
    ruleset=st.sampled_from(["seed", "apex-3.0", "apex-4.0"]),
    size=st.integers(1, 20),
    payout_at_end=st.booleans(),
)
def test_chunks_of_any_size_agree_with_the_monitor(
    journal: Journal, ruleset: str, size: int, payout_at_end: bool
) -> None:
    pol = policy(ruleset, "50k")
    expected = monitor_result(journal, pol, payout_at_end=payout_at_end)
    (got,) = evaluate_chunks(chunked(journal, size), [compile_spec(pol)], payout_at_end=payout_at_end)
    assert got == expected
