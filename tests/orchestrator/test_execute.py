"""execute(): a recorded run writes its verdict entry, then every droid's audit events, to the trail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from droids.core.audit.trail import AuditTrailBroken, open_store
from droids.core.models import Targets, Task
from droids.core.policy import load_gates
from droids.core.registry import Registry
from orchestrator.execute import execute
from tests.conftest import REPO_ROOT
from tests.orchestrator.sample_droids import ApprovalEventDroid, FindingDroid, make_droid

GATES = load_gates(REPO_ROOT / "policies")


def _task(repo: Path, paths: tuple[str, ...]) -> Task:
    return Task(
        mode="gate",
        profile="ci",
        repo=repo,
        policies=REPO_ROOT / "policies",
        targets=Targets(kind="paths", paths=paths),
    )


def _registry(tmp: Path, *, blocking: bool) -> Registry:
    droids = [make_droid(tmp / "cards", "approver", ApprovalEventDroid, rule="TST001")]
    if blocking:  # a droid whose findings block the run
        droids.append(make_droid(tmp / "cards", "finder", FindingDroid, rule="TST002"))
    return Registry(droids)


@pytest.mark.parametrize(
    ("record", "blocking", "paths", "kinds"),
    [
        (True, False, ("a.yaml", "b.yaml"), ["gate", "approval", "approval"]),
        (True, False, (), ["gate"]),
        (True, True, ("a.yaml",), ["gate"]),  # what a blocked run approved did not land: no event
        (False, False, ("a.yaml",), []),
    ],
    ids=["two-events", "no-event", "blocked-run", "not-recorded"],
)
def test_events_follow_the_verdict_entry_with_its_run_metadata(
    git_repo: Path, record: bool, blocking: bool, paths: tuple[str, ...], kinds: list[str]
) -> None:
    registry = _registry(git_repo, blocking=blocking)
    report = execute(_task(git_repo, paths), registry, GATES, git_repo / ".droid", record=record)
    assert (report.verdict == "block") is blocking
    if not kinds:
        assert not (git_repo / ".droid" / "audit.db").exists()
        assert "audit_entry" not in report.extra
        return
    with open_store(git_repo) as store:
        entries = store.records()
        assert store.verify().ok
    assert [e.kind for e in entries] == kinds
    gate, events = entries[0], entries[1:]
    assert report.extra["audit_entry"] == {"seq": gate.seq, "hash": gate.hash}
    assert [e.details["path"] for e in events] == list(paths if not blocking else ())
    assert all(e.details["run"] == gate.seq for e in events)  # each event names its run's entry
    assert all((e.profile, e.who, e.head, e.verdict) == (gate.profile, gate.who, gate.head, "approved") for e in events)
    assert report.extra.get("audit_events", []) == [{"seq": e.seq, "hash": e.hash, "kind": "approval"} for e in events]


def test_an_anchor_that_cannot_be_written_is_a_note_and_the_entry_stands(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "state").write_text("a file where the state directory should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    report = execute(_task(git_repo, ()), _registry(git_repo, blocking=False), GATES, git_repo / ".droid", record=True)
    (note,) = [n for n in report.notes if n.startswith("audit trail: ")]
    assert "cannot write the audit trail's anchor" in note and "\n" not in note
    assert report.extra["audit_entry"]["seq"] == 1


def test_a_recorded_run_fails_closed_on_a_trail_whose_anchored_entry_is_gone(git_repo: Path) -> None:
    registry = _registry(git_repo, blocking=False)
    execute(_task(git_repo, ()), registry, GATES, git_repo / ".droid", record=True)
    execute(_task(git_repo, ()), registry, GATES, git_repo / ".droid", record=True)
    con = sqlite3.connect(git_repo / ".droid" / "audit.db")
    con.execute("DROP TRIGGER audit_entries_no_delete")
    con.execute("DELETE FROM audit_entries WHERE seq = 2")
    con.commit()
    con.close()
    with pytest.raises(AuditTrailBroken, match=r"audit trail broken: entry 2: deleted \(the trail ends at 1; "):
        execute(_task(git_repo, ()), registry, GATES, git_repo / ".droid", record=True)
    with open_store(git_repo) as store:
        assert store.verify().count == 1


def test_a_routing_fallback_reaches_the_graph(git_repo: Path) -> None:
    """A question no trigger matches runs the droids the fallback names (registered ones only)."""
    registry = _registry(git_repo, blocking=True)
    task = Task(
        mode="ask",
        profile="ask",
        request="what changed in risk params?",
        repo=git_repo,
        policies=REPO_ROOT / "policies",
        targets=Targets(kind="paths", paths=("a.yaml",)),
    )
    report = execute(task, registry, GATES, git_repo / ".droid", fallback=lambda request, cards: ["finder", "nobody"])
    assert [(d.droid, d.reasons) for d in report.routing] == [("finder", ("fallback: no trigger matched",))]
    assert [f.rule for f in report.findings] == ["TST002"] and report.verdict == "block"
    assert execute(task, registry, GATES, git_repo / ".droid").routing == []
