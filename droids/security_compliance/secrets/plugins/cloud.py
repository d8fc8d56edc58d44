"""Cloud providers' credentials, by their published formats (AWS and IBM are detect-secrets' own).

- Google: API keys (`AIza` + 35), OAuth client secrets (`GOCSPX-` + 28), OAuth access tokens
  (`ya29.`) and refresh tokens (`1//0`).
- Microsoft Azure: Entra ID (Azure AD) client secrets (40 characters with `Q~` after the first
  four), keys in Microsoft's common annotated format (84-88 base62 characters with the `JQQJ9`
  signature at position 52: Azure DevOps PATs, Cosmos DB, Event Grid...), and the `sig=` of a
  shared-access-signature URL (one with a `sv=YYYY-MM-DD` service version).
- Alibaba Cloud AccessKey IDs (`LTAI` + 12-20), Tencent Cloud SecretIds (`AKID` + 32),
  DigitalOcean personal, OAuth and refresh tokens (`dop_v1_`, `doo_v1_`, `dor_v1_` + 64 hex),
  Cloudflare Origin CA keys (`v1.0-` + 24 hex + `-` + 146 hex), Scaleway access keys (`SCW` + 17).
- Platforms: HashiCorp Vault tokens (`hvs.`, `hvb.`, `hvr.`), Terraform Cloud / HCP tokens
  (`<14>.atlasv1.<60+>`), Databricks (`dapi` + 32 hex), Doppler (`dp.pt.`, `dp.st.`...), Pulumi
  (`pul-` + 40 hex), Supabase (`sbp_` + 40 hex, `sb_secret_`), Heroku (`HRKU-`), Fly.io
  (`fo1_`, `FlyV1 fm2_`), Yandex Cloud API keys (`AQVN`).
"""

from __future__ import annotations

import re

from droids.security_compliance.secrets.plugins.provider import BASE62, URLSAFE, ProviderDetector, token


class GoogleApiKeyDetector(ProviderDetector):
    secret_type = "Google API Key"  # noqa: S105 - the type name detect-secrets reports
    denylist = (token("AIza", f"[{URLSAFE}]{{35}}", after=r"(?![A-Za-z0-9_-])"),)


class GoogleOAuthDetector(ProviderDetector):
    secret_type = "Google OAuth Credentials"  # noqa: S105
    denylist = (
        token("GOCSPX-", f"[{URLSAFE}]{{28}}", after=r"(?![A-Za-z0-9_-])"),
        token(r"ya29\.", f"[{URLSAFE}]{{40,2048}}", after=r"(?![A-Za-z0-9_-])"),
        token("1//0", f"[{URLSAFE}]{{40,512}}", before=r"(?<![A-Za-z0-9_/])", after=r"(?![A-Za-z0-9_-])"),
    )


class AzureClientSecretDetector(ProviderDetector):
    secret_type = "Azure AD Client Secret"  # noqa: S105
    denylist = (
        re.compile(
            r"(?<![A-Za-z0-9_~.-])(?P<secret>[A-Za-z0-9_~.]{3}\dQ~(?P<body>[A-Za-z0-9_~.-]{31,34}))(?![A-Za-z0-9_~.-])"
        ),
    )


class AzureAnnotatedKeyDetector(ProviderDetector):
    secret_type = "Azure Key"  # noqa: S105
    denylist = (token("", f"[{BASE62}]{{52}}JQQJ9[{BASE62}]{{27,31}}", before=r"(?<![A-Za-z0-9+/])"),)


class AzureSasTokenDetector(ProviderDetector):
    secret_type = "Azure Shared Access Signature"  # noqa: S105
    _SIG = r"sig=(?P<secret>(?P<body>[A-Za-z0-9%+/]{40,120})(?:%3D|=){0,2})(?![A-Za-z0-9%+/=])"
    denylist = (
        re.compile(rf"[?&]sv=\d{{4}}-\d\d-\d\d&[^\s\"'<>]{{0,400}}?[&?]{_SIG}", re.IGNORECASE),
        re.compile(rf"[?&]{_SIG}[^\s\"'<>]{{0,400}}?&sv=\d{{4}}-\d\d-\d\d", re.IGNORECASE),
    )


class AlibabaAccessKeyDetector(ProviderDetector):
    secret_type = "Alibaba Cloud AccessKey"  # noqa: S105
    denylist = (token("LTAI", f"[{BASE62}]{{12,20}}"),)


class TencentSecretIdDetector(ProviderDetector):
    secret_type = "Tencent Cloud SecretId"  # noqa: S105
    denylist = (token("AKID", f"[{BASE62}]{{32}}"),)


class DigitalOceanTokenDetector(ProviderDetector):
    secret_type = "DigitalOcean Token"  # noqa: S105
    denylist = (token("do[por]_v1_", "[a-f0-9]{64}"),)


class CloudflareOriginCaKeyDetector(ProviderDetector):
    secret_type = "Cloudflare Origin CA Key"  # noqa: S105
    denylist = (token(r"v1\.0-", "[a-f0-9]{24}-[a-f0-9]{146}"),)


class ScalewayKeyDetector(ProviderDetector):
    secret_type = "Scaleway Access Key"  # noqa: S105
    denylist = (token("SCW", "[A-Z0-9]{17}"),)


class HashiCorpTokenDetector(ProviderDetector):
    secret_type = "HashiCorp Token"  # noqa: S105
    denylist = (
        token(r"hv[sbr]\.", f"[{URLSAFE}]{{24,512}}"),
        token("", rf"[{BASE62}]{{14}}\.atlasv1\.[={URLSAFE}]{{60,70}}"),
    )


class DatabricksTokenDetector(ProviderDetector):
    secret_type = "Databricks Token"  # noqa: S105
    denylist = (token("dapi", "[a-f0-9]{32}(?:-[0-9])?"),)


class DopplerTokenDetector(ProviderDetector):
    secret_type = "Doppler Token"  # noqa: S105
    denylist = (token(r"dp\.(?:pt|st|sa|ct|scim|audit)\.", f"[{BASE62}]{{40,44}}"),)


class PulumiTokenDetector(ProviderDetector):
    secret_type = "Pulumi Token"  # noqa: S105
    denylist = (token("pul-", "[a-f0-9]{40}"),)


class SupabaseKeyDetector(ProviderDetector):
    secret_type = "Supabase Key"  # noqa: S105
    denylist = (token("sbp_", "[a-f0-9]{40}"), token("sb_secret_", f"[{URLSAFE}]{{31,64}}"))


class HerokuKeyDetector(ProviderDetector):
    secret_type = "Heroku API Key"  # noqa: S105
    denylist = (token("HRKU-", f"[{URLSAFE}]{{40,70}}", after=r"(?![A-Za-z0-9_-])"),)


class FlyTokenDetector(ProviderDetector):
    secret_type = "Fly.io Token"  # noqa: S105
    denylist = (
        token("fo1_", f"[{URLSAFE}]{{43}}", after=r"(?![A-Za-z0-9_-])"),
        token("FlyV1 fm[12][ar]?_", r"[A-Za-z0-9+/=_,-]{100,4000}", before=""),
    )


class YandexCloudKeyDetector(ProviderDetector):
    secret_type = "Yandex Cloud API Key"  # noqa: S105
    denylist = (token("AQVN", f"[{URLSAFE}]{{35,38}}", after=r"(?![A-Za-z0-9_-])"),)
