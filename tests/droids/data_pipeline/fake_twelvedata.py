"""A fake Twelve Data REST server on 127.0.0.1 that speaks the real protocol of /time_series and
/api_usage (shared/reference/twelvedata.md, protocols.md):

- the key as `Authorization: apikey KEY` or `apikey=`; a wrong or missing key answers code 401;
- `symbol`, `interval`, `outputsize` (1..5000; 30 without dates), `start_date`/`end_date`
  (`YYYY-MM-DD[ HH:MM:SS]`, the exchange's local time unless `timezone` is given; `end_date` is
  exclusive, as the documented daily example shows), `timezone` (`Exchange`, `UTC`, IANA), `order`;
- values as strings, newest first, `datetime` in the answer's time zone, `meta` with
  `exchange_timezone`; errors as `{"code": .., "message": .., "status": "error"}`, HTTP 200 for
  most (the HTTP status is not documented to match), HTTP 429 when the minute's credits are spent;
- an unknown symbol answers code 400, a range with no bars code 400 "No data is available ...".
`fail` scripts answers for the next requests (e.g. [429, 500]) to test retries. /technical_indicators
answers an empty list (the `twelvedata` client asks for it when it starts: the ingest benchmark's peer).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

INTERVALS = {
    "1min": 60,
    "5min": 300,
    "15min": 900,
    "30min": 1800,
    "45min": 2700,
    "1h": 3600,
    "2h": 7200,
    "4h": 14400,
    "8h": 28800,
    "1day": 86400,
    "1week": 604800,
    "1month": 2592000,
}
MESSAGES = {
    401: "**apikey** parameter is incorrect or not specified. You can get your free API key instantly following "
    "this link: https://twelvedata.com/pricing. If you believe that everything is correct, you can contact us",
    429: "You have run out of API credits for the current minute. {used} API credits were used, with the current "
    "limit being {limit}. Wait for the next minute or consider switching to a higher tier plan",
    500: "We are experiencing an internal error. Please try again later",
}


class FakeTwelveData:
    def __init__(
        self,
        key: str,
        series: dict[str, dict[str, np.ndarray]],
        *,
        credits_per_minute: int = 100_000,
        exchange_tz: str = "America/Chicago",
        fail: list[int] | None = None,
    ) -> None:
        self.key = key
        self.series = series
        self.credits_per_minute = credits_per_minute
        self.exchange_tz = exchange_tz
        self.fail = deque(fail or [])
        self.log: list[dict[str, Any]] = []
        self._used: deque[float] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeTwelveData:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                status, body = fake.answer(parts.path, params, self.headers.get("Authorization", ""))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    # -- protocol ------------------------------------------------------------------------------------

    def answer(self, path: str, params: dict[str, str], auth: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.log.append({"path": path, "params": dict(params), "auth_header": bool(auth)})
            given = auth.removeprefix("apikey ").strip() if auth.startswith("apikey ") else params.get("apikey", "")
            if given != self.key:
                return 200, _error(401, MESSAGES[401])
            now = time.monotonic()
            while self._used and now - self._used[0] >= 60:
                self._used.popleft()
            if len(self._used) >= self.credits_per_minute:
                used = len(self._used) + 1
                return 429, _error(429, MESSAGES[429].format(used=used, limit=self.credits_per_minute))
            self._used.append(now)
            if self.fail:
                code = self.fail.popleft()
                return (429 if code == 429 else 200), _error(code, MESSAGES.get(code, "error").format(used=0, limit=0))
        if path == "/api_usage":
            return 200, {
                "timestamp": datetime.now(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S"),
                "current_usage": len(self._used),
                "plan_limit": self.credits_per_minute,
                "plan_category": "fake",
            }
        if path == "/time_series":
            return 200, self.time_series(params)
        if path == "/technical_indicators":  # the `twelvedata` client lists indicators when it starts
            return 200, {"data": {}, "status": "ok"}
        return 404, _error(404, "Endpoint not found")

    def time_series(self, p: dict[str, str]) -> dict[str, Any]:
        symbol, interval = p.get("symbol"), p.get("interval")
        if not symbol:
            return _error(400, "**symbol** parameter is missing or invalid. Please provide a valid symbol.")
        if interval not in INTERVALS:
            return _error(400, "**interval** is not specified or has an invalid value")
        if symbol not in self.series:
            return _error(
                400, f"**symbol** not found: {symbol}. Please specify it correctly according to API Documentation."
            )
        tz = p.get("timezone", "Exchange")
        zone = self.exchange_tz if tz in ("Exchange", "exchange") else tz
        try:
            lo, hi = _bound(p.get("start_date"), zone), _bound(p.get("end_date"), zone)
            size = int(p.get("outputsize", "30" if lo is None and hi is None else "5000"))
        except ValueError:
            return _error(400, "**start_date**, **end_date** or **outputsize** has an invalid value")
        if not 1 <= size <= 5000:
            return _error(400, "**outputsize** must be between 1 and 5000")
        s = self.series[symbol]
        ts = s["ts"]
        a = 0 if lo is None else int(np.searchsorted(ts, lo, side="left"))
        b = len(ts) if hi is None else int(np.searchsorted(ts, hi, side="left"))
        if b <= a:
            return _error(400, "No data is available on the specified dates. Try setting different start/end dates.")
        a = max(a, b - size)
        idx = np.arange(b - 1, a - 1, -1) if p.get("order", "desc").lower() == "desc" else np.arange(a, b)
        local = pd.DatetimeIndex(ts[idx]).tz_localize("UTC").tz_convert(zone).tz_localize(None)
        stamps = np.datetime_as_string(local.values, unit="s")
        values = [
            {
                "datetime": d.replace("T", " "),
                "open": f"{o:.5f}",
                "high": f"{h:.5f}",
                "low": f"{lw:.5f}",
                "close": f"{c:.5f}",
                "volume": str(int(v)),
            }
            for d, o, h, lw, c, v in zip(
                stamps.tolist(), *(s[k][idx].tolist() for k in ("open", "high", "low", "close", "volume")), strict=True
            )
        ]
        meta = {
            "symbol": symbol,
            "interval": interval,
            "currency": "USD",
            "exchange_timezone": self.exchange_tz,
            "exchange": "CME",
            "mic_code": "XCME",
            "type": "Futures",
        }
        return {"meta": meta, "values": values, "status": "ok"}


def _error(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "status": "error"}


def _bound(text: str | None, zone: str) -> int | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return int(moment.timestamp()) * 1_000_000_000
