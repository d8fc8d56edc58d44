"""Twelve Data REST client: the key travels in the Authorization header, never in a URL we log."""

from __future__ import annotations

import logging
import os
import time
from typing import Any

import httpx
from desk.settings import feed_settings

log = logging.getLogger(__name__)

BASE_URL = "https://api.twelvedata.com"
TIME_SERIES = f"{BASE_URL}/time_series"
DOCS_EXAMPLE = "https://api.twelvedata.com/time_series?symbol=AAPL&interval=1min&apikey=demo"
INTERVALS = ("1min", "5min", "15min", "30min", "45min", "1h", "2h", "4h", "8h", "1day", "1week", "1month")


class TwelveDataError(RuntimeError):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"twelve data error {code}: {message}")
        self.code = code


class TwelveDataClient:
    def __init__(self, api_key: str | None = None, timeout: float = 10.0) -> None:
        key = api_key or os.environ.get("TWELVE_DATA_API_KEY") or feed_settings().api_key.get_secret_value()
        self._client = httpx.Client(
            base_url=BASE_URL,
            timeout=timeout,
            headers={"Authorization": f"apikey {key}"},
        )

    def time_series(self, symbol: str, interval: str = "1min", outputsize: int = 30) -> list[dict[str, Any]]:
        if interval not in INTERVALS:
            raise ValueError(f"interval must be one of {', '.join(INTERVALS)}")
        params = {"symbol": symbol, "interval": interval, "outputsize": outputsize, "order": "asc"}
        for attempt in range(3):
            body = self._client.get("/time_series", params=params).json()
            if body.get("status") == "ok":
                return body["values"]
            if body.get("code") == 429:
                log.warning("out of credits (attempt %d), waiting for the next minute", attempt + 1)
                time.sleep(60)
                continue
            raise TwelveDataError(body.get("code", 0), body.get("message", ""))
        raise TwelveDataError(429, "still out of credits after 3 attempts")


def stream_url(key_env: str = "TWELVE_DATA_API_KEY") -> str:
    """The WebSocket URL; the key is appended at connect time and never logged."""
    return f"wss://ws.twelvedata.com/v1/quotes/price?apikey={os.environ[key_env]}"


def redacted(url: str) -> str:
    return url.split("apikey=")[0] + "apikey=***" if "apikey=" in url else url
