"""Broker account passwords: a literal value under a key that names a broker or trading account.

Keys: a broker or platform name (`broker`, `tradovate`, `ib`/`ibkr`/`tws`, `rithmic`, `ninjatrader`,
`cqg`, `apex`, `topstep`, `tradestation`, `schwab`, `alpaca`, `oanda`, `metatrader`/`mt4`/`mt5`...)
or an identifier that starts with `account`, `acct`, `trading` or `trader`, optionally one more
word (`ib_login_password`, `broker_account_pass`), then `password`, `passwd`, `passphrase`,
`pass`, `pwd` or `pw`, in any case and joined by `_`, `-`, `.` or nothing (`IB_PASSWORD`,
`brokerPassword`, `rithmic.pwd`).

Reported in YAML, TOML, INI, .properties/.cfg/.conf (quoted or not) and in .env, code and any
other file (quoted, as detect-secrets' INI reading renders .env lines), where `...` is the
password: `broker_password: ...`, `IB_PASSWORD="..."`, `ib_password: str = "..."`,
`connect(ib_password="...")`, `os.getenv("IB_PASSWORD", "...")`. Not reported: references and placeholders
(`${BROKER_PASSWORD}`, `!env BROKER_PASSWORD`, `{{ vault_ib_password }}`, `%(pw)s`, `<password>`,
`changeme`, `********`, `IB_PASSWORD` as a value), and values shorter than 4 characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.assignment import compile_pair
from droids.security_compliance.secrets.plugins.base import FieldDetector

_BROKERS = (
    "broker|brokerage|tradovate|ib|ibkr|tws|ibgateway|rithmic|ninjatrader|nt8|cqg|apex|topstep|tradestation"
    "|schwab|ameritrade|alpaca|oanda|tastytrade|etrade|webull|metatrader|mt4|mt5|dxtrade|ironbeam|amp|tradier"
    "|ctrader|projectx|tradelocker"
)
_ACCOUNT = "account|acct|trading|trader"
_NAME = (
    rf"(?:(?<![A-Za-z0-9])(?:{_BROKERS})|(?<![\w.-])(?:{_ACCOUNT}))"
    r"[_.-]?(?:[a-z0-9]+[_.-])?(?:password|passwd|passphrase|pass|pwd|pw)(?![A-Za-z0-9])"
)
_QUOTED, _ = compile_pair(_NAME, r"[^\"'\n]{4,256}")
_, _BARE = compile_pair(_NAME, r"[^\s\"'#;]{4,256}")


class BrokerPasswordDetector(FieldDetector):
    """A broker or trading account password assigned in code or configuration."""

    secret_type = "Broker Account Password"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_QUOTED, _BARE)
    config_only = frozenset({_BARE})

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        return not values.is_placeholder(value)
