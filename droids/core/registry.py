"""The registry: built-in droids from `droids.BUILTIN`, third-party ones from the `droids`
entry-point group (an entry point names a `Manifest`, or just a droid class).

Start-up fails loudly, naming the culprit, on: a duplicate droid name, a missing or invalid card, a
card whose `rules` differ from the rules the droid implements, and a rule id that two droids (or
one droid twice) claim. Besides droids, the registry answers what manifests declare: sub-commands,
policy files and services (functions one droid offers to others, looked up by name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from droids.core.card import DroidCard, parse_card
from droids.core.errors import DroidError
from droids.core.manifest import Manifest, PolicyFile, load, manifests
from droids.core.models import RuleSpec
from droids.core.protocol import Droid


class Registry:
    """Droids by name, in registration order (built-ins first), and what their manifests declare."""

    def __init__(self, droid_classes: Iterable[type], manifests: Sequence[Manifest] = ()) -> None:
        self._droids: dict[str, Droid] = {}
        self._rule_owner: dict[str, str] = {}
        self.manifests = tuple(manifests)
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
        implemented = [r.id for r in droid.rules()]
        if set(implemented) != set(card.rules):
            raise DroidError(
                f"{card_path}: rules: card lists {sorted(card.rules)} but the droid implements {sorted(implemented)}"
            )
        for rule_id in implemented:
            owner = self._rule_owner.setdefault(rule_id, card.name)
            if owner != card.name or implemented.count(rule_id) > 1:
                raise DroidError(f"{card_path}: rule id {rule_id} is already claimed by droid '{owner}'")
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

    def policy_files(self) -> list[PolicyFile]:
        return [f for m in self.manifests for f in m.policy_files]

    def service(self, name: str) -> Callable[..., Any] | None:
        """The function a droid offers under `name` (e.g. "secret-screen"), or None when none does."""
        for manifest in self.manifests:
            if name in manifest.services:
                return load(manifest.services[name])
        return None

    def all_services(self, name: str) -> list[Callable[..., Any]]:
        """Every droid's function offered under `name`, in registration order (e.g. each droid's
        "report-section" for the morning report)."""
        return [load(m.services[name]) for m in self.manifests if name in m.services]


def load_registry() -> Registry:
    """Every droid of every manifest, checked (see the module docstring)."""
    found = manifests()
    classes = []
    for manifest in found:
        try:
            classes.append(load(manifest.droid))
        except (ImportError, AttributeError) as exc:
            raise DroidError(f"droid {manifest.droid}: cannot load ({exc})") from None
    return Registry(classes, found)
