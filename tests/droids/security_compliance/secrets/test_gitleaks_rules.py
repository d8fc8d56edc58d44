"""A repository's `.gitleaks.toml` rules run as SEC001 subrules, on real files of a real git repository."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.models import Finding, Targets, Task
from droids.core.policy import GatesPolicy, Suppression
from droids.core.protocol import DroidContext
from droids.security_compliance.secrets import sec001_hardcoded_secret as sec001
from droids.security_compliance.secrets.gitleaks_config import load_gitleaks
from droids.security_compliance.secrets.runner import scan_content
from orchestrator.resolve import merge_findings
from tests import secret_values as sv
from tests.conftest import git
from tests.orchestrator.cli.helpers import droid

INTERNAL = "desk" + "tok_"  # the team's own token format: a prefix and 32 letters or digits
CONFIG = """
title = "desk rules"

[extend]
useDefault = true

[[rules]]
id = "internal-token"
description = "Desk service token"
regex = '''(?i)(?:token|auth)\\s*[:=]\\s*["']?(PREFIX[A-Za-z0-9]{32})'''
secretGroup = 1
entropy = 3.0
keywords = ["PREFIX"]

  [[rules.allowlists]]
  stopwords = ["example"]

  [[rules.allowlists]]
  condition = "AND"
  paths = ['''^fixtures/''']
  regexes = ['''^PREFIXtest''']

[[rules]]
id = "ops-db-dump"
description = "Production database dump"
path = '''\\.dump$'''

[[allowlists]]
description = "vendored code"
paths = ['''(^|/)vendor/''']
""".replace("PREFIX", INTERNAL)


def _token(seed: int, head: str = "") -> str:
    return INTERNAL + (head + sv.random_part("desk", seed, sv._ALNUM, 32))[:32]


def _repo(git_repo: Path, files: dict[str, str], config: str = CONFIG) -> Path:
    (git_repo / ".gitleaks.toml").write_text(config)
    for name, text in files.items():
        (git_repo / name).parent.mkdir(parents=True, exist_ok=True)
        (git_repo / name).write_text(text)
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "files")
    return git_repo


def _check(repo: Path) -> tuple[list[Finding], list[str]]:
    task = Task(mode="audit", profile="audit", repo=repo, policies=repo / "policies",
                targets=Targets(kind="tree", paths=tuple(git(repo, "ls-files").split())))  # fmt: skip
    ctx = DroidContext(repo / ".droid")
    findings, notes, _metrics = sec001.check(task, ctx.cache_dir("security-compliance"), ctx.workspace(task))
    return findings, notes


def test_a_team_rule_finds_its_token_as_a_sec001_subrule(git_repo: Path) -> None:
    token = _token(1)
    repo = _repo(git_repo, {"svc/client.py": f'AUTH = "{token}"\n', "ops/prod.dump": "x\n"})

    findings, notes = _check(repo)

    by_path = {f.path: f for f in findings}
    found = by_path["svc/client.py"]
    assert found.message.startswith("Desk service token (gitleaks rule internal-token) hard-coded in svc/client.py")
    assert (found.line, found.severity.value, found.evidence) == (1, "high", token[:4] + "****")
    assert found.rule_ids() == ("SEC001", "SEC001/internal-token")
    assert token not in json.dumps([f.model_dump(mode="json") for f in findings])
    dump = by_path["ops/prod.dump"]
    assert (dump.line, dump.evidence, dump.rule_ids()[1]) == (None, None, "SEC001/ops-db-dump")
    assert any("useDefault is ignored" in note for note in notes)


@pytest.mark.parametrize(
    ("path", "line", "reported"),
    [
        ("svc/a.py", 'token = "{token}"', True),
        ("svc/b.py", 'token = "{token}"  # gitleaks:allow', False),  # gitleaks' own inline allow
        ("svc/c.py", 'token = "{token}"  # pragma: allowlist secret', False),  # SEC001's
        ("vendor/lib/d.py", 'token = "{token}"', False),  # global allowlist: path
        ("svc/e.py", 'token = "{example}"', False),  # rule allowlist: stopword in the secret
        ("fixtures/f.py", 'token = "{test}"', False),  # AND allowlist: path and regex both hold
        ("svc/g.py", 'token = "{test}"', True),  # ...the regex alone does not
        ("svc/h.py", 'name = "{token}"', False),  # the rule's regex needs `token`/`auth` before it
        ("svc/i.py", 'token = "{flat}"', False),  # entropy not above 3.0
    ],
)
def test_allowlists_entropy_and_keywords_as_gitleaks_applies_them(
    git_repo: Path, path: str, line: str, reported: bool
) -> None:
    values = {
        "token": _token(2),
        "example": _token(3, "example"),
        "test": _token(4, "test"),
        "flat": INTERNAL + "ab" * 16,
    }
    repo = _repo(git_repo, {path: line.format(**values) + "\n"})

    findings, _ = _check(repo)

    assert any(f.rule_ids()[-1] == "SEC001/internal-token" for f in findings if f.path == path) is reported


def test_a_policy_suppression_can_name_the_subrule(git_repo: Path) -> None:
    repo = _repo(
        git_repo, {"svc/client.py": f'AUTH = "{_token(5)}"\n', "svc/keys.py": f'GH = "{sv.github_token(5)}"\n'}
    )
    findings, _ = _check(repo)
    from droids.core.models import DroidReport

    report = DroidReport(name="security-compliance", findings=findings)
    profiles = {p: {"block_at": "high", "warn_at": "low"} for p in ("pre-commit", "ci", "audit", "ask", "run")}
    gates = GatesPolicy.model_validate(
        {"version": 1, "profiles": profiles,
         "suppressions": [Suppression(rule="SEC001/internal-token", paths=("svc/**",), reason="rotated")]}
    )  # fmt: skip

    merged = merge_findings([report], gates, frozenset(), date.today())

    assert {(f.path, f.suppressed) for f in merged} == {("svc/client.py", True), ("svc/keys.py", False)}


def test_extend_path_and_disabled_rules(git_repo: Path) -> None:
    base = CONFIG.replace("[extend]\nuseDefault = true\n", "")
    config = '[extend]\npath = "ci/base-gitleaks.toml"\ndisabledRules = ["ops-db-dump"]\n'
    (git_repo / "ci").mkdir()
    (git_repo / "ci" / "base-gitleaks.toml").write_text(base)
    repo = _repo(git_repo, {"svc/client.py": f'AUTH = "{_token(6)}"\n', "ops/prod.dump": "x\n"}, config)

    findings, _ = _check(repo)

    assert {f.rule_ids()[-1] for f in findings} == {"SEC001/internal-token"}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[[rules]\nid = 'x'\n", ".gitleaks.toml: not valid TOML: "),
        ("[[rules]]\ndescription = 'no id'\nregex = 'a'\n", "toml: rules[0].id: expected a non-empty rule id"),
        ("[[rules]]\nid = 'x'\nregex = '(a)\\1'\n", ".gitleaks.toml: rules[0] (x).regex: not a regular expression"),
        ("[[rules]]\nid = 'x'\nregex = '(?=a)b'\n", ".gitleaks.toml: rules[0] (x).regex: not a regular expression"),
        ("[[rules]]\nid = 'x'\nregex = 'a(b)'\nsecretGroup = 2\n", "(x).secretGroup: expected at most 1"),
        ("[[rules]]\nid = 'x'\nregex = 'a'\nkeywords = 'a'\n", "toml: rules[0] (x).keywords: expected an array"),
        ("[[rules]]\nid = 'x'\nregex = 'a'\n[[rules]]\nid = 'x'\nregex = 'b'\n", "rules[1].id: 'x' is used by another"),
        ("[[rules]]\nid = 'x'\n", ".gitleaks.toml: rules[0] (x): expected a regex or a path"),
        ("[[rules]]\nid = 'x'\nregex = 'a'\n[[rules.allowlists]]\ncondition = 'XOR'\npaths = ['a']\n",
         ".gitleaks.toml: rules[0] (x).allowlists[0].condition: expected 'OR' or 'AND'"),
        ("[[rules]]\nid = 'x'\nregex = '" + "a" * 5000 + "'\n", "at most 4,096 are run"),
        ("[extend]\npath = '../../etc/passwd'\n", "toml: extend.path: '../../etc/passwd' is not a file of this"),
    ],
)  # fmt: skip
def test_a_bad_configuration_is_one_line_naming_file_and_key(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / ".gitleaks.toml").write_text(config)

    with pytest.raises(DroidError) as raised:
        load_gitleaks(tmp_path)

    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.slow
def test_a_bad_configuration_exits_2_with_one_line_through_the_cli(git_repo: Path) -> None:
    (git_repo / ".gitleaks.toml").write_text("[[rules]]\nid = 'x'\nregex = '(?<=a)b'\n")
    (git_repo / "a.py").write_text("x = 1\n")
    git(git_repo, "add", "a.py")

    result = droid("gate", "--staged", cwd=git_repo)

    assert result.code == 2, result.err
    assert ".gitleaks.toml: rules[0] (x).regex: not a regular expression" in result.err
    assert "Traceback" not in result.err


def test_a_catastrophic_pattern_is_run_by_re2_and_ends() -> None:
    """`(a+)+$` backtracks exponentially in Python's re (this scan would not end); RE2 has no
    backtracking, so it runs in one pass over the text."""
    import re2

    from droids.security_compliance.secrets import gitleaks_rules
    from droids.security_compliance.secrets.gitleaks_config import CustomRules, Rule

    custom = CustomRules((Rule(id="evil", regex="(a+)+$"),))

    scan = scan_content("big.txt", ("a" * 50_000 + "!\n").encode(), custom)

    assert scan.hits == []
    assert isinstance(gitleaks_rules._compiled("(a+)+$"), re2._Regexp)
