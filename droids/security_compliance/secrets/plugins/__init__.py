"""SEC001's own detect-secrets plugins: what a trading codebase leaks that detect-secrets does not know,
and provider token formats by value (`provider.py` and the modules built on it).

Each module holds real detect-secrets plugin classes (`FieldDetector`, a `RegexBasedDetector`), so
detect-secrets can load them too: `detect-secrets scan -p <this directory>/twelve_data.py ...`.
This package module imports nothing heavy (the scan cache's key names the plugins by the digest
of the scanner's source, see `runner.settings_key`).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

# module name -> plugin classes, in the order the engine runs them.
PLUGINS = {
    "twelve_data": ("TwelveDataKeyDetector",),
    "url_query_key": ("UrlQueryKeyDetector",),
    "tradovate": ("TradovateCredentialsDetector",),
    "broker_password": ("BrokerPasswordDetector",),
    "webhooks": ("SlackWebhookDetector", "WebhookUrlDetector"),
    "cloud": (
        "GoogleApiKeyDetector", "GoogleOAuthDetector", "AzureClientSecretDetector", "AzureAnnotatedKeyDetector",
        "AzureSasTokenDetector", "AlibabaAccessKeyDetector", "TencentSecretIdDetector", "DigitalOceanTokenDetector",
        "CloudflareOriginCaKeyDetector", "ScalewayKeyDetector", "HashiCorpTokenDetector", "DatabricksTokenDetector",
        "DopplerTokenDetector", "PulumiTokenDetector", "SupabaseKeyDetector", "HerokuKeyDetector", "FlyTokenDetector",
        "YandexCloudKeyDetector",
    ),
    "devtools": (
        "GitHubTokenChecksumDetector", "NpmTokenDetector", "NuGetKeyDetector", "DockerCredentialsDetector",
        "PackageRegistryTokenDetector", "AtlassianTokenDetector", "CiTokenDetector", "ObservabilityTokenDetector",
        "SidekiqCredentialsDetector",
    ),
    "messaging": (
        "SlackAppTokenDetector", "MailServiceKeyDetector", "ProductivityTokenDetector", "ShopifyTokenDetector",
        "SocialPlatformTokenDetector",
    ),
    "payment_ai": (
        "PaymentKeyDetector", "PaymentTestKeyDetector", "OpenAIKeyDetector", "AnthropicKeyDetector",
        "AiPlatformKeyDetector",
    ),
    "databases": ("DatabaseConnectionDetector", "PlanetScaleTokenDetector"),
    "market": (
        "AlpacaKeyDetector", "MarketDataTokenDetector", "InteractiveBrokersFlexTokenDetector",
        "BrokerApiCredentialsDetector", "MarketDataKeyDetector", "CryptoExchangeKeyDetector",
    ),
    "http_auth": ("AuthorizationHeaderDetector", "CommandLineCredentialsDetector"),
    "keys": ("PrivateKeyMaterialDetector",),
    "logs": ("LogCredentialDetector",),
}  # fmt: skip
_HERE = Path(__file__).parent


def module_files() -> list[Path]:
    """The plugin modules' files, as `detect-secrets scan -p FILE` takes them."""
    return [_HERE / f"{name}.py" for name in PLUGINS]


def plugin_classes() -> list[type[Any]]:
    return [
        getattr(import_module(f"{__name__}.{module}"), cls) for module, classes in PLUGINS.items() for cls in classes
    ]
