"""`droid data ...`: ingest from Twelve Data, check bar files and catalogs, export for NautilusTrader.

Every command works with no configuration (data.yaml defaults); bad input is one line and exit 2;
a check or an ingest whose findings reach the `run` profile's `block_at` (gates.yaml) exits 1.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from droids.core.command import CommandContext
from droids.core.errors import DroidError

app = typer.Typer(
    help="Market data: ingest from Twelve Data, check bars and catalogs, export for NautilusTrader.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
FormatOpt = Annotated[str | None, typer.Option("--format", "-f", help="text or json (check: any report format)")]
CatalogOpt = Annotated[Path | None, typer.Option("--catalog", help="Catalog folder (default: data.yaml catalog).")]


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DroidError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


def _catalog(session: CommandContext, given: Path | None, policy) -> Path:
    if given is not None:
        return (session.cwd / given).resolve()
    if policy.catalog is None:
        raise DroidError("no catalog: give --catalog DIR or set catalog: in policies/data.yaml")
    return (session.repo / policy.catalog).resolve()


@app.command("ingest")
def ingest(
    ctx: typer.Context,
    symbol: Annotated[
        list[str] | None, typer.Option("--symbol", help="Symbol (repeat; default: all of data.yaml).")
    ] = None,
    interval: Annotated[str | None, typer.Option(help="Bar interval (default: data.yaml interval, 1min).")] = None,
    start: Annotated[str | None, typer.Option(help="First UTC day, YYYY-MM-DD (default: --days before --end).")] = None,
    end: Annotated[str | None, typer.Option(help="Last UTC day, inclusive (default: today).")] = None,
    days: Annotated[int, typer.Option(help="Days back from --end when --start is not given.")] = 5,
    catalog: CatalogOpt = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only check the feed: does the API answer, credits left.")
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Fetch the missing ranges from Twelve Data, clean, write the catalog, validate what was written."""
    from droids.data_pipeline.policy import load_data_policy

    session: CommandContext = ctx.obj.with_output(fmt if fmt in (None, "json", "text") else "text", None)
    policy, _ = load_data_policy(session.policies)
    if check:
        from droids.data_pipeline.ingest.health import feed_health

        health = feed_health(policy, session.policies, tuple(symbol or ()))
        session.emit(json.dumps(health.as_dict(), indent=2) if session.fmt == "json" else health.text())
        raise typer.Exit(0 if health.ok else 1)
    from droids.data_pipeline.bars.schema import INTERVALS
    from droids.data_pipeline.ingest.run import ingest as run_ingest

    interval = interval or policy.interval
    if interval not in INTERVALS:
        raise DroidError(f"--interval {interval}: expected one of {', '.join(INTERVALS)}")
    last = _day(end, "--end") or datetime.now(UTC).date()
    first = _day(start, "--start") or last - timedelta(days=days)
    root = _catalog(session, catalog, policy)
    reports = [
        run_ingest(
            session.repo, session.policies, policy, symbol=s, interval=interval, start=first, end=last, catalog=root
        )
        for s in (symbol or list(policy.symbols))
    ]
    if session.fmt == "json":
        session.emit(json.dumps([r.as_dict() for r in reports], indent=2))
    else:
        session.emit("\n".join(r.text() for r in reports))
    block_at = session.gates.profiles["run"].block_at
    blocked = any(f.severity.at_least(block_at) for r in reports for f in r.findings)
    raise typer.Exit(1 if blocked else 0)


@app.command("check")
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="CSV or Parquet files, folders, or a catalog folder.")
    ] = None,
    fmt: FormatOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
) -> None:
    """Validate bars: order, duplicates, future, OHLC, tick grid, volume, NaN, CME calendar, freshness."""
    from droids.data_pipeline.report import check_paths

    session: CommandContext = ctx.obj.with_output(fmt, output)
    report = check_paths(session, list(paths or ()))
    session.emit(session.render(report))
    raise typer.Exit(1 if report.verdict == "block" else 0)


@app.command("export")
def export(
    ctx: typer.Context,
    nautilus: Annotated[Path, typer.Option("--nautilus", help="Folder of a NautilusTrader ParquetDataCatalog.")],
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Write the catalog in NautilusTrader's ParquetDataCatalog layout and encoding."""
    from droids.data_pipeline.nautilus.export import export_nautilus
    from droids.data_pipeline.policy import load_data_policy

    session: CommandContext = ctx.obj.with_output(fmt if fmt in (None, "json", "text") else "text", None)
    policy, _ = load_data_policy(session.policies)
    result = export_nautilus(
        _catalog(session, catalog, policy), (session.cwd / nautilus).resolve(), policy, session.policies
    )
    session.emit(json.dumps(result.as_dict(), indent=2) if session.fmt == "json" else result.text())
