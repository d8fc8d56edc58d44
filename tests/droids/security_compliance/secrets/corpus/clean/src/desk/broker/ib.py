"""Interactive Brokers gateway login, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GatewayLogin:
    user: str = field(default_factory=lambda: os.environ["IB_USER"])
    ib_password: str = field(default_factory=lambda: os.environ["IB_PASSWORD"], repr=False)
    trading_mode: str = "paper"
    port: int = 4002


def login_from_env() -> GatewayLogin:
    ib_password = os.getenv("IB_PASSWORD", "")
    if not ib_password:
        raise RuntimeError("IB_PASSWORD is not set; see .env.example")
    rithmic_password = os.environ.get("RITHMIC_PASSWORD")
    del rithmic_password  # only the IB gateway is wired so far
    return GatewayLogin()
