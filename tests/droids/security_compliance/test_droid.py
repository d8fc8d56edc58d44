"""The security-compliance droid's SEC001 on real git repositories: what it scans, suppresses, skips
and keeps. SEC001 runs through the same `run_checks` loop as the droid, alone: the droid's other
checks (and the policies some of them need) have their own tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from droids.core import git as core_git
from droids.core import pool
from droids.core.checks import run_checks
from droids.core.errors import DroidError
from droids.core.models import DroidReport, TargetKind, Targets, Task
from droids.core.protocol import DroidContext
from droids.core.registry import Registry
from droids.core.targets import base_targets, staged_targets
from droids.security_compliance.droid import SecurityComplianceDroid
from droids.security_compliance.secrets import runner, sec001_hardcoded_secret
from tests import secret_values as sv
from tests.conftest import git
from tests.droids.security_compliance.secrets import field_values as fv


def _run(repo: Path, kind: TargetKind, paths: list[str] | None = None, base: str | None = None) -> DroidReport:
    if paths is None:
        paths = {
            "staged": lambda: list(staged_targets(repo).paths),
            "tree": lambda: core_git.tracked_paths(repo),
            "base": lambda: list(base_targets(repo, base or "HEAD").paths),
        }[kind]()
    task = Task(
        mode="gate" if kind != "tree" else "audit",
        profile="pre-commit" if kind == "staged" else "audit",
        repo=repo,
        policies=repo / "policies",
        targets=Targets(kind=kind, paths=tuple(paths), base=base),
    )
    droid = Registry([SecurityComplianceDroid]).get("security-compliance")
    assert droid is not None
    return run_checks(droid.card.name, (sec001_hardcoded_secret,), task, DroidContext(repo / ".droid"))


def test_sec001_is_one_of_the_droids_checks_and_rules() -> None:
    from droids.security_compliance import droid

    assert sec001_hardcoded_secret in droid.CHECKS
    assert "SEC001" in {rule.id for rule in SecurityComplianceDroid.RULES}


def _where(report: DroidReport) -> list[tuple[str | None, int | None, bool]]:
    return [(f.path, f.line, f.suppressed) for f in report.findings]


def _stage(repo: Path, name: str, text: str | bytes) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    git(repo, "add", name)


def test_a_staged_aws_key_is_reported_at_its_path_and_line(git_repo: Path) -> None:
    _stage(git_repo, "trading_core/broker.py", f'import os\n\nKEY = "{sv.aws_access_key()}"\n')

    report = _run(git_repo, "staged")

    assert _where(report) == [("trading_core/broker.py", 3, False)]
    assert report.rules_checked == ["SEC001"]
    assert report.findings[0].severity.value == "critical"
    assert report.metrics["files_scanned"] == 1


@pytest.mark.parametrize(
    ("index_text", "work_text", "expected"),
    [
        ('KEY = "{key}"\n', "KEY = None\n", [("cfg.py", 1, False)]),
        ("KEY = None\n", 'KEY = "{key}"\n', []),
    ],
    ids=["secret-only-in-index", "secret-only-in-work-tree"],
)
def test_the_index_wins_over_the_work_tree(
    git_repo: Path, index_text: str, work_text: str, expected: list[tuple[str, int, bool]]
) -> None:
    key = sv.github_token(1)
    _stage(git_repo, "cfg.py", index_text.format(key=key))
    (git_repo / "cfg.py").write_text(work_text.format(key=key))

    assert _where(_run(git_repo, "staged")) == expected


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("a.py", 'KEY = "{key}"  # pragma: allowlist secret\n'),
        ("a.js", 'const KEY = "{key}"; // pragma: allowlist secret\n'),
        ("a.yaml", "key: {key}  # pragma: allowlist secret\n"),
        ("b.py", '# pragma: allowlist nextline secret\nKEY = "{key}"\n'),
    ],
)
def test_the_pragma_suppresses(git_repo: Path, name: str, line: str) -> None:
    _stage(git_repo, name, line.format(key=sv.aws_access_key(2)))

    assert _run(git_repo, "staged").findings == []


def test_secrets_listed_in_the_detect_secrets_baseline_are_reported_as_suppressed(git_repo: Path) -> None:
    known, new = sv.stripe_live_key(1), sv.stripe_live_key(2)
    _stage(git_repo, "pay.py", f'KEY = "{known}"\n')
    baseline = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "pay.py"],
        cwd=git_repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (git_repo / ".secrets.baseline").write_text(baseline)
    _stage(git_repo, "pay.py", f'KEY = "{known}"\nOTHER = "{new}"\n')
    git(git_repo, "add", ".secrets.baseline")

    report = _run(git_repo, "staged")

    assert _where(report) == [("pay.py", 1, True), ("pay.py", 2, False)]
    assert report.findings[0].suppression == ".secrets.baseline"
    assert report.metrics["suppressed_by_baseline"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"results": {', ".secrets.baseline:1: not a detect-secrets baseline: invalid JSON"),
        ('{"version": "1.5.0"}', "expected an object with a 'results' object"),
        ('{"results": {"a.py": {}}}', "results.a.py: expected a list of secrets"),
        ('{"results": {"a.py": [{"type": "x"}]}}', "results.a.py[0]: expected an object with a 'hashed_secret' string"),
        ("[1, 2]", "expected an object with a 'results' object"),
    ],
)
def test_a_corrupt_baseline_is_bad_input(git_repo: Path, content: str, message: str) -> None:
    (git_repo / ".secrets.baseline").write_text(content)
    _stage(git_repo, "a.py", "x = 1\n")

    with pytest.raises(DroidError) as caught:
        _run(git_repo, "staged")

    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_binary_non_utf8_and_oversized_files_never_crash(git_repo: Path) -> None:
    key = sv.aws_access_key(4)
    _stage(git_repo, "img/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + os.urandom(256))
    _stage(git_repo, "legacy/conf.py", f'# caf\xe9 \xff\xfe\nKEY = "{key}"\n'.encode("latin-1"))
    _stage(git_repo, "data/huge.csv", b"a,b\n" * (runner.MAX_FILE_BYTES // 4 + 1))

    report = _run(git_repo, "staged")

    assert _where(report) == [("legacy/conf.py", 2, False)]
    notes = "\n".join(report.notes)
    assert "scanned 1 binary file as printable strings: img/logo.png" in notes
    assert "over 2 MB" not in notes  # a gate reads a large file too: nothing it judges passes unread
    assert "1 file not UTF-8, scanned with replacement characters: legacy/conf.py" in notes
    metrics = report.metrics
    assert (metrics["binary_as_strings"], metrics["skipped_oversized"], metrics["non_utf8"]) == (1, 0, 1)


def test_a_huge_pathological_line_finishes_and_says_how(git_repo: Path) -> None:
    # ~1.4 MB on one line in the shape that costs upstream detect-secrets minutes per file.
    key = sv.github_token(5)
    line = ":pypi:`pytest-x` = y(z) " * 30_000 + f'token = "{key}" ' + "a = b(c) " * 30_000
    _stage(git_repo, "doc/plugin_list.rst", "Plugins\n=======\n\n" + line + "\n")

    report = _run(git_repo, "staged")

    assert _where(report) == [("doc/plugin_list.rst", 4, False)]
    assert any("over 4,096 characters scanned in overlapping windows" in n for n in report.notes)
    assert report.metrics["long_lines"] == 1


def test_a_secret_value_appears_in_no_report_and_nowhere_in_the_cache(git_repo: Path) -> None:
    secrets = [sv.aws_access_key(6), sv.github_token(6), sv.password(6), sv.stripe_live_key(6), sv.jwt(6)]
    text = "".join(
        f'{name} = "{value}"\n' for name, value in zip(["a", "b", "password", "d", "e"], secrets, strict=True)
    )
    _stage(git_repo, "leak.py", text)

    report = _run(git_repo, "staged")

    assert len(report.findings) == len(secrets)
    dumped = report.model_dump_json()
    stored = b"".join(p.read_bytes() for p in (git_repo / ".droid").rglob("*") if p.is_file())
    assert stored  # the cache was written
    for secret in secrets:
        assert secret not in dumped
        assert secret.encode() not in stored
        assert secret[4:].encode() not in stored


def test_a_second_run_with_no_changes_rescans_nothing(git_repo: Path) -> None:
    for i in range(5):
        _stage(git_repo, f"m{i}.py", f'K{i} = "{sv.aws_access_key(10 + i)}"\nx = {i}\n')
    git(git_repo, "commit", "-q", "-m", "five")

    first = _run(git_repo, "tree")
    second = _run(git_repo, "tree")
    (git_repo / "m0.py").write_text("x = 0\n")
    third = _run(git_repo, "tree")

    assert (first.metrics["files_scanned"], first.metrics["cache_hits"]) == (6, 0)
    assert (second.metrics["files_scanned"], second.metrics["cache_hits"]) == (0, 6)
    assert second.findings == first.findings
    assert (third.metrics["files_scanned"], third.metrics["cache_hits"]) == (1, 5)
    assert [f.path for f in third.findings] == ["m1.py", "m2.py", "m3.py", "m4.py"]


def test_a_new_scanner_version_does_not_reuse_old_results(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stage(git_repo, "k.py", f'K = "{sv.aws_access_key(20)}"\n')
    _run(git_repo, "staged")
    monkeypatch.setattr(runner, "ENGINE_VERSION", runner.ENGINE_VERSION + "-next")

    report = _run(git_repo, "staged")

    assert (report.metrics["files_scanned"], report.metrics["cache_hits"]) == (1, 0)


@pytest.mark.parametrize("edited", ["plugins/webhooks.py", "false_positives.py"])
def test_a_change_to_the_scanner_or_its_plugins_does_not_reuse_old_results(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, edited: str
) -> None:
    import shutil

    _stage(git_repo, "k.py", f'K = "{sv.aws_access_key(22)}"\n')
    _run(git_repo, "staged")
    copy = tmp_path / "secret_scan"
    shutil.copytree(Path(runner.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(runner, "_SOURCE", copy)
    monkeypatch.setattr(runner, "source_digest", runner.source_digest.__wrapped__)  # no memo in this test
    same = runner.settings_key()
    (copy / edited).write_text((copy / edited).read_text() + "\n# a new pattern\n")

    report = _run(git_repo, "staged")

    assert ";source=" in same and same != runner.settings_key()
    assert (report.metrics["files_scanned"], report.metrics["cache_hits"]) == (1, 0)


def test_a_damaged_cache_is_reset_not_trusted(git_repo: Path) -> None:
    _stage(git_repo, "k.py", f'K = "{sv.aws_access_key(21)}"\n')
    _run(git_repo, "staged")
    cache_file = git_repo / ".droid" / "cache" / "security-compliance" / "sec001-scan.sqlite"
    for leftover in cache_file.parent.iterdir():
        leftover.unlink()
    cache_file.write_bytes(b"this is not a database" * 100)

    report = _run(git_repo, "staged")

    assert _where(report) == [("k.py", 1, False)]
    assert any("was damaged and has been reset" in n for n in report.notes)
    assert _run(git_repo, "staged").metrics["cache_hits"] == 1


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores for a pool")
def test_a_large_scan_uses_a_process_pool_with_the_same_findings(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(6):
        _stage(git_repo, f"pkg/f{i}.py", f'K = "{sv.aws_access_key(30 + i)}"\n' + "x = 1\n" * 200)
    # SEC001's own plugins run in the workers too.
    _stage(git_repo, "pkg/feed.py", f'r = requests.get("{fv.twelve_data_url(30)[0]}")\n')
    _stage(git_repo, "config/broker.yaml", f"tradovate:\n  cid: 8\n  sec: {fv.tradovate_sec(30)}\n")
    git(git_repo, "commit", "-q", "-m", "six")
    inline = _run(git_repo, "tree")
    monkeypatch.setattr(runner, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(runner, "ENGINE_VERSION", "pool-test")  # miss the cache

    pooled = _run(git_repo, "tree")

    assert pooled.metrics["workers"] == min(runner.MAX_WORKERS, len(os.sched_getaffinity(0)))
    assert inline.metrics["workers"] == 1
    assert pooled.findings == inline.findings
    named = {f.path: f.message.split(" hard-coded")[0] for f in pooled.findings}
    assert (named["pkg/feed.py"], named["config/broker.yaml"]) == ("Twelve Data API Key", "Tradovate Credentials")


def test_failing_workers_fall_back_to_one_process_and_say_so(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(3):
        _stage(git_repo, f"w{i}.py", f'K = "{sv.aws_access_key(60 + i)}"\n')
    monkeypatch.setattr(runner, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(pool, "available_cores", lambda: 2)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # every worker exits 1

    report = _run(git_repo, "staged")

    assert [f.path for f in report.findings] == ["w0.py", "w1.py", "w2.py"]
    assert report.metrics["workers"] == 1
    assert any(n.startswith("parallel scan failed, scanned in one process instead") for n in report.notes)


def test_the_diff_against_a_base_ref_is_scanned(git_repo: Path) -> None:
    _stage(git_repo, "old.py", f'OLD = "{sv.github_token(40)}"\n')
    git(git_repo, "commit", "-q", "-m", "old secret, already on main")
    git(git_repo, "checkout", "-q", "-b", "feature")
    (git_repo / "new.py").write_text(f'NEW = "{sv.github_token(41)}"\n')
    git(git_repo, "add", "new.py")

    report = _run(git_repo, "base", base="main")

    assert _where(report) == [("new.py", 1, False)]


def test_the_whole_tree_is_scanned_for_an_audit(git_repo: Path) -> None:
    _stage(git_repo, "a/b/c.py", f'A = "{sv.aws_access_key(50)}"\n')
    _stage(git_repo, "config/app.yaml", f"db:\n  password: {sv.password(50)}\n")
    git(git_repo, "commit", "-q", "-m", "two")

    report = _run(git_repo, "tree")

    assert _where(report) == [("a/b/c.py", 1, False), ("config/app.yaml", 2, False)]


def test_an_unreadable_path_is_bad_input(git_repo: Path) -> None:
    with pytest.raises(DroidError, match=r"^missing\.py: cannot read \("):
        _run(git_repo, "paths", paths=["missing.py"])


def test_the_report_is_valid_json_with_rules_and_metrics(git_repo: Path) -> None:
    _stage(git_repo, "x.py", "x = 1\n")
    data = json.loads(_run(git_repo, "staged").model_dump_json())
    assert data["name"] == "security-compliance"
    assert data["status"] == "ok"
    assert data["rules_checked"] == ["SEC001"]
    assert {"files", "files_scanned", "cache_hits", "bytes", "binary_as_strings", "workers"} <= set(data["metrics"])


def test_importing_the_droid_does_not_import_detect_secrets() -> None:
    code = "import sys, droids; from droids.core.registry import load_registry; load_registry(); " + (
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('detect_secrets', 'requests')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
