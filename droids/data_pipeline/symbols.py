"""Which instrument a symbol is: its Twelve Data symbol and calendars from data.yaml, its tick size from
data.yaml or else policies/instruments.yaml (the trading core's table, loaded by its own loader)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from droids.core.errors import DroidError
from droids.data_pipeline.policy import DataPolicy, SymbolPolicy
from trading_core.errors import TradingCoreError


@dataclass(frozen=True)
class SymbolSpec:
    name: str
    policy: SymbolPolicy
    tick_size: Decimal | None
    tick_source: str  # "data.yaml", "instruments.yaml" or "none"

    @property
    def tick(self) -> float | None:
        return float(self.tick_size) if self.tick_size is not None else None

    @property
    def price_precision(self) -> int:
        """Decimals of the tick size (0.25 -> 2); 2 when no tick size is known."""
        if self.tick_size is None:
            return 2
        exponent = self.tick_size.normalize().as_tuple().exponent
        return max(0, -int(exponent))

    @property
    def nautilus_instrument_id(self) -> str:
        return self.policy.nautilus_instrument_id or f"{self.name}.XCME"


class Symbols:
    """Symbol specs of one run (instruments.yaml read once)."""

    def __init__(self, policy: DataPolicy, policies: Path) -> None:
        self.policy = policy
        self._policies = policies
        self._instruments: object | None = None
        self._loaded = False

    def _tick_from_instruments(self, name: str) -> Decimal | None:
        if not self._loaded:
            self._loaded = True
            path = self._policies / "instruments.yaml"
            if path.exists():
                from trading_core.market.instruments import load_instruments

                try:
                    self._instruments = load_instruments(path)
                except TradingCoreError as exc:
                    raise DroidError(str(exc)) from None
        table = self._instruments
        if table is not None and name in table:  # type: ignore[operator]
            return table[name].tick_size  # type: ignore[index]
        return None

    def known(self) -> tuple[str, ...]:
        return tuple(self.policy.symbols)

    def get(self, name: str, *, where: str) -> SymbolSpec:
        """The spec of `name`; an unknown symbol is bad input named at `where` (file and row, or option)."""
        sym = self.policy.symbols.get(name)
        if sym is None:
            raise DroidError(
                f"{where}: unknown symbol {name!r}: expected one of {', '.join(self.known())} "
                "(add it under `symbols:` in policies/data.yaml)"
            )
        if sym.tick_size is not None:
            return SymbolSpec(name, sym, sym.tick_size, "data.yaml")
        tick = self._tick_from_instruments(name)
        return SymbolSpec(name, sym, tick, "instruments.yaml" if tick is not None else "none")
