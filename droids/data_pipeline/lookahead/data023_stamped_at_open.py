"""DATA023 Bar stamped at its open: `ts_init` (or `ts_event`) set from the bar's open or start time.

What it finds, in feature and strategy code: a `ts_init=` argument, a `["ts_init"] = ...`
assignment or a `{"ts_init": ...}` entry whose value names the bar's open or start (`ts_open`,
`open_time`, `bar.start_ns`, `start`...).
Why: a bar is complete only at its close; an engine that releases it at its open (NautilusTrader
orders events by `ts_init`) lets a strategy see the bar's high, low and close a whole interval
early. Severity high. How to fix: stamp bars at their close (open + interval); NautilusTrader's
`BarDataWrangler(ts_init_delta=<interval ns>)` does it for bars keyed by their open. `droid data
export --nautilus` stamps at the close.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.lookahead.source import Hit, Source
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA023",
    droid=DROID,
    severity=Severity.HIGH,
    title="Bar stamped at its open",
    description=__doc__ or "",
    fix="Stamp bars at their close (open + interval), e.g. BarDataWrangler(ts_init_delta=interval_ns).",
)
_STAMPS = ("ts_init", "ts_event")
_OPEN_WORDS = re.compile(r"(^|_)(open|start|begin)(_|$)|(open|start)(ts|time|ns|us|ms)$", re.IGNORECASE)


def check(src: Source) -> Iterator[Hit]:
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Call):
            for k in node.keywords:
                if k.arg == "ts_init" and _names_open(k.value):
                    yield src.hit(RULE.id, node, f"ts_init={ast.unparse(k.value)} releases the bar at its open")
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Subscript) and _key(t.slice) in _STAMPS and _names_open(node.value):
                    yield src.hit(
                        RULE.id, node, f"{_key(t.slice)} = {ast.unparse(node.value)} stamps bars at their open"
                    )
        elif isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                if k is not None and _key(k) == "ts_init" and _names_open(v):
                    yield src.hit(RULE.id, node, f"'ts_init': {ast.unparse(v)} releases the bar at its open")


def _key(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _names_open(value: ast.expr) -> bool:
    """The value mentions an open/start time and adds nothing to it (open + interval is the close)."""
    if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add) for n in ast.walk(value)):
        return False
    for n in ast.walk(value):
        word = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else _key(n)  # type: ignore[arg-type]
        if isinstance(word, str) and _OPEN_WORDS.search(word):
            return True
    return False
