"""CME instruments from policies/instruments.yaml: tick size, point value, cap weight, default fee, correlation.

A price is stored as an integer number of ticks and a tick is worth a whole number of money units, so
P&L is exact. `Instruments.tick_value_units(root)` is that worth; `price_to_ticks` rejects prices that
are not on the instrument's tick grid instead of rounding them.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from trading_core.market.money import MONEY_UNITS_PER_DOLLAR, parse_decimal, to_units
from trading_core.policy.loader import PolicyModel, load_policy_file

ROOT_PATTERN = r"^[A-Z][A-Z0-9]{0,7}$"


class Instrument(PolicyModel):
    """One futures root."""

    name: str
    tick_size: Decimal = Field(gt=0)
    point_value: Decimal = Field(gt=0, description="account currency per 1.0 of price per contract")
    contract_weight: Decimal = Field(gt=0, description="how much one contract counts toward the contract cap")
    fee_per_side: Decimal = Field(ge=0, description="default fee per contract per fill side, when a row has none")

    @field_validator("tick_size", "point_value", "contract_weight", "fee_per_side", mode="before")
    @classmethod
    def _exact(cls, value: object) -> Decimal:
        return parse_decimal(value)

    @model_validator(mode="after")
    def _tick_is_whole_units(self) -> Instrument:
        worth = Fraction(self.tick_size) * Fraction(self.point_value) * MONEY_UNITS_PER_DOLLAR
        if worth.denominator != 1:
            raise ValueError("tick_size x point_value must be a whole number of 0.0001 currency units")
        to_units(self.fee_per_side)
        return self


class InstrumentsFile(PolicyModel):
    """policies/instruments.yaml."""

    version: int = Field(ge=1, le=1)
    instruments: dict[str, Instrument] = Field(min_length=1)
    correlation_groups: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("instruments")
    @classmethod
    def _roots(cls, value: dict[str, Instrument]) -> dict[str, Instrument]:
        import re

        for root in value:
            if not re.match(ROOT_PATTERN, root):
                raise ValueError(f"instrument root {root!r} must be 1-8 upper-case letters or digits")
        return value

    @model_validator(mode="after")
    def _groups_name_known_roots(self) -> InstrumentsFile:
        seen: dict[str, str] = {}
        for group, roots in self.correlation_groups.items():
            for root in roots:
                if root not in self.instruments:
                    raise ValueError(f"correlation group {group!r} names {root!r}, not in instruments")
                if root in seen:
                    raise ValueError(f"{root!r} is in two correlation groups: {seen[root]!r} and {group!r}")
                seen[root] = group
        return self


class Instruments:
    """The loaded instrument table with the exact integer facts the engine needs."""

    def __init__(self, spec: InstrumentsFile) -> None:
        self.spec = spec
        self.roots: tuple[str, ...] = tuple(spec.instruments)

    def __contains__(self, root: object) -> bool:
        return root in self.spec.instruments

    def __getitem__(self, root: str) -> Instrument:
        return self.spec.instruments[root]

    @cached_property
    def group_of(self) -> dict[str, str]:
        """root -> correlation group; a root in no group is its own group (it cannot hedge itself)."""
        groups = {root: group for group, roots in self.spec.correlation_groups.items() for root in roots}
        return {root: groups.get(root, root) for root in self.roots}

    def tick_value_units(self, root: str) -> int:
        inst = self.spec.instruments[root]
        return int(Fraction(inst.tick_size) * Fraction(inst.point_value) * MONEY_UNITS_PER_DOLLAR)

    def fee_units(self, root: str) -> int:
        return to_units(self.spec.instruments[root].fee_per_side)

    def weight(self, root: str) -> Fraction:
        return Fraction(self.spec.instruments[root].contract_weight)

    def price_to_ticks(self, root: str, price: Decimal) -> int:
        """Exact ticks of `price`; ValueError when it is off the tick grid."""
        tick = self.spec.instruments[root].tick_size
        ticks = Fraction(price) / Fraction(tick)
        if ticks.denominator != 1:
            raise ValueError(f"{price} is not a multiple of the {root} tick size {tick}")
        return int(ticks)

    def ticks_to_price(self, root: str, ticks: int) -> Decimal:
        return self.spec.instruments[root].tick_size * ticks


def load_instruments(path: Path) -> Instruments:
    """Load and validate instruments.yaml; TradingCoreError names file, line and key."""
    return Instruments(load_policy_file(path, InstrumentsFile))
