"""Which lines are worth handing to detect-secrets' plugins at all.

detect-secrets runs ~25 plugins and their filters on every line; most lines match none of them.
For each plugin this module keeps "probes": regexes such that a line the plugin reports on always
matches one of them (the plugin's own patterns, or a looser pattern when the plugin is not a plain
regex). A line is confirmed when a probe matches it. To avoid even that per-line work, each probe
carries its required literals (see `literals.py`) and a substring search over the whole text picks
the lines a probe can match. A plugin of a kind not known here gets no probe, and then every line
is confirmed: the shortcut is only taken where it is provably exact.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from droids.security_compliance.secrets import fast_search
from droids.security_compliance.secrets.joined_search import matches_alike_in_joined_lines
from droids.security_compliance.secrets.literals import Requirement, fold_case, parse, required_literals


@dataclass(frozen=True)
class Probe:
    """A regex some plugin's reports all match, and the cheapest sound way to find its lines."""

    regex: re.Pattern[str]
    requirement: Requirement | None  # literals every match contains
    joined: re.Pattern[str] | None  # the regex for a search over all lines at once, when sound
    joined_re2: Any = None  # the same search as an RE2 program, when RE2 finds the same lines

    @cached_property
    def by_literals(self) -> bool:
        """Literal search, unless its literals are single characters and the joined text can be
        searched instead (one-character literals occur on most lines)."""
        req = self.requirement
        return req is not None and (req.shortest >= 2 or self.joined is None)


def probes_for(plugin: object) -> tuple[Probe, ...] | None:
    """A plugin's probes, or None when its kind is unknown (then no line may be skipped)."""
    from detect_secrets.plugins.base import BasePlugin, RegexBasedDetector
    from detect_secrets.plugins.high_entropy_strings import HexHighEntropyString, HighEntropyStringsPlugin
    from detect_secrets.plugins.jwt import JwtTokenDetector
    from detect_secrets.plugins.keyword import DENYLIST_REGEX, KeywordDetector

    from droids.security_compliance.secrets.plugins.base import FieldDetector

    kind = type(plugin)
    if isinstance(plugin, FieldDetector):
        # Every value is the `secret` group of a match of a denylist regex (`patterns_for` picks a
        # subset); `keep` only drops values. Overriding how lines are read voids that.
        field_methods = ("analyze_line", "analyze_string", "values", "patterns_for")
        if all(getattr(kind, m) is getattr(FieldDetector, m) for m in field_methods):
            return tuple(_probe(r) for r in plugin.denylist)
        return None
    if isinstance(plugin, RegexBasedDetector) and kind.analyze_line is BasePlugin.analyze_line:
        # Every value comes from `regex.findall` over the denylist (JWT only drops some of them).
        if kind.analyze_string is RegexBasedDetector.analyze_string or kind is JwtTokenDetector:
            return tuple(_probe(r) for r in plugin.denylist)
        return None
    if kind is KeywordDetector:
        # Every keyword regex starts with the denylisted word, matched ignoring case.
        return (_probe(re.compile(DENYLIST_REGEX, re.IGNORECASE)),)
    if (
        isinstance(plugin, HighEntropyStringsPlugin)
        and kind.analyze_line is HighEntropyStringsPlugin.analyze_line
        and kind.analyze_string is HighEntropyStringsPlugin.analyze_string
    ):
        # A quoted run of the charset whose entropy exceeds the limit. Shannon entropy of n
        # characters is at most log2(n), so the run has more than 2**limit characters (the hex
        # plugin only lowers the figure for all-digit strings).
        known = (HighEntropyStringsPlugin.calculate_shannon_entropy, HexHighEntropyString.calculate_shannon_entropy)
        shortest = max(1, math.floor(2**plugin.entropy_limit)) if kind.calculate_shannon_entropy in known else 1
        charset = re.escape(plugin.charset)
        return (_probe(re.compile(f"['\"][{charset}]{{{shortest},}}['\"]")),)
    return None


def _probe(regex: re.Pattern[str]) -> Probe:
    parsed = parse(regex)
    requirement = required_literals(regex, parsed) if parsed is not None else None
    joined = joined_re2 = None
    if (requirement is None or requirement.shortest < 2) and matches_alike_in_joined_lines(regex, parsed):
        joined = re.compile(regex.pattern, regex.flags | re.MULTILINE)  # compiled only where it is used
        joined_re2 = fast_search.line_regex(regex.pattern, regex.flags, parsed)
    return Probe(regex, requirement, joined, joined_re2)


class LinePrefilter:
    """Confirms the segments (lines or windows of long lines) that some plugin could report on,
    and says which plugins (by their position in the list given) could."""

    def __init__(self, plugins: Iterable[object]) -> None:
        probes: list[Probe] = []
        owners: list[int] = []  # per probe, the position of its plugin
        self.plugin_count = 0
        self.exhaustive = False  # True when some plugin has no probes: every segment is confirmed
        for position, plugin in enumerate(plugins):
            self.plugin_count += 1
            found = probes_for(plugin)
            if found is None:
                self.exhaustive = True
            else:
                probes.extend(found)
                owners.extend([position] * len(found))
        self.probes = tuple(probes)
        self.owners = tuple(owners)
        self._needs_folding = any(p.requirement and p.requirement.folded for p in self.probes)
        # One RE2 search per case for the literals the probes search first.
        self._searches: dict[bool, fast_search.LiteralSearch] = {}
        firsts: dict[bool, set[str]] = {}
        for probe in self.probes:
            if probe.by_literals and probe.requirement is not None:
                firsts.setdefault(probe.requirement.folded, set()).update(probe.requirement.all_of[0])
        if fast_search.available():
            self._searches = {folded: fast_search.LiteralSearch(lits) for folded, lits in firsts.items()}

    def confirm(self, segments: Sequence[str]) -> list[int]:
        """Indices of the segments on which at least one probe matches, in order."""
        return sorted(self.plugins_for(segments))

    def plugins_for(self, segments: Sequence[str]) -> dict[int, set[int]]:
        """Segment index -> positions of the plugins with a probe matching it. A plugin reports
        only on segments its probes match, so the others need not run there."""
        if self.exhaustive:
            every = set(range(self.plugin_count))
            return {i: every for i in range(len(segments))}
        candidates = self._by_literals(segments)
        found: dict[int, set[int]] = {}
        for probe, owner, indices in zip(self.probes, self.owners, candidates, strict=True):
            search = probe.regex.search
            for i in range(len(segments)) if indices is None else indices:
                plugins = found.get(i)
                if (plugins is None or owner not in plugins) and search(segments[i]):
                    found.setdefault(i, set()).add(owner)
        return found

    def _by_literals(self, segments: Sequence[str]) -> list[Iterable[int] | None]:
        """Per probe, the segments holding one of its literals (None: every segment)."""
        if any("\n" in s for s in segments):  # a transformed value spanning lines: no shortcut
            return [None] * len(self.probes)
        text = "\n".join(segments)
        texts = {False: _Indexed(text)}
        if self._needs_folding:
            texts[True] = _Indexed(fold_case(text))
        folded_lines: dict[int, str] = {}

        def line(i: int, folded: bool) -> str:
            """Line `i` as the literals are written: `fold_case` keeps the line breaks."""
            if not folded:
                return segments[i]
            if i not in folded_lines:
                folded_lines[i] = fold_case(segments[i])
            return folded_lines[i]

        result: list[Iterable[int] | None] = []
        searched: dict[tuple[bool, frozenset[str]], set[int]] = {}  # probes often share literals
        occurrences = {folded: search.lines(texts[folded].text) for folded, search in self._searches.items()}
        for probe in self.probes:
            req = probe.requirement
            hits: set[int] = set()
            if probe.by_literals and req is not None:
                first, *others = req.all_of  # the most selective set is searched in the text
                key = (req.folded, first)
                if key not in searched:
                    if req.folded in occurrences:
                        where = occurrences[req.folded]
                        searched[key] = set().union(*(where.get(literal, ()) for literal in first))
                    else:
                        found = texts[req.folded].lines_containing
                        searched[key] = {i for literal in first for i in found(literal)}
                hits = searched[key]
                for literals in others:  # the others are checked on those lines only
                    hits = {i for i in hits if any(lit in line(i, req.folded) for lit in literals)}
            elif probe.joined_re2 is not None:
                hits.update(fast_search.lines_matching(probe.joined_re2, text))
            elif probe.joined is not None:
                hits.update(texts[False].lines_matching(probe.joined))
            else:
                result.append(None)
                continue
            result.append(sorted(hits))
        return result


class _Indexed:
    """A text and where its lines start, to turn substring hits into line indices."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    def lines_containing(self, literal: str) -> Iterator[int]:
        find = self.text.find
        pos = find(literal)
        while pos != -1:
            line, nxt = self._line_at(pos)
            yield line
            pos = find(literal, nxt)

    def lines_matching(self, regex: re.Pattern[str]) -> Iterator[int]:
        """Lines where a match starts; the search resumes at the next line, so none is missed."""
        search = regex.search
        match = search(self.text)
        while match:
            line, nxt = self._line_at(match.start())
            yield line
            match = search(self.text, nxt) if nxt < len(self.text) else None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        return self._starts

    def _line_at(self, pos: int) -> tuple[int, int]:
        """The index of the line holding `pos`, and where the next line starts."""
        starts = self._line_starts()
        line = bisect.bisect_right(starts, pos) - 1
        nxt = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        return line, nxt
