"""SEC001's engine: detect-secrets' plugins and filters applied to one file's text, in linear time.

It reproduces `detect_secrets.core.scan.scan_file` with the default settings (every plugin, the
default filters, the YAML/INI transformers and the eager second pass) plus SEC001's own plugins
(`plugins/`, loaded as detect-secrets loads custom plugins), through detect-secrets' Python API,
with three changes that bound the work by the size of the input:

- `LinePrefilter` hands a line only to the plugins that could report on it;
- `is_indirect_reference` is replaced by its linear-time twin (`indirect_reference.py`);
- a line longer than `LONG_LINE` characters is scanned as overlapping windows of `LONG_LINE`
  characters, so no regex ever runs on more than that; a secret of up to `LONG_LINE - WINDOW_STEP`
  characters lies whole in one window. Filters that read the line see the window.

With SEC001's own filters on, a plugin may also name detect-secrets filters that do not fit its
values (`FieldDetector.exempt_filters`): the Twelve Data, webhook and broker detectors only match
literal values of their own format, so the indirect-reference heuristic (`x = f(...)` on the line)
does not apply to them, and a Tradovate `sec` is a UUID by design. They also read the file's
own lines around a hit, where detect-secrets hands plugins its YAML/INI reading (which blanks
parent keys, sections and numbers). Without own filters the engine is exactly detect-secrets run
with those plugins (`detect-secrets scan -p FILE`).

It does not read files: the caller passes the path (for the path-based filters and the keyword
rules that depend on the file type) and the decoded text. Secret values never leave this module:
a `Hit` carries the SHA-1 detect-secrets uses (`hashed_secret`) and a redacted prefix.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from droids.security_compliance.secrets.gitleaks_config import CustomRules

LONG_LINE = 4096
ABOVE = 50  # lines above a value that SEC001's filters may read (the block a digest list opens)
WINDOW_STEP = 3072
_INDIRECT_FILTER = "detect_secrets.filters.heuristic.is_indirect_reference"
_PRAGMA_FILTER = "detect_secrets.filters.allowlist.is_line_allowlisted"
_SKIPPED_FILTERS = {"detect_secrets.filters.common.is_invalid_file"}  # reads the disk; we have the text


@dataclass(frozen=True)
class Hit:
    """One detector's match on one line.

    `hashed_secret` is detect-secrets' SHA-1 of the value it reports (what `.secrets.baseline`
    lists). Detectors can report different values for one secret (the GitHub detector reports
    only the `ghp` prefix, the entropy detector the whole token), so `group` is the hash of the
    longest value on the line that contains this one, and `evidence` redacts that value.
    """

    line: int  # 1-based; 0 for a finding about the whole file (a gitleaks rule on paths)
    secret_type: str
    hashed_secret: str
    evidence: str
    group: str
    subrule: str | None = None  # the id of the repository's gitleaks rule that found it


@dataclass
class FileScan:
    hits: list[Hit]
    filtered_by: str | None = None  # the detect-secrets file filter that excluded the file
    long_lines: int = 0  # lines scanned as windows
    lossy: bool = False  # the bytes were not UTF-8 and were decoded with replacement characters


def redact(secret: str) -> str:
    """At most the first 4 characters, and fewer for short values, followed by `****`."""
    return secret[: min(4, len(secret) // 4)] + "****"


class _NamedText(io.StringIO):
    """What detect-secrets' transformers expect: a text file object with a `name`."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text, newline="\n")
        self.name = name


class SecretEngine:
    """Holds detect-secrets' plugins and filters (default settings); `scan` is pure per file.

    `own_filters=False` leaves out SEC001's extra false-positive filters (`false_positives.py`),
    its plugins' filter exemptions and their raw-line context, which makes the findings exactly
    detect-secrets' with SEC001's plugins loaded (the equivalence tests use that).
    """

    def __init__(self, own_filters: bool = True) -> None:
        from detect_secrets.core.potential_secret import PotentialSecret
        from detect_secrets.settings import default_settings, get_filters, get_plugins
        from detect_secrets.transformers import get_transformed_file
        from detect_secrets.util.code_snippet import get_code_snippet

        from droids.security_compliance.secrets import context, false_positives, indirect_reference
        from droids.security_compliance.secrets.plugins import plugin_classes
        from droids.security_compliance.secrets.prefilter import LinePrefilter

        own_plugins = [cls() for cls in plugin_classes()]
        own_types = {p.secret_type for p in own_plugins}
        with default_settings():
            # detect-secrets' defaults are every plugin class it has loaded, which includes ours
            # when something in this process loaded them from their files (`scan -p`): once only.
            self.plugins = (*(p for p in get_plugins() if p.secret_type not in own_types), *own_plugins)
            filters = [
                _Filter(f.path, f, frozenset(f.injectable_variables))
                for f in get_filters()
                if f.path not in _SKIPPED_FILTERS
            ]
        self._hash = PotentialSecret.hash_secret
        self._transform = get_transformed_file
        self._snippet = get_code_snippet
        # Public: SEC002's history scan confirms candidate lines with the same prefilter.
        self.prefilter = LinePrefilter(self.plugins)
        self._own = false_positives if own_filters else None
        self._judged = context.judged
        self._context = context
        linear = _Filter(_INDIRECT_FILTER, indirect_reference.is_indirect_reference, frozenset({"line"}))
        filters = [linear if f.path == _INDIRECT_FILTER else f for f in filters]
        # The same groups, in the same order, as detect_secrets.core.scan picks them.
        self._file_filters = [f for f in filters if f.params == {"filename"}]
        self._line_filters = [f for f in filters if "line" in f.params]
        self._pragma_filters = [f for f in self._line_filters if f.path == _PRAGMA_FILTER]
        secret_filters = [f for f in filters if "secret" in f.params]
        context_filters = [f for f in filters if "context" in f.params and f not in self._line_filters]
        line_paths = frozenset(f.path for f in self._line_filters)
        self._runs = tuple(
            _PluginRun.of(i, p, secret_filters, context_filters, line_paths, own_filters)
            for i, p in enumerate(self.plugins)
        )
        self._exemptable = frozenset().union(*(run.exempt_lines for run in self._runs))

    def scan(self, path: str, text: str, custom: CustomRules | None = None) -> FileScan:
        """Secrets in `text` (newlines already `\\n`), as `detect-secrets scan` reports them for `path`,
        plus what the repository's own gitleaks rules (`custom`) find."""
        for file_filter in self._file_filters:
            if file_filter.fn(filename=path):
                return FileScan([], filtered_by=file_filter.path.rsplit(".", 1)[-1])
        if self._own and self._own.is_extra_lock_file(path):
            return FileScan([], filtered_by="is_lock_file")
        raw = _raw_lines(text)
        first = self._transform(_NamedText(text, path))
        split = bool(self._own)  # SEC001's own plugins read the file's own lines, not a transformer's
        if first and split:
            found, long_lines = self._scan_lines(path, first, raw, mine=False)
            found |= self._scan_lines(path, raw, raw, mine=True)[0]
        else:
            found, long_lines = self._scan_lines(path, first or raw, raw)
        if not found:
            # detect-secrets' second chance: eager transformers (an INI reading of any file);
            # SEC001 reads every env file so, `.env.example` included (detect-secrets skips it).
            eager = self._transform(_NamedText(text, path), use_eager_transformers=True)
            if not eager and self._own and self._own.is_env_file(path):
                eager = self._own.env_lines(raw)
            if eager:
                found, _ = self._scan_lines(path, eager, raw)
        if self._own and (test_from := self._context.test_code_start(path, raw)):
            found = {(n, self._context.in_test_code(kind) if n > test_from else kind, v) for n, kind, v in found}
        subrules: dict[str, str] = {}
        if custom is not None and custom.rules:
            found |= self._custom(custom, path, text, raw, subrules)
        return FileScan(self._hits(found, subrules), long_lines=long_lines)

    def _custom(
        self, custom: CustomRules, path: str, text: str, raw: list[str], subrules: dict[str, str]
    ) -> set[tuple[int, str, str]]:
        """What the repository's gitleaks rules find, on lines no allowlist pragma accepts."""
        from droids.security_compliance.secrets import gitleaks_rules

        found = set()
        for match in gitleaks_rules.scan(custom, path, text):
            if match.line:
                line = raw[match.line - 1] if match.line <= len(raw) else ""
                context = self._snippet(lines=raw, line_number=match.line)
                if self._filtered(self._pragma_filters, filename=path, line=line, context=context):
                    continue
            subrules[match.rule.secret_type] = match.rule.id
            found.add((match.line, match.rule.secret_type, match.secret))
        return found

    def _hits(self, found: set[tuple[int, str, str]], subrules: dict[str, str] | None = None) -> list[Hit]:
        by_line: dict[int, set[str]] = {}
        for line, _kind, secret in found:
            by_line.setdefault(line, set()).add(secret)
        subrules = subrules or {}
        hits = []
        for line, kind, secret in sorted(found):
            widest = max((v for v in by_line[line] if secret in v), key=lambda v: (len(v), v))
            evidence = redact(widest) if line else "(the file itself)"
            hits.append(Hit(line, kind, self._hash(secret), evidence, self._hash(widest), subrules.get(kind)))
        return hits

    def _scan_lines(
        self, path: str, lines: list[str], raw: list[str], mine: bool | None = None
    ) -> tuple[set[tuple[int, str, str]], int]:
        """`lines` as a transformer rendered them (or `raw`); transformers keep each line's index.
        `mine`: only SEC001's own plugins (True), only detect-secrets' (False), or all (None)."""
        stripped = [line.rstrip() for line in lines]
        owners: list[int] = []  # line index of each segment
        segments: list[str] = []
        long_lines = 0
        for index, line in enumerate(stripped):
            if len(line) <= LONG_LINE:
                owners.append(index)
                segments.append(line)
                continue
            long_lines += 1
            starts = [*range(0, len(line) - LONG_LINE, WINDOW_STEP), len(line) - LONG_LINE]
            owners.extend([index] * len(starts))
            segments.extend(line[s : s + LONG_LINE] for s in starts)
        found: set[tuple[int, str, str]] = set()
        runs_for: dict[int, tuple[_PluginRun, ...]] = {}  # line index -> the plugins its line filters let run
        by_segment = self.prefilter.plugins_for(segments)
        for seg in sorted(by_segment):
            index = owners[seg]
            context = self._snippet(lines=lines, line_number=index + 1)
            if index not in runs_for:
                runs_for[index] = self._runs_for_line(path, stripped[index], context)
            runs = tuple(
                run
                for run in runs_for[index]
                if run.position in by_segment[seg] and (mine is None or run.own_plugin is mine)
            )
            if not runs:
                continue
            # SEC001's own detectors read the file's own lines around a hit: a transformer
            # blanks YAML parents (`tradovate:`), INI sections and non-string values.
            own_context = context
            if lines is not raw and len(lines) == len(raw) and any(run.own_plugin for run in runs):
                own_context = self._snippet(lines=raw, line_number=index + 1)
            # What a value's context is judged by: the file's own lines above it (a transformer
            # blanks YAML parents such as `credentials:`).
            above = (
                raw[max(0, index - ABOVE) : index] if len(lines) == len(raw) else context.lines[: context.target_index]
            )
            found.update(self._scan_segment(path, segments[seg], index + 1, (context, own_context), runs, above))
        return found, long_lines

    def _runs_for_line(self, path: str, line: str, context: Any) -> tuple[_PluginRun, ...]:
        """All plugins when no line filter drops the line; none when one does, except the plugins
        exempt from every filter that dropped it."""
        fired: set[str] = set()
        for line_filter in self._line_filters:
            if self._filtered([line_filter], filename=path, line=line, context=context):
                if line_filter.path not in self._exemptable:
                    return ()
                fired.add(line_filter.path)
        if not fired:
            return self._runs
        return tuple(run for run in self._runs if fired <= run.exempt_lines)

    def _scan_segment(
        self,
        path: str,
        line: str,
        number: int,
        contexts: tuple[Any, Any],
        runs: tuple[_PluginRun, ...],
        above: list[str],
    ) -> set[tuple[int, str, str]]:
        """`contexts`: detect-secrets' snippet (of the transformed lines) and the one for own plugins."""
        found = set()
        own = self._own
        context = contexts[0]
        for run in runs:
            plugin = run.plugin
            seen = contexts[1] if run.own_plugin else context
            for secret in plugin.analyze_line(filename=path, line=line, line_number=number, context=seen):
                value = secret.secret_value
                args = {"filename": path, "secret": value, "plugin": plugin, "line": line}
                if self._filtered(run.secret_filters, **args):
                    continue
                if self._filtered(run.context_filters, context=context, **args):
                    continue
                kind = secret.type
                if own:
                    if (
                        self._own_filtered(own, kind, value, line, context, above)
                        or own.is_plain_example_value(kind, value, path)
                        or (not run.own_plugin and own.is_placeholder_token(kind, value, line))
                    ):
                        continue
                    kind = self._judged(kind, value, path, line, above)
                found.add((number, kind, value))
        return found

    @staticmethod
    def _own_filtered(own: Any, kind: str, value: str, line: str, context: Any, above: list[str]) -> bool:
        return bool(
            own.is_superseded(kind)
            or own.is_documented_example(kind, value)
            or own.is_elided_private_key(kind, line, context.lines[context.target_index + 1 :])
            or own.is_placeholder(kind, value)
            or own.is_default_login(kind, value, line)
            or own.is_in_template_expression(kind, value, line)
            or own.is_about_the_secret(kind, value, line)
            or own.is_code(kind, value, line)
            or own.is_identifier(kind, value, line)
            or own.is_labelled_digest(kind, value, line, above)
        )

    @staticmethod
    def _filtered(filters: list[_Filter], **kwargs: Any) -> bool:
        for f in filters:
            try:
                if f.fn(**{k: v for k, v in kwargs.items() if k in f.params}):
                    return True
            except TypeError:  # as detect-secrets does: a filter wanting more than we have is skipped
                continue
        return False


@dataclass(frozen=True)
class _Filter:
    """A detect-secrets filter with the argument names it takes (its "injectable variables")."""

    path: str
    fn: Callable[..., bool]
    params: frozenset[str]


@dataclass(frozen=True)
class _PluginRun:
    """A plugin with the secret and context filters that judge its values, and the line filters it
    is exempt from (only with SEC001's own filters on)."""

    position: int  # in `SecretEngine.plugins`, as the prefilter names plugins
    plugin: Any
    secret_filters: list[_Filter]
    context_filters: list[_Filter]
    exempt_lines: frozenset[str]
    own_plugin: bool  # one of SEC001's plugins, with SEC001's own filters on

    @classmethod
    def of(
        cls,
        position: int,
        plugin: Any,
        secret: list[_Filter],
        context: list[_Filter],
        line_paths: frozenset[str],
        own: bool,
    ) -> _PluginRun:
        mine = own and hasattr(plugin, "exempt_filters")
        exempt = frozenset(plugin.exempt_filters) if mine else frozenset()
        return cls(
            position,
            plugin,
            [f for f in secret if f.path not in exempt],
            [f for f in context if f.path not in exempt],
            exempt & line_paths,
            mine,
        )


def _raw_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
