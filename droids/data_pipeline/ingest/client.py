"""A Twelve Data REST client that keeps the key secret, paces requests to the plan's credits and
retries what is worth retrying.

- The key comes only from `TWELVEDATA_API_KEY` and travels only in the `Authorization: apikey KEY`
  header (Twelve Data's preferred form: never in a URL, so never in an exception, a log line or
  the catalog's metadata); every message that leaves this module is passed through `redact` anyway.
- The base URL comes from `TWELVEDATA_URL` (tests, proxies), else data.yaml `twelvedata.base_url`.
- Decisions use the body's `status`/`code` (the HTTP status is not documented to match it): 429
  (the minute's credits are spent) and 5xx are retried with exponential backoff (`retries`), at most
  `credits_per_minute` requests start in any 60 s; 401 (bad key), 403 (plan lacks access), 400 and
  414 stop with one line. We use our own client, not the `twelvedata` package: it sends the key as a
  query parameter, has no retries and reports 429 as a bare TwelveDataError.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from droids.core.errors import DroidError
from droids.data_pipeline.policy import TwelveData

KEY_ENV = "TWELVEDATA_API_KEY"
URL_ENV = "TWELVEDATA_URL"
NO_DATA_CODES = (404,)  # {"code":404,"message":"Data not found"}: nothing in the asked range


class TwelveDataError(DroidError):
    """A refusal from Twelve Data (or no answer at all), with its code; the message is redacted."""

    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(message)
        self.code = code


class NoData(Exception):
    """The asked range holds no bars (404 "Data not found", 400 "No data is available ...")."""


def redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "****") if secret else text


class CreditPacer:
    """At most `per_minute` requests start within any `window_s` seconds (a sliding window)."""

    def __init__(self, per_minute: int, *, window_s: float = 60.0, clock=time.monotonic, sleep=time.sleep) -> None:
        self.per_minute = per_minute
        self.window_s = window_s
        self.clock, self.sleep = clock, sleep
        self.started: deque[float] = deque()
        self.waited_s = 0.0

    def wait(self) -> None:
        now = self.clock()
        while self.started and now - self.started[0] >= self.window_s:
            self.started.popleft()
        if len(self.started) >= self.per_minute:
            pause = self.window_s - (now - self.started[0])
            if pause > 0:
                self.sleep(pause)
                self.waited_s += pause
            self.started.popleft()
        self.started.append(self.clock())


class TwelveDataClient:
    def __init__(
        self,
        cfg: TwelveData,
        *,
        key: str | None = None,
        base_url: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.key = key if key is not None else os.environ.get(KEY_ENV, "")
        if not self.key:
            raise DroidError(f"{KEY_ENV} is not set: export your Twelve Data API key (it is read from nowhere else)")
        self.base_url = (base_url or os.environ.get(URL_ENV) or cfg.base_url).rstrip("/")
        self.cfg = cfg
        self.sleep = sleep
        self.pacer = CreditPacer(cfg.credits_per_minute, clock=clock, sleep=sleep)
        self.requests = 0
        self.retried = 0
        self._http: Any = None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def public_url(self) -> str:
        """The base URL without credentials or query, safe for metadata and messages."""
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self.base_url)
        host = parts.hostname or ""
        netloc = host + (f":{parts.port}" if parts.port else "")
        return redact(urlunsplit((parts.scheme, netloc, parts.path, "", "")), self.key)

    def get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        """The JSON body of a successful answer; raises NoData or TwelveDataError (redacted)."""
        import httpx

        if self._http is None:
            self._http = httpx.Client(timeout=self.cfg.timeout_s, headers={"Authorization": f"apikey {self.key}"})
        r = self.cfg.retries
        last = ""
        code: int | None = None
        for attempt in range(r.max_attempts):
            self.pacer.wait()
            self.requests += 1
            try:
                resp = self._http.get(self.base_url + path, params=params)
            except httpx.HTTPError as exc:  # no answer: connection refused, timeout, reset
                code, last = None, f"no answer from {self.public_url()} ({exc.__class__.__name__})"
                self._backoff(attempt, None)
                continue
            code, message, body = _decode(resp)
            if code is None:
                return body
            last = f"{code} {message}"
            if code == 429 or code >= 500:
                self._backoff(attempt, resp.headers.get("retry-after"))
                continue
            if code in NO_DATA_CODES or (code == 400 and "no data is available" in message.lower()):
                raise NoData(message)
            raise TwelveDataError(code, self._refusal(code, message))
        raise TwelveDataError(
            code, redact(f"Twelve Data: gave up after {r.max_attempts} attempts; last: {last}", self.key)
        )

    def _refusal(self, code: int, message: str) -> str:
        why = {
            401: f"the API key was refused (401): check {KEY_ENV}",
            403: "your plan has no access to this (403)",
        }.get(code, f"refused the request ({code})")
        return redact(f"Twelve Data: {why}: {' '.join(message.split())[:300]}", self.key)

    def _backoff(self, attempt: int, retry_after: str | None) -> None:
        r = self.cfg.retries
        if attempt + 1 >= r.max_attempts:
            return
        pause = min(r.max_s, r.base_s * (2**attempt))
        if retry_after and retry_after.isdigit():
            pause = max(pause, min(float(retry_after), r.max_s))
        self.retried += 1
        self.sleep(pause)


def _decode(resp: Any) -> tuple[int | None, str, dict[str, Any]]:
    """(error code or None, message, body) of an answer, deciding on the body's status."""
    try:
        body = resp.json()
    except ValueError:
        if resp.status_code >= 400:
            return resp.status_code, f"HTTP {resp.status_code} with a body that is not JSON", {}
        return 502, "an answer that is not JSON", {}
    if not isinstance(body, dict):
        return 502, "an answer that is not a JSON object", {}
    if body.get("status") == "error":
        raw = body.get("code", resp.status_code)
        code = raw if isinstance(raw, int) else resp.status_code
        return code, str(body.get("message", "")), body
    if resp.status_code >= 400:
        return resp.status_code, f"HTTP {resp.status_code}", body
    return None, "", body
