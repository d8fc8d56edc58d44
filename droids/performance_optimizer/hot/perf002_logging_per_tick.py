"""PERF002 Logging at INFO or above on the hot path: a formatted, locked, written record per tick.

What it finds, in a hot function (see PERF001): `logger.info/warning/warn/error/critical/exception/
fatal(...)` on a logger (a name or attribute bound to `logging.getLogger(...)`, or called `logger`,
`log`, `_logger`, `_log`, `LOGGER`, `LOG`), the module-level `logging.info(...)` and friends,
`logger.log(level, ...)` with a level of INFO or above, and `print(...)`.
Not reported: DEBUG logging (disabled in production, and cheap when disabled), and warnings or
errors logged inside an `except` handler (an error path, not every tick).

Why it matters: each record takes the handler's lock, formats the message and writes to a stream or
file: tens of microseconds at best, a blocked disk at worst, on every tick. Severity medium.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot.module import dotted
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Log per-tick detail at DEBUG (guarded by logger.isEnabledFor(logging.DEBUG) when the message is "
    "costly to build), count events and log a summary every N seconds, or route records through a "
    "logging.handlers.QueueHandler so the tick thread never writes."
)
RULE = RuleSpec(
    id="PERF002",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Logging at INFO or above on the hot path",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "hot"

_LEVEL_METHODS = frozenset({"info", "warning", "warn", "error", "critical", "exception", "fatal"})
_ERROR_METHODS = _LEVEL_METHODS - {"info"}
_LOGGER_NAMES = frozenset({"logger", "log", "_logger", "_log", "LOGGER", "LOG", "logging"})
_LEVELS = {"INFO": 20, "WARNING": 30, "WARN": 30, "ERROR": 40, "CRITICAL": 50, "FATAL": 50, "DEBUG": 10}


def check(scope: FunctionScope) -> Iterator[Hit]:
    for call, site in scope.calls():
        f = call.func
        if isinstance(f, ast.Name) and f.id == "print" and "print" not in scope.index.aliases:
            yield scope.hit(RULE.id, call, f"print() in {scope.where()} writes to stdout on every tick")
            continue
        if not isinstance(f, ast.Attribute) or not _is_logger(scope, f.value):
            continue
        method = f.attr
        if method == "log":
            level = _level(call)
            if level is None or level < _LEVELS["INFO"]:
                continue
        elif method not in _LEVEL_METHODS or (site.in_handler and method in _ERROR_METHODS):
            continue
        yield scope.hit(RULE.id, call, f"{dotted(f) or method}() in {scope.where()} logs on every tick")


def _is_logger(scope: FunctionScope, receiver: ast.expr) -> bool:
    name = dotted(receiver)
    if name is None:
        return False
    if name in scope.index.loggers or scope.index.qualified(receiver) == "logging":
        return True
    return name.rsplit(".", 1)[-1] in _LOGGER_NAMES


def _level(call: ast.Call) -> int | None:
    if not call.args:
        return None
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, int):
        return arg.value
    name = dotted(arg)
    return _LEVELS.get(name.rsplit(".", 1)[-1]) if name else None
