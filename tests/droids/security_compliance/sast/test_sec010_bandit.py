"""SEC010 with a real bandit run (its Python API, no subprocess) on small files and real git repos."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core import git as core_git
from droids.core.checks import CheckOutcome
from droids.core.errors import DroidError
from droids.core.models import Finding, Severity, TargetKind, Targets, Task
from droids.core.protocol import DroidContext
from droids.core.targets import staged_targets
from droids.security_compliance.sast import sec010_bandit
from tests.conftest import git

# one line after the imports; bandit test id, our severity (bandit severity x confidence)
MUST_FLAG = [
    ("subprocess.call(cmd, shell=True)", "B602", Severity.HIGH),  # HIGH x HIGH
    ('subprocess.call("ls -l", shell=True)', "B602", Severity.LOW),  # LOW x HIGH: a literal command
    ("os.system(cmd)", "B605", Severity.HIGH),
    ("hashlib.md5(data)", "B324", Severity.HIGH),
    ("requests.get(url, verify=False, timeout=3)", "B501", Severity.HIGH),
    ("pickle.loads(data)", "B301", Severity.MEDIUM),  # MEDIUM x HIGH
    ("yaml.load(text)", "B506", Severity.MEDIUM),
    ("eval(expr)", "B307", Severity.MEDIUM),
    ('cur.execute("SELECT * FROM fills WHERE id = %s" % fill_id)', "B608", Severity.MEDIUM),  # MEDIUM x MEDIUM
    ('HOST = "0.0.0.0"', "B104", Severity.MEDIUM),
    ("requests.get(url)", "B113", Severity.LOW),  # MEDIUM x LOW: one step lower
    ("random.random()", "B311", Severity.LOW),
    ("assert qty > 0", "B101", Severity.LOW),
    ("os.system(cmd)  # noqa: E501, S603", "B605", Severity.HIGH),  # ruff codes for other tests do not accept it
]
MUST_NOT_FLAG = [
    "subprocess.call(cmd, shell=True)  # nosec B602",
    "subprocess.call(cmd, shell=True)  # nosec",
    "subprocess.call(cmd, shell=True)  # noqa: S602 - the command is a constant list in disguise",
    "hashlib.md5(data)  # noqa: E501,S324",
    "hashlib.sha256(data)",
    "hashlib.md5(data, usedforsecurity=False)",
    "yaml.safe_load(text)",
    "ast.literal_eval(expr)",
    "requests.get(url, timeout=5)",
    'cur.execute("SELECT * FROM fills WHERE id = ?", (fill_id,))',
    'password = "not-a-real-one"',  # B105: SEC001/SEC003 own hard-coded credentials
]
IMPORTS = "import ast, hashlib, os, pickle, random, requests, subprocess, yaml  # nosec\n"


def _task(repo: Path, kind: TargetKind, paths: list[str] | None = None) -> Task:
    if paths is None:
        paths = list(staged_targets(repo).paths) if kind == "staged" else core_git.tracked_paths(repo)
    return Task(
        mode="audit" if kind == "tree" else "gate",
        profile="audit" if kind == "tree" else "ci",
        repo=repo,
        policies=repo / "policies",
        targets=Targets(kind=kind, paths=tuple(paths)),
    )


def _run(repo: Path, files: dict[str, str], kind: TargetKind = "paths") -> CheckOutcome:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    return sec010_bandit.run(_task(repo, kind, list(files)), DroidContext(repo / ".droid"))


def _ids(findings: list[Finding]) -> list[tuple[str | None, int | None, str]]:
    return [(f.path, f.line, f.bandit_test) for f in findings]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("code", "test_id", "severity"), MUST_FLAG, ids=[r[0][:50] for r in MUST_FLAG])
def test_bandit_findings_become_sec010_findings(tmp_path: Path, code: str, test_id: str, severity: Severity) -> None:
    outcome = _run(tmp_path, {"trading_core/job.py": IMPORTS + code + "\n"})

    (finding,) = [f for f in outcome.findings if f.bandit_test == test_id]  # type: ignore[attr-defined]
    assert (finding.rule, finding.path, finding.line, finding.severity) == (
        "SEC010",
        "trading_core/job.py",
        2,
        severity,
    )
    assert finding.title.startswith(f"Security anti-pattern (SAST): {test_id} ")
    assert finding.rule_ids() == ("SEC010", f"SEC010/{test_id}")  # what a suppression may name
    assert f"(bandit {test_id}, severity " in finding.message
    more_info = finding.more_info  # type: ignore[attr-defined]
    assert more_info.startswith("https://bandit.readthedocs.io/") and more_info in finding.fix
    assert f"# nosec {test_id}" in finding.fix


@pytest.mark.parametrize("code", MUST_NOT_FLAG, ids=[r[:50] for r in MUST_NOT_FLAG])
def test_safe_or_accepted_code_is_not_reported(tmp_path: Path, code: str) -> None:
    outcome = _run(tmp_path, {"app.py": IMPORTS + code + "\n"})

    assert outcome.findings == []


def test_nosec_results_are_counted(tmp_path: Path) -> None:
    outcome = _run(tmp_path, {"app.py": IMPORTS + "subprocess.call(cmd, shell=True)  # nosec B602\n"})

    assert outcome.metrics["sec010_nosec"] >= 1


@pytest.mark.parametrize("path", ["tests/test_orders.py", "conftest.py", "pkg/orders_test.py"])
def test_asserts_in_test_code_are_not_reported(tmp_path: Path, path: str) -> None:
    outcome = _run(tmp_path, {path: "def test_x():\n    assert 1 + 1 == 2\n"})

    assert outcome.findings == []
    assert outcome.metrics["sec010_asserts_in_tests"] == 1


def test_the_staged_blob_is_analysed_not_the_work_tree(git_repo: Path) -> None:
    (git_repo / "run.py").write_text("import os  # nosec\nos.system(cmd)\n")
    git(git_repo, "add", "run.py")
    (git_repo / "run.py").write_text("x = 1\n")
    (git_repo / "notes.md").write_text("not python\n")
    git(git_repo, "add", "notes.md")

    outcome = sec010_bandit.run(_task(git_repo, "staged"), DroidContext(git_repo / ".droid"))

    assert _ids(outcome.findings) == [("run.py", 2, "B605")]
    assert outcome.metrics["sec010_files"] == 1


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("", [("a.py", 2, "B602"), ("vendor/b.py", 2, "B602")]),
        ('skips = ["B602"]\n', []),
        ('exclude_dirs = ["vendor"]\n', [("a.py", 2, "B602")]),
        ('exclude_dirs = ["./vendor/"]\n', [("a.py", 2, "B602")]),
        ('tests = ["B105"]\n', [("a.py", 3, "B105"), ("vendor/b.py", 3, "B105")]),
    ],
    ids=["defaults", "skips", "exclude-dirs", "exclude-dirs-dotted", "tests-bring-back-b105"],
)
def test_tool_bandit_in_pyproject_is_honoured(
    tmp_path: Path, section: str, expected: list[tuple[str, int, str]]
) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.bandit]\n{section}")
    value = "hunt" + "er2"
    code = f'import subprocess  # nosec\nsubprocess.call(cmd, shell=True)\npassword = "{value}"\n'

    outcome = _run(tmp_path, {"a.py": code, "vendor/b.py": code})

    assert sorted(_ids(outcome.findings)) == expected
    cache_files = (tmp_path / ".droid" / "cache" / "security-compliance").glob("sec010-bandit.sqlite*")
    assert all(value.encode() not in p.read_bytes() for p in cache_files)  # bandit's B105 text quotes the value
    assert all(value not in f.model_dump_json() for f in outcome.findings)


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ('[tool.bandit]\nskips = ["B999"]\n', "pyproject.toml: [tool.bandit]: unknown bandit test id 'B999'"),
        ("[tool.bandit]\nskips = 'B101'\n", "pyproject.toml: [tool.bandit] skips: expected a list of bandit test ids"),
        ("[tool.bandit\n", "pyproject.toml: cannot read [tool.bandit]"),
        ("[tool.bandit]\nexclude_dirs = 3\n", "pyproject.toml: [tool.bandit] exclude_dirs: expected a list"),
    ],
)
def test_a_bad_bandit_section_is_bad_input(tmp_path: Path, pyproject: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject)

    with pytest.raises(DroidError, match=message.replace("[", r"\[").replace("]", r"\]")):
        _run(tmp_path, {"a.py": "x = 1\n"})


def test_an_unparsable_file_is_named_and_the_rest_analysed(tmp_path: Path) -> None:
    outcome = _run(tmp_path, {"broken.py": "def f(:\n", "ok.py": "import os  # nosec\nos.system(cmd)\n"})

    assert _ids(outcome.findings) == [("ok.py", 2, "B605")]
    assert outcome.notes == [
        "SEC010: bandit could not analyse 1 Python file(s): broken.py (syntax error while parsing AST from file)"
    ]


def test_results_are_cached_by_content_and_fingerprints_survive_moved_lines(tmp_path: Path) -> None:
    first = _run(tmp_path, {"a.py": "import os  # nosec\nos.system(cmd)\n", "b.py": "x = 1\n"})
    again = _run(tmp_path, {"a.py": "import os  # nosec\nos.system(cmd)\n", "b.py": "x = 1\n"})
    moved = _run(tmp_path, {"a.py": "import os  # nosec\n\n\nos.system(cmd)\n", "b.py": "x = 1\n"})

    assert (first.metrics["sec010_cache_hits"], again.metrics["sec010_cache_hits"]) == (0, 2)
    assert moved.metrics["sec010_cache_hits"] == 1
    assert [f.model_dump() for f in again.findings] == [f.model_dump() for f in first.findings]
    assert [f.line for f in moved.findings] == [4]
    assert moved.findings[0].fingerprint == first.findings[0].fingerprint


def test_a_damaged_cache_is_reset_and_said(tmp_path: Path) -> None:
    cache_dir = tmp_path / ".droid" / "cache" / "security-compliance"
    cache_dir.mkdir(parents=True)
    (cache_dir / "sec010-bandit.sqlite").write_bytes(b"this is not a database" * 100)

    outcome = _run(tmp_path, {"a.py": "import os  # nosec\nos.system(cmd)\n"})

    assert _ids(outcome.findings) == [("a.py", 2, "B605")]
    assert any("was damaged and has been reset" in note for note in outcome.notes)


def test_applies_only_to_python_targets(tmp_path: Path) -> None:
    assert sec010_bandit.applies(_task(tmp_path, "paths", ["a.py"]))
    assert not sec010_bandit.applies(_task(tmp_path, "paths", ["README.md", "policies/apex.yaml"]))
