"""Run a repository's gitleaks rules (`gitleaks_config.py`) over one file's text, as gitleaks does.

Each rule's regex runs over the whole text (so a rule may span lines, as gitleaks' do) with RE2:
matching takes time linear in the text whatever the pattern, so a repository's rules cannot stall
a scan. A rule runs only on a file that holds one of its `keywords` (ignoring case), only on a path
its `path` regex matches, and not on a path an allowlist excludes. For each match:

- the secret is the `secretGroup` capture group, else the first non-empty group, else the match;
- with `entropy` set, a secret whose Shannon entropy is not above it is dropped;
- a line holding `gitleaks:allow` is skipped, as gitleaks skips it;
- the global allowlists and then the rule's drop it when their `regexes` match the secret (or the
  match, or the line, after `regexTarget`) or a stopword occurs in the secret; with
  `condition = "AND"` every check the allowlist lists must hold (its `paths` included, and its
  `commits`, which never hold in a file scan).

A rule with a `path` and no `regex` reports the file itself (line 0: the finding has no line).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from droids.security_compliance.secrets.gitleaks_config import MAX_PATTERN, Allowlist, CustomRules, Rule

_RE2_MEMORY = 16 << 20  # bytes per compiled rule: a pattern needing more is refused


@dataclass(frozen=True)
class RuleMatch:
    line: int  # 1-based; 0 for a rule that matches the path only
    rule: Rule
    secret: str


def _options() -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = _RE2_MEMORY
    return options


@cache
def _compiled(pattern: str) -> Any:
    import re2

    return re2.compile(pattern, _options())


def check_pattern(source: str) -> str | None:
    """Why RE2 will not run `source` as a gitleaks regex, or None when it will."""
    try:
        import re2
    except ImportError:  # pragma: no cover - a declared dependency
        return "google-re2 is needed to run .gitleaks.toml rules (pip install google-re2)"
    if len(source) > MAX_PATTERN:
        return f"a regex of {len(source):,} characters; at most {MAX_PATTERN:,} are run"
    try:
        _compiled(source)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return f"not a regular expression RE2 (gitleaks' Go syntax) accepts: {detail}"
    return None


def group_count(source: str) -> int:
    return int(_compiled(source).groups)


def scan(custom: CustomRules, path: str, text: str) -> Iterator[RuleMatch]:
    """Every match of every rule in `text`, the file at `path`."""
    if _path_excluded(custom.allowlists, path):
        return
    lowered: str | None = None
    for rule in custom.rules:
        if _path_excluded(rule.allowlists, path):
            continue
        if rule.path is not None:
            if not _compiled(rule.path).search(path):
                continue
            if rule.regex is None:
                yield RuleMatch(0, rule, path)
                continue
        if rule.keywords:
            lowered = text.lower() if lowered is None else lowered
            if not any(keyword in lowered for keyword in rule.keywords):
                continue
        yield from _matches(custom, rule, path, text)


def _matches(custom: CustomRules, rule: Rule, path: str, text: str) -> Iterator[RuleMatch]:
    regex = _compiled(rule.regex)
    line, counted = 1, 0
    for match in regex.finditer(text):
        whole = match.group(0).strip("\n")
        if not whole:
            continue
        secret = _secret(match, rule.secret_group) or whole
        if rule.entropy and _entropy(secret) <= rule.entropy:
            continue
        start = match.start()
        line += text.count("\n", counted, start)
        counted = start
        begin = text.rfind("\n", 0, start) + 1
        end = text.find("\n", start + len(whole))
        line_text = text[begin : end if end != -1 else len(text)]
        if "gitleaks:allow" in line_text:
            continue
        if any(_allows(a, secret, whole, line_text, path) for a in (*custom.allowlists, *rule.allowlists)):
            continue
        yield RuleMatch(line, rule, secret)


def _secret(match: Any, group: int) -> str:
    if group:
        return match.group(group) or ""
    return next((g for g in match.groups() if g), "")


def _entropy(value: str) -> float:
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values()) if n else 0.0


def _path_excluded(allowlists: tuple[Allowlist, ...], path: str) -> bool:
    """gitleaks' file-level check: an OR allowlist whose paths match; an AND one listing only paths."""
    for allowlist in allowlists:
        on_path = bool(allowlist.paths) and any(_compiled(p).search(path) for p in allowlist.paths)
        if allowlist.condition == "OR" and on_path:
            return True
        only_paths = not (allowlist.regexes or allowlist.stopwords or allowlist.commits)
        if allowlist.condition == "AND" and only_paths and on_path:
            return True
    return False


def _allows(allowlist: Allowlist, secret: str, whole: str, line: str, path: str) -> bool:
    target = {"secret": secret, "match": whole, "line": line}[allowlist.regex_target]
    by_regex = any(_compiled(r).search(target) for r in allowlist.regexes)
    by_stopword = any(word in secret.lower() for word in allowlist.stopwords)
    if allowlist.condition == "OR":
        return by_regex or by_stopword
    checks = []
    if allowlist.commits:
        checks.append(False)  # a file has no commit
    if allowlist.paths:
        checks.append(any(_compiled(p).search(path) for p in allowlist.paths))
    if allowlist.regexes:
        checks.append(by_regex)
    if allowlist.stopwords:
        checks.append(by_stopword)
    return bool(checks) and all(checks)
