"""The statistics behind a verdict: ratios of medians, bootstrap intervals, and how sure they are."""

from __future__ import annotations

import pytest

from droids.performance_optimizer.bench.stats import compare, median_interval

# p50s (us) of unchanged runs of the copied pipeline on this machine, in the order measured: the
# CPU flips between a fast (~20 us) and a slow (~33 us) mode between runs.
NOISE = [32.4, 35.1, 20.7, 29.6, 33.3, 33.2, 20.7, 19.3, 38.1, 30.6, 20.3, 33.8]


@pytest.mark.parametrize(
    ("head", "reference", "paired", "verdict"),
    [
        ([2030.0, 2110.0, 2050.0], [20.1, 33.5, 30.0], False, "regressed"),  # a 2 ms busy loop per tick
        ([2030.0, 2110.0, 2050.0], [20.1, 33.5, 30.0], True, "regressed"),
        (NOISE[6:9], NOISE[:3], False, "within"),
        ([38.1, 33.8, 35.1], [19.3, 20.3, 20.7], False, "within"),  # worst case of the noise: all slow vs all fast
        ([80.0, 90.0, 30.0], [30.0, 31.0, 32.0], False, "suspect"),  # two slow runs out of three: not sure
        ([66.0, 68.0, 70.0], [30.0, 31.0, 32.0], False, "regressed"),  # every head run beyond 2x every reference run
    ],
    ids=["busy-loop", "busy-loop-paired", "noise", "worst-noise", "unsure", "just-beyond"],
)
def test_verdicts_at_a_tolerance_of_100_percent(
    head: list[float], reference: list[float], paired: bool, verdict: str
) -> None:
    c = compare(head, reference, paired=paired, tolerance=1.0, confidence=0.95, resamples=2000)

    assert c.verdict == verdict


def test_the_noise_of_unchanged_runs_never_confirms_a_regression() -> None:
    # every way of picking 3 baseline runs and the 3 runs after them from the measured noise
    for start in range(len(NOISE) - 5):
        c = compare(
            NOISE[start + 3 : start + 6],
            NOISE[start : start + 3],
            paired=False,
            tolerance=1.0,
            confidence=0.95,
            resamples=2000,
        )
        assert c.verdict != "regressed", (start, c)


def test_how_sure_is_the_share_of_resamples_beyond_the_tolerance() -> None:
    sure = compare(
        [2030.0, 2110.0, 2050.0], [20.1, 33.5, 30.0], paired=False, tolerance=1.0, confidence=0.95, resamples=2000
    )
    unsure = compare(
        [80.0, 90.0, 30.0], [30.0, 31.0, 32.0], paired=False, tolerance=1.0, confidence=0.95, resamples=2000
    )

    assert sure.p_beyond == 1.0 and sure.low > 2.0
    assert 0.3 < unsure.p_beyond < 1.0 and unsure.low < 2.0 < unsure.estimate


def test_the_same_figures_always_give_the_same_interval() -> None:
    a = compare(NOISE[:4], NOISE[4:8], paired=True, tolerance=1.0, confidence=0.95, resamples=500)
    b = compare(NOISE[:4], NOISE[4:8], paired=True, tolerance=1.0, confidence=0.95, resamples=500)

    assert a == b


def test_paired_ratios_cancel_a_load_shift_that_hits_both_halves_of_each_pair() -> None:
    base = [20.0, 40.0, 20.0, 40.0]
    head = [b * 1.1 for b in base]  # 10 % slower in every pair, whatever the load

    paired = compare(head, base, paired=True, tolerance=0.05, confidence=0.95, resamples=1000)
    unpaired = compare(head, base, paired=False, tolerance=0.05, confidence=0.95, resamples=1000)

    assert paired.verdict == "regressed" and paired.low == pytest.approx(1.1)
    assert unpaired.verdict != "regressed"  # without pairing the load swing hides it


def test_median_interval() -> None:
    one = median_interval([50.0], 0.95, 100)
    many = median_interval(NOISE, 0.95, 2000)

    assert (one.estimate, one.low, one.high, one.n) == (50.0, 50.0, 50.0, 1)
    assert many.low <= many.estimate <= many.high and many.n == len(NOISE)


def test_a_comparison_needs_runs_on_both_sides() -> None:
    with pytest.raises(ValueError, match="at least one run"):
        compare([], [1.0], paired=False, tolerance=1.0, confidence=0.95, resamples=10)
    with pytest.raises(ValueError, match="pairs"):
        compare([1.0, 2.0], [1.0], paired=True, tolerance=1.0, confidence=0.95, resamples=10)
