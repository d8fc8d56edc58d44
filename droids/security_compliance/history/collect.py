"""Scan a list of commits: each new blob once, and in it only the lines its commit added.

Three stages, each narrowing what the next one reads, all with SEC001's engine:

1. every distinct added line goes through SEC001's line prefilter (`candidates.py`), in batches;
2. a file diff with a candidate line is scanned by the engine as a small excerpt: its candidate
   lines with up to `CONTEXT` added neighbours each (config files skip this stage: their
   transformers need the whole file);
3. a blob whose excerpt reported something is scanned whole, as SEC001 scans a file, so the
   allowlist pragmas, context filters and YAML/INI readings decide as they would at HEAD; only
   what it reports on the lines its commit added is kept.

A blob is identified by (blob id, path): the path decides which filters and transformers apply.
One seen before (in this run or, through `known`, an earlier one) is not scanned again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core.workspace import is_binary
from droids.security_compliance.history.gitlog import Commit, FileDiff, stream_diffs
from droids.security_compliance.history.objects import blob_sizes, read_blobs

if TYPE_CHECKING:
    from droids.security_compliance.history.candidates import CandidateFilter

CONTEXT = 3  # added lines kept around a candidate in a stage-2 excerpt (pragmas on the line above)
BATCH_CHARS = 4_000_000  # distinct added text per prefilter call: big enough to amortise its setup
_CONFIG_TYPES = frozenset({"YAML", "INI", "CONFIG", "PROPERTIES", "TOML"})

BlobKey = tuple[str, str]  # (blob id, path)


@dataclass(frozen=True, slots=True)
class HitRow:
    """One detector's match on an added line of a blob. Hashes and redacted evidence only."""

    blob: str
    path: str
    line: int
    secret_type: str
    hashed: str  # detect-secrets' SHA-1 of the value (what .secrets.baseline lists)
    group: str  # the SHA-1 of the widest value on the line: one secret, several detectors
    evidence: str
    line_hash: str  # length and SHA-256 of the whole line, to find the same line in the HEAD tree


@dataclass(frozen=True, slots=True)
class DiffRow:
    """A commit that added lines to (blob, path)."""

    blob: str
    path: str
    commit: str
    ts: int
    email: str
    date: str


@dataclass
class Collected:
    commits: int = 0
    diffs: list[DiffRow] = field(default_factory=list)
    scanned: set[BlobKey] = field(default_factory=set)
    hits: list[HitRow] = field(default_factory=list)
    lines_added: int = 0
    bytes_added: int = 0
    distinct_lines: int = 0
    candidate_lines: int = 0
    excerpts: int = 0
    blobs_read: int = 0
    binary: list[str] = field(default_factory=list)
    oversized: list[str] = field(default_factory=list)
    long_lines: int = 0
    lossy: list[str] = field(default_factory=list)


def line_hash(line: bytes) -> str:
    """`<length>:<SHA-256>` of the right-stripped line: the length lets a search skip most lines unhashed."""
    text = line.rstrip()
    return f"{len(text)}:{hashlib.sha256(text).hexdigest()}"


class Collector:
    def __init__(self, repo: Path, known: Container[BlobKey], max_bytes: int) -> None:
        self.repo = repo
        self.known = known
        self.max_bytes = max_bytes
        self.out = Collected()
        self._filter: CandidateFilter | None = None  # built on first use: it imports detect-secrets
        self._status: dict[str, bool] = {}  # distinct line -> candidate?
        self._pending_lines: list[str] = []
        self._pending_chars = 0
        self._pending_diffs: list[tuple[FileDiff, list[str]]] = []
        self._whole: dict[BlobKey, set[int] | None] = {}  # stage 3: blob -> added lines (None: all)

    def run(self, commits: Iterable[str]) -> Collected:
        for item in stream_diffs(self.repo, commits):
            if isinstance(item, Commit):
                self.out.commits += 1
            else:
                self._take(item)
        self._confirm()
        self._scan_whole()
        return self.out

    def _take(self, diff: FileDiff) -> None:
        key = (diff.blob, diff.path)
        c = diff.commit
        self.out.diffs.append(DiffRow(diff.blob, diff.path, c.sha, c.ts, c.email, c.date))
        if key in self.known or key in self.out.scanned:
            return
        self.out.scanned.add(key)
        if diff.binary:
            self._whole[key] = None
            return
        size = sum(len(line) + 1 for _, line in diff.added)
        self.out.lines_added += len(diff.added)
        self.out.bytes_added += size
        if size > self.max_bytes:
            self.out.oversized.append(diff.path)
            return
        texts = [line.decode("utf-8", "replace").replace("\r", " ").rstrip() for _, line in diff.added]
        status = self._status
        for text in texts:
            if text not in status:
                status[text] = False
                self._pending_lines.append(text)
                self._pending_chars += len(text)
        self._pending_diffs.append((diff, texts))
        if self._pending_chars >= BATCH_CHARS:
            self._confirm()

    def _confirm(self) -> None:
        lines = self._pending_lines
        if not lines and not self._pending_diffs:
            return
        if self._filter is None:
            from droids.security_compliance.history.candidates import CandidateFilter
            from droids.security_compliance.secrets.runner import shared_engine

            self._filter = CandidateFilter(shared_engine())
        self.out.distinct_lines += len(lines)
        for index in self._filter.confirm(lines):
            self._status[lines[index]] = True
        self._pending_lines, self._pending_chars = [], 0
        diffs, self._pending_diffs = self._pending_diffs, []
        for diff, texts in diffs:
            marks = [i for i, text in enumerate(texts) if self._status[text]]
            if marks:
                self.out.candidate_lines += len(marks)
                self._excerpt(diff, texts, marks)

    def _excerpt(self, diff: FileDiff, texts: list[str], marks: list[int]) -> None:
        from detect_secrets.util.filetype import determine_file_type

        from droids.security_compliance.secrets.runner import scan_content

        added = {n for n, _ in diff.added}
        if determine_file_type(diff.path).name in _CONFIG_TYPES:
            self._whole[(diff.blob, diff.path)] = added
            return
        keep: set[int] = set()
        numbers = [n for n, _ in diff.added]
        for i in marks:  # neighbours only while the added lines are consecutive in the blob
            lo = hi = i
            while lo > 0 and i - lo < CONTEXT and numbers[lo - 1] == numbers[lo] - 1:
                lo -= 1
            while hi + 1 < len(numbers) and hi - i < CONTEXT and numbers[hi + 1] == numbers[hi] + 1:
                hi += 1
            keep.update(range(lo, hi + 1))
        excerpt: list[str] = []
        previous = -2
        for i in sorted(keep):
            if excerpt and (i != previous + 1 or numbers[i] != numbers[previous] + 1):
                excerpt.append("")  # a gap: the next line is not the one below in the blob
            excerpt.append(texts[i])
            previous = i
        self.out.excerpts += 1
        if scan_content(diff.path, "\n".join(excerpt).encode("utf-8", "surrogatepass")).hits:
            self._whole[(diff.blob, diff.path)] = added

    def _scan_whole(self) -> None:
        from droids.security_compliance.secrets.runner import scan_content

        sizes = blob_sizes(self.repo, (blob for blob, _ in self._whole))
        wanted: list[BlobKey] = []
        for key in self._whole:
            if key[0] not in sizes:
                continue
            if sizes[key[0]] > self.max_bytes:
                self.out.oversized.append(key[1])
            else:
                wanted.append(key)
        contents = read_blobs(self.repo, (blob for blob, _ in wanted))
        for key in wanted:
            content = contents.get(key[0])
            if content is None:
                continue
            if is_binary(content):
                self.out.binary.append(key[1])
                continue
            self.out.blobs_read += 1
            scan = scan_content(key[1], content)
            self.out.long_lines += scan.long_lines
            if scan.lossy:
                self.out.lossy.append(key[1])
            added = self._whole[key]
            lines = content.split(b"\n")
            for hit in scan.hits:
                if added is None or hit.line in added:
                    text = lines[hit.line - 1] if hit.line <= len(lines) else b""
                    self.out.hits.append(
                        HitRow(
                            key[0],
                            key[1],
                            hit.line,
                            hit.secret_type,
                            hit.hashed_secret,
                            hit.group,
                            hit.evidence,
                            line_hash(text),
                        )
                    )


def collect(repo: Path, commits: Iterable[str], known: Container[BlobKey], max_bytes: int) -> Collected:
    return Collector(repo, known, max_bytes).run(commits)
