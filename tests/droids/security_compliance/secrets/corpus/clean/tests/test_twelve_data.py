from __future__ import annotations

import httpx
import pytest
from desk.feeds import twelve_data

OK_BODY = {
    "meta": {"symbol": "AAPL", "interval": "1min", "currency": "USD", "exchange_timezone": "America/New_York"},
    "values": [{"datetime": "2021-09-16 15:59:00", "open": "148.73500", "close": "148.85001", "volume": "624277"}],
    "status": "ok",
}
RATE_LIMITED = {"code": 429, "message": "You have run out of API credits for the current minute.", "status": "error"}


def test_the_key_goes_in_the_header_not_the_url(respx_mock) -> None:
    route = respx_mock.get("https://api.twelvedata.com/time_series").mock(
        return_value=httpx.Response(200, json=OK_BODY)
    )
    client = twelve_data.TwelveDataClient(api_key="dummy-key-for-tests")

    assert client.time_series("AAPL")[0]["close"] == "148.85001"
    request = route.calls.last.request
    assert "apikey" not in str(request.url)
    assert request.headers["Authorization"] == "apikey dummy-key-for-tests"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("wss://ws.twelvedata.com/v1/quotes/price?apikey=demo", "wss://ws.twelvedata.com/v1/quotes/price?apikey=***"),
        ("https://api.twelvedata.com/quote?symbol=ES", "https://api.twelvedata.com/quote?symbol=ES"),
    ],
)
def test_urls_are_redacted_before_logging(url: str, shown: str) -> None:
    assert twelve_data.redacted(url) == shown


def test_an_error_body_raises(respx_mock) -> None:
    respx_mock.get(twelve_data.TIME_SERIES).mock(
        return_value=httpx.Response(200, json={"code": 401, "status": "error"})
    )
    with pytest.raises(twelve_data.TwelveDataError, match="401"):
        twelve_data.TwelveDataClient(api_key="fake").time_series("ES")
