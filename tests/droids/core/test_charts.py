"""Charts drawn by matplotlib as inline SVG: one element, no script, no external reference, text kept
as text, ids distinct between charts of one page."""

from __future__ import annotations

import re

import pytest

from droids.core.charts import microseconds, to_svg
from droids.core.report_section import BarChart, HeatMap, LineChart, Series

TIMES = ("2026-03-09T14:00:00Z", "2026-03-09T15:00:00Z", "2026-03-10T15:00:00Z")
EQUITY = (Series("equity", (50_000, 50_500, 49_000)), Series("threshold", (47_500, 48_000, None), "dashed"))
CHARTS = [
    LineChart("Equity", TIMES, EQUITY, y_unit="$"),
    LineChart("OnTick", ("a", "b", "c"), (Series("p99", (30.0, 45_000.0, 70.0)),), log_y=True, x_is_time=False),
    BarChart("Open findings by age", ("under 1 day", "1-7 days"), (Series("secret", (1, 2)), Series("SAST", (0, 3)))),
    BarChart("Changes", ("security", "data"), (Series("new", (2, 0)),), horizontal=True),
    HeatMap("Completeness", ("ES 1min", "NQ 1min"), ("2026-03-09", "2026-03-10"), ((1.0, 0.5), (None, 0.98))),
]  # fmt: skip


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.title)
def test_a_chart_is_one_self_contained_svg_element(chart) -> None:
    svg = to_svg(chart, salt="t")

    assert svg.startswith('<svg class="chart" role="img"') and svg.rstrip().endswith("</svg>")
    assert svg.count("<svg") == 1 and "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<script" not in svg and "<image" not in svg
    assert not re.search(r'(href|src)="(https?:)?//', svg)  # nothing fetched
    assert 'width="' not in svg.split(">", 1)[0] and "viewBox" in svg.split(">", 1)[0]  # scales with the page
    assert f">{chart.title}<" in svg  # text stays text


def test_heat_map_cells_are_annotated_and_gaps_left_blank() -> None:
    svg = to_svg(CHARTS[-1])
    assert ">50%<" in svg and ">98%<" in svg and ">100%<" in svg
    assert svg.count("%<") < 10  # the missing cell has no label (3 cells + the colour bar's ticks)


def test_two_charts_of_one_page_share_no_element_id() -> None:
    ids = [set(re.findall(r'id="([^"]+)"', to_svg(c, salt=str(i)))) for i, c in enumerate(CHARTS[:2])]
    assert ids[0] and ids[1] and not ids[0] & ids[1]


def test_the_same_chart_gives_the_same_bytes() -> None:
    assert to_svg(CHARTS[0], salt="x") == to_svg(CHARTS[0], salt="x")


@pytest.mark.parametrize(("us", "text"), [(30.0, "30 us"), (5000.0, "5 ms"), (1_200_000.0, "1.2 s")])
def test_microsecond_labels(us: float, text: str) -> None:
    assert microseconds(us) == text


@pytest.mark.parametrize("seconds", [60, 240, 270, 3600, 14_400, 86_400, 86_400 * 40])
def test_a_time_axis_of_any_span_draws_without_a_warning(seconds: int) -> None:
    """matplotlib's date locator warns on stderr when it finds no tick interval for a span (four
    minutes, four hours: with its default minimum of five ticks): `droid audit` must not print that."""
    import warnings
    from datetime import datetime, timedelta

    start = datetime(2026, 3, 2, 9, 30)
    times = (start.isoformat(), (start + timedelta(seconds=seconds)).isoformat())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert to_svg(LineChart("Equity", times, (Series("equity", (1.0, 2.0)),)))
