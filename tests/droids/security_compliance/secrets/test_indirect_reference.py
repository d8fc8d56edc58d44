"""The linear-time indirect-reference filter answers exactly as detect-secrets' regex does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droids.security_compliance.secrets.indirect_reference import is_indirect_reference, references_indirectly

# detect-secrets 1.5's pattern, copied so the test keeps checking against it if upstream changes.
UPSTREAM = re.compile(r"([^\v=!:]*)\s*(:=?|[!=]{1,3})\s*([\w.-]+[\[\(][^\v]*[\]\)])")


def upstream(line: str) -> bool:
    return bool(UPSTREAM.search(line))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("secret = get_secret_key()", True),
        ("secret = request.headers['apikey']", True),
        ("api_key := os.getenv('KEY')", True),
        ("if token !== cfg.values[0]:", True),
        ("password: vault.read(path)", True),
        ('password = "hunter2"', False),  # pragma: allowlist secret
        ("secret = get_secret_key(", False),
        ("x = (a)", False),
        ("f(a) = b", False),
        ("a =\x0bb(c)", True),  # whitespace before the name may hold a vertical tab
        ("a = b(\x0bc)", False),  # but nothing between the brackets may
        ("a = b(c\x0b)", False),
        ("a = b(c\x0b) d(e)", False),
        ("a = b(c\x0b) = d(e)", True),
        ("", False),
    ],
)
def test_table(line: str, expected: bool) -> None:
    assert upstream(line) is expected
    assert references_indirectly(line) is expected


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab_.-=!:[]() \x0b\t\u00e9", max_size=16))
def test_same_answer_as_the_regex_on_generated_lines(line: str) -> None:
    assert references_indirectly(line) is upstream(line)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["x", " = ", "get(", ")", "[", "]", "!", ":=", "\x0b", "a.b", "-", "'k'"]), max_size=30)
)
def test_same_answer_on_code_like_lines(parts: list[str]) -> None:
    line = "".join(parts)
    assert references_indirectly(line) is upstream(line)


def test_keeps_the_upstream_length_cut_off() -> None:
    line = "secret = get_secret_key()" + " " * 1000
    assert references_indirectly(line) is True
    assert is_indirect_reference(line) is False  # upstream does not filter lines over 1,000 characters


def test_pathological_lines_finish() -> None:
    # Shapes on which the upstream regex backtracks for minutes (a quadratic or cubic number of
    # steps); here each is one pass. No wall-time assertion: a hang is the failure.
    shapes = [
        "a=b(" * 50_000 + ")",
        ":pypi:`x` = y(z " * 20_000 + "]",
        "= " * 100_000 + "a(" + "\x0b)" * 1000,
        "a" * 100_000 + "=b(" + "]" * 100_000,
    ]
    assert [references_indirectly(s) for s in shapes] == [True, True, False, True]
