from __future__ import annotations

import uuid

from desk.broker import tradovate
from desk.settings import BrokerSettings


def make_settings(**overrides: object) -> BrokerSettings:
    values = {
        "name": "demo-user",
        "password": "test-password",
        "cid": 0,
        "sec": "your-api-secret-here",
        "environment": "demo",
    }
    return BrokerSettings(**{**values, **overrides})


def test_the_request_body_has_every_field() -> None:
    body = tradovate.access_token_request(make_settings())

    assert set(body) == {"name", "password", "appId", "appVersion", "cid", "sec", "deviceId"}
    assert uuid.UUID(str(body["deviceId"])).version == 5


def test_doc_example_shape() -> None:
    # Shape from the API docs, with placeholders.
    example = {
        "name": "<username>",
        "password": "<password>",
        "appId": "Sample App",
        "appVersion": "1.0",
        "cid": 0,
        "sec": "<api-secret>",
    }
    assert set(example) <= set(tradovate.access_token_request(make_settings()))
