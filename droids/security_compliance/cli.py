"""`droid security ...`: the security-compliance droid's own commands (report, history)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from droids.core.command import CommandContext

app = typer.Typer(
    help="The security-compliance droid's commands: compliance report, git history scan.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("report")
def report(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(help="Folder (default .droid/compliance/<UTC time>/).")] = None,
    since: Annotated[str | None, typer.Option(help="Start of the period, YYYY-MM-DD (default: everything).")] = None,
) -> None:
    """Write the compliance report (Markdown and HTML): Apex rules in force, scenario results,
    protected-parameter changes and approvals, halts, open findings by age, audit-trail status."""
    from droids.security_compliance.compliance.report import default_out_dir, write_compliance_report

    session: CommandContext = ctx.obj
    paths = write_compliance_report(session.repo, session.policies, out or default_out_dir(session.repo), since)
    session.emit("\n".join(str(p) for p in paths))


@app.command("history")
def history(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(metavar="REV", help="Only commits after REV.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Scan every commit reachable from any ref for secrets (SEC002); exit 1 when one is found."""
    import time
    from datetime import UTC, datetime

    from droids.core.models import DroidReport, RoutingDecision, RunReport
    from droids.core.policy import verdict
    from droids.core.version import VERSION
    from droids.security_compliance.history.sec002_history import SEC002, scan_history

    session: CommandContext = ctx.obj.with_output(fmt, output)
    started = time.time()
    result = scan_history(session.repo, session.state_dir, since=since)
    droid = DroidReport(
        name="security-compliance",
        findings=result.findings,
        notes=result.notes,
        metrics={"history": result.metrics},
        rules_checked=[SEC002.id],
    )
    report = RunReport(
        tool_version=VERSION,
        mode="run",
        profile="audit",
        request=f"security history{f' --since {since}' if since else ''}",
        repo=str(session.repo),
        started_at=datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        duration_ms=int((time.time() - started) * 1000),
        routing=[RoutingDecision(droid="security-compliance", reasons=("explicit: droid security history",))],
        droids=[droid],
        findings=result.findings,
        rules=[SEC002],
        block_at=session.gates.profiles["audit"].block_at,
    )
    report.verdict = verdict(report.findings, report.droids, session.gates, "audit")
    session.emit(session.render(report))
    raise typer.Exit(1 if report.verdict == "block" else 0)
