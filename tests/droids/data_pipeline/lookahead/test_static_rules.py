"""DATA020-DATA024: a table of code that should and should not flag, scanned as feature code."""

from __future__ import annotations

import ast

import pytest

from droids.data_pipeline.lookahead.source import Source
from droids.data_pipeline.lookahead.static_check import scan_source

HEAD = (
    "import numpy as np\nimport pandas as pd\n"
    "from scipy.signal import filtfilt, savgol_filter\nfrom scipy import stats\n"
)
CASES = [
    ("y = df.close.shift(-1)", "DATA020"),
    ("y = df.close.shift(periods=-3)", "DATA020"),
    ("y = s.shift(-horizon)", "DATA020"),
    ("y = np.roll(x, -1)", "DATA020"),
    ("y = s.bfill()", "DATA020"),
    ("y = s.fillna(method='bfill')", "DATA020"),
    ("y = s.fill_null(strategy='backward')", "DATA020"),
    ("y = s.interpolate()", "DATA020"),
    ("y = s.rolling(20, center=True).mean()", "DATA021"),
    ("y = filtfilt(b, a, x)", "DATA021"),
    ("y = savgol_filter(x, 11, 2)", "DATA021"),
    ("y = np.convolve(x, k, mode='same')", "DATA021"),
    ("y = (x - x.mean()) / x.std()", "DATA022"),
    ("y = x / x.max()", "DATA022"),
    ("y = x - np.mean(x)", "DATA022"),
    ("y = stats.zscore(x)", "DATA022"),
    ("y = StandardScaler().fit_transform(X)", "DATA022"),
    ("b = Bar(bar_type, o, h, l, c, v, ts_event=t, ts_init=bar.ts_open)", "DATA023"),
    ("df['ts_init'] = df['open_time']", "DATA023"),
    ("row = {'ts_init': start_ns, 'close': c}", "DATA023"),
    ("for i in range(n):\n    y[i] = x[i + 1] - x[i]", "DATA024"),
    ("for i, v in enumerate(x):\n    y = x[i + 1:]", "DATA024"),
    ("for i in range(n):\n    w = x[: i + 2]", "DATA024"),
    ("for i in range(n):\n    p = df.iloc[i + 1]", "DATA024"),
    # should not flag
    ("y = s.shift(1)", None),
    ("y = s.shift(0)", None),
    ("y = np.roll(x, 1)", None),
    ("y = s.ffill()", None),
    ("y = s.interpolate(method='pad')", None),
    ("y = s.rolling(20).mean()", None),
    ("y = (x - x.rolling(20).mean()) / x.rolling(20).std()", None),
    ("y = (x - x.expanding().mean()) / x.expanding().std()", None),
    ("y = x - x[0]", None),
    ("w = k / k.sum()", None),
    ("y = np.convolve(x, k, mode='full')[: len(x)]", None),
    ("b = Bar(bar_type, o, h, l, c, v, ts_event=t, ts_init=bar.ts_open + step)", None),
    ("b = Bar(bar_type, o, h, l, c, v, ts_event=t, ts_init=close_ns)", None),
    ("for i in range(n):\n    ok = x[: i + 1]", None),
    ("for i in range(n):\n    ok = x[i] - x[i - 1]", None),
    ("for k in keys:\n    v = d[k + 1]", None),
]


@pytest.mark.parametrize(("code", "rule"), CASES, ids=[c[0].splitlines()[-1].strip() for c in CASES])
def test_table(code: str, rule: str | None) -> None:
    text = HEAD + code + "\n"
    hits = scan_source(Source.of("features/f.py", ast.parse(text), text.splitlines()))
    assert [h.rule for h in hits] == ([rule] if rule else []), [h.message for h in hits]
    if rule:
        assert hits[0].line > 4 and hits[0].code
