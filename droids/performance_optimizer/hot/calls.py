"""Which calls block: shared by PERF001 (hot path) and PERF008 (async def)."""

from __future__ import annotations

import ast

from droids.performance_optimizer.hot.scope import FunctionScope

_SLEEP = frozenset({"time.sleep"})
_NETWORK_PREFIXES = ("requests.", "urllib.request.", "urllib3.", "http.client.", "socket.", "ftplib.", "smtplib.")
_NETWORK = frozenset({f"httpx.{m}" for m in ("get", "post", "put", "patch", "delete", "head", "request", "stream")})
_FILE = frozenset(
    {
        "io.open",
        "os.open",
        "os.read",
        "os.write",
        "os.fsync",
        "json.load",
        "json.dump",
        "pickle.load",
        "pickle.dump",
        "shutil.copy",
        "shutil.copyfile",
        "shutil.move",
        "sqlite3.connect",
    }
)
_FILE_METHODS = frozenset({"read_text", "write_text", "read_bytes", "write_bytes"})
_PROCESS = frozenset(
    {"os.system", "os.popen"}
    | {f"subprocess.{m}" for m in ("run", "call", "check_call", "check_output", "Popen", "getoutput")}
)
_BUILTINS = {"open": "does file I/O", "input": "waits for console input"}


def blocking_kind(scope: FunctionScope, call: ast.Call) -> str | None:
    """What a blocking call does ("sleeps", "does network I/O", ...), or None if it does not block."""
    name = scope.call_name(call)
    if name is None:
        return None
    if name in _BUILTINS and name not in scope.index.functions:
        return _BUILTINS[name]
    if name in _SLEEP:
        return "sleeps"
    if name in _NETWORK or name.startswith(_NETWORK_PREFIXES):
        return "does network I/O"
    if name in _FILE:
        return "does file I/O"
    if name in _PROCESS:
        return "runs a subprocess"
    if isinstance(call.func, ast.Attribute) and call.func.attr in _FILE_METHODS:
        return "does file I/O"
    return None
