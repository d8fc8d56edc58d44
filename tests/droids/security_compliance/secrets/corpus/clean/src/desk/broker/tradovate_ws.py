"""Tradovate market-data WebSocket: authorises with the access token obtained over REST."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

log = logging.getLogger(__name__)

MD_URL = "wss://md-demo.tradovateapi.com/v1/websocket"
HEARTBEAT = timedelta(seconds=2.5)


def authorize_frame(access_token: str, request_id: int = 0) -> str:
    return f"authorize\n{request_id}\n\n{access_token}"


def subscribe_frame(symbol: str, request_id: int) -> str:
    return f"md/subscribeQuote\n{request_id}\n\n" + json.dumps({"symbol": symbol})


def log_request(cid: str, sec: float) -> None:
    log.info("cid=%s took sec=%.3f", cid, sec)


def limits() -> dict[str, object]:
    return {"sec": 1, "max_requests": 80, "password_min_length": 8, "cid": "correlation-id"}
