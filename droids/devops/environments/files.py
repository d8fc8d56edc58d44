"""The environment configurations of a repository, read as flat settings: dotted key -> value, line.

`environments.files` of policies/devops.yaml names path templates (`config/{env}.yaml`,
`.env.{env}`); each template with at least one file is one set, its files compared with each other.
YAML files are read with the project's YAML parser (one parse per run, lines for every key); a
reference mapping (`{env: NAME}`) is one value, not a section. `.env` files are `KEY=value` lines
(`export`, quotes and comments allowed); any other line is bad input naming file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from droids.core.errors import DroidError
from droids.core.models import Task
from droids.core.protocol import DroidContext
from droids.devops.common import line, policy, yaml_doc
from droids.devops.policy import EnvironmentPolicy
from droids.devops.secret_values import is_reference


@dataclass(frozen=True)
class Setting:
    key: str
    value: Any
    line: int | None


@dataclass(frozen=True)
class EnvFile:
    env: str
    path: str
    settings: dict[str, Setting]


def paths_of(settings: EnvironmentPolicy) -> dict[str, list[tuple[str, str]]]:
    """Template -> [(env, path)] in the policy's environment order."""
    return {t: [(env, t.format(env=env)) for env in settings.names] for t in settings.files}


def targeted(task: Task) -> bool:
    wanted = {p for pairs in paths_of(policy(task).environments).values() for _, p in pairs}
    return any(p in wanted for p in task.targets.paths)


def env_sets(task: Task, ctx: DroidContext) -> list[list[EnvFile]]:
    """The sets of environment files that exist (as the run sees them), read once per run."""

    def compute() -> list[list[EnvFile]]:
        settings = policy(task).environments
        workspace = ctx.workspace(task)
        sets = []
        for pairs in paths_of(settings).values():
            found = []
            for env, path in pairs:
                content = workspace.content(path)
                if content is not None:
                    found.append(EnvFile(env, path, _read(task, ctx, path, content, settings)))
            if found:
                sets.append(found)
        return sets

    return ctx.workspace(task).shared("devops.env_sets", compute)


def _read(task: Task, ctx: DroidContext, path: str, content: bytes, settings: EnvironmentPolicy) -> dict[str, Setting]:
    if path.rsplit("/", 1)[-1].startswith(".env"):
        return dotenv(path, content)
    doc = yaml_doc(task, ctx, path)
    if doc is None or doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        raise DroidError(f"{path}:1: expected a mapping of settings, got {type(doc.data).__name__}")
    out: dict[str, Setting] = {}
    for keys, value in _leaves(doc.data, (), settings):
        out[".".join(keys)] = Setting(".".join(keys), value, line(doc, keys))
    return out


def _leaves(data: Any, prefix: tuple[str, ...], settings: EnvironmentPolicy) -> Any:
    if isinstance(data, dict) and data and not (prefix and is_reference(data, settings)):
        for key, value in data.items():
            yield from _leaves(value, (*prefix, str(key)), settings)
    elif isinstance(data, list) and data:
        for i, value in enumerate(data):
            yield from _leaves(value, (*prefix, str(i)), settings)
    else:
        yield prefix, data


def dotenv(path: str, content: bytes) -> dict[str, Setting]:
    """KEY=value lines of a .env file."""
    out: dict[str, Setting] = {}
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise DroidError(f"{path}: not UTF-8 text; expected KEY=value lines") from None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        stripped = stripped.removeprefix("export ").strip()
        key, sep, value = stripped.partition("=")
        key = key.strip()
        if not sep or not key.replace("_", "").replace(".", "").isalnum():
            raise DroidError(f"{path}:{number}: expected KEY=value (a setting name, '=', its value)")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        out[key] = Setting(key, value, number)
    return out


def shown(value: Any) -> str:
    """A non-secret value as a message shows it."""
    if isinstance(value, dict) and len(value) == 1:
        key, ref = next(iter(value.items()))
        return f"{{{key}: {ref}}}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
