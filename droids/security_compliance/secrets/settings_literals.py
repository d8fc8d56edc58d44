"""SEC003's settings check: secret-named settings given a literal value in Python code.

Pure functions over one module's syntax tree; `sec003_env_hygiene` documents the rule. A literal
counts when it is a non-empty string that is not the name of something else: an environment
variable's name (`"TWELVE_DATA_API_KEY"`) or a secret-named word such as a header or field name
(`"Authorization"`, `"password"`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from droids.security_compliance.secrets.secret_names import is_secret_name, words

_ENV_VAR_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_NAME_LIKE = re.compile(r"[A-Za-z]+(?:[-_][A-Za-z]+)*")
_ENV_GETTERS = frozenset({"getenv", "get", "setdefault"})
_SECRET_WRAPPERS = frozenset({"SecretStr", "SecretBytes", "Field"})


@dataclass(frozen=True)
class LiteralSetting:
    line: int
    name: str
    where: str  # "module constant", "settings field of BrokerSettings", "default of os.getenv(...)"


def find_literal_settings(tree: ast.Module) -> list[LiteralSetting]:
    found = [*_module_constants(tree), *_settings_fields(tree), *_env_defaults(tree)]
    return sorted(set(found), key=lambda s: (s.line, s.name))


def _module_constants(tree: ast.Module) -> list[LiteralSetting]:
    found = []
    for node in tree.body:
        for name, value in _assignments(node):
            if is_secret_name(name) and _is_literal_secret(value):
                found.append(LiteralSetting(node.lineno, name, "module constant"))
    return found


def _settings_fields(tree: ast.Module) -> list[LiteralSetting]:
    settings: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {_last_name(b) for b in node.bases}
        if not bases & ({"BaseSettings"} | settings):
            continue
        settings.add(node.name)  # a subclass in the same module is a settings class too
        for statement in node.body:
            for name, value in _assignments(statement):
                if is_secret_name(name) and _is_literal_secret(_default_of(value)):
                    found.append(LiteralSetting(statement.lineno, name, f"settings field of {node.name}"))
    return found


def _env_defaults(tree: ast.Module) -> list[LiteralSetting]:
    """`os.getenv("API_KEY", "literal")`, `os.environ.get(...)`, `os.environ.setdefault(...)`."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _last_name(node.func) in _ENV_GETTERS and len(node.args) >= 2):
            continue
        getter = ast.unparse(node.func)
        if _last_name(node.func) != "getenv" and not getter.endswith(("environ.get", "environ.setdefault")):
            continue
        key, default = node.args[0], node.args[1]
        is_secret_key = (
            isinstance(key, ast.Constant) and isinstance(key.value, str) and is_secret_name(key.value, setting=True)
        )
        if is_secret_key and _is_literal_secret(default):
            found.append(LiteralSetting(node.lineno, str(key.value), f"literal default of {getter}()"))
    return found


def _assignments(node: ast.stmt) -> list[tuple[str, ast.expr | None]]:
    if isinstance(node, ast.Assign):
        return [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [(node.target.id, node.value)]
    return []


def _default_of(value: ast.expr | None) -> ast.expr | None:
    """The literal inside `Field("x")`, `Field(default="x")`, `SecretStr("x")`, or the value itself."""
    if isinstance(value, ast.Call) and _last_name(value.func) in _SECRET_WRAPPERS:
        for kw in value.keywords:
            if kw.arg == "default":
                return kw.value
        return value.args[0] if value.args else None
    return value


def _is_literal_secret(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Call) and _last_name(value.func) in ("SecretStr", "SecretBytes"):
        value = value.args[0] if value.args else None
    if not isinstance(value, ast.Constant) or not isinstance(value.value, str | bytes):
        return False
    text = value.value.decode("utf-8", "replace") if isinstance(value.value, bytes) else value.value
    text = text.strip()
    if not text or _ENV_VAR_NAME.fullmatch(text):
        return False
    # A secret-named word ("Authorization", "x-api-key", "password") names a field, not a value.
    return not (_NAME_LIKE.fullmatch(text) and is_secret_name(text) and len(words(text)) <= 3)


def _last_name(expr: ast.expr) -> str:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        return _last_name(expr.value)
    return ""
