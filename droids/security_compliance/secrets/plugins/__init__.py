"""SEC001's own detect-secrets plugins: what a trading codebase leaks that detect-secrets does not know.

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
}
_HERE = Path(__file__).parent


def module_files() -> list[Path]:
    """The plugin modules' files, as `detect-secrets scan -p FILE` takes them."""
    return [_HERE / f"{name}.py" for name in PLUGINS]


def plugin_classes() -> list[type[Any]]:
    return [
        getattr(import_module(f"{__name__}.{module}"), cls) for module, classes in PLUGINS.items() for cls in classes
    ]
