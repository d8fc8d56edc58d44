"""SEC020 on staged changes in real git repositories, and the repository helpers the CMP tests share.

Protected keys are judged on YAML values: a comment or an unprotected key in a protected file needs
no approval. At the pre-commit stage no commit message exists, so protected changes are warnings.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from droids.core.checks import CheckOutcome
from droids.core.ci_context import event_path, load_event
from droids.core.errors import DroidError
from droids.core.models import Profile, Severity, Targets, Task
from droids.core.protocol import DroidContext
from droids.core.targets import base_targets, staged_targets, tree_targets
from droids.security_compliance.access import sec020_access_control as sec020
from tests.conftest import REPO_ROOT, git

OWNER = "risk@example.com"
AUTHOR = "dev@example.com"  # the git_repo fixture's identity; also an owner, so self-approval is testable
OUTSIDER = "intern@example.com"
ACCESS = f"""\
version: 1
teams:
  risk: [{OWNER}, {AUTHOR}]
github_logins:
  risk-gh: {OWNER}
  dev-gh: {AUTHOR}
protected:
  - path: policies/apex.yaml
    keys: ["session.*", "accounts.*", "rulesets.*.drawdown.*", "rulesets.*.consistency", "rulesets.*.daily_loss"]
    owners: ["@risk"]
    reason: Apex limits
  - path: "trading_core/risk/**"
    owners: ["@risk"]
  - path: policies/access.yaml
    owners: ["@risk"]
"""
SHIPPED = ("apex.yaml", "apex-published.yaml", "instruments.yaml")


def policy_repo(repo: Path, access: str = ACCESS) -> Path:
    """`repo` (the git_repo fixture) with the shipped Apex policies, an access.yaml and a risk module."""
    policies = repo / "policies"
    policies.mkdir()
    for name in SHIPPED:
        shutil.copy(REPO_ROOT / "policies" / name, policies / name)
    (policies / "access.yaml").write_text(access)
    (repo / "trading_core" / "risk").mkdir(parents=True)
    (repo / "trading_core" / "risk" / "sentinel.py").write_text("MAX_LOSS = 300\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "policies")
    return repo


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new))


def staged_task(repo: Path, profile: Profile = "pre-commit") -> Task:
    paths = tuple(list(staged_targets(repo).paths))
    return Task(
        mode="gate", profile=profile, repo=repo, policies=repo / "policies", targets=Targets(kind="staged", paths=paths)
    )


def base_task(repo: Path, base: str = "main") -> Task:
    """A CI gate's task; like the orchestrator, it carries the event payload the environment names."""
    targets = base_targets(repo, base)
    source = event_path(os.environ)
    event = load_event(source) if source is not None else None
    return Task(
        mode="gate",
        profile="ci",
        repo=repo,
        policies=repo / "policies",
        targets=targets,
        event=event,
        event_source=str(source) if source else None,
    )


def tree_task(repo: Path, profile: Profile = "audit") -> Task:
    targets = tree_targets(repo)
    return Task(mode="audit", profile=profile, repo=repo, policies=repo / "policies", targets=targets)


def run(module: object, task: Task) -> CheckOutcome:
    return module.run(task, DroidContext(task.repo / ".droid"))  # type: ignore[attr-defined]


APEX = "policies/apex.yaml"
DRAWDOWN = 'drawdown: {basis: percent, percent: "10"'
SEED_SHARE = '{max_share: "0.30", inclusive: false}'
SEED_CONSISTENCY = f"consistency: {SEED_SHARE}\n    daily_loss: null\n  apex-3.0"
SEED_DESCRIPTION = 'description: "The seed documents: 10 % trailing'

# (what the change does, file, old text, new text, protected keys reported)
MUST_FLAG = [
    ("drawdown percent (tightened)", APEX, DRAWDOWN, 'drawdown: {basis: percent, percent: "9"',
     "rulesets.seed.drawdown.percent"),
    ("deadline", APEX, 'deadline: "16:59"', 'deadline: "16:30"', "session.deadline"),
    ("account cap", APEX, "max_contracts: 10,", "max_contracts: 9,", "accounts.50k.max_contracts"),
    ("consistency removed", APEX, SEED_CONSISTENCY, SEED_CONSISTENCY.replace(SEED_SHARE, "null"),
     "rulesets.seed.consistency"),
    ("risk module", "trading_core/risk/sentinel.py", "MAX_LOSS = 300", "MAX_LOSS = 900", None),
]  # fmt: skip

# (what the change does, file, old text, new text): no approval needed
MUST_NOT_FLAG = [
    ("a comment in the protected file", APEX, "# Apex Trader Funding rules", "# Apex rules (see the reference)"),
    ("an unprotected key in the protected file", APEX, SEED_DESCRIPTION, 'description: "Seed: 10 % trailing'),
    ("the same value written differently", APEX, "timezone: America/New_York", 'timezone: "America/New_York"'),
    ("an unprotected file", "README.md", "# demo", "# demo, edited"),
]


@pytest.mark.parametrize(("what", "rel", "old", "new", "key"), MUST_FLAG, ids=[m[0] for m in MUST_FLAG])
def test_protected_change_at_the_pre_commit_stage_warns_and_names_the_owners(
    git_repo: Path, what: str, rel: str, old: str, new: str, key: str | None
) -> None:
    repo = policy_repo(git_repo)
    edit(repo, rel, old, new)
    git(repo, "add", rel)
    outcome = run(sec020, staged_task(repo))
    [finding] = outcome.findings
    assert finding.rule == "SEC020" and finding.path == rel
    assert finding.severity == Severity.LOW  # no commit message yet: a warning, checked at commit-msg and in CI
    assert OWNER in finding.message and "@risk" in finding.message and "commit-msg" in finding.message
    if key is not None:
        assert key in finding.message
        assert (
            finding.line is not None and key.split(".")[-1] in (repo / rel).read_text().splitlines()[finding.line - 1]
        )
    assert outcome.metrics["protected_changes"][0]["approved_by"] is None


@pytest.mark.parametrize(("what", "rel", "old", "new"), MUST_NOT_FLAG, ids=[m[0] for m in MUST_NOT_FLAG])
def test_change_outside_protected_values_needs_no_approval(
    git_repo: Path, what: str, rel: str, old: str, new: str
) -> None:
    repo = policy_repo(git_repo)
    edit(repo, rel, old, new)
    git(repo, "add", rel)
    assert run(sec020, staged_task(repo)).findings == []


def test_only_staged_content_counts_not_the_work_tree(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    edit(repo, APEX, "# Apex Trader Funding rules", "# Apex rules")
    git(repo, "add", APEX)
    edit(repo, APEX, 'deadline: "16:59"', 'deadline: "16:30"')  # not staged
    assert run(sec020, staged_task(repo)).findings == []


def _add(repo: Path, rel: str, text: str) -> None:
    (repo / rel).write_text(text)
    git(repo, "add", rel)


@pytest.mark.parametrize(
    ("change", "message_part"),
    [
        (lambda r: git(r, "rm", "-q", "trading_core/risk/sentinel.py"), "deleted"),
        (lambda r: git(r, "mv", "trading_core/risk/sentinel.py", "trading_core/sentinel.py"), "renamed"),
        (lambda r: _add(r, "trading_core/risk/limits.py", "X = 1\n"), "added"),
    ],
    ids=["delete", "rename-out", "add"],
)
def test_deleting_renaming_or_adding_a_protected_file_needs_approval(git_repo: Path, change, message_part: str) -> None:
    repo = policy_repo(git_repo)
    change(repo)
    [finding] = run(sec020, staged_task(repo)).findings
    assert message_part in finding.message


def test_a_change_cannot_lift_its_own_protection(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    edit(repo, "policies/access.yaml", '"rulesets.*.drawdown.*", ', "")  # unprotect the drawdown ...
    edit(repo, APEX, DRAWDOWN, 'drawdown: {basis: percent, percent: "9"')  # ... and change it at once
    git(repo, "add", "-A")
    findings = run(sec020, staged_task(repo)).findings
    assert {f.path for f in findings} == {"policies/access.yaml", APEX}  # the old rules still apply


def test_new_protection_applies_at_once(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    risk_rule = '  - path: "trading_core/risk/**"'
    edit(repo, "policies/access.yaml", risk_rule, f'  - path: "README.md"\n    owners: ["@risk"]\n{risk_rule}')
    edit(repo, "README.md", "# demo", "# demo 2")
    git(repo, "add", "-A")
    assert {f.path for f in run(sec020, staged_task(repo)).findings} == {"policies/access.yaml", "README.md"}


def test_protected_yaml_that_does_not_parse_counts_as_changing_every_protected_key(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    edit(repo, APEX, "version: 1", "version: [1")
    git(repo, "add", APEX)
    [finding] = run(sec020, staged_task(repo)).findings
    assert "not valid YAML" in finding.message


def test_no_access_file_means_nothing_is_protected(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    git(repo, "rm", "-q", "policies/access.yaml")
    git(repo, "commit", "-q", "-m", "drop access control")
    edit(repo, APEX, DRAWDOWN, 'drawdown: {basis: percent, percent: "9"')
    git(repo, "add", APEX)
    outcome = run(sec020, staged_task(repo))
    assert outcome.findings == [] and any("nothing is protected" in n for n in outcome.notes)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('owners: ["@risk"]\n    reason: Apex', 'owners: ["@ops"]\n    reason: Apex',
         "policies/access.yaml:10: protected.0.owners.0: unknown team '@ops' (teams defined: @risk)"),
        ("  risk: [", "  risk: [alice, ", "policies/access.yaml:3: teams.risk.0: Value error, not an email address"),
        ('owners: ["@risk"]\n    reason: Apex', 'owners: ["risk"]\n    reason: Apex',
         "policies/access.yaml:10: protected.0.owners.0: Value error, unknown owner syntax 'risk'"),
    ],
    ids=["undefined-team", "team-member-not-an-email", "unknown-owner-syntax"],
)  # fmt: skip
def test_staged_access_file_that_does_not_validate_is_bad_input(
    git_repo: Path, old: str, new: str, expected: str
) -> None:
    repo = policy_repo(git_repo)
    edit(repo, "policies/access.yaml", old, new)
    git(repo, "add", "-A")
    with pytest.raises(DroidError) as caught:
        run(sec020, staged_task(repo))
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("task_of", "applies"),
    [(staged_task, True), (base_task, True), (tree_task, False)],
    ids=["staged", "base", "audit-tree"],
)
def test_runs_only_on_a_change(git_repo: Path, task_of, applies: bool) -> None:
    repo = policy_repo(git_repo)
    assert sec020.applies(task_of(repo)) is applies


# (changed path, changed key or None for the file) the shipped access.yaml must protect
SHIPPED_PROTECTS = [
    ("policies/apex.yaml", "rulesets.seed.drawdown.percent"),
    ("policies/apex.yaml", "session.deadline"),
    ("policies/apex.yaml", "accounts.50k.max_contracts"),
    ("policies/apex.yaml", "rulesets.seed.consistency.max_share"),
    ("policies/budgets.yaml", "budgets.on_tick_p99_us"),
    ("policies/strategy.yaml", "risk.daily_loss_limit"),
    ("policies/apex-published.yaml", None),
    ("policies/access.yaml", None),
    ("trading_core/risk/sentinel.py", None),
    ("trading_core/apex/rules/apx001_trailing_drawdown.py", None),
    (".github/workflows/ci.yml", None),
]
SHIPPED_LEAVES_OPEN = [
    ("policies/apex.yaml", "rulesets.seed.description"),
    ("policies/strategy.yaml", "features.ema_fast_span"),
    ("trading_core/engine/pipeline.py", None),
    ("README.md", None),
]


def _protected_by_shipped(path: str, key: str | None) -> bool:
    from droids.security_compliance.access.patterns import key_matches
    from droids.security_compliance.access.policy import load_access_file

    policy = load_access_file(REPO_ROOT / "policies", REPO_ROOT)
    leaf = tuple(key.split(".")) if key else None
    return any(
        rule.covers(path) and (rule.keys is None or (leaf is not None and any(key_matches(k, leaf) for k in rule.keys)))
        for rule in policy.rules
    )


@pytest.mark.parametrize(("path", "key"), SHIPPED_PROTECTS)
def test_shipped_access_policy_protects(path: str, key: str | None) -> None:
    assert _protected_by_shipped(path, key)


@pytest.mark.parametrize(("path", "key"), SHIPPED_LEAVES_OPEN)
def test_shipped_access_policy_leaves_open(path: str, key: str | None) -> None:
    assert not _protected_by_shipped(path, key)


def test_policy_check_loaders_name_the_file(tmp_path: Path) -> None:
    from droids.security_compliance.access.policy import load_access_file
    from droids.security_compliance.compliance.published import load_published_file

    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "access.yaml").write_text("version: 1\nprotected:\n  - path: x\n    owners: [bob]\n")
    with pytest.raises(DroidError, match=r"^policies/access\.yaml:4: protected\.0\.owners\.0: .*unknown owner syntax"):
        load_access_file(tmp_path / "policies", tmp_path)
    (tmp_path / "policies" / "apex-published.yaml").write_text("version: 1\naccounts: {}\nrulesets: []\n")
    with pytest.raises(DroidError, match=r"^policies/apex-published\.yaml:\d+: "):
        load_published_file(tmp_path / "policies", tmp_path)
    (tmp_path / "policies" / "apex-published.yaml").unlink()
    assert load_published_file(tmp_path / "policies", tmp_path).rulesets  # absent: the built-in published rules


def test_access_policy_outside_the_repository_is_read_from_disk(git_repo: Path, tmp_path: Path) -> None:
    repo = policy_repo(git_repo)
    outside = tmp_path / "team-policies"
    outside.mkdir()
    (outside / "access.yaml").write_text(ACCESS.replace("trading_core/risk/**", "README.md"))
    edit(repo, "README.md", "# demo", "# demo 2")
    git(repo, "add", "README.md")
    task = staged_task(repo).model_copy(update={"policies": outside})
    [finding] = run(sec020, task).findings
    assert finding.path == "README.md"
