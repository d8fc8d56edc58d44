"""The commands that run droids: gate, audit, ask, run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orchestrator.cli.session import Session
from orchestrator.errors import OrchestratorError

if TYPE_CHECKING:
    from droids.core.models import RunReport, Task
    from orchestrator.routing import RoutingFallback

FormatOpt = Annotated[str | None, typer.Option("--format", "-f", help="Output format (overrides the global one).")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")]
NoExecOpt = Annotated[
    bool, typer.Option("--no-exec", help="Skip the checks that run the repository's code (simulator, benchmarks).")
]
AUDIT_FILES = {"report.json": "json", "report.md": "markdown", "report.sarif": "sarif", "report.html": "html"}


def _finish(
    session: Session,
    task: Task,
    *,
    only: str | None = None,
    record: bool = False,
    no_exec: bool = False,
    fallback: RoutingFallback | None = None,
    answer: Callable[[RunReport], None] | None = None,
) -> RunReport:
    """Run the task, let `answer` (the optional model) rewrite the answer, render, report failures."""
    from orchestrator.execute import execute

    if no_exec or not session.gates.execute_repository_code:
        task = task.model_copy(update={"no_exec": True})
    from orchestrator.progress_display import LiveProgress, wanted

    registry, gates = session.registry, session.gates
    run = {"only": only, "record": record, "fallback": fallback}
    if wanted(session.quiet):
        with LiveProgress() as live:
            report = execute(task, registry, gates, session.state_dir, progress=live.update, **run)
    else:
        report = execute(task, registry, gates, session.state_dir, **run)
    if answer is not None:
        answer(report)
    session.emit(session.render(report))
    for d in report.failed_droids():
        session.note(f"{d.name}: {d.status}: {d.error}")
    return report


def _code(report: RunReport) -> int:
    from orchestrator.execute import exit_code

    return exit_code(report)


def gate(
    ctx: typer.Context,
    paths: Annotated[list[str] | None, typer.Argument(help="Files or folders to gate.")] = None,
    staged: Annotated[
        bool, typer.Option("--staged", help="Gate what is staged in the git index (pre-commit).")
    ] = False,
    base: Annotated[str | None, typer.Option("--base", metavar="REV", help="Gate the diff against REV (CI).")] = None,
    mode: Annotated[str | None, typer.Option("--mode", help="Thresholds: pre-commit or ci.")] = None,
    commit_msg: Annotated[
        Path | None,
        typer.Option("--commit-msg", metavar="FILE", help="The commit message file (commit-msg hook): approvals."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write report.json, .md, .sarif and .html into this folder (CI)."),
    ] = None,
    show_preexisting: Annotated[
        bool,
        typer.Option("--show-preexisting", help="List findings on lines the change did not touch (never blocking)."),
    ] = False,
    no_exec: NoExecOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Gate a change: staged content, the diff against a base, or given paths. Only findings on lines
    the change added or modified (and about files as a whole) count; see gates.yaml `judge`."""
    from orchestrator.targets import gate_task

    session: Session = ctx.obj.with_output(fmt, output)
    session.show_preexisting = show_preexisting
    task = gate_task(
        session.repo,
        session.policies,
        staged=staged,
        base=base,
        paths=paths or [],
        mode=mode,
        cwd=session.cwd,
        commit_msg=commit_msg,
    )
    folder = _report_folder(out) if out is not None else None  # bad --out: exit 2 before anything runs
    report = _finish(session, task, record=True, no_exec=no_exec)
    if folder is not None:
        _write_reports(session, report, folder)
    raise typer.Exit(_code(report))


def audit(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", help="Report folder (default .droid/reports/<UTC time>/).")
    ] = None,
    no_exec: NoExecOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Run every droid over the whole repository and write the report files."""
    from orchestrator.targets import simple_task

    session: Session = ctx.obj.with_output(fmt, output)
    task = simple_task("audit", session.repo, session.policies, cwd=session.cwd)
    folder = _report_folder(out or session.state_dir / "reports" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    report = _finish(session, task, record=True, no_exec=no_exec)
    _write_reports(session, report, folder, morning=True)
    raise typer.Exit(_code(report))


def _report_folder(folder: Path) -> Path:
    """The report folder, made before the run: a bad --out is exit 2 with nothing run or recorded."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OrchestratorError(f"--out {folder}: cannot create the report folder ({exc.strerror})") from None
    return folder


def _write_reports(session: Session, report: RunReport, folder: Path, *, morning: bool = False) -> None:
    """The four report files of one run (one run: the trail holds one entry for them all). With
    `morning` (an audit), report.html and report.md are the morning report, built once report.json is
    stored (cmd_report.write_morning); a gate's are its findings page and summary."""
    from orchestrator.render import render

    try:
        for name, kind in AUDIT_FILES.items():
            if not (morning and name in ("report.html", "report.md")):
                (folder / name).write_text(render(report, kind), encoding="utf-8")
    except OSError as exc:
        raise OrchestratorError(f"--out {folder}: cannot write reports ({exc.strerror})") from None
    if morning:
        from orchestrator.cli.cmd_report import write_morning

        write_morning(session, folder, current=report, current_json=folder / "report.json")
    session.note(f"reports written to {folder}")


def ask(
    ctx: typer.Context,
    request: Annotated[str, typer.Argument(help='A question, e.g. "any leaked secrets?"')],
    paths: Annotated[list[str] | None, typer.Argument(help="Limit the question to these paths.")] = None,
    no_exec: NoExecOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Ask the droids a question; it is routed by trigger words and @droid mentions. With
    ANTHROPIC_API_KEY set, a model chooses droids when nothing matched and writes the answer from
    droid's tools; the verdict and the exit code stay computed by code (docs/ask.md)."""
    from orchestrator.graph import route_task
    from orchestrator.llm import key_set
    from orchestrator.routing import suggest, unknown_mentions
    from orchestrator.targets import simple_task

    session: Session = ctx.obj.with_output(fmt, output)
    cards = session.registry.cards()
    unknown = unknown_mentions(request, cards)
    if unknown:
        hint = suggest(unknown[0], cards)
        raise OrchestratorError(f"@{unknown[0]}: no such droid" + (f"; did you mean @{hint}?" if hint else ""))
    task = simple_task("ask", session.repo, session.policies, request=request, paths=paths or [], cwd=session.cwd)
    model = _model(session, request) if key_set() else None
    fallback = model.route if model is not None else None
    if not route_task(task, session.registry, fallback=fallback):
        raise OrchestratorError(_no_match(request, cards))
    report = _finish(
        session, task, no_exec=no_exec, fallback=fallback, answer=model.answer if model is not None else None
    )
    raise typer.Exit(_code(report))


def _model(session: Session, request: str):
    """The model's part of this question, or None (said on stderr) when it cannot be used."""
    from orchestrator.llm.ask import AskModel

    return AskModel.start(
        repo=session.repo,
        policies=session.policies,
        state_dir=session.state_dir,
        registry=session.registry,
        gates=session.gates,
        question=request,
        note=session.note,
    )


def _no_match(request: str, cards: list) -> str:
    from orchestrator.routing import suggest

    hint = suggest(request, cards)
    listing = "; ".join(f"{c.name} ({', '.join(c.triggers)})" for c in cards)
    did_you_mean = f" Did you mean '{hint}'?" if hint else ""
    return f'no droid matches "{request}".{did_you_mean} Droids and their triggers: {listing}'


def run_droid(
    ctx: typer.Context,
    droid: Annotated[str, typer.Argument(help="Droid name, e.g. security-compliance.")],
    paths: Annotated[list[str] | None, typer.Argument(help="Files or folders (default: the whole repo).")] = None,
    no_exec: NoExecOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Run one droid directly."""
    from orchestrator.routing import suggest
    from orchestrator.targets import simple_task

    session: Session = ctx.obj.with_output(fmt, output)
    if session.registry.get(droid) is None:
        hint = suggest(droid, session.registry.cards())
        names = ", ".join(session.registry.names())
        raise OrchestratorError(
            f"unknown droid '{droid}'" + (f"; did you mean '{hint}'?" if hint else "") + f" (droids: {names})"
        )
    task = simple_task("run", session.repo, session.policies, paths=paths or [], cwd=session.cwd)
    raise typer.Exit(_code(_finish(session, task, only=droid, no_exec=no_exec)))


def register(app: typer.Typer) -> None:
    from orchestrator.cli import cmd_report

    app.command()(gate)
    app.command()(audit)
    cmd_report.register(app)  # here, not in main.py: `droid report` belongs with the audit that feeds it
    app.command()(ask)
    app.command("run")(run_droid)
