"""SEC001's own detect-secrets plugins: what a trading codebase leaks that detect-secrets does not know.

Each module holds real detect-secrets plugin classes (`FieldDetector`, a `RegexBasedDetector`), so
detect-secrets can load them too: `detect-secrets scan -p <this directory>/twelve_data.py ...`.
This package module imports nothing heavy: `source_digest` (part of the scan cache's key, so a
change to any plugin invalidates cached results) only reads the files.
"""

from __future__ import annotations

import hashlib
from functools import cache
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


@cache
def source_digest() -> str:
    """A digest of every source file of this package: which plugins exist and what they match."""
    digest = hashlib.sha256()
    for path in sorted(_HERE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
