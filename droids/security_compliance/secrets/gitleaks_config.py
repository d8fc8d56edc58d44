"""`.gitleaks.toml` at the repository root, read so that a team coming from gitleaks keeps its rules.

Read, with gitleaks' meaning (v8 configuration format):

- `[[rules]]`: `id` (required, unique), `description`, `regex` (Go/RE2 syntax), `path` (a regex on
  the file path; a rule with a path and no regex reports the file itself), `secretGroup` (which
  capture group is the secret; by default the first non-empty group, else the whole match),
  `entropy` (minimum Shannon entropy of the secret), `keywords` (the rule only runs on a file
  holding one of them, ignoring case), `tags` (ignored), and its allowlists: `[[rules.allowlists]]`
  or the older `[rules.allowlist]`;
- allowlists, global (`[[allowlists]]`, the older `[allowlist]`, optionally limited to some rules
  with `targetRules`) or per rule: `paths` and `regexes` (regexes), `stopwords` (substrings of
  the secret, ignoring case), `regexTarget` (`secret`, `match` or `line`), `condition` (`OR` or
  `AND`), `commits` (never matches a file scan, as in gitleaks' directory mode);
- `[extend]`: `path` loads another configuration file of this repository first (at most two levels,
  as gitleaks), `disabledRules` drops rules of the extended file, a rule of the same id is merged
  as gitleaks merges it; `useDefault` is ignored with a note: gitleaks' built-in rules are not
  loaded, SEC001's own detectors cover the providers' formats; `url` is ignored with a note.

Not supported, with a note naming the rule: composite rules (`[[rules.required]]`), which are
skipped, and `skipReport` rules (only used by composite rules), also skipped.

The file is data: its regexes are compiled with RE2 (linear-time matching, no back-references or
look-arounds, as in Go), each at most `MAX_PATTERN` characters and within RE2's memory budget. A
file that is not valid TOML, a key of the wrong type, a missing `id`, a duplicate `id`, a regex
RE2 refuses or a `secretGroup` the regex does not have is bad input: one line naming the file and
the key (`.gitleaks.toml: rules[2] (internal-token).regex: ...`), exit code 2.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError

CONFIG_NAME = ".gitleaks.toml"
MAX_PATTERN = 4096  # characters of one regex: a longer one is refused, not run
MAX_EXTEND_DEPTH = 2


@dataclass(frozen=True)
class Allowlist:
    condition: str = "OR"  # or "AND"
    paths: tuple[str, ...] = ()
    regexes: tuple[str, ...] = ()
    regex_target: str = "secret"  # or "match", "line"
    stopwords: tuple[str, ...] = ()  # lower-cased
    commits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    description: str = ""
    regex: str | None = None
    path: str | None = None
    secret_group: int = 0
    entropy: float = 0.0
    keywords: tuple[str, ...] = ()  # lower-cased
    allowlists: tuple[Allowlist, ...] = ()

    @property
    def secret_type(self) -> str:
        """How SEC001 names what the rule finds."""
        return f"{self.description} (gitleaks rule {self.id})" if self.description else f"gitleaks rule {self.id}"


@dataclass(frozen=True)
class CustomRules:
    rules: tuple[Rule, ...]
    allowlists: tuple[Allowlist, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def digest(self) -> str:
        """Part of the scan cache's key: results depend on the rules."""
        return hashlib.sha256(repr((self.rules, self.allowlists)).encode()).hexdigest()[:16]


def load_gitleaks(repo: Path) -> CustomRules | None:
    """The repository's `.gitleaks.toml` as SEC001 subrules, or None when there is none."""
    path = repo / CONFIG_NAME
    if not path.is_file():
        return None
    notes: list[str] = []
    rules, allowlists = _load(repo, path, CONFIG_NAME, 0, notes)
    return CustomRules(tuple(rules.values()), tuple(allowlists), tuple(notes))


def _load(repo: Path, path: Path, shown: str, depth: int, notes: list[str]) -> tuple[dict[str, Rule], list[Allowlist]]:
    data = _read(path, shown)
    reader = _Reader(shown)
    extend = reader.table(data, "extend")
    rules: dict[str, Rule] = {}
    allowlists: list[Allowlist] = []
    if extend.get("useDefault"):
        notes.append(
            f"{shown}: [extend] useDefault is ignored: gitleaks' built-in rules are not loaded "
            "(SEC001's own detectors cover the providers' token formats)"
        )
    if "url" in extend:
        notes.append(f"{shown}: [extend] url is ignored: only files of this repository are read")
    if extend.get("path") and depth < MAX_EXTEND_DEPTH:
        base_path = _inside(repo, reader.string(extend, "path", "extend.path"), shown)
        rules, allowlists = _load(repo, base_path, base_path.relative_to(repo).as_posix(), depth + 1, notes)
        for disabled in reader.strings(extend, "disabledRules", "extend.disabledRules"):
            rules.pop(disabled, None)
    targeted: dict[str, list[Allowlist]] = {}
    for i, table in enumerate(reader.tables(data, "allowlists") + _legacy(reader, data, "allowlist")):
        key = f"allowlists[{i}]"
        allowlist = reader.allowlist(table, key)
        targets = reader.strings(table, "targetRules", f"{key}.targetRules")
        for target in targets:
            targeted.setdefault(target, []).append(allowlist)
        if not targets:
            allowlists.append(allowlist)
    own: dict[str, Rule] = {}
    for i, table in enumerate(reader.tables(data, "rules")):
        rule = reader.rule(table, i, notes)
        if rule is None:
            continue
        if rule.id in own:
            raise DroidError(f"{shown}: rules[{i}].id: '{rule.id}' is used by another rule; rule ids must be unique")
        own[rule.id] = rule
    for rule_id, rule in own.items():
        rules[rule_id] = _merged(rules[rule_id], rule) if rule_id in rules else rule
    for rule_id, extra in targeted.items():
        if rule_id not in rules:
            raise DroidError(f"{shown}: allowlists.targetRules: no rule has the id '{rule_id}'")
        rules[rule_id] = Rule(**{**rules[rule_id].__dict__, "allowlists": rules[rule_id].allowlists + tuple(extra)})
    return rules, allowlists


def _merged(base: Rule, over: Rule) -> Rule:
    """gitleaks' extend: the extending file's non-empty fields win; keywords and allowlists add up."""
    return Rule(
        id=base.id,
        description=over.description or base.description,
        regex=over.regex or base.regex,
        path=over.path or base.path,
        secret_group=over.secret_group or base.secret_group,
        entropy=over.entropy or base.entropy,
        keywords=base.keywords + over.keywords,
        allowlists=base.allowlists + over.allowlists,
    )


def _read(path: Path, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise DroidError(f"{shown}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise DroidError(f"{shown}: not a gitleaks configuration: the file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise DroidError(f"{shown}: not valid TOML: {exc}") from None


def _inside(repo: Path, relative: str, shown: str) -> Path:
    target = (repo / relative).resolve()
    if not target.is_relative_to(repo.resolve()) or not target.is_file():
        raise DroidError(f"{shown}: extend.path: '{relative}' is not a file of this repository")
    return target


def _legacy(reader: _Reader, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [reader.table(data, key)] if key in data else []


class _Reader:
    """Typed access to the parsed TOML; every error names the file and the key."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def fail(self, key: str, expected: str) -> DroidError:
        return DroidError(f"{self.shown}: {key}: expected {expected}")

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "a table")
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "an array of tables ([[" + key + "]])")
        return value

    def string(self, data: dict[str, Any], key: str, shown: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise self.fail(shown, "a string")
        return value

    def strings(self, data: dict[str, Any], key: str, shown: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(shown, "an array of strings")
        return tuple(value)

    def regex(self, data: dict[str, Any], key: str, shown: str) -> str | None:
        from droids.security_compliance.secrets.gitleaks_rules import check_pattern

        source = self.string(data, key, shown)
        if not source:
            return None
        problem = check_pattern(source)
        if problem:
            raise DroidError(f"{self.shown}: {shown}: {problem}")
        return source

    def allowlist(self, table: dict[str, Any], key: str) -> Allowlist:
        condition = self.string(table, "condition", f"{key}.condition").upper() or "OR"
        condition = {"&&": "AND", "||": "OR"}.get(condition, condition)
        if condition not in ("AND", "OR"):
            raise self.fail(f"{key}.condition", "'OR' or 'AND'")
        target = self.string(table, "regexTarget", f"{key}.regexTarget") or "secret"
        if target not in ("secret", "match", "line"):
            raise self.fail(f"{key}.regexTarget", "'secret', 'match' or 'line'")
        stopwords = "stopWords" if "stopWords" in table else "stopwords"  # gitleaks reads either spelling
        allowlist = Allowlist(
            condition=condition,
            paths=tuple(self._regexes(table, "paths", f"{key}.paths")),
            regexes=tuple(self._regexes(table, "regexes", f"{key}.regexes")),
            regex_target=target,
            stopwords=tuple(w.lower() for w in self.strings(table, stopwords, f"{key}.stopwords")),
            commits=self.strings(table, "commits", f"{key}.commits"),
        )
        if not (allowlist.paths or allowlist.regexes or allowlist.stopwords or allowlist.commits):
            raise self.fail(key, "at least one of commits, paths, regexes or stopwords")
        return allowlist

    def _regexes(self, table: dict[str, Any], key: str, shown: str) -> list[str]:
        from droids.security_compliance.secrets.gitleaks_rules import check_pattern

        sources = list(self.strings(table, key, shown))
        for i, source in enumerate(sources):
            problem = check_pattern(source)
            if problem:
                raise DroidError(f"{self.shown}: {shown}[{i}]: {problem}")
        return sources

    def rule(self, table: dict[str, Any], i: int, notes: list[str]) -> Rule | None:
        rule_id = self.string(table, "id", f"rules[{i}].id").strip()
        if not rule_id:
            raise self.fail(f"rules[{i}].id", "a non-empty rule id")
        key = f"rules[{i}] ({rule_id})"
        if table.get("required") or table.get("skipReport"):
            notes.append(
                f"{self.shown}: {key} is a composite rule ([[rules.required]] / skipReport), not supported: skipped"
            )
            return None
        regex = self.regex(table, "regex", f"{key}.regex")
        path = self.regex(table, "path", f"{key}.path")
        if regex is None and path is None:
            raise self.fail(key, "a regex or a path (the rule would match nothing)")
        group = table.get("secretGroup", 0)
        if not isinstance(group, int) or isinstance(group, bool) or group < 0:
            raise self.fail(f"{key}.secretGroup", "a whole number >= 0")
        if regex is not None:
            from droids.security_compliance.secrets.gitleaks_rules import group_count

            if group > group_count(regex):
                raise self.fail(f"{key}.secretGroup", f"at most {group_count(regex)}, the regex's number of groups")
        entropy = table.get("entropy", 0)
        if not isinstance(entropy, int | float) or isinstance(entropy, bool) or entropy < 0:
            raise self.fail(f"{key}.entropy", "a number >= 0")
        tables = self.tables(table, "allowlists") + _legacy(self, table, "allowlist")
        return Rule(
            id=rule_id,
            description=self.string(table, "description", f"{key}.description"),
            regex=regex,
            path=path,
            secret_group=group,
            entropy=float(entropy),
            keywords=tuple(k.lower() for k in self.strings(table, "keywords", f"{key}.keywords")),
            allowlists=tuple(self.allowlist(t, f"{key}.allowlists[{j}]") for j, t in enumerate(tables)),
        )
