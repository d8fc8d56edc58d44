"""The Twelve Data client against the fake server: header auth, pacing to the plan's credits, retries on
429 and 5xx, one-line refusals, and the key in no message (the key is built at run time)."""

from __future__ import annotations

import pytest

from droids.core.errors import DroidError
from droids.data_pipeline.ingest.client import CreditPacer, NoData, TwelveDataClient, TwelveDataError
from droids.data_pipeline.policy import TwelveData
from tests.droids.data_pipeline.fake_twelvedata import FakeTwelveData

FAST = {"retries": {"max_attempts": 4, "base_s": 0.0, "max_s": 0.0}}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.now += s


def _client(fake: FakeTwelveData, key: str, **cfg: object) -> TwelveDataClient:
    return TwelveDataClient(TwelveData.model_validate({**FAST, **cfg}), key=key, base_url=fake.url)


def test_pacer_starts_at_most_n_requests_a_minute() -> None:
    clock = Clock()
    pacer = CreditPacer(8, clock=clock, sleep=clock.sleep)
    for _ in range(20):
        pacer.wait()
        clock.now += 0.5
    assert len(clock.slept) == 2  # the 9th and the 17th request wait for the window
    assert all(50 < s <= 60 for s in clock.slept)


def test_key_travels_in_the_header_never_in_the_url(fake: FakeTwelveData, key: str) -> None:
    client = _client(fake, key)
    body = client.get("/time_series", {"symbol": "ES", "interval": "1min", "outputsize": "3"})
    assert len(body["values"]) == 3 and body["values"][0]["datetime"] > body["values"][-1]["datetime"]
    assert fake.log[-1]["auth_header"] and "apikey" not in fake.log[-1]["params"]


@pytest.mark.parametrize("script", [[429], [500], [429, 503, 429]])
def test_429_and_5xx_are_retried_with_backoff(fake: FakeTwelveData, key: str, script: list[int]) -> None:
    fake.fail.extend(script)
    client = _client(fake, key)
    body = client.get("/time_series", {"symbol": "ES", "interval": "1min", "outputsize": "1"})
    assert body["status"] == "ok"
    assert client.retried == len(script)


def test_retries_give_up_with_one_line(fake: FakeTwelveData, key: str) -> None:
    fake.fail.extend([500] * 10)
    with pytest.raises(TwelveDataError, match=r"gave up after 4 attempts; last: 500"):
        _client(fake, key).get("/time_series", {"symbol": "ES", "interval": "1min"})


def test_out_of_credits_on_the_server_is_retried_after_the_window(key: str, week_bars) -> None:
    with FakeTwelveData(key, {"ES": week_bars}, credits_per_minute=1) as fake:
        client = _client(fake, key)
        client.get("/time_series", {"symbol": "ES", "interval": "1min", "outputsize": "1"})
        with pytest.raises(TwelveDataError, match="run out of API credits") as err:
            client.get("/time_series", {"symbol": "ES", "interval": "1min", "outputsize": "1"})
        assert err.value.code == 429


def test_bad_key_is_refused_in_one_line_without_the_key(fake: FakeTwelveData, key: str) -> None:
    wrong = key[::-1]
    with pytest.raises(TwelveDataError) as err:
        _client(fake, wrong).get("/time_series", {"symbol": "ES", "interval": "1min"})
    text = str(err.value)
    assert err.value.code == 401 and "API key was refused (401)" in text
    assert wrong not in text and key not in text and "\n" not in text


def test_unknown_symbol_is_a_refusal_and_an_empty_range_is_no_data(fake: FakeTwelveData, key: str) -> None:
    client = _client(fake, key)
    with pytest.raises(TwelveDataError, match=r"refused the request \(400\): \*\*symbol\*\* not found: ZZ"):
        client.get("/time_series", {"symbol": "ZZ", "interval": "1min"})
    with pytest.raises(NoData):
        client.get(
            "/time_series", {"symbol": "ES", "interval": "1min", "start_date": "2020-01-01", "end_date": "2020-01-02"}
        )


def test_no_answer_is_retried_then_one_line(key: str) -> None:
    cfg = TwelveData.model_validate({**FAST, "timeout_s": 0.5})
    client = TwelveDataClient(cfg, key=key, base_url="http://127.0.0.1:9")
    with pytest.raises(TwelveDataError, match=r"no answer from http://127.0.0.1:9") as err:
        client.get("/api_usage", {})
    assert key not in str(err.value)


def test_the_key_comes_only_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TWELVEDATA_API_KEY", raising=False)
    with pytest.raises(DroidError, match="TWELVEDATA_API_KEY is not set"):
        TwelveDataClient(TwelveData())


def test_public_url_drops_credentials(key: str) -> None:
    client = TwelveDataClient(TwelveData(), key=key, base_url=f"http://user:{key}@127.0.0.1:8080/v1?apikey={key}")
    assert client.public_url() == "http://127.0.0.1:8080/v1"
