"""Private key material that detect-secrets' `-----BEGIN ... PRIVATE KEY-----` detector does not see.

- a PEM private key encoded in base64 as a whole (`LS0tLS1CRUdJTi...`, how Kubernetes secrets,
  CI variables and `.env` files often carry one): reported when the decoded start says
  `PRIVATE KEY`;
- age secret keys (`AGE-SECRET-KEY-1` + 58 bech32 characters);
- PuTTY private key files of format 3 (`PuTTY-User-Key-File-3:`; format 2 is detect-secrets').
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins.provider import ProviderDetector, token

_BASE64_PEM = token("LS0tLS1CRUdJTi", r"[A-Za-z0-9+/]{20,8000}={0,2}", after=r"(?![A-Za-z0-9+/=])")
_AGE = token("AGE-SECRET-KEY-1", "[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}")
_PUTTY = re.compile(r"(?P<secret>PuTTY-User-Key-File-3: [a-z0-9-]+)")


class PrivateKeyMaterialDetector(ProviderDetector):
    secret_type = "Private Key Material"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_BASE64_PEM, _AGE, _PUTTY)

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if match.re is _PUTTY:
            return True
        return super().keep(value, match, context)

    def valid(self, value: str, match: re.Match[str]) -> bool:
        if match.re is not _BASE64_PEM:
            return True
        head = value[:64]
        try:
            decoded = base64.b64decode(head[: len(head) // 4 * 4]).decode("ascii", "replace")
        except binascii.Error:
            return False
        return "PRIVATE KEY" in decoded
