"""Load a YAML policy file into a frozen pydantic model, with errors that name file, line and key.

Every layer reads its policy through this one loader, so a user who mistypes a key in any file of
policies/ gets the same kind of message: ``policies/gates.yaml:12: profiles.ci.block_at: Input
should be 'info', 'low', ... (got 'hihg')``. It lives in the bottom layer because the trading core
must load its own policies without importing the layers above it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from trading_core.errors import TradingCoreError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    loader = _Loader(text)
    try:
        # One parse: the node tree gives line numbers for errors, the same tree gives the data.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise TradingCoreError(f"{display}{line}: malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise TradingCoreError(f"{display}: malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        raise TradingCoreError(f"{display}: empty policy file, expected a mapping")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = ".".join(str(part) for part in loc) or "(top level)"
        line = _line_of(node, loc)
        got = f" (got {err['input']!r})" if _is_scalar(err.get("input")) else ""
        more = f" [+{exc.error_count() - 1} more]" if exc.error_count() > 1 else ""
        raise TradingCoreError(f"{display}:{line}: {key}: {err['msg']}{got}{more}") from None


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and len(repr(value)) <= 60


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """1-based line of the deepest YAML node that `loc` reaches (the parent, for a missing key)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if k.value == str(part)]
            if not match:
                break
            key_node, node = match[0]
            line = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
