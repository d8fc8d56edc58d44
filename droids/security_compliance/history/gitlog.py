"""History as one streamed `git log -p`: each commit's added lines, with their line numbers in the new blob.

Why the command line and not GitPython: GitPython runs one `git diff` per commit, or diffs blobs in
Python; one `git log -p` process streams every diff at git's own speed while this process parses
it on the other core (tests/benchmarks/bench_history.py measures both on pytest's history).

The options pin down what user configuration could otherwise change: no colour, pager, external
diff or textconv, `a/` and `b/` prefixes, no context lines (`-U0`, hunks never merged), full blob
ids, rename detection on (a renamed file adds no lines, so a moved secret keeps the commit that
introduced it), submodules ignored, root commits diffed against the empty tree. Merges are shown
as combined diffs (`--cc`): only lines that the merge result has and none of its parents had, the
lines a conflict resolution or an "evil merge" introduced, count as added there.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from droids.core import git
from droids.core.errors import DroidError

LOG_FORMAT = "%x01%H %P%x1f%ae%x1f%aI%x1f%ct"
_CONFIG = ("diff.suppressBlankEmpty=false", "log.showSignature=false", "diff.relative=false")
_OPTIONS = (
    "--no-walk=unsorted",
    "--stdin",
    "-p",
    "-U0",
    "--inter-hunk-context=0",
    "--cc",
    "--root",
    "-M",
    "--full-index",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--ignore-submodules=all",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    f"--format={LOG_FORMAT}",
)
_NO_BLOB = "0" * 40


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    email: str
    date: str  # author date, ISO 8601
    ts: int  # committer time, for "earliest"


@dataclass(slots=True)
class FileDiff:
    """One file of one commit: the new blob, and the lines this commit added to it."""

    commit: Commit
    path: str
    blob: str = ""
    added: list[tuple[int, bytes]] = field(default_factory=list)  # (1-based line in the blob, bytes)
    binary: bool = False  # git printed "Binary files ... differ": no lines to read
    deleted: bool = False


def log_args() -> list[str]:
    return ["log", *_OPTIONS]


def stream_diffs(repo: Path, commits: Iterable[str]) -> Iterator[Commit | FileDiff]:
    """Every commit in `commits` (in that order), each followed by its file diffs that add content."""
    wanted = "".join(f"{sha}\n" for sha in commits).encode()
    if not wanted:  # git log with no revision would show HEAD
        return
    # stderr goes to a file: a pipe nobody reads while stdout streams could fill up and stall git.
    with tempfile.TemporaryFile() as errors:
        proc = git.popen(repo, log_args(), stderr=errors, extra_config=_CONFIG)
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(wanted)  # git reads every revision before it prints anything
            proc.stdin.close()
            yield from parse_log(proc.stdout)
        finally:
            proc.stdout.close()
            proc.wait()
        if proc.returncode != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise DroidError(f"git log: {lines[-1] if lines else f'exit {proc.returncode}'} (in {repo})")


def parse_log(lines: Iterable[bytes]) -> Iterator[Commit | FileDiff]:
    """Parse `git log` output made with `log_command`'s options."""
    commit: Commit | None = None
    diff: FileDiff | None = None
    columns = 1  # prefix characters per hunk line: 1, or the number of parents in a combined diff
    all_added = b"+"
    in_hunk = False
    line_no = 0
    for raw in lines:
        if in_hunk:
            head = raw[:1]
            if head in b"+- \\" and head:
                if columns == 1:
                    if head == b"+":
                        diff.added.append((line_no, raw[1:].rstrip(b"\n")))  # type: ignore[union-attr]
                        line_no += 1
                    elif head == b" ":
                        line_no += 1
                    continue
                prefix = raw[:columns]
                if b"-" not in prefix and head != b"\\":
                    if prefix == all_added:
                        diff.added.append((line_no, raw[columns:].rstrip(b"\n")))  # type: ignore[union-attr]
                    line_no += 1
                continue
            in_hunk = False
        if raw.startswith(b"\x01"):
            if diff is not None and _worth_scanning(diff):
                yield diff
            diff = None
            commit = _commit(raw)
            yield commit
        elif raw.startswith(b"diff --"):
            if diff is not None and _worth_scanning(diff):
                yield diff
            assert commit is not None, "git log printed a diff before any commit"
            combined = raw.startswith(b"diff --cc ")
            columns = max(1, len(commit.parents)) if combined else 1
            all_added = b"+" * columns
            diff = FileDiff(commit, _header_path(raw, combined))
        elif diff is None:
            continue
        elif raw.startswith(b"@@"):
            in_hunk = True
            line_no = _new_start(raw)
        elif raw.startswith(b"index "):
            blob = raw.rstrip(b"\n").split(b"..", 1)[-1].split(b" ", 1)[0].decode()
            diff.blob = blob
            diff.deleted = blob == _NO_BLOB
        elif raw.startswith(b"+++ "):
            target = raw[4:].rstrip(b"\n")
            if target.endswith(b"\t"):  # git appends a tab to a name with a space (for GNU patch)
                target = target[:-1]
            if target == b"/dev/null":
                diff.deleted = True
            else:
                diff.path = git.decode_path(git.unquote(target)[2:])
        elif raw.startswith(b"rename to "):
            diff.path = git.decode_path(git.unquote(raw[10:].rstrip(b"\n")))
        elif raw.startswith(b"Binary files "):
            diff.binary = True
        elif raw.startswith(b"deleted file mode"):
            diff.deleted = True
    if diff is not None and _worth_scanning(diff):
        yield diff


def _worth_scanning(diff: FileDiff) -> bool:
    return not diff.deleted and bool(diff.blob) and (diff.binary or bool(diff.added))


def _commit(raw: bytes) -> Commit:
    shas, email, date, ts = raw[1:].rstrip(b"\n").decode("utf-8", "replace").split("\x1f")
    sha, *parents = shas.split()
    return Commit(sha, tuple(parents), email, date, int(ts))


def _new_start(raw: bytes) -> int:
    """First line of the new side: `@@ -a,b +c,d @@` (or `@@@ ... +c,d @@@`); `c` is 0 for an empty side."""
    start = raw.index(b" +") + 2
    end = start
    while raw[end : end + 1].isdigit():
        end += 1
    return max(1, int(raw[start:end]))


def _header_path(raw: bytes, combined: bool) -> str:
    """The path in `diff --cc PATH` or `diff --git a/PATH b/PATH` (the fallback for binary files)."""
    rest = raw[10:].rstrip(b"\n") if combined else raw[11:].rstrip(b"\n")
    if combined:
        return git.decode_path(git.unquote(rest))
    if rest.startswith(b'"'):
        end = _quoted_end(rest)
        return git.decode_path(git.unquote(rest[end + 1 :].lstrip())[2:])
    half = (len(rest) - 1) // 2  # "a/P b/P": both halves have the same length when not renamed
    return git.decode_path(rest[half + 3 :] if rest[half : half + 1] == b" " else rest.rsplit(b" b/", 1)[-1])


def _quoted_end(text: bytes) -> int:
    i = 1
    while i < len(text) and text[i : i + 1] != b'"':
        i += 2 if text[i : i + 1] == b"\\" else 1
    return i + 1
