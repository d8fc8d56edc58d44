"""A droid's section of the morning report: what each droid says about the period, as plain data.

Each droid offers a "report-section" service in its MANIFEST, `build(ctx: SectionContext) ->
list[ReportSection]`, called by the orchestrator through the registry (`Registry.all_services`):
the droid knows what matters about its own state; the orchestrator only lays sections out (HTML
page, Markdown summary). A builder reads stored results only (audit reports, the audit trail, its
own files under `.droid/`, the catalog, a journal): it never runs the droid's checks.

Charts are specs (`LineChart`, `BarChart`, `HeatMap`), not pictures: `droids.core.charts` draws
them with matplotlib, so the HTML page shows them and the Markdown summary can leave them out.
A section with nothing to show has `status="none"` and says why in its `headline`, in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Status = Literal["ok", "attention", "none"]
SeriesStyle = Literal["line", "dashed", "dotted", "markers"]
SECTION_SERVICE = "report-section"


@dataclass(frozen=True)
class Series:
    """One named line (or bar stack) of a chart; None leaves a gap."""

    name: str
    values: tuple[float | None, ...]
    style: SeriesStyle = "line"
    color: str | None = None  # a matplotlib colour; None: the palette's next


@dataclass(frozen=True)
class LineChart:
    """Values over `x`: ISO-8601 UTC times when `x_is_time`, else labels (one per point)."""

    title: str
    x: tuple[str, ...]
    series: tuple[Series, ...]
    y_label: str = ""
    log_y: bool = False
    x_is_time: bool = True
    y_unit: Literal["", "$", "%", "us"] = ""


@dataclass(frozen=True)
class BarChart:
    """Bars per category; several series stack, negative values below zero (a diverging chart)."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    y_label: str = ""
    horizontal: bool = False


@dataclass(frozen=True)
class HeatMap:
    """A grid of shares (0..1) or counts: `values[row][column]`, None for no data (drawn blank)."""

    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    label: str = ""
    vmin: float = 0.0
    vmax: float = 1.0
    percent: bool = True  # annotate cells as percentages


Chart = LineChart | BarChart | HeatMap


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class Block:
    """A part of a section: a heading, a few lines, tables and charts."""

    heading: str
    status: Status | None = None
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class ReportSection:
    """One droid's say in the morning report. `key` orders sections on the page ("security", "risk",
    "performance", "data", "monitoring", "devops"; others follow by title)."""

    key: str
    droid: str
    title: str
    status: Status
    headline: str  # one line: what a desk lead needs to know, or why there is nothing to show
    blocks: list[Block] = field(default_factory=list)

    def charts(self) -> list[Chart]:
        return [c for b in self.blocks for c in b.charts]


@dataclass(frozen=True)
class SectionContext:
    """What a section builder may read. `since` starts the period the report covers (approvals,
    deploys, alerts): the previous audit's time by default; `audit_reports` are the stored audit
    report.json files, oldest first, the report's own audit last."""

    repo: Path
    policies: Path
    state_dir: Path
    now: datetime
    since: datetime | None = None
    audit_reports: tuple[Path, ...] = ()

    @property
    def since_iso(self) -> str | None:
        """`since` as the audit trail writes times (YYYY-MM-DDTHH:MM:SSZ), for string comparison."""
        return None if self.since is None else iso(self.since)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def none_section(key: str, droid: str, title: str, why: str) -> ReportSection:
    """A section with nothing to show: it says why, in one line."""
    return ReportSection(key=key, droid=droid, title=title, status="none", headline=why)
