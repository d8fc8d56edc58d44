"""policies/access.yaml: protected paths and keys, their owners, teams and GitHub logins.

An owner is written as an email address (`alice@example.com`) or as `@team`, a team defined under
`teams` whose members are email addresses. Anything else is bad input: the error names the file,
line and key. `github_logins` maps a GitHub login to the owner email it stands for, because a
pull-request review names a login, not an address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from droids.core.errors import DroidError
from droids.core.policy import display_path
from droids.security_compliance.access.patterns import KeyPath, path_matches, split_key
from trading_core.errors import TradingCoreError
from trading_core.policy import yamldoc as yamltree
from trading_core.policy.loader import PolicyModel, parse_policy_text
from trading_core.policy.locate import policy_path

ACCESS_FILE = "access.yaml"
DEFAULTS_DIR = Path(__file__).parents[1] / "defaults"  # the security droid's built-in policy files
STARTER = DEFAULTS_DIR / "access.starter.yaml"  # commented examples, written by `droid init`
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_TEAM = re.compile(r"^@[a-z0-9][a-z0-9_-]*$")
_TEAM_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_OWNER_HELP = "expected an email address like alice@example.com or @team (a team defined under `teams`)"


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"not an email address: {value!r} (expected e.g. alice@example.com)")
    return value.lower()


def _owner(value: str) -> str:
    if _EMAIL.match(value):
        return value.lower()
    if not _TEAM.match(value):
        raise ValueError(f"unknown owner syntax {value!r}: {_OWNER_HELP}")
    return value


def _team_name(value: str) -> str:
    if not _TEAM_NAME.match(value):
        raise ValueError(f"team name {value!r}: expected lowercase letters, digits, '-' or '_'")
    return value


def _login(value: str) -> str:
    if not _LOGIN.match(value):
        raise ValueError(f"not a GitHub login: {value!r} (letters, digits and '-')")
    return value.lower()


Email = Annotated[str, AfterValidator(_email)]
Owner = Annotated[str, AfterValidator(_owner)]
TeamName = Annotated[str, AfterValidator(_team_name)]
Login = Annotated[str, AfterValidator(_login)]


class ProtectedEntry(PolicyModel):
    path: str = Field(min_length=1)
    keys: tuple[str, ...] | None = Field(default=None, min_length=1)
    owners: tuple[Owner, ...] = Field(min_length=1)
    reason: str = ""

    @field_validator("path")
    @classmethod
    def _relative_glob(cls, value: str) -> str:
        if value.startswith("/") or "\\" in value or ".." in value.split("/"):
            raise ValueError(f"expected a repo-relative glob with '/' separators, got {value!r}")
        return value

    @field_validator("keys")
    @classmethod
    def _key_patterns(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for pattern in value or ():
            if not pattern or any(not part for part in pattern.split(".")):
                raise ValueError(f"expected a dotted key pattern like rulesets.*.drawdown.*, got {pattern!r}")
        return value


class AccessFile(PolicyModel):
    """The file as written; `load_access_policy` resolves teams into an `AccessPolicy`."""

    version: int = Field(ge=1, le=1)
    teams: dict[TeamName, Annotated[tuple[Email, ...], Field(min_length=1)]] = Field(default_factory=dict)
    github_logins: dict[Login, Email] = Field(default_factory=dict)
    protected: tuple[ProtectedEntry, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One protected entry with its owners resolved to email addresses."""

    path: str
    keys: tuple[KeyPath, ...] | None
    owners: tuple[str, ...]  # as written (emails and @teams), for messages
    owner_emails: frozenset[str]
    reason: str
    source: str  # which version of access.yaml it comes from

    def covers(self, path: str) -> bool:
        return path_matches(self.path, path)


@dataclass(frozen=True)
class AccessPolicy:
    rules: tuple[Rule, ...]
    github_logins: dict[str, str]


def load_access_policy(text: str, display: str) -> AccessPolicy:
    """Validate access.yaml text; raise `DroidError` naming the file, line and key."""
    try:
        spec = parse_policy_text(text, AccessFile, display=display)
    except TradingCoreError as exc:
        raise DroidError(str(exc)) from None
    rules = []
    for i, entry in enumerate(spec.protected):
        emails: set[str] = set()
        for j, owner in enumerate(entry.owners):
            if owner.startswith("@"):
                if owner[1:] not in spec.teams:
                    line = yamltree.line_of(yamltree.parse(text).node, ("protected", str(i), "owners", str(j)))
                    defined = ", ".join(f"@{t}" for t in spec.teams) or "none"
                    raise DroidError(
                        f"{display}:{line}: protected.{i}.owners.{j}: unknown team {owner!r} (teams defined: {defined})"
                    )
                emails.update(spec.teams[owner[1:]])
            else:
                emails.add(owner)
        keys = None if entry.keys is None else tuple(split_key(k) for k in entry.keys)
        rules.append(Rule(entry.path, keys, entry.owners, frozenset(emails), entry.reason, display))
    return AccessPolicy(tuple(rules), dict(spec.github_logins))


def load_access_file(policies: Path, display_root: Path | None = None) -> AccessPolicy:
    """policies/access.yaml from disk, for `droid policy check` (errors name the file, line and key)."""
    path = policy_path(policies, ACCESS_FILE, DEFAULTS_DIR)
    display = display_path(path, display_root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DroidError(f"{display}: policy file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{display}: cannot read policy file ({exc.__class__.__name__})") from None
    return load_access_policy(text, display)
