"""PERF001 Blocking call on the hot path: the tick waits for the OS, the network or a disk.

What it finds, in a function that runs on every tick (named `on_tick`, `on_bar`, `on_quote`,
`on_trade`, decorated `@hot_path`, or called from one of those in the same module):
- `time.sleep(...)`;
- network I/O: `requests.*`, `httpx.get/post/...`, `urllib.request.*`, `urllib3.*`, `http.client.*`,
  `socket.*`, `ftplib.*`, `smtplib.*`;
- file I/O: `open(...)`, `io.open`, `os.open/read/write/fsync`, `json.load/dump`, `pickle.load/dump`,
  `shutil.copy/copyfile/move`, `sqlite3.connect`, `.read_text()/.write_text()/.read_bytes()/
  .write_bytes()`;
- a subprocess: `subprocess.run/call/check_call/check_output/Popen/getoutput`, `os.system`,
  `os.popen`;
- `input()`.
Imports are resolved (`from time import sleep`, `import requests as r`). A blocking call in an
`async def` is reported by PERF008 instead.

Why it matters: the OnTick budget is 50 ms and a normal tick takes tens of microseconds; one disk
write or HTTP round trip costs milliseconds to seconds, and while it waits every later tick queues
up behind it. Severity high: it blocks a pre-commit gate.
"""

from __future__ import annotations

from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot.calls import blocking_kind
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Move the call off the tick path: hand the work to a queue drained by a background worker (a "
    "thread started once at start-up, or an asyncio task), load files once at start-up, and never "
    "sleep in a tick handler (use a timer or the market clock)."
)
RULE = RuleSpec(
    id="PERF001",
    droid=DROID,
    severity=Severity.HIGH,
    title="Blocking call on the hot path",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "hot"


def check(scope: FunctionScope) -> Iterator[Hit]:
    if scope.fn.is_async:
        return
    for call, _site in scope.calls():
        kind = blocking_kind(scope, call)
        if kind:
            name = scope.call_name(call)
            yield scope.hit(RULE.id, call, f"{name}() {kind} in {scope.where()}, on every tick")
