"""PERF009 Thread, process or event loop created on the hot path.

What it finds, in a hot function (see PERF001): `threading.Thread(...)`, `threading.Timer(...)`,
`_thread.start_new_thread`, `multiprocessing.Process/Pool`, `multiprocessing.pool.ThreadPool`,
`concurrent.futures.ThreadPoolExecutor/ProcessPoolExecutor`, `os.fork()`, `asyncio.run(...)` and
`asyncio.new_event_loop()`, under whatever name they were imported.

Why it matters: starting a thread costs tens of microseconds and a process milliseconds (fork or
spawn, imports), per tick; unbounded, they pile up until the machine runs out of them. Severity
high.
"""

from __future__ import annotations

from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Create workers once at start-up (a thread or process pool, an asyncio task) and hand them work "
    "through a queue from the tick handler: queue.put_nowait() costs about a microsecond."
)
RULE = RuleSpec(
    id="PERF009",
    droid=DROID,
    severity=Severity.HIGH,
    title="Thread, process or event loop created on the hot path",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "hot"

_SPAWNERS = frozenset(
    {
        "threading.Thread",
        "threading.Timer",
        "_thread.start_new_thread",
        "multiprocessing.Process",
        "multiprocessing.Pool",
        "multiprocessing.pool.Pool",
        "multiprocessing.pool.ThreadPool",
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor",
        "os.fork",
        "asyncio.run",
        "asyncio.new_event_loop",
    }
)


def check(scope: FunctionScope) -> Iterator[Hit]:
    for call, _site in scope.calls():
        name = scope.call_name(call)
        if name in _SPAWNERS:
            yield scope.hit(RULE.id, call, f"{name}() in {scope.where()} starts a new one on every tick")
