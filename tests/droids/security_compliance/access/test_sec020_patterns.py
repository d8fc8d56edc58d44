"""SEC020's matching: path globs, YAML key patterns, and which YAML values a change touched."""

from __future__ import annotations

import pytest

from droids.security_compliance.access.patterns import key_matches, path_matches, split_key
from trading_core.policy.yamldoc import NotYaml, changed_leaves, line_of, parse

# glob, path, matches?
PATHS = [
    ("trading_core/risk/**", "trading_core/risk/sentinel.py", True),
    ("trading_core/risk/**", "trading_core/risk/deep/er/x.py", True),
    ("trading_core/risk/**", "trading_core/riskless.py", False),
    ("trading_core/risk/**", "other/trading_core/risk/x.py", False),
    ("policies/apex.yaml", "policies/apex.yaml", True),
    ("policies/apex.yaml", "policies/apex.yaml.bak", False),
    ("policies/*.yaml", "policies/sub/x.yaml", False),
    ("**/secrets.yaml", "secrets.yaml", True),
    ("**/secrets.yaml", "a/b/secrets.yaml", True),
    ("droids/security_compliance/cmp0*.py", "droids/security_compliance/cmp003_scenarios.py", True),
    ("droids/security_compliance/cmp0*.py", "droids/security_compliance/access/cmp0.py", False),
    ("policies/ap?x.yaml", "policies/apex.yaml", True),
]


@pytest.mark.parametrize(("glob", "path", "matches"), PATHS)
def test_path_globs(glob: str, path: str, matches: bool) -> None:
    assert path_matches(glob, path) is matches


# pattern, changed value's key path, protected?
KEYS = [
    ("rulesets.*.drawdown.*", "rulesets.seed.drawdown.percent", True),
    ("rulesets.*.drawdown.*", "rulesets.seed.description", False),
    ("rulesets.*.drawdown.*", "rulesets.seed", False),  # a scalar at the preset: its old values are the match
    ("**", (), True),
    ("rulesets.*.drawdown", ("rulesets", "apex-3.0", "drawdown", "trail"), True),  # a key with a dot
    ("*", "budgets.on_tick_p99_us", True),
    ("**.percent", "rulesets.seed.drawdown.percent", True),
    ("**.percent", "rulesets.seed.drawdown.trail", False),
    ("session.*", "session.early_close.2025-12-24", True),
    ("session.*", "guard.flatten_before_deadline_s", False),
    ("risk.*", "risky.x", False),
]


@pytest.mark.parametrize(("pattern", "path", "protected"), KEYS)
def test_key_patterns(pattern: str, path: str | tuple[str, ...], protected: bool) -> None:
    key_path = path if isinstance(path, tuple) else tuple(path.split("."))
    assert key_matches(split_key(pattern), key_path) is protected


# before, after, changed leaves
TREES = [
    ("a: 1\nb: 2\n", "a: 1  # a comment\nb: 2\n", []),
    ("a: 1\nb: 2\n", "b: 2\na: 1\n", []),
    ("a: '1'\n", "a: 1\n", ["a"]),  # a string and a number are different values
    ("a: 1\n", "a: true\n", ["a"]),
    ("a: 1.0\n", "a: 1\n", ["a"]),
    ("a: {x: 1}\n", "a: null\n", ["a", "a.x"]),
    ("a: [1, 2]\n", "a: [1, 2, 3]\n", ["a.2"]),
    ("a: {}\n", "a: {x: 1}\n", ["a", "a.x"]),
    (None, "a: 1\n", ["a"]),
]


@pytest.mark.parametrize(("before", "after", "changed"), TREES)
def test_changed_leaves(before: str | None, after: str, changed: list[str]) -> None:
    old = parse(before).data if before is not None else None
    assert [".".join(p) for p in changed_leaves(old, parse(after).data)] == changed


def test_line_of_the_deepest_key_present() -> None:
    doc = parse("a:\n  b:\n    c: 1\n  d: [x, y]\n")
    assert line_of(doc.node, ("a", "b", "c")) == 3
    assert line_of(doc.node, ("a", "b", "missing")) == 2
    assert line_of(doc.node, ("a", "d", "1")) == 4
    assert line_of(parse("").node, ("a",)) is None


def test_text_that_is_not_yaml() -> None:
    with pytest.raises(NotYaml, match="line 1: mapping values are not allowed"):
        parse("a: b: c\n")
