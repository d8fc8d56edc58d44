"""Webhook receivers: TradingView alerts and broker callbacks. Tokens are compared, never stored here."""

from __future__ import annotations

import hmac
import os

from fastapi import APIRouter, Header, HTTPException

router = APIRouter()
WEBHOOK_PATH = "/webhooks/tradingview"
CALLBACK_PATH = "/hooks/tradovate/fills"
PUBLIC_DOCS = "https://www.tradingview.com/support/solutions/43000529348-about-webhooks/"


def _check(passphrase: str | None) -> None:
    expected = os.environ["TV_WEBHOOK_PASSPHRASE"]
    if passphrase is None or not hmac.compare_digest(passphrase, expected):
        raise HTTPException(status_code=401, detail="bad passphrase")


@router.post(WEBHOOK_PATH + "/{token}")
async def tradingview(token: str, body: dict[str, object], x_signature: str | None = Header(None)) -> dict[str, str]:
    _check(str(body.get("passphrase")))
    return {"status": "queued", "cid": str(body.get("cid", ""))}


@router.post(CALLBACK_PATH)
async def fills(body: dict[str, object]) -> dict[str, int]:
    timeout = {"sec": 30, "retries": 3}
    return {"received": len(body), "timeout": int(timeout["sec"])}
