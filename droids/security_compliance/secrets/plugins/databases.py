"""Database credentials: connection strings that carry a password, and PlanetScale tokens.

- URIs: `postgres://`, `postgresql+psycopg2://`, `mysql://`, `mariadb://`, `mongodb+srv://`,
  `redis://`, `rediss://`, `amqp(s)://`, `mssql://`, `sqlserver://`, `oracle://`,
  `clickhouse://`, `cockroachdb://`, `neo4j(+s)://`, `couchbase(s)://`, `cassandra://`,
  `snowflake://`, `redshift://`, `db2://` (with or without `jdbc:`) with `user:password@host`;
- ADO.NET / ODBC strings: `Password=` or `Pwd=` in a string that also names a `Server`,
  `Data Source`, `Host`, `Database`, `Initial Catalog`, `User ID` or `Uid`;
- JDBC parameters: `jdbc:<driver>:...?password=...` or `;password=...`.

Not reported: placeholders and references (`postgres://user:password@localhost`,
`:${DB_PASSWORD}@`, `:%s@`, `:{password}@`, `:<password>@`, `:****@`) and a password equal to the
user name (`postgres:postgres`, a local container's default). PlanetScale service tokens and
passwords (`pscale_tkn_`, `pscale_pw_`, `pscale_oauth_`) are reported by value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.base import FieldDetector
from droids.security_compliance.secrets.plugins.provider import ProviderDetector, token

_SCHEMES = (
    r"(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse"
    r"|cockroach(?:db)?|neo4j(?:\+s)?|couchbases?|cassandra|snowflake|redshift|db2)(?:\+[a-z0-9]+)?"
)
_URI = re.compile(
    rf"(?<![A-Za-z0-9+]){_SCHEMES}://(?P<user>[^:/?#\s@\"'<>]{{1,64}}):(?P<secret>[^@/?#\s\"'<>]{{3,128}})@[^\s\"'/<>]",
    re.IGNORECASE,
)
_ADO = re.compile(
    r"(?:^|[;\"'\s])(?:password|pwd)\s*=\s*(?P<secret>[^;\"'\s,()]{3,128})\s*(?=;|[\"']|$)", re.IGNORECASE
)
# Another key of the same `key=value;` string: `Server=db;...;Password=...` (not `f(host=None, password=None)`).
_ADO_PEERS = re.compile(
    r"(?:^|[;\"'])\s*(?:server|data source|host|address|database|initial catalog|user id|uid)\s*=", re.IGNORECASE
)
_JDBC = re.compile(r"jdbc:[a-z0-9]+:[^\s\"']{0,400}?[?&;]password=(?P<secret>[^&;\s\"']{3,128})", re.IGNORECASE)


class DatabaseConnectionDetector(FieldDetector):
    """A password inside a database connection string."""

    secret_type = "Database Connection String"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_URI, _ADO, _JDBC)

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if values.is_placeholder(value) or value.lower() in ("pass", "pwd", "passwd", "password", "secret"):
            return False
        if match.re is _URI:
            return value != match.group("user")
        if match.re is _ADO:
            return bool(_ADO_PEERS.search(match.string))
        return True


class PlanetScaleTokenDetector(ProviderDetector):
    secret_type = "PlanetScale Token"  # noqa: S105
    denylist = (token("pscale_(?:pw|tkn|oauth)_", r"[A-Za-z0-9_.=-]{32,64}", after=r"(?![A-Za-z0-9_.=-])"),)
