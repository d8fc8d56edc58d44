"""Key-by-key comparison of one set of environment files with its reference environment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from droids.devops.environments.files import EnvFile, Setting
from droids.devops.policy import EnvironmentPolicy


@dataclass(frozen=True)
class Difference:
    key: str
    env: EnvFile  # the environment that differs
    reference: EnvFile
    mine: Setting | None  # None: the key is missing in `env`
    theirs: Setting | None  # None: the key is missing in the reference


def reference_of(files: list[EnvFile], settings: EnvironmentPolicy) -> EnvFile:
    """The policy's reference environment when its file exists, else the last one present."""
    return next((f for f in files if f.env == settings.reference), files[-1])


def same(a: Any, b: Any) -> bool:
    """Equal as configuration: "300" and 300 are the same setting; 1 and true are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return a == b
    return str(a).strip() == str(b).strip()


def differences(files: list[EnvFile], settings: EnvironmentPolicy) -> Iterator[Difference]:
    """Every key whose value differs from the reference, or that one side lacks, per environment."""
    ref = reference_of(files, settings)
    for env in files:
        if env is ref:
            continue
        for key in sorted(env.settings.keys() | ref.settings.keys()):
            mine, theirs = env.settings.get(key), ref.settings.get(key)
            if mine is None or theirs is None or not same(mine.value, theirs.value):
                yield Difference(key, env, ref, mine, theirs)
