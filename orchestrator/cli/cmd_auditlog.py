"""`droid audit-log show|verify|export`: read and check the hash-chained audit trail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orchestrator.cli.session import Session

if TYPE_CHECKING:
    from droids.core.audit.trail import AuditRecord, VerifyResult

audit_log_app = typer.Typer(
    help="Read and verify the tamper-evident audit trail.", no_args_is_help=True, rich_markup_mode=None
)


def _open(session: Session):
    from droids.core.audit.trail import open_store

    return open_store(session.repo, create=False)


@audit_log_app.command("show")
def show(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="Show the newest N entries.")] = 20,
    fmt: Annotated[str | None, typer.Option("--format", "-f")] = None,
) -> None:
    """The newest entries: time, kind, profile, verdict, counts by rule, who, HEAD."""
    session: Session = ctx.obj.with_output(fmt, None)
    with _open(session) as store:
        records = store.records()[-limit:] if limit > 0 else store.records()
    if session.fmt == "json":
        session.emit(json.dumps([r.as_dict() for r in records], indent=2))
        return
    lines = [
        f"{r.seq:>5}  {r.time}  {r.kind:<8} {r.profile:<10} {r.verdict:<8}  "
        f"{','.join(f'{k}={v}' for k, v in r.counts.items()) or '-'}  {r.who}  {(r.head or '-')[:12]}{_what(r)}"
        for r in records
    ]
    session.emit("\n".join(lines) if lines else "the audit trail is empty")


def _what(record: AuditRecord) -> str:
    """What an approval entry approved, on the same line (values are already summarised)."""
    if record.kind != "approval":
        return ""
    d = record.details
    where = f"{d.get('path')}:{d['key']}" if d.get("key") else str(d.get("path"))
    return f"  {where} {d.get('old')} -> {d.get('new')} approved by {d.get('approver')} ({d.get('via')})"


@audit_log_app.command("verify")
def verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None, typer.Option(metavar="SEQ:HASH", help="Also check that this entry (from a report) is still there.")
    ] = None,
) -> None:
    """Walk the hash chain, the MACs (with DROID_AUDIT_KEY) and this machine's anchor; exit 1 and name
    the first entry that was changed or deleted."""
    from orchestrator.errors import OrchestratorError

    session: Session = ctx.obj
    pinned = None
    if anchor is not None:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise OrchestratorError(f"--anchor {anchor}: expected SEQ:HASH (an integer and 64 hex characters)")
        pinned = (int(seq), digest)
    with _open(session) as store:
        result = store.verify(anchor=pinned)
    if result.ok:
        session.emit(f"audit trail OK: {result.count} entries, newest {result.newest_seq} {result.newest_hash}")
        for line in _how_verified(result):
            session.emit(f"  {line}")
        return
    typer.echo(f"audit trail BROKEN: {result.reason}", err=True)
    raise typer.Exit(1)


def _how_verified(result: VerifyResult) -> list[str]:
    """What vouched for the trail beyond the hash chain: MACs, this machine's anchor (never the key)."""
    from droids.core.audit.keyed import KEY_ENV

    lines = []
    if result.macs_checked:
        lines.append(f"MACs valid under {KEY_ENV} on entries {result.keyed_from}-{result.newest_seq}")
    elif result.keyed_from is not None:
        lines.append(f"MACs not checked: {KEY_ENV} is not set (entries from {result.keyed_from} on carry one)")
    elif result.count:
        lines.append(f"no entry carries a MAC: set {KEY_ENV} (in CI and for every writer) to key the chain")
    if result.anchor_note:
        lines.append(f"this machine's anchor was not updated: {result.anchor_note}")
    elif result.anchor_path:
        lines.append(f"anchored on this machine at entry {result.newest_seq}: {result.anchor_path}")
    return lines


@audit_log_app.command("export")
def export(ctx: typer.Context) -> None:
    """Every entry as JSON Lines with its hash (for archiving off the machine)."""
    session: Session = ctx.obj
    with _open(session) as store:
        session.emit(store.export())


@audit_log_app.command("ingest")
def ingest(
    ctx: typer.Context,
    events: Annotated[Path, typer.Argument(help="JSON Lines of trading-core events, or a risk_events.csv.")],
) -> None:
    """Append the trading core's halt and kill-switch events to the trail (the whole file is checked first)."""
    from droids.core.audit.ingest import ingest_events_file

    session: Session = ctx.obj
    screen = session.registry.service("secret-screen")  # the security droid's, when it is installed
    session.emit(ingest_events_file(session.repo, events, screen).summary(events))


def register(app: typer.Typer) -> None:
    app.add_typer(audit_log_app, name="audit-log")
