"""`policies/gates.yaml`: per-profile thresholds, precedence, suppressions and the baseline file.

A profile is where a run happens (`pre-commit`, `ci`, `audit`, `ask`, `run`). Its `block_at` is the
lowest severity that blocks, `warn_at` the lowest that warns; `time_limit_s` bounds each droid.
`llm` (optional) holds the settings of the language model that may write `droid ask`'s answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, field_validator, model_validator

from droids.core.errors import DroidError
from droids.core.models import DroidReport, Finding, Profile, Severity, Verdict
from trading_core.errors import TradingCoreError
from trading_core.policy import PolicyModel, load_policy_file, policy_path

M = TypeVar("M", bound=PolicyModel)

GATES_FILE = "gates.yaml"
DEFAULTS_DIR = Path(__file__).with_name("defaults")  # gates.yaml when a repository has none
GATES_STARTER = DEFAULTS_DIR / GATES_FILE  # the built-in, commented: what `droid init` writes


class Thresholds(PolicyModel):
    block_at: Severity
    warn_at: Severity = Severity.LOW
    time_limit_s: float = Field(default=120.0, gt=0)

    @model_validator(mode="after")
    def _warn_below_block(self) -> Thresholds:
        if self.warn_at.rank > self.block_at.rank:
            raise ValueError("warn_at must not be above block_at")
        return self


class Suppression(PolicyModel):
    """Silence one rule on matching paths, with a reason a reviewer can read, until `expires`.

    `rule` is a rule id or a glob of one (`SEC00*`), or `RULE/SUBRULE` for one finer check of a
    rule (`SEC010/B311`: bandit's B311 only)."""

    rule: str
    paths: tuple[str, ...] = Field(min_length=1)
    reason: str = Field(min_length=3)
    expires: date | None = None


class LlmSettings(PolicyModel):
    """`llm:` in gates.yaml: the model that writes `droid ask`'s answer when ANTHROPIC_API_KEY is set
    (orchestrator/llm). It never decides a verdict; every key has a default.

    `time_limit_s` bounds the model's part of one question (its calls, and the tools it runs);
    `max_tool_calls` caps the tools it may call for one question; `max_retries` the retries of one
    model call after a 429, a 529 or an overloaded stream; `stream` picks server-sent events."""

    model: str = Field(default="claude-sonnet-4-6", min_length=1)
    max_tokens: int = Field(default=2048, ge=64, le=64_000)
    time_limit_s: float = Field(default=120.0, gt=0, le=3600)
    max_tool_calls: int = Field(default=12, ge=0, le=100)
    max_retries: int = Field(default=3, ge=0, le=10)
    stream: bool = True


class GatesPolicy(PolicyModel):
    """`judge`: in a gate, "changed-lines" (default) lets only findings on lines the change added or
    modified count, and findings about a file as a whole; "whole-files" judges every line of every
    changed file, as before the change view existed."""

    version: int = Field(ge=1, le=1)
    judge: Literal["changed-lines", "whole-files"] = "changed-lines"
    execute_repository_code: bool = True  # false: as --no-exec on every run
    profiles: dict[Profile, Thresholds]
    precedence: tuple[str, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    baseline: str = "droid-baseline.json"
    llm: LlmSettings = Field(default_factory=LlmSettings)

    @field_validator("profiles")
    @classmethod
    def _all_profiles(cls, profiles: dict[Profile, Thresholds]) -> dict[Profile, Thresholds]:
        missing = {"pre-commit", "ci", "audit", "ask", "run"} - set(profiles)
        if missing:
            raise ValueError(f"missing profile(s) {sorted(missing)}")
        return profiles


def load_gates(policies: Path, display_root: Path | None = None) -> GatesPolicy:
    path = policy_path(policies, GATES_FILE, DEFAULTS_DIR)
    display = display_path(path, display_root)
    try:
        return load_policy_file(path, GatesPolicy, display=display)
    except TradingCoreError as exc:
        raise DroidError(str(exc)) from None


def load_droid_policy(path: Path, model: type[M]) -> tuple[M, bool]:
    """A droid's own policy file (perf.yaml, data.yaml, ...) as `model`, and whether the file exists:
    without it every default applies. A bad file is one `DroidError` naming file, line and key."""
    if not path.exists():
        return model(), False
    try:
        return load_policy_file(path, model), True
    except TradingCoreError as exc:
        raise DroidError(str(exc)) from None


def display_path(path: Path, root: Path | None) -> str:
    """How messages name a policy file: relative to the repository when inside it, else as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def verdict(
    findings: Sequence[Finding], reports: Sequence[DroidReport], gates: GatesPolicy, profile: Profile
) -> Verdict:
    """The run's verdict, by code alone: block when a droid failed (gates fail closed) or an active
    finding reaches the profile's `block_at`; warn at `warn_at`; else pass."""
    if any(r.status in ("error", "timeout") for r in reports):
        return "block"
    thresholds = gates.profiles[profile]
    active = [f for f in findings if not f.suppressed and not f.preexisting]
    if any(f.severity.at_least(thresholds.block_at) for f in active):
        return "block"
    if any(f.severity.at_least(thresholds.warn_at) for f in active):
        return "warn"
    return "pass"
