"""Orders and fills; ids are UUIDs, prices are decimals."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

ORDER_NAMESPACE = uuid.UUID("3d813cbb-47fb-32ba-91df-831e1593ac29")
SCHEMA_DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
DEFAULT_ACCOUNT_ID = "a3c5e9f1-2b4d-4c6e-8f0a-1b3d5f7a9c2e"


@dataclass(frozen=True)
class Order:
    symbol: str
    qty: int
    limit: Decimal
    order_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def client_tag(self) -> str:
        return hashlib.sha256(f"{self.symbol}:{self.order_id}".encode()).hexdigest()[:16]


def deterministic_id(symbol: str, ts_ns: int) -> uuid.UUID:
    return uuid.uuid5(ORDER_NAMESPACE, f"{symbol}:{ts_ns}")
