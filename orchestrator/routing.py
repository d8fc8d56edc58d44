"""Deterministic routing: which droids a request needs, and why.

Three signals, each recorded as a reason:
- trigger words of a card found in the request, matched on whole words by stem (droids.core.words:
  `secret` matches "secrets", `leak` matches "leaked", `deploy` matches "deploying"), multi-word
  triggers included;
- `@droid-name` mentions;
- for gates, changed paths that match a card's `paths` globs (gitignore-style patterns).
No language model takes part here: the same request and paths always pick the same droids.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

from droids.core import words
from droids.core.card import DroidCard
from droids.core.models import RoutingDecision

_MENTION = re.compile(r"(?<![\w@])@([a-z0-9]+(?:-[a-z0-9]+)*)", re.IGNORECASE)


class RoutingFallback(Protocol):
    """What may route a question no trigger matched (the optional language model): it gets the
    request and the cards and names droids; only registered names are kept, and it decides nothing
    else (checks, findings and the verdict stay with code)."""

    def __call__(self, request: str, cards: Sequence[DroidCard]) -> Sequence[str]: ...


def fallback_decisions(fallback: RoutingFallback, request: str, cards: Sequence[DroidCard]) -> list[RoutingDecision]:
    known = {c.name for c in cards}
    picked = [name for name in dict.fromkeys(fallback(request, cards)) if name in known]
    return [RoutingDecision(droid=name, reasons=("fallback: no trigger matched",)) for name in picked]


def mentions(request: str) -> list[str]:
    return [m.lower() for m in _MENTION.findall(request)]


def trigger_hits(request: str, card: DroidCard) -> list[str]:
    """The card's triggers present in `request` (outside @mentions and addresses), in card order."""
    return words.hits(request, card.triggers)


@lru_cache(maxsize=64)
def _path_spec(patterns: tuple[str, ...]):
    import pathspec

    return pathspec.PathSpec.from_lines("gitignore", patterns)


def path_hits(paths: Iterable[str], card: DroidCard, *, limit: int = 3) -> tuple[list[str], int]:
    """Up to `limit` changed paths matching the card's globs, and how many matched in all."""
    if not card.paths:
        return [], 0
    spec = _path_spec(card.paths)
    hits = [p for p in paths if spec.match_file(p)]
    return hits[:limit], len(hits)


def route(
    cards: Sequence[DroidCard],
    *,
    request: str = "",
    paths: Sequence[str] = (),
    use_paths: bool = False,
    everyone: str | None = None,
) -> list[RoutingDecision]:
    """Pick droids for a request; `everyone` (a reason) selects every droid, as audits do."""
    decisions = []
    mentioned = set(mentions(request))
    for card in cards:
        reasons: list[str] = []
        if everyone:
            reasons.append(everyone)
        if card.name in mentioned:
            reasons.append(f"mention '@{card.name}'")
        reasons += [f"trigger '{t}'" for t in trigger_hits(request, card)]
        if use_paths:
            shown, total = path_hits(paths, card)
            reasons += [f"path {p}" for p in shown]
            if total > len(shown):
                reasons.append(f"and {total - len(shown)} more changed paths")
        if reasons:
            decisions.append(RoutingDecision(droid=card.name, reasons=tuple(reasons)))
    return decisions


def unknown_mentions(request: str, cards: Sequence[DroidCard]) -> list[str]:
    names = {c.name for c in cards}
    return [m for m in mentions(request) if m not in names]


def suggest(request: str, cards: Sequence[DroidCard]) -> str | None:
    """The trigger or droid name closest to a word of the request ("did you mean ...")."""
    vocabulary = {t.lower(): t for c in cards for t in c.triggers} | {c.name: c.name for c in cards}
    best: tuple[float, str] | None = None
    for word in re.findall(r"[\w-]+", request.lower()):
        for match in difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75):
            score = difflib.SequenceMatcher(None, word, match).ratio()
            if best is None or score > best[0]:
                best = (score, vocabulary[match])
    return best[1] if best else None
