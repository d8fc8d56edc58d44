"""PERF008 Blocking call inside async def: the event loop, and every tick it delivers, stops.

What it finds, in every `async def` of the scanned files (hot or not: one blocked coroutine blocks
them all): the calls PERF001 lists (`time.sleep`, `requests.*`, `open(...)`, `subprocess.run`,
`socket.*`, `input()`, ...) made directly in the coroutine's body. Calls handed to a thread
(`await asyncio.to_thread(open, path)`, `loop.run_in_executor(None, time.sleep, 1)`) are arguments,
not calls, and are not reported; nor are calls inside nested plain functions or lambdas.

Why it matters: asyncio runs every coroutine on one thread; a blocking call there holds up the
market-data reader, the order router and every other task until it returns. Severity high.
"""

from __future__ import annotations

from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot.calls import blocking_kind
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Use the asyncio form (await asyncio.sleep, aiohttp/httpx.AsyncClient, "
    "asyncio.create_subprocess_exec, asyncio.open_connection) or run the blocking call in a thread: "
    "await asyncio.to_thread(fn, *args)."
)
RULE = RuleSpec(
    id="PERF008",
    droid=DROID,
    severity=Severity.HIGH,
    title="Blocking call inside async def",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "async"


def check(scope: FunctionScope) -> Iterator[Hit]:
    for call, _site in scope.calls():
        kind = blocking_kind(scope, call)
        if kind:
            name = scope.call_name(call)
            yield scope.hit(
                RULE.id, call, f"{name}() {kind} inside async def {scope.fn.qualname}: it blocks the event loop"
            )
