"""Every policy file under policies/ and the model that validates it (for `droid policy`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droids.core.policy import GATES_FILE, GatesPolicy, load_gates


@dataclass(frozen=True)
class PolicyFile:
    name: str
    schema: Callable[[], dict[str, Any]]
    check: Callable[[Path, Path], object]


def policy_files() -> list[PolicyFile]:
    files = [
        PolicyFile(GATES_FILE, GatesPolicy.model_json_schema, load_gates),
    ]
    return files
