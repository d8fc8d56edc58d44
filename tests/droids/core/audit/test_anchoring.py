"""Tampering the hash chain alone cannot see, caught without a hand-given --anchor: this machine's
automatic anchor and the keyed chain (DROID_AUDIT_KEY), against both stores (real SQLite files; the
real PostgreSQL server when DROID_TEST_POSTGRES_URL is set) and the real CLI in subprocesses."""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from droids.core.audit import trail
from droids.core.audit.anchor import anchors_dir
from droids.core.audit.trail import AuditRecord, AuditTrailBroken, entry_hash
from droids.core.errors import DroidError
from tests.droids.core.audit.backends import BACKENDS, Backend, make_backend
from tests.orchestrator.cli.helpers import droid

ENTRY = {"kind": "gate", "profile": "ci", "verdict": "pass", "counts": {}, "who": "os:ci", "head": None}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    yield from make_backend(request.param, tmp_path)


def _fill(backend: Backend, n: int = 5) -> list[AuditRecord]:
    with backend.open() as store:
        return [store.append(**{**ENTRY, "details": {"n": i}}) for i in range(n)]


def _anchor_file(backend: Backend) -> Path:
    (path,) = anchors_dir().glob("*.json")
    return path


def _rechain_from(b: Backend, first: int, *, keep_macs: bool = False, **changes: object) -> None:
    """Rewrite entry `first` with `changes` and re-chain every later entry with plain SHA-256, as an
    attacker without the key does (the MACs dropped, or kept as they were)."""
    rows = [b.row(seq) for seq in range(first, _newest(b) + 1)]
    prev = b.row(first - 1)["hash"] if first > 1 else "0" * 64
    b.tamper(("DELETE FROM audit_entries WHERE seq >= ?", (first,)))
    for i, row in enumerate(rows):
        row = {**row, **(changes if i == 0 else {}), "prev_hash": prev}
        row["hash"] = prev = entry_hash(row)
        mac = row["mac"] if keep_macs else None
        b.insert_raw(row)
        if mac is not None:
            b.tamper(("UPDATE audit_entries SET mac = ? WHERE seq = ?", (mac, row["seq"])))


def _newest(b: Backend) -> int:
    with b.open() as store:
        return store.verify().count


def _one_line(text: str) -> str:
    assert "\n" not in text.strip() and text.strip(), text
    return text.strip()


# (what the attacker did, the first entry named, the reason's start) with this machine's anchor at entry 5
WITHOUT_KEY: list[tuple[str, Callable[[Backend], None], int, str]] = [
    ("newest entry deleted", lambda b: b.tamper("DELETE FROM audit_entries WHERE seq = 5"), 5,
     "entry 5: deleted (the trail ends at 4; this machine's anchor "),
    ("newest two deleted", lambda b: b.tamper("DELETE FROM audit_entries WHERE seq >= 4"), 4,
     "entries 4-5: deleted (the trail ends at 3; this machine's anchor "),
    ("table emptied", lambda b: b.tamper("DELETE FROM audit_entries"), 1,
     "entries 1-5: deleted (the trail is empty; this machine's anchor "),
    ("rewritten and re-chained with sha256 only", lambda b: _rechain_from(b, 2, verdict="block"), 5,
     "entry 5: rewritten (hash differs from this machine's anchor "),
    ("newest rewritten and rehashed", lambda b: _rechain_from(b, 5, verdict="block"), 5,
     "entry 5: rewritten (hash differs from this machine's anchor "),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tamper", "first_bad", "reason"), [c[1:] for c in WITHOUT_KEY], ids=[c[0] for c in WITHOUT_KEY]
)
def test_the_automatic_anchor_catches_what_the_chain_cannot(
    backend: Backend, tamper: Callable[[Backend], None], first_bad: int, reason: str
) -> None:
    _fill(backend)
    anchor = _anchor_file(backend)
    tamper(backend)
    with backend.open() as store:
        result = store.verify()
        assert (result.ok, result.first_bad) == (False, first_bad)
        assert result.reason.startswith(reason) and str(anchor) in _one_line(result.reason)
        count = result.count
        with pytest.raises(AuditTrailBroken, match=r"audit trail broken: .*nothing appended") as refused:
            store.append(**ENTRY)  # a gate run after the tampering fails closed
        assert reason in _one_line(str(refused.value)) and "to start a new trail deliberately" in str(refused.value)
        assert store.verify().count == count  # nothing was written over the evidence


def test_the_cli_names_the_entry_and_the_anchor(backend: Backend) -> None:
    _fill(backend)
    backend.tamper("DELETE FROM audit_entries WHERE seq >= 4")
    result = droid("audit-log", "verify", cwd=backend.repo, env={"DROID_AUDIT_URL": backend.url})
    assert result.code == 1 and result.out == ""
    line = _one_line(result.err)
    assert line.startswith("audit trail BROKEN: entries 4-5: deleted (the trail ends at 3; this machine's anchor ")
    assert str(_anchor_file(backend)) in line


def test_the_anchor_file_is_private_and_holds_no_secret(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    key = secrets.token_hex(24)
    monkeypatch.setenv("DROID_AUDIT_KEY", key)
    appended = _fill(backend, 3)
    path = _anchor_file(backend)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    data = json.loads(path.read_text())
    assert (data["seq"], data["hash"], data["keyed"]) == (3, appended[-1].hash, True)
    assert key not in path.read_text() and "password" not in data["store"]
    if backend.url:
        assert backend.url not in data["store"] and backend.url.split("@")[0] not in data["store"]


def test_other_writers_may_append_after_the_anchor(
    backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(backend, 2)
    mine = os.environ["XDG_STATE_HOME"]
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "other-machine"))
    _fill(backend, 3)  # another machine (its own state directory) appends entries 3-5
    monkeypatch.setenv("XDG_STATE_HOME", mine)
    assert json.loads(_anchor_file(backend).read_text())["seq"] == 2
    with backend.open() as store:
        result = store.verify()
        assert (result.ok, result.count, result.anchored_seq) == (True, 5, 2)
    assert json.loads(_anchor_file(backend).read_text())["seq"] == 5  # a verify that passed moves it forward


def test_a_damaged_anchor_is_one_clear_line(backend: Backend) -> None:
    _fill(backend, 1)
    path = _anchor_file(backend)
    path.write_text('{"seq": "five"}')
    with backend.open() as store, pytest.raises(DroidError) as err:
        store.verify()
    assert _one_line(str(err.value)).startswith(f"{path}: not a droid audit anchor for ")


def test_an_unwritable_state_directory_is_a_note_not_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "state").write_text("a file where the state directory should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for b in make_backend("sqlite", tmp_path / "repo"):
        with b.open() as store:
            assert store.append(**ENTRY).seq == 1
            assert store.anchor_note and "cannot write the audit trail's anchor" in _one_line(store.anchor_note)


# --- the keyed chain -----------------------------------------------------------------------------


def _forget_anchor(backend: Backend) -> None:
    """As on a machine that never wrote to the trail (an ephemeral CI runner): only the key is left."""
    for path in anchors_dir().glob("*.json"):
        path.unlink()


def _unkeyed_entry(b: Backend) -> None:
    """An entry without a MAC after keyed ones, as an older droid or someone without the key writes it
    (droid itself refuses to: test_a_keyed_trail_refuses_an_unkeyed_or_wrongly_keyed_writer)."""
    row = {**b.row(5), "seq": 6, "prev_hash": b.row(5)["hash"], "verdict": "block"}
    row["hash"] = entry_hash(row)
    b.insert_raw(row)


KEYS: dict[str, str] = {}
WITH_KEY: list[tuple[str, Callable[[Backend], None], int, str]] = [
    ("re-chained with sha256 only, MACs dropped", lambda b: _rechain_from(b, 2, verdict="block"), 2,
     "entry 2: no MAC, although entries from 1 on carry one (appended without DROID_AUDIT_KEY, or rewritten"),
    ("re-chained with sha256 only, old MACs kept", lambda b: _rechain_from(b, 3, keep_macs=True, verdict="block"), 3,
     "entry 3: MAC does not match DROID_AUDIT_KEY (rewritten and re-chained, or written under another key)"),
    ("every MAC stripped, then re-chained", lambda b: _rechain_from(b, 1, verdict="block"), 5,
     "entry 5: no MAC (with DROID_AUDIT_KEY set the newest entry must carry one"),
    ("written under another key", lambda b: os.environ.update(DROID_AUDIT_KEY=KEYS["wrong"]), 1,
     "entry 1: MAC does not match DROID_AUDIT_KEY (rewritten and re-chained, or written under another key)"),
    ("an unkeyed entry appended after keyed ones", _unkeyed_entry, 6,
     "entry 6: no MAC, although entries from 1 on carry one"),
]  # fmt: skip


@pytest.mark.parametrize(("tamper", "first_bad", "reason"), [c[1:] for c in WITH_KEY], ids=[c[0] for c in WITH_KEY])
def test_the_keyed_chain_catches_a_rewrite_without_any_anchor(
    backend: Backend, monkeypatch: pytest.MonkeyPatch, tamper: Callable[[Backend], None], first_bad: int, reason: str
) -> None:
    KEYS.update(right=secrets.token_hex(20), wrong=secrets.token_hex(20))  # built at run time, never committed
    monkeypatch.setenv("DROID_AUDIT_KEY", KEYS["right"])
    _fill(backend)
    tamper(backend)
    _forget_anchor(backend)
    with backend.open() as store:
        result = store.verify()
    assert (result.ok, result.first_bad) == (False, first_bad)
    assert _one_line(result.reason).startswith(reason)
    cli = droid("audit-log", "verify", cwd=backend.repo, env={"DROID_AUDIT_URL": backend.url})
    assert cli.code == 1 and _one_line(cli.err) == f"audit trail BROKEN: {result.reason}"
    for text in (cli.out, cli.err, result.reason, *(p.read_text() for p in anchors_dir().rglob("*.json"))):
        assert KEYS["right"] not in text and KEYS["wrong"] not in text


@pytest.mark.parametrize("other", [None, "another key"], ids=["no key", "another key"])
def test_a_keyed_trail_refuses_an_unkeyed_or_wrongly_keyed_writer(
    backend: Backend, monkeypatch: pytest.MonkeyPatch, other: str | None
) -> None:
    key = secrets.token_hex(20)
    monkeypatch.setenv("DROID_AUDIT_KEY", key)
    _fill(backend, 2)
    if other is None:
        monkeypatch.delenv("DROID_AUDIT_KEY")
        says = "the audit trail is keyed (entry 2 carries a MAC): set DROID_AUDIT_KEY, the key its writers use"
    else:
        monkeypatch.setenv("DROID_AUDIT_KEY", secrets.token_hex(20))
        says = "entry 2's MAC does not match DROID_AUDIT_KEY (another key, or the trail was rewritten)"
    with backend.open() as store, pytest.raises(AuditTrailBroken) as err:
        store.append(**ENTRY)
    assert _one_line(str(err.value)) == f"{backend.open().location}: {says}; nothing appended"
    monkeypatch.setenv("DROID_AUDIT_KEY", key)
    with backend.open() as store:
        assert (store.verify().ok, store.verify().count) == (True, 2)


@pytest.mark.parametrize("keyed", [True, False], ids=["with key", "without key"])
def test_a_role_that_may_not_add_the_mac_column(backend: Backend, monkeypatch: pytest.MonkeyPatch, keyed: bool) -> None:
    """A store made before the keyed chain, opened by a writer that may not ALTER it (a CI role with
    INSERT and SELECT only): with a key, one clear line; without, it appends as before."""
    _fill(backend, 1)
    backend.tamper("ALTER TABLE audit_entries DROP COLUMN mac")
    monkeypatch.setattr(trail, "ADD_MAC_COLUMN", "ALTER TABLE audit_entries_not_ours ADD COLUMN mac TEXT")
    if keyed:
        monkeypatch.setenv("DROID_AUDIT_KEY", secrets.token_hex(20))
        with pytest.raises(DroidError) as err:
            backend.open()
        assert "cannot add the mac column for DROID_AUDIT_KEY" in _one_line(str(err.value))
        assert str(err.value).endswith("open the trail once as the owner of audit_entries")
        return
    with backend.open() as store:
        assert store.append(**ENTRY).mac is None and store.verify().count == 2


def test_an_intact_keyed_trail_verifies_and_says_how(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    key = secrets.token_hex(20)
    monkeypatch.setenv("DROID_AUDIT_KEY", key)
    appended = _fill(backend)
    assert all(r.mac and re.fullmatch(r"[0-9a-f]{64}", r.mac) for r in appended)
    with backend.open() as store:
        result = store.verify()
        assert (result.ok, result.macs_checked, result.keyed_from) == (True, 5, 1)
        assert key not in store.export()
    cli = droid("audit-log", "verify", cwd=backend.repo, env={"DROID_AUDIT_URL": backend.url})
    assert cli.code == 0, cli.err
    assert "MACs valid under DROID_AUDIT_KEY on entries 1-5" in cli.out and key not in cli.out + cli.err
    monkeypatch.delenv("DROID_AUDIT_KEY")  # without the key the chain and the anchor still verify
    cli = droid("audit-log", "verify", cwd=backend.repo, env={"DROID_AUDIT_URL": backend.url})
    assert cli.code == 0 and "MACs not checked: DROID_AUDIT_KEY is not set (entries from 1 on carry one)" in cli.out


@pytest.mark.parametrize(("value", "what"), [("k3y-" + "x", "5 characters"), (" " * 20, "blank")])
def test_a_weak_key_is_one_line_that_never_shows_it(backend: Backend, value: str, what: str) -> None:
    cli = droid("audit-log", "show", cwd=backend.repo, env={"DROID_AUDIT_URL": backend.url, "DROID_AUDIT_KEY": value})
    assert cli.code == 2
    line = _one_line(cli.err)
    assert line == f"droid: error: DROID_AUDIT_KEY: {what}; expected a random value of at least 16 characters " + (
        "(e.g. the output of `openssl rand -hex 32`)"
    )


def test_a_store_made_before_the_keyed_chain_is_migrated_in_place(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(backend, 3)
    backend.tamper("ALTER TABLE audit_entries DROP COLUMN mac")  # the schema older droids made
    with backend.open(create=False) as store:  # a reader does not change the store
        assert [r.mac for r in store.records()] == [None] * 3 and store.verify().ok
    monkeypatch.setenv("DROID_AUDIT_KEY", secrets.token_hex(20))
    _fill(backend, 2)
    with backend.open() as store:
        result = store.verify()
    assert (result.ok, result.count, result.keyed_from, result.macs_checked) == (True, 5, 4, 2)
