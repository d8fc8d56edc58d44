"""Every git process droid starts goes through this module: one runner, one environment, one merge base.

Plain subprocess calls rather than GitPython on purpose: this module sits on the pre-commit path,
where importing GitPython alone costs about 190 ms on this machine, more than the git calls
themselves. Contents are read in one `git cat-file --batch` process per request, not one per file.

The repository under review is data, never code. Its `.git/config` can name programs that git runs
on its behalf: an fsmonitor hook (run by any command that refreshes the index), clean and smudge
filters and textconv or external diff drivers (run when the work tree is compared or diffs are
printed). Every call overrides `core.fsmonitor` and `core.hooksPath`; commands that read the work
tree also blank each filter driver the configuration names (`neutral_filters`); diffs are taken
with `--no-ext-diff --no-textconv`. Contents are read from objects (`cat-file`), which run no filter.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

from droids.core.errors import DroidError

# Set on top of the caller's environment for every git process.
ENV_OVERRIDES = {"GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
# The id of git's empty tree object: what an unborn branch is compared with.
EMPTY_TREE_SHA1 = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
# Settings that keep repository-controlled programs from running, on every call.
SAFE_CONFIG = ("core.fsmonitor=false", "core.hooksPath=/dev/null", "core.quotePath=false")


def environment() -> dict[str, str]:
    """The environment of a git process: the current one (read at each call, never a copy taken at
    import: a long-lived process such as the warm gate server serves callers with other environments,
    e.g. pre-commit's GIT_INDEX_FILE) with `ENV_OVERRIDES` on top."""
    return {**os.environ, **ENV_OVERRIDES}


def _argv(repo: Path, args: Iterable[str], extra_config: Iterable[str] = ()) -> list[str]:
    config = [arg for item in (*SAFE_CONFIG, *extra_config) for arg in ("-c", item)]
    return ["git", "-C", str(repo), *config, *args]


def run(
    repo: Path, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,), worktree: bool = False
) -> bytes:
    """Run `git args` in `repo` and return its stdout; a status outside `ok` is a `DroidError`.

    `worktree=True` for commands that read work-tree files (diff against the work tree, ls-files
    --others): the repository's filter drivers are blanked for them."""
    extra = neutral_filters(repo) if worktree else ()
    try:
        proc = subprocess.run(
            _argv(repo, args, extra), input=stdin, capture_output=True, env=environment(), check=False
        )
    except FileNotFoundError:
        raise DroidError("git: command not found; install git (droid reads repositories with it)") from None
    if proc.returncode not in ok:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DroidError(f"git {args[0]}: {err[-1] if err else f'exit {proc.returncode}'} (in {repo})")
    return proc.stdout


def text(repo: Path, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,), worktree: bool = False) -> str:
    return run(repo, *args, stdin=stdin, ok=ok, worktree=worktree).decode("utf-8", "surrogateescape")


def try_text(repo: Path, *args: str) -> str:
    """`git args` output, or "" when git fails (an unknown revision, not a repository)."""
    try:
        return text(repo, *args, ok=tuple(range(256)))
    except DroidError:
        return ""


def popen(repo: Path, args: Iterable[str], *, stderr: object, extra_config: Iterable[str] = ()) -> subprocess.Popen:
    """A streaming git process (stdin and stdout pipes) for long outputs such as `git log -p`."""
    try:
        return subprocess.Popen(
            _argv(repo, args, extra_config),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=environment(),
        )
    except FileNotFoundError:
        raise DroidError("git: command not found; install git (droid reads repositories with it)") from None


def neutral_filters(repo: Path) -> tuple[str, ...]:
    """`-c` settings that blank every filter driver the repository's configuration names.

    Asked on every call, never cached: the configuration may change between two runs of one
    long-lived process, and a driver added in between must still be blanked."""
    try:
        out = subprocess.run(
            _argv(repo, ["config", "-z", "--get-regexp", r"^filter\..*\.(clean|smudge|process|required)$"]),
            capture_output=True,
            env=environment(),
            check=False,
        ).stdout.decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        return ()
    drivers = {item.split("\n", 1)[0].rsplit(".", 1)[0] for item in out.split("\0") if item}
    return tuple(f"{d}.{part}=" for d in sorted(drivers) for part in ("clean", "smudge", "process")) + tuple(
        f"{d}.required=false" for d in sorted(drivers)
    )


def split_z(out: str) -> list[str]:
    return [p for p in out.split("\0") if p]


# --- the repository ---------------------------------------------------------------------------


def toplevel(start: Path) -> Path | None:
    """The git work tree containing `start`, or None when it is not inside one."""
    out = try_text(start, "rev-parse", "--show-toplevel").strip()
    return Path(out) if out else None


def require_repo(repo: Path, why: str) -> str | None:
    """HEAD of the repository at `repo` (None on an unborn branch), asked in one process; a directory
    that is not in a git work tree is bad input naming `why` needed one."""
    try:
        proc = subprocess.run(
            _argv(repo, ["rev-parse", "--show-toplevel", "HEAD^{commit}"]),
            capture_output=True,
            env=environment(),
            check=False,
        )
    except FileNotFoundError:
        raise DroidError("git: command not found; install git (droid reads repositories with it)") from None
    lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if not lines:  # not even a top level: not a work tree
        raise DroidError(f"{repo}: not a git repository; {why} needs one")
    return lines[1] if proc.returncode == 0 and len(lines) > 1 else None


def head(repo: Path) -> str | None:
    """The commit HEAD names, or None on an unborn branch or outside a repository."""
    return try_text(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip() or None


def config_value(repo: Path, key: str) -> str | None:
    return try_text(repo, "config", "--get", key).strip() or None


def merge_base(repo: Path, base: str) -> str:
    """The merge base of `base` and HEAD: what `--base` compares against (the one place it is computed)."""
    if not try_text(repo, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").strip():
        raise DroidError(f"--base {base}: no such commit in {repo} (fetch it first, e.g. fetch-depth: 0)")
    found = try_text(repo, "merge-base", base, "HEAD").strip()
    if not found:
        raise DroidError(
            f"--base {base}: no merge base with HEAD in {repo}; a shallow clone cannot say what changed "
            "(fetch the full history, e.g. actions/checkout with fetch-depth: 0)"
        )
    return found


# --- paths ------------------------------------------------------------------------------------


def tracked_paths(repo: Path) -> list[str]:
    """Every tracked file that exists in the work tree (a deleted-but-unstaged file is skipped)."""
    return [p for p in split_z(text(repo, "ls-files", "-z")) if (repo / p).is_file()]


def name_status(repo: Path, *, staged: bool, against: str | None) -> list[tuple[str, str, str]]:
    """(status letter, path after, path before) of each file the change touches, renames detected.

    `staged`: the index against HEAD (`against` None on an unborn branch: everything is added);
    otherwise the work tree against the commit `against`."""
    if staged:
        args = ["diff", "--cached", "-M", "--name-status", "-z", "--no-ext-diff"]
        if against is None:  # an unborn branch: compare with the empty tree
            args.append(EMPTY_TREE_SHA1)
        out = text(repo, *args)
    else:
        out = text(repo, "diff", "-M", "--name-status", "-z", "--no-ext-diff", str(against), worktree=True)
    parts = split_z(out)
    changes, i = [], 0
    while i < len(parts):
        status = parts[i][0]
        if status in "RC":
            changes.append((status, parts[i + 2], parts[i + 1]))
            i += 3
        else:
            changes.append((status, parts[i + 1], parts[i + 1]))
            i += 2
    return changes


# --- objects ----------------------------------------------------------------------------------


def read_objects(repo: Path, specs: Iterable[str]) -> dict[str, bytes]:
    """Contents of each object spec (`:path` for the index, `REV:path`, a blob id) that exists, in one
    `git cat-file --batch` process; specs that name nothing are left out."""
    wanted = list(dict.fromkeys(specs))
    if not wanted:
        return {}
    request = "".join(f"{s}\n" for s in wanted).encode("utf-8", "surrogateescape")
    out = run(repo, "cat-file", "--batch", stdin=request)
    parsed = zip(wanted, parse_batch(out, len(wanted)), strict=True)
    return {spec: content for spec, content in parsed if content is not None}


def parse_batch(out: bytes, count: int) -> Iterator[bytes | None]:
    """The contents `git cat-file --batch` wrote for `count` requests, in request order (None: missing)."""
    pos = 0
    for _ in range(count):
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) < 3 or header[-1] in (b"missing", b"ambiguous"):
            yield None
            continue
        size = int(header[2])
        yield out[pos : pos + size]
        pos += size + 1


class BatchReader:
    """One long-lived `git cat-file --batch` process for a run's reads: any number of object specs,
    one process (a run asks for the index's policy files, the base's apex.yaml, ... one at a time).
    Thread-safe; `close` ends the process (a finalizer does when the reader is dropped)."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None

    def read(self, specs: Iterable[str]) -> dict[str, bytes]:
        """Contents of each spec that names an object (missing ones are left out)."""
        wanted = [s for s in dict.fromkeys(specs) if "\n" not in s]
        found: dict[str, bytes] = {}
        with self._lock:
            proc = self._process()
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("".join(f"{s}\n" for s in wanted).encode("utf-8", "surrogateescape"))
            proc.stdin.flush()
            for spec in wanted:
                header = proc.stdout.readline().split()
                if len(header) < 3 or header[-1] in (b"missing", b"ambiguous"):
                    continue
                size = int(header[2])
                found[spec] = proc.stdout.read(size)
                proc.stdout.read(1)  # the newline after the contents
        return found

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = popen(self.repo, ["cat-file", "--batch"], stderr=subprocess.DEVNULL)
            weakref.finalize(self, _end, self._proc)
        return self._proc

    def close(self) -> None:
        with self._lock:
            if self._proc is not None:
                _end(self._proc)
                self._proc = None


def _end(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.stdin.close()  # type: ignore[union-attr]
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
    for stream in (proc.stdout,):
        if stream is not None:
            stream.close()


def object_info(repo: Path, specs: Iterable[str]) -> dict[str, tuple[str, int]]:
    """Spec -> (object type, size) for each spec that names an object, in one process."""
    wanted = list(dict.fromkeys(specs))
    if not wanted:
        return {}
    request = "".join(f"{s}\n" for s in wanted).encode("utf-8", "surrogateescape")
    out = text(repo, "cat-file", "--batch-check=%(objecttype) %(objectsize)", stdin=request)
    info = {}
    for spec, line in zip(wanted, out.splitlines(), strict=True):
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            info[spec] = (parts[0], int(parts[1]))
    return info


def tree_files(repo: Path, commit: str) -> list[tuple[str, str, str, int]]:
    """(path, mode, blob id, size) of every blob in `commit`'s tree (symlinks included, mode 120000)."""
    out = run(repo, "ls-tree", "-r", "-z", "-l", "--full-tree", commit)
    files = []
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha, size = meta.split()
        if kind == b"blob":
            files.append((path.decode("utf-8", "surrogateescape"), mode.decode(), sha.decode(), int(size)))
    return files


def export_tree(repo: Path, commit: str, dest: Path) -> Path:
    """Write the regular files of `commit` into `dest` (created) and return it.

    Read from objects, not with `git archive`, which would run the repository's smudge filters;
    symlinks and submodules are left out, so nothing written points outside `dest`."""
    files = [(p, m, sha) for p, m, sha, _ in tree_files(repo, commit) if m in ("100644", "100755")]
    contents = read_objects(repo, (sha for _, _, sha in files))
    root = dest.resolve()
    for path, mode, sha in files:
        target = (dest / path).resolve()
        if not target.is_relative_to(root):  # a path git should never hold; refuse, never write outside
            raise DroidError(f"{commit[:12]}:{path}: path leaves the export folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[sha])
        if mode == "100755":
            target.chmod(0o755)
    return dest


_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34, b"\\": 92}


def unquote(text: bytes) -> bytes:
    """Undo git's C-style quoting of a path in diff headers ("a\\tb", octal escapes for other bytes)."""
    if not (text.startswith(b'"') and text.endswith(b'"') and len(text) >= 2):
        return text
    body, out, i = text[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i : i + 1]
        if ch != b"\\":
            out += ch
            i += 1
        elif body[i + 1 : i + 2] in _ESCAPES:
            out.append(_ESCAPES[body[i + 1 : i + 2]])
            i += 2
        else:
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
    return bytes(out)


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")
