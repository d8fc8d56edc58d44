"""The prefilter never hides a line a detect-secrets plugin would report on."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from droids.security_compliance.secrets.engine import SecretEngine
from droids.security_compliance.secrets.joined_search import matches_alike_in_joined_lines
from droids.security_compliance.secrets.literals import fold_case, required_literals
from droids.security_compliance.secrets.prefilter import probes_for
from tests.droids.security_compliance.secrets.field_values import FIELD_TYPES

ENGINE = SecretEngine()
PROBES = ENGINE.prefilter.probes
NOISE = ["def f(x):", "    return x", 'name = "value"', "", "# plain comment", "a.b.c = 1"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("BEGIN RSA PRIVATE KEY", [{"BEGIN RSA PRIVATE KEY"}]),  # pragma: allowlist secret
        ("(?:ab|cd)ef", [{"abef", "cdef"}]),
        ("xox(?:a|b)-\\d+", [{"xoxa-", "xoxb-"}]),
        ("(?i)api_?key", [{"apikey", "api_key"}]),
        ("(?i)contraseña", [{"contrase"}]),
        ("[MN]\\d+\\.\\w+", [{"."}, {"M", "N"}]),
        (
            "(?:cloudant|cl)_?(?:key|pw)",
            [{"clkey", "cl_key", "clpw", "cl_pw"} | {"cloudantkey", "cloudant_key"} | {"cloudantpw", "cloudant_pw"}],
        ),
        ("(?:cloudant|cl)\\w*(?:key|pw)", [{"cl"}, {"key", "pw"}]),
        ("x*", None),
        ("a|.b", [{"a", "b"}]),
        ("a|\\d+", None),
        ("(?:foo)?bar", [{"bar"}]),
        ("\\d{8}:\\w{35}", [{":"}]),
    ],
)
def test_required_literals(pattern: str, expected: list[set[str]] | None) -> None:
    found = required_literals(re.compile(pattern))
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert [set(s) for s in found.all_of][: len(expected)] == expected


@pytest.mark.parametrize(
    ("pattern", "joinable"),
    [
        ("foo(?!\\w)", True),
        ("(?<![\\w.])\\d+\\.\\d+", True),
        ("^key$", True),
        ("a\\s*=\\s*b", True),
        ("\\Afoo", False),
        ("foo\\Z", False),
        ("(?>a+)b", False),
        ("(a)\\1", False),
        ("foo(?!\\s)", False),
        ("(?<![^x])y", False),
        ("foo(?!.)", True),  # `.` does not match the joining newline
        ("(?s:foo(?!.))", False),
    ],
)
def test_joined_search_is_used_only_where_it_is_sound(pattern: str, joinable: bool) -> None:
    assert matches_alike_in_joined_lines(re.compile(pattern)) is joinable


def test_every_default_plugin_has_probes() -> None:
    # Without probes every line of every file would run through every plugin: still correct, but
    # a detect-secrets upgrade that adds such a plugin should be noticed here.
    assert {p.secret_type for p in ENGINE.plugins} >= FIELD_TYPES  # SEC001's own plugins run too
    assert all(probes_for(p) is not None for p in ENGINE.plugins)
    assert not ENGINE.prefilter.exhaustive


def test_a_field_detector_that_reads_lines_its_own_way_gets_no_probes() -> None:
    """Probes come from the denylist only while the base class decides how a line is read."""
    from droids.security_compliance.secrets.plugins.base import FieldDetector
    from droids.security_compliance.secrets.plugins.twelve_data import TwelveDataKeyDetector
    from droids.security_compliance.secrets.prefilter import LinePrefilter

    class Rewritten(TwelveDataKeyDetector):
        def values(self, line: str, patterns: object, context: object) -> Iterator[str]:
            yield line  # reports lines no denylist regex matches

    assert probes_for(TwelveDataKeyDetector()) is not None
    assert probes_for(Rewritten()) is None
    assert LinePrefilter([Rewritten()]).exhaustive
    assert issubclass(Rewritten, FieldDetector)


@pytest.mark.parametrize(
    ("line", "confirmed"),
    [
        # Lines a field detector's regex matches are confirmed, even where `keep` will drop the value.
        ("BODY = {'cid': 8, 'sec': '" + "0" * 16 + "'}", True),
        ("u = 'https://x.io/q?apikey=" + "0" * 16 + "'", True),
        ("see https://hooks.slack.com/services/T" + "0" * 8 + "/B" + "0" * 8 + "/" + "X" * 24, True),
        ("ib_password: " + "*" * 8, True),
        ("timeout_seconds = 30  # sec", False),
        ("url = TD_URL + '?apikey=' + key", False),
        ("def place(order_id: str, qty: int) -> None:", False),
    ],
)
def test_field_probes_confirm_exactly_the_lines_their_regexes_match(line: str, confirmed: bool) -> None:
    from droids.security_compliance.secrets.plugins import plugin_classes
    from droids.security_compliance.secrets.prefilter import LinePrefilter

    prefilter = LinePrefilter([cls() for cls in plugin_classes()])
    assert not prefilter.exhaustive
    assert (0 in prefilter.confirm([line])) is confirmed


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(PROBES)), ids=[p.regex.pattern.strip()[:30] for p in PROBES])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_a_line_the_probe_matches_is_always_confirmed(index: int, data: st.DataObject) -> None:
    probe = PROBES[index]
    line = data.draw(st.from_regex(probe.regex, alphabet=st.characters(codec="utf-8", exclude_characters="\n\r")))
    assume(line == line.rstrip() and probe.regex.search(line))
    if probe.requirement is not None:
        text = fold_case(line) if probe.requirement.folded else line
        assert all(any(lit in text for lit in literals) for literals in probe.requirement.all_of)
    where = data.draw(st.integers(0, len(NOISE)))
    segments = [*NOISE[:where], line, *NOISE[where:]]
    assert where in ENGINE.prefilter.confirm(segments)
    # ...and the probe's plugin is among the plugins the engine runs on that line.
    assert ENGINE.prefilter.owners[index] in ENGINE.prefilter.plugins_for(segments)[where]


def test_case_folding_covers_every_character_ignorecase_maps_to_ascii() -> None:
    letter = re.compile("(?i)[a-z]")
    for code in range(0x80, sys.maxunicode + 1):
        ch = chr(code)
        if letter.fullmatch(ch):
            assert fold_case(ch).isascii(), f"U+{code:04X}"
            assert re.fullmatch(f"(?i){fold_case(ch)}", ch)
