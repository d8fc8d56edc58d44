"""Runtime settings: every credential comes from the environment (or a git-ignored .env)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class FeedSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TWELVE_DATA_", env_file=".env", extra="ignore")

    api_key: SecretStr = Field(description="Twelve Data API key (TWELVE_DATA_API_KEY)")
    base_url: str = "https://api.twelvedata.com"
    ws_url: str = "wss://ws.twelvedata.com/v1/quotes/price"
    credits_per_minute: int = 8


class BrokerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADOVATE_", env_file=".env", extra="ignore")

    name: str
    password: SecretStr
    app_id: str = "desk"
    app_version: str = "1.0"
    cid: int
    sec: SecretStr
    environment: str = Field(default="demo", pattern="^(demo|live)$")
    ib_password: SecretStr | None = None
    broker_password: SecretStr | None = Field(default=None, alias="BROKER_PASSWORD")


class AlertSettings(BaseSettings):
    slack_webhook_url: SecretStr | None = None
    discord_webhook_url: SecretStr | None = None
    teams_webhook_url: SecretStr | None = None


@lru_cache
def feed_settings() -> FeedSettings:
    return FeedSettings()  # type: ignore[call-arg]  # read from the environment


@lru_cache
def broker_settings() -> BrokerSettings:
    return BrokerSettings()  # type: ignore[call-arg]
