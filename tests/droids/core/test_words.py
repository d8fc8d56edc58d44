"""droids.core.words: one stemmed word matching for routing and intent."""

from __future__ import annotations

import pytest

from droids.core.words import hits, request_words, stem, words

# forms that must match each other (same stem)
SAME_STEM = [
    ("secrets", "secret"),
    ("policies", "policy"),
    ("leaked", "leak"),
    ("leaking", "leak"),
    ("leaks", "leak"),
    ("deploying", "deploy"),
    ("deployment", "deploy"),
    ("credentials", "credential"),
    ("profiling", "profile"),
    ("approved", "approval"),
    ("alerts", "alert"),
]
# forms that must not
OTHER_STEM = [("leakage", "leak"), ("secretary", "secret"), ("keyboard", "key"), ("status", "stat")]


@pytest.mark.parametrize(("a", "b"), SAME_STEM)
def test_inflected_forms_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(("a", "b"), OTHER_STEM)
def test_other_words_keep_their_own_stem(a: str, b: str) -> None:
    assert stem(a) != stem(b)


def test_words_split_camel_case_underscores_and_dashes() -> None:
    assert words("OnTick on-tick ON_TICK") == ("on", "tick") * 3


@pytest.mark.parametrize(
    ("text", "phrases", "expected"),
    [
        ("any leaked secrets?", ["leak", "secret", "key"], ["leak", "secret"]),
        ("is OnTick fast enough?", ["on tick", "fast", "slow"], ["on tick", "fast"]),
        ("apex and its rules", ["apex rules"], []),  # a phrase needs its words in a row
        ("ask @security-compliance about risk@example.com", ["security", "example"], []),
        ("can we deploy?", ["deploying"], ["deploying"]),
    ],
)
def test_hits_finds_phrases_by_stem(text: str, phrases: list[str], expected: list[str]) -> None:
    assert hits(text, phrases) == expected


def test_request_words_leave_out_mentions_and_addresses() -> None:
    assert request_words("@perf hi bob@example.com") == ("hi",)
