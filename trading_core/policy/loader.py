"""Load a YAML policy file into a frozen pydantic model, with errors that name file, line and key.

Every layer reads its policy through this one loader, so a user who mistypes a key in any file of
policies/ gets the same kind of message: ``policies/gates.yaml:12: profiles.ci.block_at: Input
should be 'info', 'low', ... (got 'hihg')``. It lives in the bottom layer because the trading core
must load its own policies without importing the layers above it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from trading_core.errors import TradingCoreError
from trading_core.policy.yamldoc import NotYaml, line_of, parse


class PolicyModel(BaseModel):
    """Base for every policy model: immutable, and unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


M = TypeVar("M", bound=BaseModel)


def load_policy_file(path: Path, model: type[M], *, display: str | None = None) -> M:
    """Read `path` and validate it as `model`; raise `TradingCoreError` naming file, line and key."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TradingCoreError(f"{name}: policy file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TradingCoreError(f"{name}: cannot read policy file ({exc.__class__.__name__})") from None
    return parse_policy_text(text, model, display=name)


def parse_policy_text(text: str, model: type[M], *, display: str) -> M:
    """Validate YAML `text` as `model`; `display` names the source in error messages."""
    try:
        doc = parse(text)
    except NotYaml as exc:
        line = f":{exc.line}" if exc.line is not None else ""
        raise TradingCoreError(f"{display}{line}: malformed YAML: {exc.problem}") from None
    data, node = doc.data, doc.node
    if data is None:
        raise TradingCoreError(f"{display}: empty policy file, expected a mapping")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = ".".join(str(part) for part in loc) or "(top level)"
        line = line_of(node, tuple(str(part) for part in loc)) or 1
        got = f" (got {err['input']!r})" if _is_scalar(err.get("input")) else ""
        more = f" [+{exc.error_count() - 1} more]" if exc.error_count() > 1 else ""
        raise TradingCoreError(f"{display}:{line}: {key}: {err['msg']}{got}{more}") from None


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and len(repr(value)) <= 60
