from __future__ import annotations

import pytest

from droids.core.card import DroidCard
from orchestrator.routing import route, suggest, trigger_hits, unknown_mentions

SEC = DroidCard(
    name="security-compliance",
    title="Security",
    description="d",
    triggers=("security", "secret", "credentials", "leak", "apex rules"),
    paths=("**/*.py", "**/.env*", "policies/**"),
    rules=("SEC001",),
)
PERF = DroidCard(
    name="performance-optimizer",
    title="Perf",
    description="d",
    triggers=("performance", "slow", "OnTick", "latency"),
    paths=("trading_core/**",),
    rules=("PERF001",),
)
CARDS = [SEC, PERF]


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("any leaked secrets?", {"security-compliance": ["trigger 'secret'", "trigger 'leak'"]}),
        ("check for leaked credentials", {"security-compliance": ["trigger 'credentials'", "trigger 'leak'"]}),
        ("one credential", {"security-compliance": ["trigger 'credentials'"]}),
        ("is on_tick fast enough? it feels slow", {"performance-optimizer": ["trigger 'slow'", "trigger 'OnTick'"]}),
        ("does the code follow the Apex rules", {"security-compliance": ["trigger 'apex rules'"]}),
        ("secretary of state", {}),  # word boundary: no partial-word match
        ("the leakage report", {}),
        ("@performance-optimizer have a look", {"performance-optimizer": ["mention '@performance-optimizer'"]}),
        ("email@performance-optimizer", {}),  # an address is not a mention
        (
            "security and latency",
            {"security-compliance": ["trigger 'security'"], "performance-optimizer": ["trigger 'latency'"]},
        ),
    ],
)
def test_route_by_triggers_and_mentions(request_text: str, expected: dict[str, list[str]]) -> None:
    got = {d.droid: list(d.reasons) for d in route(CARDS, request=request_text)}
    assert got == expected


def test_multiword_trigger_needs_adjacent_words() -> None:
    assert trigger_hits("apex and its rules", SEC) == []


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["trading_core/engine.py"], {"security-compliance", "performance-optimizer"}),
        (["docs/readme.md"], set()),
        (["config/.env.prod"], {"security-compliance"}),
        (["policies/gates.yaml"], {"security-compliance"}),
    ],
)
def test_route_by_changed_paths(paths: list[str], expected: set[str]) -> None:
    decisions = route(CARDS, paths=paths, use_paths=True)
    assert {d.droid for d in decisions} == expected
    for d in decisions:
        assert any(r.startswith("path ") for r in d.reasons)


def test_many_paths_are_summarised() -> None:
    paths = [f"pkg/m{i}.py" for i in range(10)]
    (decision,) = route(CARDS, paths=paths, use_paths=True)
    assert decision.reasons[-1] == "and 7 more changed paths"


def test_everyone_reason_selects_all() -> None:
    assert [d.droid for d in route(CARDS, everyone="audit")] == ["security-compliance", "performance-optimizer"]


@pytest.mark.parametrize(
    ("text", "hint"),
    [("any secrte please", "secret"), ("perfromance please", "performance"), ("zzz qqq", None)],
)
def test_suggest_did_you_mean(text: str, hint: str | None) -> None:
    assert suggest(text, CARDS) == hint


def test_unknown_mentions() -> None:
    assert unknown_mentions("@security-compliance and @secruity-compliance", CARDS) == ["secruity-compliance"]


def _task(mode: str, request: str) -> object:
    from pathlib import Path

    from droids.core.models import Targets, Task

    return Task(
        mode=mode,  # type: ignore[arg-type]
        profile="ask" if mode == "ask" else "pre-commit",  # type: ignore[arg-type]
        request=request,
        repo=Path("."),
        policies=Path("."),
        targets=Targets(kind="paths", paths=("a.py",)),
    )


FALLBACK = "fallback: no trigger matched"


@pytest.mark.parametrize(
    ("mode", "request_text", "fallback_says", "expected"),
    [
        ("ask", "can we ship it?", ["performance-optimizer"], {"performance-optimizer": [FALLBACK]}),
        ("ask", "can we ship it?", ["no-such-droid", "security-compliance"], {"security-compliance": [FALLBACK]}),
        ("ask", "any secrets?", ["performance-optimizer"], {"security-compliance": ["trigger 'secret'"]}),  # not asked
        ("gate", "", ["performance-optimizer"], {"security-compliance": ["path a.py"]}),  # gates route by paths only
    ],
)  # fmt: skip
def test_the_fallback_routes_only_unmatched_questions_to_registered_droids(
    mode: str, request_text: str, fallback_says: list[str], expected: dict[str, list[str]]
) -> None:
    from orchestrator.graph import route_task

    class Cards:
        def cards(self) -> list[DroidCard]:
            return [SEC.model_copy(update={"paths": ("**/*.py",)}), PERF]

    asked: list[str] = []

    def fallback(request: str, cards: object) -> list[str]:
        asked.append(request)
        return fallback_says

    decisions = route_task(_task(mode, request_text), Cards(), fallback=fallback)  # type: ignore[arg-type]
    assert {d.droid: list(d.reasons) for d in decisions} == expected
    assert bool(asked) == (mode == "ask" and "secret" not in request_text)
