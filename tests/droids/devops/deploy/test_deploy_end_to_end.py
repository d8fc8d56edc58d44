"""`droid deploy` for real: processes, a reverse proxy and HTTP on 127.0.0.1, a load generator at
200 requests/s, the audit trail. Each test deploys a first version, then a second one built to pass
or to fail a given check, and stops every process it started (by pid) at the end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from droids.core.audit.trail import open_store
from droids.devops.deploy import processes, state
from tests.conftest import git
from tests.droids.devops.deploy.fixtures import Load, commit, deployer, trading_repo

pytestmark = pytest.mark.slow
APP = "trading_core/service/app.py"
TICK = "                    status, body = 200, service.host.step()"


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    repo = trading_repo(tmp_path)
    yield repo
    deployer(repo).stop("staging")


def proxy_port(repo: Path) -> int:
    return int(state.read(repo / ".droid", "staging")["proxy"]["port"])


def live(repo: Path) -> dict:
    return state.read(repo / ".droid", "staging")["live"]


def entries(repo: Path) -> list:
    with open_store(repo, create=False) as store:
        return [r for r in store.records() if r.profile == "deploy"]


def test_blue_green_switch_under_load_fails_no_request(repo: Path) -> None:
    first = deployer(repo).deploy("staging")
    assert first.result == "deployed", first.reasons
    first_pid = live(repo)["pid"]
    v2 = commit(repo, "v2", {"config/staging.yaml": ("log_level: info", "log_level: warning")})
    with Load(proxy_port(repo), rate=200) as load:
        second = deployer(repo).deploy("staging")
    assert second.result == "deployed", second.reasons
    assert load.failed == 0, load.outcomes
    assert load.outcomes["200"] >= 150 * load.elapsed  # the generator kept (most of) its 200/s pace
    assert live(repo)["commit"] == v2
    assert processes.request(proxy_port(repo), "GET", "/config")[1]["config"]["service"]["log_level"] == "warning"
    assert not processes.alive(first_pid)  # drained, then stopped
    records = entries(repo)
    assert [(r.kind, r.verdict, r.head) for r in records][-1] == ("deploy", "pass", v2)
    assert records[-1].who == "git:platform-lead@example.com"
    assert git(repo, "tag", "--list", "deploy/staging/*").split() == ["deploy/staging/v1", "deploy/staging/v2"]


def test_failing_smoke_rolls_back_and_the_old_version_keeps_serving(repo: Path) -> None:
    assert deployer(repo).deploy("staging").result == "deployed"
    old = live(repo)
    bad = commit(repo, "v2: /tick broken", {APP: (TICK, "                    status, body = 500, {'error': 'broken'}")})
    with Load(proxy_port(repo), rate=200) as load:
        outcome = deployer(repo).deploy("staging")
    assert outcome.result == "rolled back"
    assert "smoke test failed: /tick request 1 of 20 answered 500" in outcome.reasons[0]
    assert load.failed == 0, load.outcomes  # the broken version never received traffic
    assert live(repo)["commit"] == old["commit"] and processes.alive(old["pid"])
    last = entries(repo)[-1]
    assert (last.kind, last.verdict, last.head, last.details["back_to"]) == ("rollback", "fail", bad, old["version"])


def test_health_failing_after_the_switch_rolls_back_within_5_s(repo: Path) -> None:
    assert deployer(repo).deploy("staging").result == "deployed"
    old = live(repo)
    health = '            if path == "/healthz":\n                status, body = service.health()'
    failing = (
        health + "\n                if service.requests > 60:  # sick once it carries traffic\n"
        "                    status = 503"
    )
    commit(repo, "v2: sick under load", {APP: (health, failing)})
    with Load(proxy_port(repo), rate=200) as load:
        outcome = deployer(repo).deploy("staging")
    assert outcome.result == "rolled back"
    assert outcome.reasons[0] == "health check failed after the switch"
    assert outcome.figures["rollback_ms"] < 5000
    assert load.failed == 0, load.outcomes
    assert live(repo)["commit"] == old["commit"]
    assert processes.request(proxy_port(repo), "GET", "/tick", timeout_s=5)[0] == 200


@pytest.mark.parametrize(
    ("edits", "promoted", "says"),
    [
        ({"config/staging.yaml": ("log_level: info", "log_level: warning")}, True, "not worse"),
        ({"policies/budgets.yaml": ("on_tick_p99_us: 50000", "on_tick_p99_us: 1")}, False, "over the budget of 1 us"),
        (
            {
                APP: (
                    TICK,
                    TICK + "\n                    if service.requests % 4 == 3 and service.requests > 40:\n"
                    "                        status = 500",
                )
            },
            False,
            "worse than the running version's",
        ),
    ],
    ids=["fit", "p99-over-budget", "error-rate-worse"],
)
def test_canary_is_promoted_only_when_fit(repo: Path, edits: dict, promoted: bool, says: str) -> None:
    assert deployer(repo).deploy("staging").result == "deployed"
    old = live(repo)
    v2 = commit(repo, "v2", edits)
    with Load(proxy_port(repo), rate=200):
        outcome = deployer(repo).deploy("staging", canary_pct=30)
    assert (outcome.result == "promoted") is promoted, outcome.reasons
    assert any(says in r for r in outcome.reasons), outcome.reasons
    assert live(repo)["commit"] == (v2 if promoted else old["commit"])
    kinds = [(r.kind, r.verdict) for r in entries(repo)]
    assert kinds[-1] == (("promotion", "pass") if promoted else ("rollback", "fail"))
