"""`droid perf ...`: the performance-optimizer droid's commands (bench, baseline, profile, report)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from droids.core.command import CommandContext

app = typer.Typer(
    help="Latency budgets, baselines, profiles and trends of the trading core.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

FormatOpt = Annotated[str | None, typer.Option("--format", "-f", help="text or json")]


def _emit(session: CommandContext, result: object) -> None:
    session.emit(json.dumps(result.as_dict(), indent=2) if session.fmt == "json" else result.text())  # type: ignore[attr-defined]


@app.command("bench")
def bench(
    ctx: typer.Context,
    base: Annotated[
        str | None, typer.Option(metavar="REV", help="Also run REV's tree, interleaved, and compare.")
    ] = None,
    runs: Annotated[int | None, typer.Option(help="Runs per side (default: policies/perf.yaml).")] = None,
    json_file: Annotated[
        list[Path] | None, typer.Option("--json", help="Judge existing benchmark JSON instead.")
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Run the benchmark suite and judge it against the budgets and the baseline (exit 1: blocked)."""
    from droids.performance_optimizer.api import bench as run_bench
    from droids.performance_optimizer.api import blocked

    session: CommandContext = ctx.obj.with_output(fmt, None)
    result = run_bench(
        session.repo, session.policies, session.state_dir, base=base, runs=runs, json_files=tuple(json_file or ())
    )
    _emit(session, result)
    threshold = session.gates.profiles["ci" if base else "run"].block_at
    raise typer.Exit(1 if blocked(result.findings, threshold) else 0)


@app.command("baseline")
def baseline(
    ctx: typer.Context,
    runs: Annotated[int | None, typer.Option(help="Runs (default: policies/perf.yaml).")] = None,
    fmt: FormatOpt = None,
) -> None:
    """Measure the current tree and store it as .droid/perf/baseline.json."""
    from droids.performance_optimizer.api import baseline as write_baseline

    session: CommandContext = ctx.obj.with_output(fmt, None)
    result = write_baseline(session.repo, session.policies, session.state_dir, runs=runs)
    _emit(session, result)
    raise typer.Exit(0 if result.written else 1)


@app.command("profile")
def profile(
    ctx: typer.Context,
    ticks: Annotated[int | None, typer.Option(help="Ticks to replay (default: policies/perf.yaml).")] = None,
    top: Annotated[int | None, typer.Option(help="Functions to list.")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder (default .droid/perf/profile/<UTC time>/).")] = None,
    flamegraph: Annotated[bool, typer.Option(help="Record a py-spy flame graph when possible.")] = True,
    memory: Annotated[bool, typer.Option(help="Also track memory growth with tracemalloc.")] = False,
    fmt: FormatOpt = None,
) -> None:
    """Replay ticks through OnTick under cProfile (and py-spy): top functions, flame graph, memory."""
    from datetime import UTC, datetime

    from droids.performance_optimizer.api import blocked
    from droids.performance_optimizer.api import profile as run_profile

    session: CommandContext = ctx.obj.with_output(fmt, None)
    folder = out or session.state_dir / "perf" / "profile" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = run_profile(
        session.repo, session.policies, folder, ticks=ticks, top=top, flamegraph=flamegraph, memory=memory
    )
    _emit(session, result)
    raise typer.Exit(1 if blocked(result.findings, session.gates.profiles["run"].block_at) else 0)


@app.command("report")
def report(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(help="Folder for perf-trend.html (default .droid/perf/).")] = None,
    last: Annotated[int, typer.Option(help="Runs to show.")] = 30,
    fmt: FormatOpt = None,
) -> None:
    """The budget figures over time: a table and an HTML chart."""
    from droids.performance_optimizer.api import report as trend

    session: CommandContext = ctx.obj.with_output(fmt, None)
    result = trend(session.state_dir, out, last=last)
    if session.fmt == "json":
        session.emit(json.dumps(result.as_dict(), indent=2))
    else:
        session.emit(f"{result.table}\nchart: {result.html_file}")
