"""execute(): a recorded run writes its verdict entry, then every droid's audit events, to the trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.models import Targets, Task
from droids.core.policy import load_gates
from droids.core.registry import Registry
from droids.security_compliance.audit_trail import open_store
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


def _registry(tmp: Path) -> Registry:
    return Registry(
        [
            make_droid(tmp / "cards", "approver", ApprovalEventDroid, rule="TST001"),
            make_droid(tmp / "cards", "finder", FindingDroid, rule="TST002"),
        ]
    )


@pytest.mark.parametrize(
    ("record", "paths", "kinds"),
    [
        (True, ("a.yaml", "b.yaml"), ["gate", "approval", "approval"]),
        (True, (), ["gate"]),
        (False, ("a.yaml",), []),
    ],
    ids=["two-events", "no-event", "not-recorded"],
)
def test_events_follow_the_verdict_entry_with_its_run_metadata(
    git_repo: Path, record: bool, paths: tuple[str, ...], kinds: list[str]
) -> None:
    report = execute(_task(git_repo, paths), _registry(git_repo), GATES, git_repo / ".droid", record=record)
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
    assert [e.details["path"] for e in events] == list(paths)
    assert all((e.profile, e.who, e.head, e.verdict) == (gate.profile, gate.who, gate.head, "approved") for e in events)
    assert report.extra.get("audit_events", []) == [{"seq": e.seq, "hash": e.hash, "kind": "approval"} for e in events]
