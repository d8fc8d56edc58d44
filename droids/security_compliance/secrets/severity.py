"""How severe a secret finding is, from the type of what was found (SEC001 and SEC002 share this).

- Critical: what opens infrastructure, moves money or places trades: private keys, cloud
  providers' keys, live payment keys, broker and crypto-exchange credentials.
- High: every other credential recognised by its format (GitHub, Slack, OpenAI, market-data
  vendors...) and every credential found by its name or its shape that has credential context.
- Low: a value found only by its shape or by the name it is assigned to, when its context says it
  is probably not a credential. The engine then qualifies its type with the reason
  (`Hex High Entropy String (low: no credential name nearby)`, see `context.py`), so the
  severity travels with the type into SEC001's cache and SEC002's history state.

This module imports nothing heavy: a cached scan is turned into findings without detect-secrets.
"""

from __future__ import annotations

from droids.core.models import Severity

CRITICAL_TYPES = frozenset(
    {
        "Private Key",
        "Private Key Material",
        "AWS Access Key",
        "Azure Storage Account access key",
        "IBM Cloud IAM Key",
        "IBM COS HMAC Credentials",
        "SoftLayer Credentials",
        "Cloudant Credentials",
        "Stripe Access Key",
        "Tradovate Credentials",
        "Broker Account Password",
        "Google OAuth Credentials",
        "Azure AD Client Secret",
        "Azure Key",
        "Azure Shared Access Signature",
        "Alibaba Cloud AccessKey",
        "Tencent Cloud SecretId",
        "DigitalOcean Token",
        "Cloudflare Origin CA Key",
        "Scaleway Access Key",
        "HashiCorp Token",
        "Payment Provider Key",
        "Alpaca API Key",
        "Broker API Credentials",
        "Crypto Exchange API Key",
    }
)
# Found by a value's shape or by the name it is assigned to, not by a provider's format: such a
# finding is judged by its context (file kind, nearby names, what the value looks like).
CONTEXT_TYPES = frozenset(
    {
        "Base64 High Entropy String",
        "Hex High Entropy String",
        "Secret Keyword",
        "Basic Auth Credentials",
        "API Key in URL",
        "Database Connection String",
        "Credential in Log Line",
        "Command-line Credentials",
        "HTTP Authorization Header",
        "Crypto Exchange API Key",
        "Broker API Credentials",
        "Market Data API Key",
    }
)
# Types that say where a value stands or what shape it has rather than what it is: a finding
# several detectors share is named after a more specific one.
GENERIC_TYPES = frozenset({"Base64 High Entropy String", "Hex High Entropy String", "Secret Keyword", "API Key in URL"})
_LOW = " (low: "


def qualified(secret_type: str, reason: str) -> str:
    """`secret_type` marked low severity, with the reason in words."""
    return f"{secret_type}{_LOW}{reason})"


def base_type(secret_type: str) -> str:
    return secret_type.split(_LOW, 1)[0]


def low_reason(secret_type: str) -> str | None:
    if _LOW not in secret_type:
        return None
    return secret_type.split(_LOW, 1)[1].rstrip(")")


def severity_of(secret_type: str) -> Severity:
    if _LOW in secret_type:
        return Severity.LOW
    return Severity.CRITICAL if secret_type in CRITICAL_TYPES else Severity.HIGH


def is_generic(secret_type: str) -> bool:
    return base_type(secret_type) in GENERIC_TYPES
