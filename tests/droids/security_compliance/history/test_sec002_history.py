"""SEC002 end to end, in throw-away repositories made with real git: what history holds, where it came from,
whether it is still at HEAD, what a re-scan reads again, and that no secret value is ever written."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from droids.core import pool
from droids.core.checks import selected
from droids.core.errors import DroidError
from droids.core.fingerprint_key import FingerprintKey
from droids.core.models import Finding, Severity, Targets, Task
from droids.core.protocol import DroidContext
from droids.security_compliance.history import parallel, sec002_history
from droids.security_compliance.history.sec002_history import HistoryResult, scan_history
from droids.security_compliance.secrets.runner import scan_content
from droids.security_compliance.secrets.sec001_hardcoded_secret import findings_for
from tests import secret_values as sv
from tests.conftest import git
from tests.droids.security_compliance.history.test_sec002_gitlog import commit

KEY = FingerprintKey(os.urandom(32), "tests")  # the repository's fingerprint key, made at run time


def scan(repo: Path, since: str | None = None) -> HistoryResult:
    return scan_history(repo, repo / ".droid", since)


def secrets(result: HistoryResult) -> list[Finding]:
    return [f for f in result.findings if f.commit is not None]


def only(result: HistoryResult) -> Finding:
    (finding,) = secrets(result)
    return finding


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def test_a_key_committed_then_deleted_is_found_with_its_commit(git_repo: Path) -> None:
    key = sv.aws_access_key()
    added = commit(git_repo, {"trading_core/broker.py": f'import os\n\nKEY = "{key}"\n'}, "add broker")
    commit(git_repo, {"trading_core/broker.py": 'import os\n\nKEY = os.environ["KEY"]\n'}, "read it from env")

    finding = only(scan(git_repo))

    assert (finding.rule, finding.path, finding.line, finding.commit) == ("SEC002", "trading_core/broker.py", 3, added)
    assert finding.severity == Severity.CRITICAL
    extra = finding.model_dump()
    assert extra["author_email"] == "dev@example.com"
    assert extra["date"] == git(git_repo, "show", "-s", "--format=%aI", added).strip()
    assert (extra["still_at_head"], extra["still_at_head_same_path"], extra["head_paths"]) == (False, False, [])
    assert finding.evidence == key[:4] + "****"
    assert added[:12] in finding.message and "no longer at HEAD" in finding.message


def test_a_key_still_present_says_so(git_repo: Path) -> None:
    added = commit(git_repo, {"notify.sh": f'curl -H "Bearer {sv.slack_token()}" "$HOOK"\n'})
    commit(git_repo, {"other.txt": "unrelated\n"})

    finding = only(scan(git_repo))

    extra = finding.model_dump()
    assert (finding.commit, extra["still_at_head"], extra["still_at_head_same_path"]) == (added, True, True)
    assert extra["head_paths"] == ["notify.sh"]


def test_a_key_moved_to_another_file_is_still_at_head_elsewhere(git_repo: Path) -> None:
    line = f'GITHUB_TOKEN = "{sv.github_token()}"\n'
    added = commit(git_repo, {"ci/release.py": "import os\n" + line})
    commit(git_repo, {"ci/release.py": "import os\n", "ci/settings.py": "# moved\n" + line})

    found = {f.path: f.model_dump() for f in secrets(scan(git_repo))}

    assert found["ci/release.py"]["commit"] == added
    assert found["ci/release.py"]["still_at_head"] is True
    assert found["ci/release.py"]["still_at_head_same_path"] is False
    assert found["ci/release.py"]["head_paths"] == ["ci/settings.py"]
    assert found["ci/settings.py"]["head_paths"] == ["ci/settings.py"]


def test_a_renamed_file_keeps_the_commit_that_introduced_the_key(git_repo: Path) -> None:
    body = "".join(f"# line {i}\n" for i in range(20)) + f'password = "{sv.password()}"\n'
    added = commit(git_repo, {"old/conf.py": body})
    commit(git_repo, {"old/conf.py": None, "new/conf.py": body})

    finding = only(scan(git_repo))

    assert (finding.path, finding.commit) == ("old/conf.py", added)
    assert finding.model_dump()["head_paths"] == ["new/conf.py"]


# path, content template (the value goes in {v}), value, 1-based line
MUST_FLAG = [
    ("config.py", 'AWS_ACCESS_KEY_ID = "{v}"\n', sv.aws_access_key(1), 1),
    ("deploy/id_rsa", "{v}\nMIIEpAIBAAKCAQEA\n", sv.private_key_header(), 1),
    ("config/broker.yaml", "broker:\n  user: trader\n  password: {v}\n", sv.password(2), 3),
    (".env", "BROKER_USER=trader\nBROKER_PASSWORD={v}\n", sv.password(3), 2),
    ("web/pay.js", 'const stripeKey = "{v}";\n', sv.stripe_live_key(), 1),
    ("auth/session.txt", "token: {v}\n", sv.jwt(), 1),
    ("data/feed.py", 'TWELVE_DATA_API_KEY = "{v}"\n', sv.twelve_data_key(), 1),
    # bare values that only detect-secrets' YAML and INI readings put in quotes
    ("config/feed.yaml", "feed:\n  primary: {v}\n", sv.twelve_data_key(3), 2),
    ("setup.cfg", "[feed]\nprimary =\n    {v}\n", sv.aws_secret_key(3), 3),
    ("deploy.env", "# feed\nPRIMARY={v}\n", sv.aws_secret_key(4), 2),
]
# path, content template with {v}, value: nothing may be reported
MUST_NOT_FLAG = [
    ("checksums.py", 'EXPECTED_SHA256 = "{v}"\n', sv.sha256_hex()),
    ("models.py", 'RUN_ID = "{v}"\n', sv.a_uuid()),
    ("settings.py", 'password = "{v}"\n', "changeme"),
    ("pragma.py", 'password = "{v}"  # pragma: allowlist secret\n', sv.password(4)),
    ("nextline.py", '# pragma: allowlist nextline secret\nAWS = "{v}"\n', sv.aws_access_key(5)),
    ("feed.py", 'api_key = os.environ["{v}"]\n', "API_KEY"),
]


@pytest.mark.parametrize(("path", "template", "value", "line"), MUST_FLAG, ids=[c[0] for c in MUST_FLAG])
def test_must_flag_once_committed_even_after_removal_as_sec001_does(
    git_repo: Path, path: str, template: str, value: str, line: int
) -> None:
    content = template.format(v=value)
    added = commit(git_repo, {path: content})
    commit(git_repo, {path: None})

    finding = only(scan(git_repo))

    (at_head,) = findings_for(path, scan_content(path, content.encode()), frozenset(), KEY)  # SEC001 on that file
    assert (finding.path, finding.line, finding.commit) == (path, line, added)
    assert (finding.severity, finding.line, finding.evidence) == (at_head.severity, at_head.line, at_head.evidence)
    assert finding.message.split(" added to ")[0] == at_head.message.split(" hard-coded in ")[0]


@pytest.mark.parametrize(("path", "template", "value"), MUST_NOT_FLAG, ids=[c[0] for c in MUST_NOT_FLAG])
def test_must_not_flag(git_repo: Path, path: str, template: str, value: str) -> None:
    commit(git_repo, {path: template.format(v=value)})
    commit(git_repo, {path: None})

    assert secrets(scan(git_repo)) == []


def test_a_nextline_pragma_on_an_unchanged_line_still_applies(git_repo: Path) -> None:
    commit(git_repo, {"keys.py": "import os\n# pragma: allowlist nextline secret\nPLACEHOLDER = 1\n"})
    commit(git_repo, {"keys.py": f'import os\n# pragma: allowlist nextline secret\nAWS = "{sv.aws_access_key(6)}"\n'})

    assert secrets(scan(git_repo)) == []


def test_a_key_on_a_branch_never_merged_is_found(git_repo: Path) -> None:
    git(git_repo, "checkout", "-q", "-b", "experiment")
    added = commit(git_repo, {"exp.py": f'token = "{sv.github_token(7)}"\n'})
    git(git_repo, "checkout", "-q", "main")

    finding = only(scan(git_repo))

    assert finding.commit == added
    assert finding.model_dump()["still_at_head"] is False


def test_a_merge_that_introduces_a_key_is_named(git_repo: Path) -> None:
    commit(git_repo, {"conf.py": "a = 1\nb = 2\nc = 3\n"})
    git(git_repo, "checkout", "-q", "-b", "side")
    commit(git_repo, {"conf.py": "a = 1\nb = 'side'\nc = 3\n"})
    git(git_repo, "checkout", "-q", "main")
    commit(git_repo, {"conf.py": "a = 1\nb = 'main'\nc = 3\n"})
    subprocess.run(["git", "-C", str(git_repo), "merge", "-q", "side"], capture_output=True, check=False)
    (git_repo / "conf.py").write_text(f'a = 1\nb = "{sv.stripe_live_key(8)}"\nc = 3\n')
    git(git_repo, "commit", "-q", "-am", "merge side")

    finding = only(scan(git_repo))

    assert (finding.commit, finding.line) == (head(git_repo), 2)


def test_a_second_run_after_one_new_commit_scans_only_that_commit(git_repo: Path) -> None:
    for i in range(5):
        commit(git_repo, {f"mod{i}.py": f"value = {i}\n"})
    commit(git_repo, {"old.py": f'password = "{sv.password(9)}"\n'})
    first = scan(git_repo)
    assert first.metrics["incremental"] is False
    assert first.metrics["commits_scanned"] == 7

    nothing = scan(git_repo)
    new = commit(git_repo, {"new.py": f'token = "{sv.github_token(10)}"\n', "mod1.py": "value = 11\n"})
    second = scan(git_repo)

    assert (nothing.metrics["commits_scanned"], nothing.metrics["blobs_new"]) == (0, 0)
    assert second.metrics["incremental"] is True
    assert (second.metrics["commits_scanned"], second.metrics["blobs_new"]) == (1, 2)
    assert sorted((f.path, f.commit == new) for f in secrets(second)) == [("new.py", True), ("old.py", False)]


def test_a_blob_that_comes_back_is_not_scanned_again(git_repo: Path) -> None:
    content = f'password = "{sv.password(11)}"\n'
    added = commit(git_repo, {"a.py": content})
    commit(git_repo, {"a.py": "password = None\n"})
    scan(git_repo)
    git(git_repo, "revert", "--no-edit", "HEAD")

    result = scan(git_repo)

    assert result.metrics["blobs_new"] == 0
    finding = only(result)
    assert finding.commit == added
    assert finding.model_dump()["still_at_head"] is True
    assert finding.model_dump()["commits_adding"] == 2


def test_no_secret_value_reaches_the_result_or_the_state_directory(git_repo: Path) -> None:
    values = [sv.aws_access_key(12), sv.password(12), sv.github_token(12)]
    commit(git_repo, {"a.py": f'AWS = "{values[0]}"\npassword = "{values[1]}"\n', "b.sh": f"export T={values[2]}\n"})
    commit(git_repo, {"a.py": None})

    result = scan(git_repo)
    scan(git_repo)

    assert len(secrets(result)) == 3
    dumped = json.dumps([f.model_dump(mode="json") for f in result.findings]) + json.dumps(result.metrics)
    dumped += "".join(result.notes)
    state = b"".join(p.read_bytes() for p in (git_repo / ".droid").rglob("*") if p.is_file())
    assert state
    for value in values:
        assert value not in dumped
        assert value.encode() not in state


def test_since_reports_only_what_came_after(git_repo: Path) -> None:
    commit(git_repo, {"early.py": f'password = "{sv.password(13)}"\n'})
    commit(git_repo, {"mid.txt": "nothing\n"})
    git(git_repo, "tag", "v1")
    later = commit(git_repo, {"late.py": f'token = "{sv.github_token(13)}"\n'})

    since = scan(git_repo, since="v1")
    everything = scan(git_repo)

    assert [(f.path, f.commit) for f in secrets(since)] == [("late.py", later)]
    assert sorted(f.path for f in secrets(everything)) == ["early.py", "late.py"]


@pytest.mark.parametrize("since", ["no-such-ref", "v9.9", "--all", ""])
def test_an_unknown_since_is_bad_input(git_repo: Path, since: str) -> None:
    with pytest.raises(DroidError, match=r"--since .*: no such commit"):
        scan(git_repo, since=since)


def test_a_shallow_clone_says_what_it_could_not_check(git_repo: Path, tmp_path: Path) -> None:
    commit(git_repo, {"old.py": f'password = "{sv.password(14)}"\n'})
    commit(git_repo, {"old.py": None})
    commit(git_repo, {"keep.py": f'token = "{sv.github_token(14)}"\n'})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{git_repo}", str(shallow))

    result = scan(shallow)

    notice = [f for f in result.findings if f.commit is None]
    assert [(f.rule, f.severity) for f in notice] == [("SEC002", Severity.LOW)]
    assert any("shallow clone" in note and "not scanned" in note for note in result.notes)
    (kept,) = secrets(result)
    assert kept.path == "keep.py" and "shallow clone" in kept.message and "maybe earlier" in kept.message

    git(shallow, "fetch", "-q", "--unshallow")
    whole = scan(shallow)

    assert sorted(f.path for f in whole.findings) == ["keep.py", "old.py"]
    assert not any("maybe earlier" in f.message for f in whole.findings)
    assert any("shallow boundary changed" in note for note in whole.notes)


def test_a_repository_without_commits_has_nothing_to_scan(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "empty")

    result = scan(tmp_path / "empty")

    assert result.findings == []
    assert any("no commits" in note for note in result.notes)


def test_a_detached_head_is_scanned_and_named(git_repo: Path) -> None:
    added = commit(git_repo, {"k.py": f'token = "{sv.github_token(15)}"\n'})
    commit(git_repo, {"k.py": None})
    git(git_repo, "checkout", "-q", "--detach", added)

    result = scan(git_repo)

    assert any("detached" in note for note in result.notes)
    assert only(result).model_dump()["still_at_head"] is True


def test_a_path_that_is_not_a_repository_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(DroidError, match="not a git repository"):
        scan(tmp_path)


def test_binary_and_huge_blobs_are_skipped_with_notes(git_repo: Path) -> None:
    key = sv.aws_access_key(16)
    big = ("# filler line of text\n" * 110_000 + f'AWS = "{key}"\n').encode()
    binary = bytes(range(256)) * 8 + f'AWS = "{key}"'.encode()
    commit(git_repo, {"img.bin": binary, "data/big.py": big})

    result = scan(git_repo)

    assert secrets(result) == []
    assert any("binary" in note and "img.bin" in note for note in result.notes)
    assert any("over 2 MB" in note and "data/big.py" in note for note in result.notes)


def test_a_stray_nul_does_not_hide_a_key_in_history(git_repo: Path) -> None:
    key = sv.aws_access_key(17)
    commit(git_repo, {"notes.txt": f'# \0 one NUL\nAWS = "{key}"\n'.encode()})
    assert [f.path for f in secrets(scan(git_repo))] == ["notes.txt"]


def test_rewritten_history_drops_what_no_ref_reaches(git_repo: Path) -> None:
    git(git_repo, "checkout", "-q", "-b", "leak")
    commit(git_repo, {"leak.py": f'token = "{sv.github_token(17)}"\n'})
    git(git_repo, "checkout", "-q", "main")
    assert len(secrets(scan(git_repo))) == 1
    git(git_repo, "branch", "-q", "-D", "leak")

    result = scan(git_repo)

    assert secrets(result) == []
    assert any("rewritten" in note for note in result.notes)


def test_a_rebased_branch_keeps_its_finding_under_the_new_commit(git_repo: Path) -> None:
    git(git_repo, "checkout", "-q", "-b", "topic")
    commit(git_repo, {"topic.py": f'token = "{sv.github_token(18)}"\n'})
    git(git_repo, "checkout", "-q", "main")
    commit(git_repo, {"main.txt": "main moves on\n"})
    scan(git_repo)
    git(git_repo, "checkout", "-q", "topic")
    git(git_repo, "rebase", "-q", "main")
    rebased = head(git_repo)

    assert only(scan(git_repo)).commit == rebased


def test_the_baseline_suppresses_an_accepted_secret(git_repo: Path) -> None:
    from detect_secrets.core.potential_secret import PotentialSecret

    value = sv.password(19)
    commit(git_repo, {"conf.py": f'password = "{value}"\n'})
    baseline = {"results": {"conf.py": [{"hashed_secret": PotentialSecret.hash_secret(value)}]}}
    (git_repo / ".secrets.baseline").write_text(json.dumps(baseline))

    finding = only(scan(git_repo))

    assert (finding.suppressed, finding.suppression) == (True, ".secrets.baseline")


def test_workers_find_what_one_process_finds(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(12):
        commit(git_repo, {f"f{i}.py": f'password = "{sv.password(100 + i)}"\n' if i % 3 == 0 else f"x = {i}\n"})
    alone = scan_history(git_repo, git_repo / ".droid-one")
    monkeypatch.setattr(parallel, "POOL_MIN_COMMITS", 1)
    monkeypatch.setattr(pool, "available_cores", lambda: 2)

    spread = scan_history(git_repo, git_repo / ".droid-two")

    assert spread.metrics["workers"] == 2
    assert [f.model_dump() for f in spread.findings] == [f.model_dump() for f in alone.findings]
    assert len(alone.findings) == 4


def _task(mode: str, kind: str = "tree", request: str = "") -> Task:
    profile = {"gate": "pre-commit"}.get(mode, mode)
    return Task(mode=mode, profile=profile, request=request, repo=Path("."), policies=Path("."),  # type: ignore[arg-type]
                targets=Targets(kind=kind))  # type: ignore[arg-type]  # fmt: skip


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (_task("audit"), True),
        (_task("run"), True),
        (_task("run", "paths"), False),
        (_task("gate", "staged"), False),
        (_task("gate", "base"), False),
        (_task("ask", request="any secrets in the git history?"), True),
        (_task("ask", request="which commit leaked a key"), True),
        (_task("ask", request="scan for secrets"), False),
    ],
)
def test_it_applies_to_audits_whole_runs_and_questions_about_history(task: Task, expected: bool) -> None:
    """It runs for audits and whole-tree runs, and for a question only when the question names history."""
    assert (sec002_history in selected([sec002_history], task)) is expected  # type: ignore[list-item]


def test_the_check_reports_through_the_droid_context(git_repo: Path) -> None:
    commit(git_repo, {"a.py": f'token = "{sv.github_token(20)}"\n'})
    task = Task(mode="audit", profile="audit", repo=git_repo, policies=git_repo, targets=Targets(kind="tree"))

    outcome = sec002_history.run(task, DroidContext(git_repo / ".droid"))

    assert [f.path for f in outcome.findings] == ["a.py"]
    assert outcome.metrics["history"]["commits_scanned"] == 2
    assert (git_repo / ".droid" / "sec002-history.sqlite").is_file()


def _garbage_state(state: Path) -> None:
    state.mkdir(parents=True)
    (state / "sec002-history.sqlite").write_bytes(b"this is not a database" * 100)


def _state_is_a_file(state: Path) -> None:
    state.write_text("not a directory")


@pytest.mark.parametrize(
    ("damage", "note"),
    [(_garbage_state, "has been reset: full re-scan"), (_state_is_a_file, "scanned everything, remembered nothing")],
    ids=["damaged state file", "state directory unusable"],
)
def test_a_broken_state_costs_a_full_scan_never_a_finding(git_repo: Path, damage: object, note: str) -> None:
    added = commit(git_repo, {"a.py": f'token = "{sv.github_token(21)}"\n'})
    damage(git_repo / ".droid")  # type: ignore[operator]

    result = scan(git_repo)

    assert only(result).commit == added
    assert any(note in n for n in result.notes)


def test_a_re_scan_reads_only_the_head_files_it_has_not_seen(git_repo: Path) -> None:
    line = f'STRIPE = "{sv.stripe_live_key(22)}"\n'
    commit(git_repo, {"pay.js": line, **{f"doc{i}.txt": f"page {i}\n" for i in range(6)}})
    commit(git_repo, {"pay.js": "// moved out\n", "billing.js": "// billing\n" + line})
    first = scan(git_repo)
    again = scan(git_repo)
    commit(git_repo, {"refunds.js": "// refunds\n" + line})

    third = scan(git_repo)

    assert first.metrics["head_blobs_read"] == 9  # README, 6 pages, pay.js, billing.js
    assert again.metrics["head_blobs_read"] == 0
    assert third.metrics["head_blobs_read"] == 1
    found = {f.path: f.model_dump()["head_paths"] for f in secrets(third)}
    assert found["pay.js"] == ["billing.js", "refunds.js"]
