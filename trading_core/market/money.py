"""Exact money: integer units of 1/10,000 of the account currency.

Why integers: equity, thresholds and the consistency share are compared against limits, and a float
that rounds $50,099.99999 up to $50,100 turns a breach into a pass. Every amount in the trading core is
an `int` of money units (Python ints in the scalar path, numpy int64 in the vectorised path, so both
paths compute bit-identical numbers). Prices are integers of ticks; a tick is worth a whole number of
money units (checked when instruments.yaml is loaded), so P&L = ticks x tick value is exact.

Why 1/10,000 and not cents: exchange and broker fees are quoted to fractions of a cent per contract
(e.g. $0.0125), and percentage thresholds need headroom below the cent. The unit is a representation
choice like "nanoseconds per second", not a policy number. int64 holds 9.2e18 units, i.e. $9.2e14.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

MONEY_UNITS_PER_DOLLAR = 10_000


def parse_decimal(text: object) -> Decimal:
    """A finite Decimal from a string, int or float (floats through their shortest repr); ValueError otherwise."""
    if isinstance(text, bool):
        raise ValueError("expected a number")
    if isinstance(text, float):
        text = repr(text)
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"expected a number, got {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"expected a finite number, got {text!r}")
    return value


def to_units(amount: Decimal | Fraction | int) -> int:
    """Dollars -> money units; ValueError when the amount has more precision than a unit."""
    scaled = Fraction(amount) * MONEY_UNITS_PER_DOLLAR
    if scaled.denominator != 1:
        raise ValueError(f"{amount} has more than 4 decimal places")
    return int(scaled)


def to_dollars(units: int | Fraction) -> float:
    """Money units -> a float of dollars, for reports (exact for any amount below $9e11)."""
    return float(Fraction(units) / MONEY_UNITS_PER_DOLLAR)


def fmt_money(units: int | Fraction) -> str:
    """Money units -> '$1,234.50' (two decimals, more only when the amount needs them)."""
    value = Fraction(units) / MONEY_UNITS_PER_DOLLAR
    sign = "-" if value < 0 else ""
    dec = Decimal(abs(value.numerator)) / Decimal(value.denominator)
    text = f"{dec:,.4f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{sign}${whole}.{frac.ljust(2, '0')}"
