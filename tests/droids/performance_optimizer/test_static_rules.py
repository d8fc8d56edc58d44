"""PERF001-PERF009, one table per rule: code that must be reported (at which lines) and must not.

Each case is a small module; `scan` runs the real scanner on its bytes and returns (rule, line) of
the hits of the rule under test. Line numbers count from the first line of the dedented snippet.
"""

from __future__ import annotations

import textwrap

import pytest

from droids.performance_optimizer.hot.scan import RULES, scan_module

HOT = ("on_tick", "on_bar", "on_quote", "on_trade")


def scan(source: str, rule: str) -> list[int]:
    result = scan_module(textwrap.dedent(source).lstrip("\n").encode(), HOT)
    return [h.line for h in result.hits if h.rule == rule]


BLOCKING = [
    ("sleep", "import time\ndef on_tick(t):\n    time.sleep(0.01)\n", [3]),
    ("from-import sleep", "from time import sleep\ndef on_bar(b):\n    sleep(1)\n", [3]),
    ("requests alias", "import requests as r\ndef on_quote(q):\n    r.post('http://x', json=q)\n", [3]),
    ("urllib", "import urllib.request\ndef on_trade(t):\n    urllib.request.urlopen('http://x')\n", [3]),
    ("open builtin", "def on_tick(t):\n    with open('ticks.csv', 'a') as f:\n        f.write(str(t))\n", [2]),
    ("path write", "def on_tick(self, t):\n    self.path.write_text(str(t))\n", [2]),
    ("subprocess", "import subprocess\ndef on_tick(t):\n    subprocess.run(['notify', str(t)])\n", [3]),
    ("os.system", "import os\ndef on_tick(t):\n    os.system('beep')\n", [3]),
    ("socket", "import socket\ndef on_tick(t):\n    socket.create_connection(('h', 1))\n", [3]),
    ("input", "def on_tick(t):\n    input('continue?')\n", [2]),
    ("json dump", "import json\ndef on_tick(self, t):\n    json.dump(t, self.fh)\n", [3]),
    (
        "reached through self.helper",
        "import time\nclass S:\n    def on_tick(self, t):\n"
        "        self._wait()\n    def _wait(self):\n        time.sleep(0.1)\n",
        [6],
    ),
    (
        "reached through a module function",
        "import time\ndef on_tick(t):\n    pause()\ndef pause():\n    time.sleep(1)\n",
        [5],
    ),
    (
        "@hot_path decorator",
        "import time\nfrom trading_core.latency.hot_path import hot_path\n"
        "@hot_path\ndef update(t):\n    time.sleep(1)\n",
        [5],
    ),
    (
        "@latency.hot_path attribute form",
        "import time\nimport latency\n@latency.hot_path\ndef update(t):\n    time.sleep(1)\n",
        [5],
    ),
]
NOT_BLOCKING = [
    ("not hot", "import time\ndef refresh():\n    time.sleep(1)\n"),
    ("called from a cold function only", "import time\ndef main():\n    pause()\ndef pause():\n    time.sleep(1)\n"),
    (
        "nested def is not run per tick",
        "import time\ndef on_tick(t):\n    def later():\n        time.sleep(1)\n    return later\n",
    ),
    ("a local function named open", "def open(x):\n    return x\ndef on_tick(t):\n    open(t)\n"),
    ("asyncio.sleep awaited (PERF008's domain)", "import asyncio\nasync def on_tick(t):\n    await asyncio.sleep(0)\n"),
    ("a blocking call in async def is PERF008, not PERF001", "import time\nasync def on_tick(t):\n    time.sleep(1)\n"),
    ("other object's method named sleep", "def on_tick(self, t):\n    self.clock.sleep(1)\n"),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in BLOCKING], ids=[c[0] for c in BLOCKING])
def test_perf001_reports_blocking_calls(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF001") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_BLOCKING], ids=[c[0] for c in NOT_BLOCKING])
def test_perf001_stays_quiet(source: str) -> None:
    assert scan(source, "PERF001") == []


LOGGING = [
    (
        "logger.info",
        "import logging\nlog = logging.getLogger(__name__)\ndef on_tick(t):\n    log.info('tick %s', t)\n",
        [4],
    ),
    ("module logging.warning", "import logging\ndef on_tick(t):\n    logging.warning('x')\n", [3]),
    ("self.logger.error outside except", "def on_tick(self, t):\n    self.logger.error('late tick')\n", [2]),
    (
        "a getLogger attribute with another name",
        "import logging\nclass E:\n    def __init__(self):\n        self.out = logging.getLogger('e')\n"
        "    def on_tick(self, t):\n        self.out.info('t')\n",
        [6],
    ),
    ("log(INFO)", "import logging\ndef on_tick(self, t):\n    self.log.log(logging.INFO, 'x')\n", [3]),
    ("print", "def on_bar(b):\n    print(b)\n", [2]),
    (
        "info inside except still per tick",
        "def on_tick(self, t):\n    try:\n        f(t)\n    except KeyError:\n        self.log.info('x')\n",
        [5],
    ),
]
NOT_LOGGING = [
    ("debug", "def on_tick(self, t):\n    self.log.debug('tick %s', t)\n"),
    ("log(DEBUG)", "import logging\ndef on_tick(self, t):\n    self.log.log(logging.DEBUG, 'x')\n"),
    (
        "error in an except handler",
        "def on_tick(self, t):\n    try:\n        f(t)\n    except KeyError:\n        self.log.exception('bad tick')\n",
    ),
    ("an event log's record method", "def on_tick(self, t):\n    self.log.record(t.ts_us, 'reject')\n"),
    ("print replaced by an import", "from rich import print\ndef on_tick(t):\n    print(t)\n"),
    ("not hot", "import logging\ndef report():\n    logging.info('x')\n"),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in LOGGING], ids=[c[0] for c in LOGGING])
def test_perf002_reports_logging_per_tick(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF002") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_LOGGING], ids=[c[0] for c in NOT_LOGGING])
def test_perf002_stays_quiet(source: str) -> None:
    assert scan(source, "PERF002") == []


FRAMES = [
    ("pd.DataFrame", "import pandas as pd\ndef on_tick(self, t):\n    df = pd.DataFrame([t])\n", [3]),
    ("from pandas import DataFrame", "from pandas import DataFrame\ndef on_bar(b):\n    DataFrame([b])\n", [3]),
    ("pd.concat", "import pandas as pd\ndef on_tick(self, t):\n    self.df = pd.concat([self.df, t])\n", [3]),
    ("pd.read_csv", "import pandas\ndef on_tick(t):\n    pandas.read_csv('x.csv')\n", [3]),
    ("polars", "import polars as pl\ndef on_tick(t):\n    pl.DataFrame({'a': [1]})\n", [3]),
    ("lazy import inside the handler", "def on_tick(t):\n    import pandas as pd\n    pd.Series([1])\n", [3]),
]
NOT_FRAMES = [
    ("a local class named DataFrame", "class DataFrame:\n    pass\ndef on_tick(t):\n    DataFrame()\n"),
    ("pandas outside hot code", "import pandas as pd\ndef end_of_day(rows):\n    return pd.DataFrame(rows)\n"),
    ("column arithmetic", "import pandas as pd\ndef on_tick(self, t):\n    return self.df['a'].iat[-1]\n"),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in FRAMES], ids=[c[0] for c in FRAMES])
def test_perf003_reports_frame_construction(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF003") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_FRAMES], ids=[c[0] for c in NOT_FRAMES])
def test_perf003_stays_quiet(source: str) -> None:
    assert scan(source, "PERF003") == []


ROWWISE = [
    ("iterrows", "def on_tick(self, t):\n    for _, row in self.df.iterrows():\n        pass\n", [2]),
    ("itertuples", "def on_tick(self, t):\n    n = sum(1 for r in self.df.itertuples())\n", [2]),
    ("apply with pandas imported", "import pandas as pd\ndef on_tick(self, t):\n    self.df['x'].apply(float)\n", [3]),
    ("apply with axis", "def on_tick(self, t):\n    self.df.apply(f, axis=1)\n", [2]),
    ("applymap", "def on_tick(self, t):\n    self.df.applymap(str)\n", [2]),
]
NOT_ROWWISE = [
    ("apply of a non-pandas object", "def on_tick(self, t):\n    self.rules.apply(t)\n"),
    ("iterrows outside hot code", "def report(df):\n    for _, r in df.iterrows():\n        pass\n"),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in ROWWISE], ids=[c[0] for c in ROWWISE])
def test_perf004_reports_rowwise_pandas(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF004") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_ROWWISE], ids=[c[0] for c in NOT_ROWWISE])
def test_perf004_stays_quiet(source: str) -> None:
    assert scan(source, "PERF004") == []


FRONT = [
    ("pop(0)", "def on_tick(self, t):\n    self.window.append(t)\n    self.window.pop(0)\n", [3]),
    ("insert(0, x)", "def on_tick(self, t):\n    self.recent.insert(0, t)\n", [2]),
    ("del xs[0]", "def on_tick(self, t):\n    del self.window[0]\n", [2]),
]
NOT_FRONT = [
    ("pop() from the end", "def on_tick(self, t):\n    self.stack.pop()\n"),
    ("popleft of a deque", "def on_tick(self, t):\n    self.window.popleft()\n"),
    ("pop(0) on a dict", "def on_tick(self, t):\n    pending = {}\n    pending.pop(0, None)\n"),
    (
        "dict attribute",
        "class E:\n    def __init__(self):\n        self.by_id = {}\n"
        "    def on_tick(self, t):\n        self.by_id.pop(0)\n",
    ),
    ("del d[0] on a dict", "def on_tick(t):\n    d = dict()\n    del d[0]\n"),
    ("del of a slice from the end", "def on_tick(self, t):\n    del self.window[-1]\n"),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in FRONT], ids=[c[0] for c in FRONT])
def test_perf005_reports_front_removal(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF005") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_FRONT], ids=[c[0] for c in NOT_FRONT])
def test_perf005_stays_quiet(source: str) -> None:
    assert scan(source, "PERF005") == []


MEMBERSHIP = [
    (
        "local list in a for loop",
        "def on_tick(self, t):\n    seen = []\n    for o in self.orders:\n        if o.id in seen:\n            pass\n",
        [4],
    ),
    (
        "self attribute bound to a list in __init__",
        "class E:\n    def __init__(self):\n        self.ids = []\n    def on_tick(self, t):\n"
        "        for o in t.orders:\n            if o not in self.ids:\n                pass\n",
        [6],
    ),
    ("inline list comprehension", "def on_tick(t):\n    return [x for x in t.a if x in [y.id for y in t.b]]\n", [2]),
    (
        "module-level list in a while loop",
        "BLOCKED = []\ndef on_tick(t):\n    while t.sym in BLOCKED:\n        t = t.next\n",
        [3],
    ),
    ("annotated list", "def on_tick(t):\n    ids: list[int] = load()\n    for x in t.a:\n        x in ids\n", [4]),
]
NOT_MEMBERSHIP = [
    (
        "a set",
        "def on_tick(self, t):\n    seen = set()\n"
        "    for o in self.orders:\n        if o.id in seen:\n            pass\n",
    ),
    ("outside any loop", "def on_tick(self, t):\n    ids = []\n    return t.id in ids\n"),
    ("a small literal", "def on_tick(t):\n    for x in t.a:\n        if x in ['ES', 'NQ']:\n            pass\n"),
    (
        "a dict attribute",
        "class E:\n    def __init__(self):\n        self.m = {}\n"
        "    def on_tick(self, t):\n        for x in t.a:\n            x in self.m\n",
    ),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in MEMBERSHIP], ids=[c[0] for c in MEMBERSHIP])
def test_perf006_reports_list_membership_in_loops(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF006") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_MEMBERSHIP], ids=[c[0] for c in NOT_MEMBERSHIP])
def test_perf006_stays_quiet(source: str) -> None:
    assert scan(source, "PERF006") == []


QUADRATIC = [
    (
        "nested loops over a growing list",
        "class E:\n    def on_fill(self, f):\n        self.fills.append(f)\n    def on_tick(self, t):\n"
        "        for a in self.fills:\n            for b in self.fills:\n                pass\n",
        [6],
    ),
    (
        "nested comprehension over the same growing list",
        "class E:\n    def add(self, x):\n        self.xs.append(x)\n    def on_tick(self, t):\n"
        "        return [a for a in self.xs for b in self.xs if a < b]\n",
        [5],
    ),
    (
        "a full pass over what on_tick appends to",
        "class E:\n    def on_tick(self, t):\n        self.history.append(t.mid)\n"
        "        avg = sum(self.history) / len(self.history)\n",
        [4],
    ),
    (
        "a for loop over what on_tick appends to via a helper",
        "class E:\n    def on_tick(self, t):\n        self._keep(t)\n        for h in self.ticks:\n            pass\n"
        "    def _keep(self, t):\n        self.ticks += [t]\n",
        [4],
    ),
]
NOT_QUADRATIC = [
    (
        "a bounded deque",
        "from collections import deque\nclass E:\n    def __init__(self):\n        self.history = deque(maxlen=100)\n"
        "    def on_tick(self, t):\n        self.history.append(t.mid)\n        avg = sum(self.history)\n",
    ),
    (
        "a trimmed list",
        "class E:\n    def on_tick(self, t):\n        self.history.append(t.mid)\n        if len(self.history) > 100:\n"
        "            self.history.pop(0)\n        avg = sum(self.history)\n",
    ),
    (
        "nested loops over a fixed list",
        "class E:\n    def __init__(self, s):\n        self.symbols = list(s)\n    def on_tick(self, t):\n"
        "        for a in self.symbols:\n            for b in self.symbols:\n                pass\n",
    ),
    (
        "a pass over a collection grown only off the hot path",
        "class E:\n    def load(self, x):\n        self.levels.append(x)\n"
        "    def on_tick(self, t):\n        m = max(self.levels)\n",
    ),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in QUADRATIC], ids=[c[0] for c in QUADRATIC])
def test_perf007_reports_quadratic_loops(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF007") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_QUADRATIC], ids=[c[0] for c in NOT_QUADRATIC])
def test_perf007_stays_quiet(source: str) -> None:
    assert scan(source, "PERF007") == []


ASYNC_BLOCKING = [
    ("time.sleep in a coroutine", "import time\nasync def feed(ws):\n    time.sleep(1)\n", [3]),
    (
        "requests in an async on_tick",
        "import requests\nclass B:\n    async def on_tick(self, t):\n        requests.get('http://x')\n",
        [4],
    ),
    ("open in a coroutine", "async def save(t):\n    with open('f', 'w') as f:\n        f.write('x')\n", [2]),
    ("subprocess in a coroutine", "import subprocess\nasync def notify():\n    subprocess.run(['x'])\n", [3]),
]
NOT_ASYNC_BLOCKING = [
    ("awaited asyncio.sleep", "import asyncio\nasync def feed():\n    await asyncio.sleep(1)\n"),
    ("handed to a thread", "import asyncio, time\nasync def feed():\n    await asyncio.to_thread(time.sleep, 1)\n"),
    (
        "in a nested plain function",
        "import time\nasync def feed():\n    def later():\n        time.sleep(1)\n    return later\n",
    ),
    ("sync function", "import time\ndef feed():\n    time.sleep(1)\n"),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in ASYNC_BLOCKING], ids=[c[0] for c in ASYNC_BLOCKING])
def test_perf008_reports_blocking_calls_in_coroutines(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF008") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_ASYNC_BLOCKING], ids=[c[0] for c in NOT_ASYNC_BLOCKING])
def test_perf008_stays_quiet(source: str) -> None:
    assert scan(source, "PERF008") == []


SPAWNS = [
    ("threading.Thread", "import threading\ndef on_tick(t):\n    threading.Thread(target=f).start()\n", [3]),
    (
        "from threading import Thread",
        "from threading import Thread\ndef on_tick(t):\n    Thread(target=f).start()\n",
        [3],
    ),
    (
        "process pool",
        "from concurrent.futures import ProcessPoolExecutor\ndef on_bar(b):\n    ProcessPoolExecutor()\n",
        [3],
    ),
    (
        "multiprocessing.Process",
        "import multiprocessing as mp\ndef on_tick(t):\n    mp.Process(target=f).start()\n",
        [3],
    ),
    ("asyncio.run", "import asyncio\ndef on_tick(t):\n    asyncio.run(send(t))\n", [3]),
]
NOT_SPAWNS = [
    ("a queue put", "def on_tick(self, t):\n    self.queue.put_nowait(t)\n"),
    ("a thread started at start-up", "import threading\ndef start():\n    threading.Thread(target=f).start()\n"),
]


@pytest.mark.parametrize(("source", "lines"), [c[1:] for c in SPAWNS], ids=[c[0] for c in SPAWNS])
def test_perf009_reports_spawning_per_tick(source: str, lines: list[int]) -> None:
    assert scan(source, "PERF009") == lines


@pytest.mark.parametrize("source", [c[1] for c in NOT_SPAWNS], ids=[c[0] for c in NOT_SPAWNS])
def test_perf009_stays_quiet(source: str) -> None:
    assert scan(source, "PERF009") == []


def test_every_rule_has_an_id_a_fix_and_its_module_docstring_as_documentation() -> None:
    assert [r.id for r in RULES] == [f"PERF00{i}" for i in range(1, 10)]
    for rule in RULES:
        assert rule.description.startswith(f"{rule.id} {rule.title}")
        assert rule.fix and rule.droid == "performance-optimizer"


def test_a_file_without_hot_or_async_functions_is_not_parsed() -> None:
    result = scan_module(b"import time\nx = 1\ndef f():\n    time.sleep(1)\n", HOT)
    assert (result.parsed, result.hits) == (False, [])


def test_a_syntax_error_is_reported_not_raised() -> None:
    result = scan_module(b"def on_tick(t):\n    return (\n", HOT)
    assert result.error is not None and result.error.startswith("line ")
