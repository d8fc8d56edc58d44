"""The RE2 searches of the prefilter find exactly the lines the one-literal-at-a-time search finds."""

from __future__ import annotations

import random
import re

import pytest

from droids.security_compliance.secrets import fast_search
from droids.security_compliance.secrets.literals import parse
from droids.security_compliance.secrets.runner import shared_engine
from tests import secret_values as sv

LITERALS = ["sk-", "sk-ant-", "ant", "://", "https://", "ghp_", "é-key", "pass", "a"]


def _text(seed: int) -> str:
    rng = random.Random(seed)
    pieces = [*LITERALS, "x", " ", "\n", "sk", "-an", "é", "\u0130"]
    return "".join(rng.choice(pieces) for _ in range(400))


@pytest.mark.parametrize("seed", range(20))
def test_every_line_of_every_literal_is_found_even_inside_another_match(seed: int) -> None:
    text = _text(seed)
    lines = text.split("\n")
    expected = {lit: {i for i, line in enumerate(lines) if lit in line} for lit in LITERALS}
    expected = {lit: found for lit, found in expected.items() if found}

    assert fast_search.LiteralSearch(LITERALS).lines(text) == expected


@pytest.mark.parametrize(
    ("pattern", "flags", "usable"),
    [
        (r"""['"][A-Za-z0-9+/=]{20,}['"]""", 0, True),
        (r"^x[^\"]{3}$", 0, True),
        (r"\d{8,10}:[A-Za-z]{5}", 0, False),  # \d is Unicode in re, ASCII in RE2
        (r"(?<!\w)ab", 0, False),  # look-behind
        (r"abc", re.IGNORECASE, False),  # case folding differs
        (r"(a)\1", 0, False),
        (r"é+", 0, False),
    ],
)
def test_only_plain_ascii_regexes_are_handed_to_re2(pattern: str, flags: int, usable: bool) -> None:
    regex = re.compile(pattern, flags)

    assert (fast_search.line_regex(regex.pattern, regex.flags, parse(regex)) is not None) is usable


def test_re2_lines_equal_the_line_by_line_search() -> None:
    regex = re.compile(r"""['"][A-Za-z0-9]{12,}['"]""")
    program = fast_search.line_regex(regex.pattern, regex.flags, parse(regex))
    text = "a = 'short'\nb = 'abcdefghijklmnop'\n'x' \"\n\"ABCDEFGHIJKLMNOPQ\" 'é' 'ABCDEFGHIJKLMNOP'\n'end"

    expected = [i for i, line in enumerate(text.split("\n")) if regex.search(line)]
    assert list(fast_search.lines_matching(program, text)) == expected == [1, 3]


def test_the_prefilter_confirms_the_same_lines_with_and_without_re2() -> None:
    engine = shared_engine()
    fast = engine.prefilter
    rng = random.Random(5)
    noise = ["def f(x):", "    return x", "url = 'https://example.org'", "password = get()", "# key", "", "AC/DC"]
    secrets = [sv.aws_access_key(1), sv.github_token(1), f'token = "{sv.password(1)}"', f"'{sv.sha256_hex(1)}'"]
    lines = [rng.choice(noise + secrets) for _ in range(300)]
    slow = type(fast)(engine.plugins)
    slow._searches = {}  # what a machine without RE2 does: one str.find per literal

    assert fast.plugins_for(lines) == slow.plugins_for(lines)
    assert fast.confirm(lines)
