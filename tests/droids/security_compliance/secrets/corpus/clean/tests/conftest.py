from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Placeholders only: tests never talk to Twelve Data or Tradovate."""
    monkeypatch.setenv("TWELVE_DATA_API_KEY", "test-api-key")
    monkeypatch.setenv("TRADOVATE_NAME", "demo-user")
    monkeypatch.setenv("TRADOVATE_PASSWORD", "test-password")
    monkeypatch.setenv("TRADOVATE_CID", "0")
    monkeypatch.setenv("TRADOVATE_SEC", "00000000-0000-0000-0000-000000000000")
    monkeypatch.setenv("IB_PASSWORD", "not-a-real-password")
    monkeypatch.setenv(
        "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
    )
    monkeypatch.delenv("DISCORD_WEBHOOK_URL", raising=False)
