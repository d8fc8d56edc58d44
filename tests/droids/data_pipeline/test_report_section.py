"""The data droid's morning-report section: freshness and completeness by session of a real Parquet
catalog on the real CME calendar, reached through the registry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

from droids.core.registry import load_registry
from droids.core.report_section import HeatMap, SectionContext
from droids.data_pipeline.catalog.layout import month_start, partition_path
from droids.data_pipeline.catalog.store import write_partition
from tests.droids.data_pipeline.bars_factory import bars_for, ns, session_minutes
from tests.droids.data_pipeline.catalog.test_catalog import _month_table

NOW = datetime(2025, 11, 12, tzinfo=UTC)


def _catalog(root: Path, bars) -> None:
    for y, m in ((2025, 10), (2025, 11)):
        write_partition(
            partition_path(root, "ES", "1min", y, m), _month_table(bars, y, m), source={"provider": "test"},
            coverage=[(month_start(y, m), month_start(y, m + 1))], cleaning={},
        )  # fmt: skip


def _section(repo: Path, policies: Path):
    (build,) = [b for b in load_registry().all_services("report-section") if b.__module__.startswith("droids.data")]
    (section,) = build(SectionContext(repo, policies, repo / ".droid", NOW))
    return section


@pytest.fixture
def repo(tmp_path: Path, policies: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (policies / "data.yaml").write_text("version: 1\ncatalog: data/catalog\n")
    return root


def test_freshness_and_completeness_by_session(repo: Path, policies: Path) -> None:
    bars = bars_for(session_minutes(date(2025, 10, 27), date(2025, 11, 5)))
    session = (bars["ts"] >= ns("2025-10-28T22:00:00Z")) & (bars["ts"] < ns("2025-10-29T21:00:00Z"))  # Oct 29
    drop = np.flatnonzero(session)[::4]  # a quarter of its bars
    _catalog(repo / "data" / "catalog", {k: np.delete(v, drop) for k, v in bars.items()})

    section = _section(repo, policies)

    assert (section.key, section.droid, section.status) == ("data", "data-pipeline", "attention")
    freshness, heat = section.blocks
    ((symbol, interval, newest, missed, state),) = freshness.tables[0].rows
    assert (symbol, interval, newest, state) == ("ES", "1min", "2025-11-05T21:59:00Z", "STALE")
    assert missed == "4"  # Nov 6, 7, 10 and 11 closed since
    (chart,) = heat.charts
    assert isinstance(chart, HeatMap) and chart.rows == ("ES 1min",)
    cells = dict(zip(chart.columns, chart.values[0], strict=True))
    assert len(cells) == 20 and max(cells) == "2025-11-11"
    assert cells["2025-10-24"] is None  # before the series starts: not fetched, not missing
    assert [cells[d] for d in ("2025-10-27", "2025-10-28", "2025-10-30", "2025-11-05")] == [1.0] * 4
    assert cells["2025-10-29"] == pytest.approx(0.75, abs=0.002)
    assert [cells[d] for d in ("2025-11-06", "2025-11-07", "2025-11-10", "2025-11-11")] == [0.0] * 4
    assert section.headline.startswith("0 of 1 series fresh (stale: ES 1min, 4 sessions missed)")
    assert section.headline.endswith("least complete: ES 1min 2025-11-06 0.0%.")


@pytest.mark.parametrize(
    ("data_yaml", "says"),
    [
        ("version: 1\ncatalog: null\n", "No catalog configured: name one under `catalog:` in policies/data.yaml"),
        ("version: 1\ncatalog: data/none\n", "The catalog data/none (policies/data.yaml) does not exist yet"),
    ],
)
def test_no_catalog_says_so_in_one_line(repo: Path, policies: Path, data_yaml: str, says: str) -> None:
    (policies / "data.yaml").write_text(data_yaml)
    section = _section(repo, policies)
    assert section.status == "none" and section.blocks == [] and section.headline.startswith(says)
