"""SEC004's analysis: the secret-named values a Python module hands to a log or output call.

Pure functions over one module's syntax tree; `sec004_secrets_in_logs` documents the rule and turns
what `find_leaks` returns into findings. A value is what reaches the output: a name, an attribute,
a subscript, a call result, or one interpolated into an f-string, a `%` or `.format` template or a
concatenation. Results that are not the value (`len(token)`, `token is None`, `bool(token)`,
`token.startswith(...)`, `token[:4]`) and values passed through a redacting call (a function named
`redact`, `mask`, `hash`, `sha256`, `fingerprint`, `scrub`, `sanitize`...) are not leaks.
"""

from __future__ import annotations

import ast
import copy
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from droids.security_compliance.secrets.secret_names import is_secret_name, words

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
_LOGGER_WORDS = frozenset({"log", "logger", "logging", "loggers", "structlog", "logs"})
_NOT_PAYLOAD = frozenset({"exc_info", "stack_info", "stacklevel", "file", "sep", "end", "flush", "err", "nl", "fg"})
# Calls whose result is a number, a flag or a type, never the value itself.
_SAFE_CALLS = frozenset({"len", "bool", "type", "id", "hash", "isinstance", "callable", "hasattr", "any", "all"})
_SAFE_METHODS = frozenset(
    {"startswith", "endswith", "count", "find", "rfind", "index", "rindex", "isalnum", "isalpha", "isdigit",
     "isascii", "islower", "isupper", "isspace", "isnumeric", "keys", "__len__"}
)  # fmt: skip
# Words that make a call's result a redacted form of its argument, wherever they stand in its name.
_REDACTING_WORDS = frozenset(
    {"redact", "redacted", "mask", "masked", "hash", "hashed", "sha1", "sha256", "sha512", "md5", "digest", "hexdigest",
     "fingerprint", "obfuscate", "censor", "scrub", "sanitize", "sanitise", "anonymize", "anonymise"}
)  # fmt: skip
# First words that make a call's result a flag or a number: is_valid_token(t), verify_password(p).
_PREDICATE_HEADS = frozenset({"is", "has", "verify", "validate", "check", "compare", "len", "count"})
_ENV_GETTERS = frozenset({"getenv", "get", "pop", "getpass", "setdefault"})
_MAX_CODE = 80
# A label before an exception describes what failed ("bad apiKey: {e}"), not the exception's text.
_EXCEPTION_NAMES = frozenset({"e", "ex", "exc", "err", "error", "exception"})
_MAX_SAFE_SLICE = 4  # a prefix of at most this many characters is how SEC001 itself shows evidence
_LABEL = re.compile(
    r"(?P<label>[A-Za-z][A-Za-z0-9_ .-]{0,40}?)\s*[:=]\s*[\"'\[(<]?$|(?P<scheme>bearer|basic)\s+$", re.I
)
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")
_BRACES = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}!:]*)[^{}]*\}")


def _labelled(expr: ast.expr, label: str) -> list[tuple[ast.expr, str]]:
    if isinstance(expr, ast.Name) and expr.id in _EXCEPTION_NAMES:
        return []
    return [(expr, f"{_code(expr)} (labelled '{label}')")]


def _code(expr: ast.expr) -> str:
    """Source text of `expr` with string literals other than plain names elided: no value leaks."""

    class _Elide(ast.NodeTransformer):
        def visit_Constant(self, node: ast.Constant) -> ast.Constant:
            keep = not isinstance(node.value, str) or node.value.replace("-", "_").isidentifier()
            return node if keep else ast.Constant("...")

    text = ast.unparse(_Elide().visit(copy.deepcopy(expr)))
    return text if len(text) <= _MAX_CODE else text[: _MAX_CODE - 3] + "..."


@dataclass(frozen=True)
class Leak:
    line: int
    end_line: int
    sink: str  # the call that writes it: "logger.info", "print"
    what: str  # the secret-named expression or "value labelled 'password'"


def find_leaks(tree: ast.Module) -> list[Leak]:
    """Every secret-named value passed to a log or output call, except through a redacting logger."""
    covered = _redacting_loggers(tree)
    leaks: list[Leak] = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        sink = _sink(call)
        if sink is None or (isinstance(call.func, ast.Attribute) and _receiver(call.func.value) in covered):
            continue
        for expr, what in _payload(call, sink):
            leaks.append(Leak(expr.lineno, expr.end_lineno or expr.lineno, sink, what))
    return sorted(set(leaks), key=lambda leak: (leak.line, leak.what))


def _sink(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id if func.id == "print" else None
    if not isinstance(func, ast.Attribute):
        return None
    receiver = _receiver(func.value)
    if func.attr in LOG_METHODS and _LOGGER_WORDS & set(words(_last_name(func.value))):
        return f"{receiver}.{func.attr}"
    if func.attr == "write" and receiver in ("sys.stdout", "sys.stderr"):
        return f"{receiver}.write"
    if func.attr in ("echo", "secho") and receiver in ("click", "typer"):
        return f"{receiver}.{func.attr}"
    if func.attr in ("print", "log") and "console" in words(_last_name(func.value)):
        return f"{receiver}.{func.attr}"
    if func.attr == "warn" and receiver == "warnings":
        return "warnings.warn"
    return None


def _payload(call: ast.Call, sink: str) -> Iterator[tuple[ast.expr, str]]:
    args = list(call.args)
    if sink.endswith(".log") and args:
        args = args[1:]  # logger.log(level, msg, *args): the level is no payload
    if args and not sink.startswith(("print", "sys.", "click.", "typer.")):
        yield from _template_leaks(args[0], args[1:])
    if sink == "print":
        for before, arg in itertools.pairwise(args):
            label = _label_of(before.value) if _is_str(before) else None
            if label and not _leaks(arg) and not _is_safe(arg):
                yield from _labelled(arg, label)
    for arg in args:
        yield from _leaks(arg)
    for kw in call.keywords:
        if kw.arg not in _NOT_PAYLOAD:
            yield from _keyword_leaks(kw)


def _leaks(expr: ast.expr) -> list[tuple[ast.expr, str]]:
    """The secret-named parts of `expr` whose value reaches the output."""
    if isinstance(expr, ast.Constant | ast.Compare | ast.Lambda) or _is_safe(expr):
        return []
    if isinstance(expr, ast.Name):
        return [(expr, expr.id)] if is_secret_name(expr.id) else []
    if isinstance(expr, ast.Attribute):
        return [(expr, _code(expr))] if is_secret_name(expr.attr) else []
    if isinstance(expr, ast.Subscript):
        return _subscript_leaks(expr)
    if isinstance(expr, ast.Call):
        return _call_leaks(expr)
    if isinstance(expr, ast.Dict):
        return _dict_leaks(expr)
    if isinstance(expr, ast.JoinedStr):
        return _fstring_leaks(expr)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod) and _is_str(expr.left):
        right = expr.right.elts if isinstance(expr.right, ast.Tuple) else [expr.right]
        return [*_template_leaks(expr.left, right), *(leak for arg in right for leak in _leaks(arg))]
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return []
    if isinstance(expr, ast.IfExp):
        return _leaks(expr.body) + _leaks(expr.orelse)
    found = []
    for child in ast.iter_child_nodes(expr):
        if isinstance(child, ast.comprehension):  # what a comprehension iterates over reaches its result
            found += _leaks(child.iter)
        elif isinstance(child, ast.expr):
            found += _leaks(child)
    return found


def _subscript_leaks(expr: ast.Subscript) -> list[tuple[ast.expr, str]]:
    index = expr.slice
    if isinstance(index, ast.Slice):
        return [] if _short_slice(index) else _leaks(expr.value)
    if _is_str(index):
        environ = _receiver(expr.value).endswith("environ")
        return [(expr, _code(expr))] if is_secret_name(index.value, setting=environ) else _leaks(expr.value)
    return _leaks(expr.value)


def _call_leaks(call: ast.Call) -> list[tuple[ast.expr, str]]:
    name = _last_name(call.func)
    if is_secret_name(name) or name == "getpass":
        return [(call, _code(call))]
    if name in _ENV_GETTERS and call.args and _is_str(call.args[0]):
        environ = name == "getenv" or _receiver(call.func).endswith("environ.get")
        if is_secret_name(call.args[0].value, setting=environ):
            return [(call, _code(call))]
    if name == "format" and isinstance(call.func, ast.Attribute) and _is_str(call.func.value):
        return list(_format_leaks(call))
    found = [leak for arg in call.args for leak in _leaks(arg)]
    if name == "dict":  # dict(password=pw) is a mapping literal
        found += [leak for kw in call.keywords for leak in _keyword_leaks(kw)]
    else:
        found += [leak for kw in call.keywords for leak in _leaks(kw.value)]
    if isinstance(call.func, ast.Attribute):
        found += _leaks(call.func.value)  # token.upper(), secrets["x"].strip()
    return found


def _keyword_leaks(kw: ast.keyword) -> list[tuple[ast.expr, str]]:
    """`log.info("login", password=pw)` (structlog's style): the keyword names the value."""
    if kw.arg and is_secret_name(kw.arg) and not _leaks(kw.value) and not _is_safe(kw.value):
        return [(kw.value, f"value of keyword '{kw.arg}'")]
    return _leaks(kw.value)


def _dict_leaks(expr: ast.Dict) -> list[tuple[ast.expr, str]]:
    found = []
    for key, value in zip(expr.keys, expr.values, strict=True):
        if key is not None and _is_str(key) and is_secret_name(key.value) and not _is_safe(value):
            found.append((value, f"value of key '{key.value}'"))
        else:
            found += _leaks(value)
    return found


def _fstring_leaks(expr: ast.JoinedStr) -> list[tuple[ast.expr, str]]:
    found, text = [], ""
    for part in expr.values:
        if not isinstance(part, ast.FormattedValue):  # the literal pieces between placeholders
            text += str(getattr(part, "value", ""))
            continue
        inner = _leaks(part.value)
        label = _label_of(text)
        if not inner and label and not _is_safe(part.value):
            inner = _labelled(part.value, label)
        found += inner
        text = "{}"  # a label must sit right before its placeholder
    return found


def _template_leaks(template: ast.expr, args: list[ast.expr]) -> Iterator[tuple[ast.expr, str]]:
    """Arguments of a `%` template whose placeholder follows a secret label (`"password=%s"`)."""
    if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
        return
    text, start, labels = template.value, 0, []
    for match in _PERCENT.finditer(text):
        if match.group() != "%%":
            labels.append(_label_of(text[start : match.start()]))
        start = match.end()
    for label, arg in zip(labels, args, strict=False):
        if label and not _leaks(arg) and not _is_safe(arg):
            yield from _labelled(arg, label)


def _format_leaks(call: ast.Call) -> Iterator[tuple[ast.expr, str]]:
    """`"password={}".format(p)`: the caller checked that the receiver is a string literal."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    text, start, auto = str(getattr(receiver, "value", "")), 0, 0
    keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    for match in _BRACES.finditer(text):
        field = match.group("field")
        label = _label_of(text[start : match.start()]) if field is not None else None
        start = match.end()
        if field is None:
            continue
        arg: ast.expr | None
        if field == "":
            arg, auto = (call.args[auto] if auto < len(call.args) else None), auto + 1
        elif field.isdigit():
            arg = call.args[int(field)] if int(field) < len(call.args) else None
        else:
            arg = keywords.get(field.split(".")[0].split("[")[0])
        if arg is not None and label and not _leaks(arg) and not _is_safe(arg):
            yield from _labelled(arg, label)
    for arg in [*call.args, *keywords.values()]:
        yield from _leaks(arg)


def _label_of(text: str) -> str | None:
    """The secret name a template puts right before a placeholder (`password=`, `API key: `)."""
    match = _LABEL.search(text)
    if match is None:
        return None
    label = match.group("label") or match.group("scheme")
    tail = " ".join(label.split()[-3:])
    if match.group("scheme"):
        return tail
    # In prose "pass" is a test outcome ("expected pass: 3"), not a password.
    return tail if is_secret_name(tail) and words(tail)[-1] != "pass" else None


def _is_safe(expr: ast.expr) -> bool:
    """Constants, flags, numbers and redacted values: nothing of a secret reaches the output."""
    if not any(isinstance(n, ast.Name | ast.Attribute | ast.Call | ast.Subscript) for n in ast.walk(expr)):
        return True
    if isinstance(expr, ast.Compare) or (isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not)):
        return True
    if isinstance(expr, ast.Call):
        name = _last_name(expr.func)
        if isinstance(expr.func, ast.Name) and name in _SAFE_CALLS:
            return True
        if isinstance(expr.func, ast.Attribute) and name in _SAFE_METHODS:
            return True
        parts = words(name)
        return bool(parts) and (parts[0] in _PREDICATE_HEADS or bool(_REDACTING_WORDS & set(parts)))
    return False


def _short_slice(index: ast.Slice) -> bool:
    bounds = [b for b in (index.lower, index.upper) if b is not None]
    if index.step is not None or len(bounds) != 1 or not isinstance(bounds[0], ast.Constant | ast.UnaryOp):
        return False
    value = ast.literal_eval(bounds[0])
    return isinstance(value, int) and (0 < value <= _MAX_SAFE_SLICE if index.upper else -_MAX_SAFE_SLICE <= value < 0)


def _redacting_loggers(tree: ast.Module) -> set[str]:
    """Receivers that get a redaction filter in this module: `logger.addFilter(SecretRedactionFilter())`."""
    covered = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "addFilter"
            and node.args
            and {"redact", "redaction", "redacting", "mask", "masking"} & set(words(ast.unparse(node.args[0])))
        ):
            covered.add(_receiver(node.func.value))
    return covered


def _receiver(expr: ast.expr) -> str:
    """A stable text for a logger expression; `logging.getLogger()` is the root logger, `logging`."""
    if isinstance(expr, ast.Call) and _last_name(expr.func) == "getLogger" and not expr.args:
        return "logging"
    return ast.unparse(expr)


def _last_name(expr: ast.expr) -> str:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Call):
        return _last_name(expr.func)
    return ""


def _is_str(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and isinstance(expr.value, str)
