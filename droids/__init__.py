"""The droids: one package per droid, plus `droids.core`, the machinery they share.

`BUILTIN` is the one explicit registry of built-in droids, in precedence order: each entry is a
package whose `MANIFEST` (droids.core.manifest) describes the droid. Third-party droids register
through the `droids` entry-point group (see droids.core.registry). Reading the manifests imports no
droid code, so `droid --help` stays instant.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from droids.core.manifest import Manifest

BUILTIN = (
    "droids.security_compliance",
    "droids.performance_optimizer",
    "droids.devops",
    "droids.monitoring",
    "droids.data_pipeline",
)


def builtin_manifests() -> tuple[Manifest, ...]:
    return tuple(importlib.import_module(package).MANIFEST for package in BUILTIN)


def builtin_droids() -> tuple[type, ...]:
    """The built-in droid classes, in precedence order."""
    from droids.core.manifest import load

    return tuple(load(m.droid) for m in builtin_manifests())
