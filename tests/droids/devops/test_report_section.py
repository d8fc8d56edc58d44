"""The devops droid's morning-report section: deploys and rollbacks of the period from a real SQLite
audit trail (entries as the deploy pipeline writes them), what runs now from the deploy state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from droids.core.audit.trail import open_store
from droids.core.registry import load_registry
from droids.core.report_section import SectionContext
from droids.devops.deploy import state
from tests.conftest import REPO_ROOT


def _section(repo: Path, since: datetime | None = None):
    (build,) = [b for b in load_registry().all_services("report-section") if b.__module__.startswith("droids.devops")]
    (section,) = build(SectionContext(repo, REPO_ROOT / "policies", repo / ".droid", datetime.now(UTC), since=since))
    return section


def _entry(repo: Path, kind: str, verdict: str, **details: object) -> None:
    """One entry as droids.devops.deploy.pipeline writes it (profile "deploy", env and version in details)."""
    with open_store(repo) as store:
        store.append(
            kind=kind, profile="deploy", verdict=verdict, counts={}, who="git:ops@desk.test", head="c" * 40,
            details={"env": "staging", **details},
        )  # fmt: skip


@pytest.fixture(autouse=True)
def _local_trail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DROID_AUDIT_URL", raising=False)


def test_deploys_and_rollbacks_of_the_period(tmp_path: Path) -> None:
    repo = tmp_path
    _entry(repo, "deploy", "pass", version="aaaaaaaaaaaa", tag="deploy/staging/v1")
    failed = {"reason": "smoke test failed: /tick 500", "back_to": "aaaaaaaaaaaa", "rollback_ms": 140}
    _entry(repo, "rollback", "fail", version="bbbbbbbbbbbb", **failed)
    _entry(repo, "deploy", "refused", version="cccccccccccc", reasons=["prod needs a passing gate of cccccccccccc"])
    with open_store(repo) as store:  # not a deploy: left out
        store.append(kind="audit", profile="audit", verdict="pass", counts={}, who="os:ci", head=None)
    state.write(repo / ".droid", "staging", {"live": {"version": "aaaaaaaaaaaa", "tag": "deploy/staging/v1",
                                                      "started": "2026-03-10T06:00:00Z"}})  # fmt: skip

    section = _section(repo)

    assert (section.key, section.droid, section.status) == ("devops", "devops", "attention")
    assert section.headline == "1 deployed, 1 refused, 1 rolled back; staging runs aaaaaaaaaaaa."
    deploys, live = section.blocks[0].tables
    assert [(r[1], r[2], r[3], r[4], r[5], r[7]) for r in deploys.rows] == [
        ("staging", "deployed", "aaaaaaaaaaaa", "deploy/staging/v1", "-", "-"),
        ("staging", "rolled back", "bbbbbbbbbbbb", "aaaaaaaaaaaa", "140 ms", "smoke test failed: /tick 500"),
        ("staging", "refused", "cccccccccccc", "-", "-", "prod needs a passing gate of cccccccccccc"),
    ]
    assert live.rows == (("staging", "aaaaaaaaaaaa", "deploy/staging/v1", "2026-03-10T06:00:00Z"),)


def test_the_period_leaves_older_deploys_out(tmp_path: Path) -> None:
    _entry(tmp_path, "deploy", "pass", version="aaaaaaaaaaaa")
    section = _section(tmp_path, since=datetime.now(UTC) + timedelta(minutes=1))
    assert section.status == "none" and section.headline.startswith("No deploy since ")


def test_nothing_deployed_says_so(tmp_path: Path) -> None:
    section = _section(tmp_path)
    assert section.status == "none" and section.headline.startswith("No deploy recorded: `droid deploy --env ENV`")
