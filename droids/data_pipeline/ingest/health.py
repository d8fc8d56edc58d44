"""`droid data ingest --check`: is the feed healthy? Does the API answer, how many credits are left this
minute (/api_usage), and, for each symbol asked, does /time_series serve it (one bar, one credit)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from droids.data_pipeline.ingest.client import NoData, TwelveDataClient, TwelveDataError
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols


@dataclass
class Health:
    url: str
    ok: bool = True
    latency_ms: float | None = None
    used: int | None = None
    limit: int | None = None
    plan: str | None = None
    symbols: dict[str, str] = field(default_factory=dict)
    problem: str | None = None

    def as_dict(self) -> dict[str, object]:
        left = self.limit - self.used if self.limit is not None and self.used is not None else None
        return {
            "url": self.url,
            "ok": self.ok,
            "latency_ms": self.latency_ms,
            "credits_used": self.used,
            "credits_limit": self.limit,
            "credits_left": left,
            "plan": self.plan,
            "symbols": self.symbols,
            "problem": self.problem,
        }

    def text(self) -> str:
        if self.problem:
            return f"Twelve Data at {self.url}: NOT healthy: {self.problem}"
        lines = [
            f"Twelve Data at {self.url} answers ({self.latency_ms:.0f} ms); credits this minute: "
            f"{self.used} used of {self.limit} (plan {self.plan})"
        ]
        lines += [f"  {s}: {state}" for s, state in self.symbols.items()]
        return "\n".join(lines)


def feed_health(policy: DataPolicy, policies: Path, symbols: tuple[str, ...]) -> Health:
    client = TwelveDataClient(policy.twelvedata)
    health = Health(client.public_url())
    specs = [Symbols(policy, policies).get(s, where="--symbol") for s in symbols]
    try:
        t0 = time.perf_counter()
        usage = client.get("/api_usage", {})
        health.latency_ms = (time.perf_counter() - t0) * 1000
        health.used, health.limit = _int(usage.get("current_usage")), _int(usage.get("plan_limit"))
        health.plan = str(usage.get("plan_category"))
        for spec in specs:
            params = {
                "symbol": spec.policy.twelvedata,
                "interval": policy.interval,
                "outputsize": "1",
                "timezone": "UTC",
            }
            try:
                body = client.get("/time_series", params)
                newest = (body.get("values") or [{}])[0].get("datetime", "?")
                health.symbols[spec.name] = f"served as {spec.policy.twelvedata!r}, newest bar {newest} UTC"
            except NoData:
                health.symbols[spec.name] = f"no data for {spec.policy.twelvedata!r}"
                health.ok = False
    except TwelveDataError as exc:
        if exc.code is not None and exc.code < 429:
            raise  # a refused key or request is bad input (exit 2), not an unhealthy feed
        health.ok, health.problem = False, str(exc)
    finally:
        client.close()
    return health


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None
