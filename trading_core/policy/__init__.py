"""Policy files (YAML under policies/) loaded into frozen pydantic models."""

from __future__ import annotations

from trading_core.policy.loader import PolicyModel, load_policy_file, parse_policy_text
from trading_core.policy.locate import policy_path

__all__ = ["PolicyModel", "load_policy_file", "parse_policy_text", "policy_path"]
