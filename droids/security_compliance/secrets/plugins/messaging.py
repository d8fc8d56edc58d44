"""Chat, e-mail and productivity services' credentials, by their published formats.

Slack tokens beyond detect-secrets' `xox[abposr]-` detector: app-level tokens (`xapp-1-`),
configuration and rotating tokens (`xoxe.xoxp-1-`, `xoxe-1-`). Slack and Microsoft Teams webhook
URLs are `webhooks.py`; Discord bot tokens and Telegram bot tokens are detect-secrets' own.

E-mail: Mailgun (`key-` + 32 hex), Brevo/Sendinblue (`xkeysib-` + 64 hex + `-` + 16). SendGrid,
Mailchimp and Twilio are detect-secrets' own.

Productivity and content APIs: Linear (`lin_api_`), Notion (`ntn_`, `secret_` + 43), Airtable
personal access tokens (`pat` + 14 + `.` + 64 hex), Figma (`figd_`), Sourcegraph (`sgp_`),
Prefect (`pnu_`), ReadMe (`rdme_`), 1Password service accounts (`ops_eyJ`), Contentful (`CFPAT-`),
Infracost (`ico-`), Mapbox secret tokens (`sk.eyJ`), Shopify (`shpat_`, `shpca_`, `shppa_`,
`shpss_` + 32 hex), Twitter/X app bearer tokens (21 `A` + 80+), Facebook/Meta access tokens
(`EAA` + 90+), Dropbox short-lived tokens (`sl.` + 130+).
"""

from __future__ import annotations

from droids.security_compliance.secrets.plugins.provider import BASE62, URLSAFE, ProviderDetector, token


class SlackAppTokenDetector(ProviderDetector):
    secret_type = "Slack App Token"  # noqa: S105 - the type name detect-secrets reports
    denylist = (
        token(r"xapp-\d-", "[A-Z0-9]{8,14}-\\d{8,16}-[a-f0-9]{32,80}"),
        token(r"xoxe\.xox[bp]-\d-", f"[{BASE62}]{{100,300}}"),
        token(r"xoxe-\d-", f"[{BASE62}]{{100,300}}"),
    )


class MailServiceKeyDetector(ProviderDetector):
    secret_type = "Mail Service API Key"  # noqa: S105
    denylist = (
        token("key-", "[a-f0-9]{32}", before=r"(?<![A-Za-z0-9_-])"),
        token("xkeysib-", "[a-f0-9]{64}-[A-Za-z0-9]{16}"),
    )


class ProductivityTokenDetector(ProviderDetector):
    secret_type = "SaaS API Token"  # noqa: S105
    denylist = (
        token("lin_api_", f"[{BASE62}]{{40}}"),
        token("ntn_", f"[0-9]{{11}}[{BASE62}]{{35}}"),
        token("secret_", f"[{BASE62}]{{43}}"),
        token("pat", rf"[{BASE62}]{{14}}\.[a-f0-9]{{64}}"),
        token("figd_", f"[{URLSAFE}]{{40}}", after=r"(?![A-Za-z0-9_-])"),
        token("sgp_", "(?:[a-f0-9]{16}_)?[a-f0-9]{40}"),
        token("pnu_", f"[{BASE62}]{{36}}"),
        token("rdme_", "[a-z0-9]{70}"),
        token("ops_eyJ", r"[A-Za-z0-9+/=_-]{100,2000}", after=r"(?![A-Za-z0-9+/=_-])"),
        token("CFPAT-", f"[{URLSAFE}]{{43}}", after=r"(?![A-Za-z0-9_-])"),
        token("ico-", f"[{BASE62}]{{32}}"),
        token(r"sk\.eyJ", rf"[{URLSAFE}]{{50,400}}\.[{URLSAFE}]{{20,60}}", after=r"(?![A-Za-z0-9_-])"),
    )


class ShopifyTokenDetector(ProviderDetector):
    secret_type = "Shopify Token"  # noqa: S105
    denylist = (token("shp(?:at|ca|pa|ss)_", "[a-fA-F0-9]{32}"),)


class SocialPlatformTokenDetector(ProviderDetector):
    secret_type = "Social Platform Token"  # noqa: S105
    denylist = (
        token("A" * 21, r"[A-Za-z0-9%]{80,200}"),  # Twitter/X app-only bearer token (21 literal A)
        token("EAA", f"[{BASE62}]{{90,400}}"),  # Facebook/Meta user or page access token
        token(r"sl\.", f"[{URLSAFE}]{{130,1200}}", after=r"(?![A-Za-z0-9_-])"),  # Dropbox
    )
