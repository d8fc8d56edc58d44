"""`droid report [--since DATE] [--out DIR] [--slack] [--email]`: the morning report from stored results.

Nothing is re-run: the newest audit report under .droid/reports/, the audit trail and what each droid
keeps (its "report-section" service) make the page. `droid audit` writes the same page as its
report.html (`write_morning`). Both append the Markdown summary to `$GITHUB_STEP_SUMMARY` when it is
set, and send it through the monitoring droid's channels ("report-delivery") when asked (`--slack`,
`--email`) or when policies/monitoring.yaml `report:` says so.

Exit codes: 0 the page was written (and anything asked was sent); 2 bad input (a bad --since or
--out, a channel asked for but not configured, a section's bad input: the page is still written,
that section shows the error); 3 a section crashed or a delivery failed (the page is still written).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orchestrator.cli.session import Session
from orchestrator.errors import OrchestratorError

if TYPE_CHECKING:
    from droids.core.models import RunReport
    from orchestrator.morning.build import MorningReport

_SINCE = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?Z)?")


@dataclass
class Written:
    morning: MorningReport
    page: Path
    markdown: str
    failures: list[str] = field(default_factory=list)  # what failed, for exit code 3


def parse_since(text: str | None) -> datetime | None:
    """YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM[:SS]Z; anything else is bad input."""
    if text is None:
        return None
    try:
        if not _SINCE.fullmatch(text):
            raise ValueError
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=UTC)
    except ValueError:
        raise OrchestratorError(
            f"--since {text}: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ"
        ) from None


def write_morning(
    session: Session,
    folder: Path,
    *,
    current: RunReport | None = None,
    current_json: Path | None = None,
    since: datetime | None = None,
    slack: bool | None = None,
    email: bool | None = None,
) -> Written:
    """Build the morning report, write report.html and report.md into `folder`, append the summary to
    $GITHUB_STEP_SUMMARY, deliver it if asked. Section problems and failed deliveries are noted."""
    from orchestrator.morning.build import build_morning
    from orchestrator.render import morning_markdown, morning_page

    gates = session.gates
    morning = build_morning(
        session.repo, session.policies, session.state_dir, session.registry, gates.profiles["audit"].block_at,
        current=current, current_path=current_json, since=since,
    )  # fmt: skip
    markdown = morning_markdown.render(morning)
    page = folder / "report.html"
    try:
        page.write_text(morning_page.render(morning), encoding="utf-8")
        (folder / "report.md").write_text(markdown, encoding="utf-8")
    except OSError as exc:
        raise OrchestratorError(f"--out {folder}: cannot write the morning report ({exc.strerror})") from None
    written = Written(morning, page, markdown)
    for problem in morning.problems:
        _warn(f"report section of {problem.droid}: {problem.message}")
        if not problem.bad_input:
            written.failures.append(f"section of {problem.droid}")
    _step_summary(session, markdown)
    _deliver(session, written, slack, email)
    return written


def _step_summary(session: Session, markdown: str) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with Path(target).open("a", encoding="utf-8") as f:
            f.write(markdown + "\n")
    except OSError as exc:
        session.note(f"GITHUB_STEP_SUMMARY {target}: cannot append ({exc.strerror})")


def _deliver(session: Session, written: Written, slack: bool | None, email: bool | None) -> None:
    from orchestrator.render import morning_markdown

    deliver = session.registry.service("report-delivery")
    if deliver is None:
        if slack or email:
            raise OrchestratorError("--slack/--email: no installed droid offers report delivery (monitoring)")
        return
    m = written.morning
    results = deliver(
        session.policies,
        slack_text=morning_markdown.slack_text(m, str(written.page)),
        email_subject=morning_markdown.email_subject(m),
        email_text=written.markdown,
        page=written.page,
        slack=slack,
        email=email,
    )
    for r in results:
        said = f"report {r['channel']}: {r['outcome']}" + (f": {r['detail']}" if r["detail"] else "")
        if r["outcome"] == "failed":
            _warn(said)  # even with --quiet: it decides the exit code
            written.failures.append(f"{r['channel']} delivery")
        else:
            session.note(said)


def _warn(message: str) -> None:
    import sys

    sys.stderr.write(f"droid: {message}\n")


def report(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(help="Start of the period (YYYY-MM-DD or ...THH:MM:SSZ); compare with the audit before it."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Folder (default .droid/morning/<UTC time>/).")] = None,
    slack: Annotated[
        bool | None, typer.Option("--slack/--no-slack", help="Send a short summary to Slack (monitoring channels).")
    ] = None,
    email: Annotated[
        bool | None, typer.Option("--email/--no-email", help="Email the page attached (monitoring channels).")
    ] = None,
) -> None:
    """Render the morning report (report.html, report.md) from stored results, without re-running the droids."""
    from orchestrator.cli.cmd_run import _report_folder

    session: Session = ctx.obj
    start = parse_since(since)
    folder = _report_folder(out or session.state_dir / "morning" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    written = write_morning(session, folder, since=start, slack=slack, email=email)
    session.emit(written.markdown)
    session.note(f"morning report written to {written.page}")
    bad = [p for p in written.morning.problems if p.bad_input]
    if bad:
        raise OrchestratorError(f"{bad[0].droid}: {bad[0].message} (the page was written without that section)")
    raise typer.Exit(3 if written.failures else 0)


def register(app: typer.Typer) -> None:
    app.command()(report)
