"""`droid security ...`: the security-compliance droid's own commands (report, history)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli.session import Session

security_app = typer.Typer(
    help="The security-compliance droid's commands: compliance report, git history scan.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@security_app.command("report")
def report(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(help="Folder (default .droid/compliance/<UTC time>/).")] = None,
    since: Annotated[str | None, typer.Option(help="Start of the period, YYYY-MM-DD (default: everything).")] = None,
) -> None:
    """Write the compliance report (Markdown and HTML): Apex rules in force, scenario results,
    protected-parameter changes and approvals, halts, open findings by age, audit-trail status."""
    from droids.security_compliance.compliance_report import default_out_dir, write_compliance_report

    session: Session = ctx.obj
    paths = write_compliance_report(session.repo, session.policies, out or default_out_dir(session.repo), since)
    session.emit("\n".join(str(p) for p in paths))


def register(app: typer.Typer) -> None:
    app.add_typer(security_app, name="security")
