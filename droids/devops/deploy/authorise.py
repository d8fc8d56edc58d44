"""Deploy authorisation: who may deploy to an environment, and only a commit whose gate passed.

Who: `deploy.environments.<env>.deployers` of policies/devops.yaml lists principals of
policies/access.yaml: `@team` (its `teams`) or e-mail addresses that access.yaml names. The person
deploying is the audit trail's `who` (droids.core.audit.trail.who: `github:<login>` in GitHub
Actions, `git:<user.email>` locally); a GitHub login is mapped to an e-mail through access.yaml's
`github_logins`. An empty list lets anyone deploy to that environment. access.yaml is read as data
with the project's YAML parser: this droid does not import the security droid.

Which commit: with `require_gate_pass`, the audit trail (the same one `droid gate` writes, local or
DROID_AUDIT_URL) must hold an entry of kind "gate", verdict "pass", one of `gate_profiles` ("ci")
and `head` equal to the commit deployed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from droids.core.audit.trail import AuditRecord, NoAuditTrail, open_store
from droids.core.errors import DroidError
from droids.devops.policy import DeployTarget
from trading_core.policy.yamldoc import NotYaml, parse

ACCESS_FILE = "access.yaml"


def access_document(policies: Path) -> dict[str, Any]:
    path = policies / ACCESS_FILE
    if not path.is_file():
        return {}
    try:
        data = parse(path.read_text("utf-8")).data
    except (OSError, UnicodeDecodeError, NotYaml) as exc:
        raise DroidError(f"{path}: cannot read the access policy ({exc})") from None
    return data if isinstance(data, dict) else {}


def allowed_principals(env: str, target: DeployTarget, policies: Path) -> set[str]:
    """The e-mail addresses (lower case) that may deploy to `env`; empty set = anyone."""
    access = access_document(policies)
    teams = access.get("teams") if isinstance(access.get("teams"), dict) else {}
    out: set[str] = set()
    for entry in target.deployers:
        if entry.startswith("@"):
            members = teams.get(entry[1:])
            if not isinstance(members, list):
                raise DroidError(
                    f"devops.yaml: deploy.environments.{env}.deployers: team {entry!r} is not defined "
                    f"under teams in {policies / ACCESS_FILE}"
                )
            out |= {str(m).lower() for m in members}
        else:
            out.add(entry.lower())
    return out


def principal(who: str, policies: Path) -> str:
    """The e-mail address `who` stands for (`git:a@b` -> a@b; `github:login` through github_logins)."""
    kind, _, name = who.partition(":")
    if kind == "github":
        logins = access_document(policies).get("github_logins")
        mapped = logins.get(name) if isinstance(logins, dict) else None
        return str(mapped).lower() if mapped else who.lower()
    return name.lower() if kind in ("git", "gitlab") else who.lower()


def gate_passed(repo: Path, commit: str, profiles: tuple[str, ...]) -> AuditRecord | None:
    """The newest passing gate entry of `commit` under one of `profiles`, or None."""
    try:
        with open_store(repo, create=False) as store:
            found = [
                r
                for r in store.records()
                if r.kind == "gate" and r.verdict == "pass" and r.head == commit and r.profile in profiles
            ]
    except NoAuditTrail:
        return None
    return found[-1] if found else None


def refusals(env: str, target: DeployTarget, who: str, commit: str, repo: Path, policies: Path) -> list[str]:
    """Why `who` may not deploy `commit` to `env` (empty: authorised)."""
    out = []
    allowed = allowed_principals(env, target, policies)
    if allowed and principal(who, policies) not in allowed:
        out.append(
            f"{who} is not a deployer of {env} (deploy.environments.{env}.deployers: {', '.join(target.deployers)})"
        )
    if target.require_gate_pass and gate_passed(repo, commit, target.gate_profiles) is None:
        out.append(
            f"commit {commit[:12]} has no passing gate ({'/'.join(target.gate_profiles)}) in the audit trail: "
            "run `droid gate --base ...` on it in CI first"
        )
    return out
