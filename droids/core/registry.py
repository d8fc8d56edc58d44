"""The registry: built-in droids from `droids.builtin_droids()`, third-party ones from the
`droids` entry-point group. Duplicate names, a missing or invalid card, or a card whose `rules`
differ from the rules the droid implements fail loudly at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points

from droids.core.card import DroidCard, parse_card
from droids.core.errors import DroidError
from droids.core.models import RuleSpec
from droids.core.protocol import Droid

ENTRY_POINT_GROUP = "droids"


class Registry:
    """Droids by name, in registration order (built-ins first)."""

    def __init__(self, droid_classes: Iterable[type]) -> None:
        self._droids: dict[str, Droid] = {}
        for cls in droid_classes:
            self._add(cls)

    def _add(self, cls: type) -> None:
        card_path = getattr(cls, "CARD_PATH", None)
        if card_path is None or not card_path.is_file():
            raise DroidError(f"droid class {cls.__module__}.{cls.__name__}: CARD.md not found at {card_path}")
        card = parse_card(card_path)
        if card.name in self._droids:
            raise DroidError(f"{card_path}: droid name '{card.name}' is registered twice")
        droid = cls(card)
        implemented = tuple(r.id for r in droid.rules())
        if set(implemented) != set(card.rules):
            raise DroidError(
                f"{card_path}: rules: card lists {sorted(card.rules)} but the droid implements {sorted(implemented)}"
            )
        self._droids[card.name] = droid

    def __iter__(self) -> Iterator[Droid]:
        return iter(self._droids.values())

    def __len__(self) -> int:
        return len(self._droids)

    def names(self) -> list[str]:
        return list(self._droids)

    def cards(self) -> list[DroidCard]:
        return [d.card for d in self._droids.values()]

    def get(self, name: str) -> Droid | None:
        return self._droids.get(name)

    def rules(self) -> list[RuleSpec]:
        return [rule for droid in self for rule in droid.rules()]


def load_registry() -> Registry:
    """Built-ins plus every installed `droids` entry point."""
    from droids import builtin_droids

    classes: list[type] = list(builtin_droids())
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            classes.append(ep.load())
        except Exception as exc:  # a broken plugin must name itself, not crash with a traceback
            raise DroidError(f"entry point '{ep.name}' ({ep.value}) in group '{ENTRY_POINT_GROUP}': {exc}") from None
    return Registry(classes)
