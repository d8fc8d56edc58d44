"""Tradovate authentication: the access-token request is built from settings at run time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
from desk.settings import BrokerSettings, broker_settings

DEMO_URL = "https://demo.tradovateapi.com/v1"
LIVE_URL = "https://live.tradovateapi.com/v1"
AUTH_PATH = "/auth/accesstokenrequest"
DEVICE_NAMESPACE = uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")


@dataclass(frozen=True)
class AccessToken:
    access_token: str
    expiration_time: str
    user_id: int


def access_token_request(settings: BrokerSettings) -> dict[str, object]:
    """The body Tradovate expects; values come from the environment through pydantic-settings."""
    return {
        "name": settings.name,
        "password": settings.password.get_secret_value(),
        "appId": settings.app_id,
        "appVersion": settings.app_version,
        "cid": settings.cid,
        "sec": settings.sec.get_secret_value(),
        "deviceId": str(uuid.uuid5(DEVICE_NAMESPACE, settings.name)),
    }


def authenticate(settings: BrokerSettings | None = None) -> AccessToken:
    settings = settings or broker_settings()
    base = LIVE_URL if settings.environment == "live" else DEMO_URL
    response = httpx.post(base + AUTH_PATH, json=access_token_request(settings), timeout=10)
    response.raise_for_status()
    body = response.json()
    if "errorText" in body:
        raise PermissionError(f"tradovate refused the credentials: {body['errorText']}")
    return AccessToken(body["accessToken"], body["expirationTime"], body["userId"])
