"""Protected-parameter approvals in the audit trail: what is shown, what never is (both stores)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from droids.security_compliance.access.approval_entries import (
    ABSENT,
    approval_details,
    bounded,
    key_says_secret,
    record_approval,
    summarize_value,
)
from tests import secret_values as sv
from tests.droids.core.audit.backends import BACKENDS, Backend, make_backend


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    yield from make_backend(request.param, tmp_path)


SHOWN = [
    ("policies/apex.yaml:rulesets.seed.drawdown.percent", "10", "10"),
    ("policies/apex.yaml:accounts.50k.trailing_threshold", "2500", "2500"),
    ("policies/apex.yaml:rulesets.seed.consistency.max_share", "0.30", "0.30"),
    ("policies/apex.yaml:accounts.50k.max_contracts", 10, "10"),
    ("policies/strategy.yaml:risk.soft_size_factor", 0.5, "0.5"),
    ("policies/strategy.yaml:risk.daily_loss_limit", Decimal("450.00"), "450.00"),
    ("policies/apex.yaml:rulesets.seed.drawdown.trail", "intraday", "intraday"),
    ("policies/apex.yaml:session.deadline", "16:59", "16:59"),
    ("policies/apex.yaml:session.early_close.2026-12-24", "2026-12-24", "2026-12-24"),
    ("policies/apex.yaml:rulesets.seed.consistency.inclusive", False, "false"),
    ("policies/apex.yaml:rulesets.seed.drawdown.stop_trailing_above_start", None, "null"),
    ("policies/apex.yaml:rulesets.seed.daily_loss", ABSENT, "(absent)"),
    ("policies/apex.yaml:rulesets.seed.drawdown.basis", "percent", "percent"),
]
HIDDEN = [  # (key, value, summary): secrets of every shape, under telling and innocent key names
    ("config/broker.yaml:tradovate.password", sv.password(1), "<redacted>"),
    ("config/broker.yaml:tradovate.cid", "8123", "<redacted>"),
    ("config/broker.yaml:tradovate.sec", sv.password(2), "<redacted>"),
    ("config/data.yaml:twelve_data.api_key", sv.twelve_data_key(1), "<redacted>"),
    ("config/data.yaml:twelvedata.apikey", 12345678, "<redacted>"),
    ("config/alerts.yaml:slack.token", sv.slack_token(1), "<redacted>"),
    ("config/alerts.yaml:notes", sv.twelve_data_key(2), "<text, 32 chars>"),
    ("config/alerts.yaml:webhook", "https://hooks.example.com/services/" + sv.password(3), None),
    ("config/aws.yaml:profile.owner", sv.aws_access_key(3), "<text, 20 chars>"),
    ("config/alerts.yaml:channels", ["#risk", sv.github_token(1)], "<list, 2 items>"),
    ("config/alerts.yaml:routes", {"risk": sv.jwt(1)}, "<mapping, 1 keys>"),
    ("config/broker.yaml:broker.pass", sv.password(4), "<redacted>"),
    ("config/broker.yaml:broker.pw", sv.password(5), "<redacted>"),
    ("config/vault.yaml:vault.passphrase", "Correct-Horse-Battery", "<redacted>"),
    ("config/db.yaml:db.dsn", "postgres", "<redacted>"),
    ("config/broker.yaml:broker.nickname", "Sunshine", "<text, 8 chars>"),  # a plain word may be a password
]


@pytest.mark.parametrize(("key", "value", "summary"), SHOWN, ids=[k.split(":")[1] for k, _, _ in SHOWN])
def test_policy_values_are_shown_as_they_are(key: str, value: object, summary: str) -> None:
    assert summarize_value(key, value) == summary


@pytest.mark.parametrize(("key", "value", "summary"), HIDDEN, ids=[k.split(":")[1] for k, _, _ in HIDDEN])
def test_secret_values_never_are(key: str, value: object, summary: str | None) -> None:
    shown = summarize_value(key, value)
    if summary is not None:
        assert shown == summary
    assert shown.startswith("<") and str(value) not in shown


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("config/broker.yaml:password", True),
        ("config/broker.yaml:db.passwd", True),
        ("config/data.yaml:TWELVE_DATA_API_KEY", True),
        ("config/broker.yaml:credentials.user", True),
        ("policies/access.yaml:owners.risk", False),
        ("policies/apex.yaml:accounts.50k.max_contracts", False),
        ("policies/apex.yaml:session.timezone", False),
        ("policies/budgets.yaml:ontick.p99_ms", False),
        ("config/broker.yaml:broker.pass", True),
        ("config/db.yaml:db.dsn", True),
        ("policies/apex.yaml:rulesets.seed.drawdown.percent", False),
        ("policies/apex.yaml:accounts.50k.passes_required", False),
    ],
)
def test_key_says_secret(key: str, secret: bool) -> None:
    assert key_says_secret(key) is secret


def test_an_approval_is_recorded_with_its_approver_and_commit(backend: Backend) -> None:
    password = sv.password(7)
    with backend.open() as store:
        first = record_approval(
            store,
            approval_details(
                path="policies/apex.yaml",
                key="rulesets.seed.drawdown.percent",
                old="10",
                new="8",
                approver="risk-owner@example.com",
                commit="c" * 40,
                via="trailer",
            ),
            who="git:dev@example.com",
            profile="pre-commit",
            head="d" * 40,
        )
        record_approval(
            store,
            approval_details(
                path="config/broker.yaml",
                key="tradovate.password",
                old=sv.password(6),
                new=password,
                approver="octocat",
                commit=None,
                via="pr-review",
            ),
            who="github:dev",
            profile="ci",
            head=None,
        )
    with backend.open() as store:
        records = store.records()
        assert store.verify().ok
        exported = store.export()
    assert records[0] == first
    assert (first.kind, first.verdict, first.profile, first.counts) == ("approval", "approved", "pre-commit", {})
    assert first.details == {
        "path": "policies/apex.yaml",
        "key": "rulesets.seed.drawdown.percent",
        "old": "10",
        "new": "8",
        "approver": "risk-owner@example.com",
        "commit": "c" * 40,
        "via": "trailer",
    }
    assert (records[1].details["old"], records[1].details["new"]) == ("<redacted>", "<redacted>")
    assert password not in exported and sv.password(6) not in exported


def test_an_unknown_approval_channel_is_a_bug_not_an_entry(backend: Backend) -> None:
    with backend.open() as store:
        with pytest.raises(ValueError, match=r"^audit entry: via must be one of"):
            record_approval(
                store,
                approval_details(
                    path="policies/apex.yaml",
                    key="",
                    old=ABSENT,
                    new=ABSENT,
                    approver="x@example.com",
                    commit=None,
                    via="email",
                ),
                who="os:x",
                profile="ci",
                head=None,
            )
        assert store.verify().count == 0


# (path, key, old, new, from_path, expected old/new/from)
DETAILS_CASES = [
    ("config/auth.yaml", "", "existing", "modified", None, ("existing", "modified", None)),  # fates are fixed words
    ("risk/b.py", "", ABSENT, "copied", "risk/a.py", ("(absent)", "copied", "risk/a.py")),
    ("risk/b.py", "", "existing", "renamed", "risk/a.py", ("existing", "renamed", "risk/a.py")),
    ("policies/apex.yaml", "", "invalid-yaml", "modified", None, ("invalid-yaml", "modified", None)),
]


@pytest.mark.parametrize(("path", "key", "old", "new", "from_path", "expected"), DETAILS_CASES)
def test_a_whole_file_is_described_by_fixed_words_and_where_it_came_from(
    path: str, key: str, old: object, new: object, from_path: str | None, expected: tuple[str, str, str | None]
) -> None:
    details = approval_details(
        path=path, key=key, old=old, new=new, approver="a@example.com", commit=None, via="trailer", from_path=from_path
    )
    assert (details["old"], details["new"], details.get("from")) == expected


def test_a_whole_file_never_shows_what_it_holds() -> None:
    with pytest.raises(ValueError, match="a whole file's old/new must be one of"):
        approval_details(
            path="config/a.yaml", key="", old="existing", new=sv.password(8), approver="a@example.com",
            commit=None, via="trailer",
        )  # fmt: skip


def test_long_names_are_cut_with_a_hash_so_an_entry_always_fits(backend: Backend) -> None:
    key = ".".join(["k" * 900] * 6)  # a 5 KB dotted key path: beyond the trail's 4 KB details
    details = approval_details(
        path="policies/x.yaml", key=key, old=1, new=2, approver="a@example.com", commit=None, via="trailer"
    )
    assert len(details["key"]) < 300 and details["key"].startswith("k" * 200)
    assert f"{len(key)} chars" in details["key"] and bounded(key) == details["key"] != bounded(key + "k")
    with backend.open() as store:
        store.append(kind="approval", profile="ci", verdict="approved", counts={}, who="x", head=None, details=details)
