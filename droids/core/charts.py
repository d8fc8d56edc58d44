"""Charts of the reports, drawn by matplotlib as inline SVG: no script, no network, no browser.

`to_svg(chart)` turns a spec of `droids.core.report_section` (LineChart, BarChart, HeatMap) into an
`<svg>` element to paste into an HTML page: the XML prologue is dropped, the size comes from the
viewBox (CSS scales it to the page's width), text stays text (`svg.fonttype: none`, searchable and
small), and element ids are salted per chart so several charts can share one page. matplotlib is
imported here, on the first chart, never by `droid --help`. Figures are built with
`matplotlib.figure.Figure` (no pyplot state), so charts may be drawn from several threads.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime
from typing import Any

from droids.core.report_section import BarChart, Chart, HeatMap, LineChart, Series

WIDTH_IN, HEIGHT_IN = 9.0, 3.0
PALETTE = ("#0969da", "#bc4c00", "#1a7f37", "#8250df", "#cf222e", "#57606a")
_RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d0d7de",
    "grid.linewidth": 0.6,
    "axes.titlesize": 10.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "legend.frameon": False,
    "legend.fontsize": 8.0,
    "axes.axisbelow": True,
}
_STYLES = {"line": "-", "dashed": "--", "dotted": ":"}


def to_svg(chart: Chart, *, salt: str = "") -> str:
    """The chart as one `<svg ...>...</svg>` element (class "chart", labelled by its title)."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    with mpl.rc_context({**_RC, "svg.hashsalt": f"droid-{salt}-{chart.title}"}):
        fig = Figure(figsize=(WIDTH_IN, _height(chart)), layout="constrained")
        ax = fig.add_subplot()
        if isinstance(chart, LineChart):
            _lines(ax, chart)
        elif isinstance(chart, BarChart):
            _bars(ax, chart)
        else:
            _heat(fig, ax, chart)
        ax.set_title(chart.title)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    svg = _prefix_ids(svg, re.sub(r"[^A-Za-z0-9_-]", "", salt) or hashlib.sha256(chart.title.encode()).hexdigest()[:8])
    from html import escape

    return svg.replace("<svg", f'<svg class="chart" role="img" aria-label="{escape(chart.title)}"', 1)


def _prefix_ids(svg: str, prefix: str) -> str:
    """Every id (and each reference to one) prefixed, so that two charts on one page never share an id
    (matplotlib numbers its groups axes_1, line2d_1, ... in every figure)."""
    svg = re.sub(r' id="([^"]+)"', rf' id="c{prefix}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#c{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#c{prefix}-\1)", svg)


def _height(chart: Chart) -> float:
    if isinstance(chart, HeatMap):
        return max(1.6, 0.9 + 0.32 * len(chart.rows))
    if isinstance(chart, BarChart):
        return max(1.6, 0.9 + 0.3 * len(chart.categories)) if chart.horizontal else 2.2
    return HEIGHT_IN


def _color(series: Series, i: int) -> str:
    return series.color or PALETTE[i % len(PALETTE)]


def _lines(ax: Any, chart: LineChart) -> None:
    times = [_time(t) for t in chart.x] if chart.x_is_time else []
    # points less than a minute apart (e.g. runs of one test) are labelled, not put on a time axis
    on_time_axis = len(times) > 1 and (max(times) - min(times)).total_seconds() >= 60
    x: list[Any] = times if on_time_axis else list(range(len(chart.x)))
    for i, s in enumerate(chart.series):
        ys = [float("nan") if v is None else v for v in s.values]
        if s.style == "markers":
            ax.plot(x, ys, "o", color=_color(s, i), markersize=5, label=s.name, zorder=3)
        else:
            ax.plot(x, ys, _STYLES[s.style], color=_color(s, i), linewidth=1.6, label=s.name)
    if chart.log_y:
        ax.set_yscale("log")
    if on_time_axis:
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # minticks 5 warns on a day-long span
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    else:
        step = max(1, len(chart.x) // 10)
        ax.set_xticks(x[::step], list(chart.x)[::step])
    _unit(ax, chart.y_unit)
    ax.set_ylabel(chart.y_label)
    if len(chart.series) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _bars(ax: Any, chart: BarChart) -> None:
    positions = list(range(len(chart.categories)))
    up, down = [0.0] * len(positions), [0.0] * len(positions)  # positive values stack up, negative down
    for i, s in enumerate(chart.series):
        vals = [0.0 if v is None else v for v in s.values]
        base = [d if v < 0 else u for u, d, v in zip(up, down, vals, strict=True)]
        if chart.horizontal:
            ax.barh(positions, vals, left=base, color=_color(s, i), label=s.name, height=0.6)
        else:
            ax.bar(positions, vals, bottom=base, color=_color(s, i), label=s.name, width=0.6)
        up = [u + max(v, 0.0) for u, v in zip(up, vals, strict=True)]
        down = [d + min(v, 0.0) for d, v in zip(down, vals, strict=True)]
    (ax.axvline if chart.horizontal else ax.axhline)(0, color="#57606a", linewidth=0.8)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis = ax.xaxis if chart.horizontal else ax.yaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    if min(down) < 0:  # a diverging chart: both sides count up from zero
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):g}"))
    if chart.horizontal:
        ax.set_yticks(positions, list(chart.categories))
        ax.invert_yaxis()
        ax.set_xlabel(chart.y_label)
        ax.grid(axis="y", visible=False)
    else:
        ax.set_xticks(positions, list(chart.categories))
        ax.set_ylabel(chart.y_label)
        ax.grid(axis="x", visible=False)
    if len(chart.series) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _heat(fig: Any, ax: Any, chart: HeatMap) -> None:
    """Vector cells (pcolormesh, not a raster image), first row on top, each cell labelled when few."""
    import numpy as np

    grid = np.ma.masked_invalid(np.array([[np.nan if v is None else v for v in r] for r in chart.values], dtype=float))
    mesh = ax.pcolormesh(grid, cmap=_cmap(), vmin=chart.vmin, vmax=chart.vmax, edgecolors="white", linewidth=0.5)
    ax.set_yticks([i + 0.5 for i in range(len(chart.rows))], list(chart.rows))
    ax.invert_yaxis()
    step = max(1, len(chart.columns) // 16)
    ticks = list(range(0, len(chart.columns), step))
    ax.set_xticks([i + 0.5 for i in ticks], [chart.columns[i] for i in ticks], rotation=30, ha="right")
    ax.grid(False)
    if len(chart.columns) <= 31:
        for (r, c), v in np.ndenumerate(grid.filled(np.nan)):
            if not np.isnan(v):
                text = f"{v:.0%}" if chart.percent else f"{v:g}"
                ax.text(c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=7, color="#1f2328")
    bar = fig.colorbar(mesh, ax=ax, fraction=0.03, pad=0.01)
    bar.set_label(chart.label)
    bar.solids.set_rasterized(False)  # vector, like the rest: no embedded bitmap
    if chart.percent:
        from matplotlib.ticker import PercentFormatter

        bar.formatter = PercentFormatter(1.0)
        bar.update_ticks()


def _cmap() -> Any:
    """Red (nothing) to green (complete); no data is light grey."""
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("droid-completeness", ["#cf222e", "#f2cc60", "#2da44e"])
    return cmap.with_extremes(bad="#eaeef2")


def _unit(ax: Any, unit: str) -> None:
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    if unit == "$":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${v:,.0f}"))
    elif unit == "%":
        ax.yaxis.set_major_formatter(PercentFormatter(100.0))
    elif unit == "us":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: microseconds(v)))


def microseconds(us: float) -> str:
    """30 us, 5 ms, 1.2 s."""
    if us >= 1_000_000:
        return f"{us / 1_000_000:.3g} s"
    if us >= 1000:
        return f"{us / 1000:.3g} ms"
    return f"{us:.3g} us"


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
