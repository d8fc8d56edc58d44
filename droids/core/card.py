"""`DroidCard`: a droid's identity and routing table, parsed from the YAML frontmatter of CARD.md.

The frontmatter is a superset of the subagent formats other tools read (name, description and the
optional tools/model), so a card can be exported to them. The markdown body is the droid's
human-readable definition (mission, capabilities, "Planned") and its system prompt when an LLM is
used. Unknown keys are rejected: a typo in a card must not silently drop a trigger.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator

from droids.core.errors import DroidError
from trading_core.errors import TradingCoreError
from trading_core.policy import PolicyModel, parse_policy_text

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_RULE = re.compile(r"^[A-Z]{2,5}\d{3}$")


class DroidCard(PolicyModel):
    name: str
    title: str
    description: str
    triggers: tuple[str, ...] = Field(min_length=1)
    paths: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    model: str | None = None
    body: str = ""

    @field_validator("name")
    @classmethod
    def _kebab(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError("expected a kebab-case id such as 'security-compliance'")
        return v

    @field_validator("rules")
    @classmethod
    def _rule_ids(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [r for r in v if not _RULE.match(r)]
        if bad:
            raise ValueError(f"expected rule ids like 'SEC001', got {bad}")
        return v


def parse_card(path: Path) -> DroidCard:
    """Parse `path` (a CARD.md); raise `DroidError` naming file, line and key on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{path}: cannot read droid card ({exc.__class__.__name__})") from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise DroidError(f"{path}:1: expected YAML frontmatter opening with '---'")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise DroidError(f"{path}: frontmatter is not closed by a '---' line") from None
    # Pad with one empty line so YAML line numbers match the file's.
    front = "\n" + "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :]).strip()
    try:
        card = parse_policy_text(front, DroidCard, display=str(path))
    except TradingCoreError as exc:
        raise DroidError(str(exc)) from None
    if card.body:
        raise DroidError(f"{path}: 'body' is reserved for the markdown after the frontmatter")
    return card.model_copy(update={"body": body})
