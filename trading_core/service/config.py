"""`config/<env>.yaml`: the environment configuration of the service.

What the service uses: `environment` (its name), `apex` (which rule set and account size of
policies/apex.yaml it trades under) and `sentinel` (overrides of strategy.yaml `risk.*`, SENTINEL's
tiers, for this environment). Everything else (broker endpoint and credentials, market data) is
reported by `/config` as written: secrets are references (`{env: NAME}`), never values, and a value
under a secret-named key that is not a reference is masked before it leaves the process.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field

from trading_core.errors import TradingCoreError
from trading_core.logging_redaction import is_secret_key, redact
from trading_core.policy import PolicyModel, load_policy_file
from trading_core.policy.yamldoc import parse


class ApexChoice(PolicyModel):
    ruleset: str | None = None
    account: str | None = None


class ServiceConfig(PolicyModel):
    model_config = ConfigDict(frozen=True, extra="allow")  # broker, market data...: reported, not used here

    environment: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    apex: ApexChoice = ApexChoice()
    sentinel: dict[str, Decimal | int] = Field(default_factory=dict)


def load_service_config(path: Path) -> tuple[ServiceConfig, dict[str, Any]]:
    """The model and the document as written (for /config)."""
    config = load_policy_file(path, ServiceConfig)
    document = parse(path.read_text(encoding="utf-8")).data
    if not isinstance(document, dict):
        raise TradingCoreError(f"{path}: expected a mapping")
    return config, masked(document)


def masked(value: Any, key: str = "") -> Any:
    """The document with every literal under a secret-named key masked (references are kept)."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("env", "secret", "vault", "file"):
            return {str(k): str(v) for k, v in value.items()}
        return {str(k): masked(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v, key) for v in value]
    if key and is_secret_key(key) and isinstance(value, str) and value and not value.startswith("${"):
        return redact(value)
    return value
