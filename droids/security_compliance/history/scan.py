"""Run a history scan: which commits are new, scan them, remember them, say where each secret came from.

`scan_repository` is what `droid security history` and SEC002 call. It returns one `Introduced`
per (path, secret): the earliest commit (by commit time) still reachable from a ref that added a
line with it, and where the secret is at HEAD.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.core.progress import Step, quiet_step
from droids.security_compliance.history import objects
from droids.security_compliance.history.collect import Collected, DiffRow, HitRow
from droids.security_compliance.history.head import Secret, locate_at_head
from droids.security_compliance.history.state import HistoryStore


@dataclass
class Introduced:
    """A secret at a path, and the commit that introduced it there."""

    secret: Secret
    line: int
    types: list[str]
    commit: DiffRow
    commits: int  # how many reachable commits added it at this path (cherry-picks, re-adds)
    at_boundary: bool  # the commit is a shallow clone's boundary: it may be older than that


@dataclass
class ScanOutcome:
    secrets: list[Introduced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    head: str | None = None
    shallow_boundary: list[str] = field(default_factory=list)


def scan_repository(
    repo: Path, state_dir: Path, since: str | None, cache_dir: Path | None, step: Step = quiet_step
) -> ScanOutcome:
    from droids.security_compliance.secrets.runner import settings_key

    started = time.perf_counter()
    if not repo.is_dir() or not objects.git(repo, "rev-parse", "--git-dir", check=False).strip():
        raise DroidError(f"{repo}: not a git repository; a history scan needs one")  # a bare one will do
    result = ScanOutcome()
    notes = result.notes
    tips = objects.ref_tips(repo)
    since_sha = _resolve_since(repo, since) if since is not None else None
    if not tips:
        notes.append("the repository has no commits yet: there is no history to scan")
        result.metrics = {"commits_scanned": 0, "duration_s": round(time.perf_counter() - started, 3)}
        return result
    result.head = tips.get("HEAD")
    _describe_head(repo, result)
    result.shallow_boundary = objects.shallow_boundary(repo)
    if result.shallow_boundary:
        notes.append(
            f"shallow clone: history before {len(result.shallow_boundary)} boundary commit(s) is not in this clone"
            " and was not scanned; a secret found in a boundary commit may have been introduced earlier"
            " (git fetch --unshallow, or fetch-depth: 0 in CI, to scan it all)"
        )
    store = HistoryStore(state_dir, settings_key(), notes)
    try:
        collected, workers, incremental = _scan_new_commits(repo, store, tips, since_sha, result, step)
        in_range = set(objects.commit_list(repo, tips.values(), [since_sha])) if since_sha else None
        result.secrets = _introduced(store.hits(), store.commits(), in_range, set(result.shallow_boundary))
        head_metrics = {}
        if result.head and result.secrets:
            memo = json.loads(store.meta("head_memo") or "{}")
            head_metrics = locate_at_head(repo, result.head, [s.secret for s in result.secrets], cache_dir, memo)
            store.set_meta("head_memo", json.dumps(memo))
    finally:
        store.close()
    notes += _collect_notes(collected)
    result.metrics = {
        "refs": len(tips),
        "commits_scanned": collected.commits,
        "incremental": incremental,
        "blobs_new": len(collected.scanned),
        "diffs_seen": len(collected.diffs),
        "lines_added": collected.lines_added,
        "bytes_added": collected.bytes_added,
        "distinct_lines": collected.distinct_lines,
        "candidate_lines": collected.candidate_lines,
        "excerpts_scanned": collected.excerpts,
        "blobs_read": collected.blobs_read,
        "skipped_binary": len(collected.binary),
        "skipped_oversized": len(collected.oversized),
        "workers": workers,
        "secrets": len(result.secrets),
        **head_metrics,
        "duration_s": round(time.perf_counter() - started, 3),
    }
    return result


def _scan_new_commits(
    repo: Path, store: HistoryStore, tips: dict[str, str], since_sha: str | None, result: ScanOutcome, step: Step
) -> tuple[Collected, int, bool]:
    """Scan the commits no earlier run scanned and record them; returns (what was found, workers, incremental)."""
    from droids.security_compliance.history.parallel import collect_commits
    from droids.security_compliance.secrets.runner import MAX_FILE_BYTES

    old = store.tips()
    old_present = objects.existing(repo, old.values())
    rewritten = len(old_present) < len(set(old.values())) or bool(objects.commit_list(repo, old_present, tips.values()))
    boundary = " ".join(sorted(result.shallow_boundary))
    if old and store.meta("shallow") != boundary:  # deepened or unshallowed: older history appeared
        result.notes.append("the clone's shallow boundary changed since the last scan: all of its history re-read")
        old_present = set()
    commits = objects.commit_list(repo, tips.values(), old_present | ({since_sha} if since_sha else set()))
    step(0, len(commits), "commits")
    collected, workers = collect_commits(repo, commits, store, MAX_FILE_BYTES, result.notes)
    step(len(commits), len(commits), "commits")
    seq0 = store.next_seq()
    order = {sha: seq0 + i for i, sha in enumerate(commits)}
    with_hits = store.hit_keys() | {(h.blob, h.path) for h in collected.hits}
    diff_rows = [(d, order[d.commit]) for d in collected.diffs if (d.blob, d.path) in with_hits]
    # --since scans only part of the new commits: the tips may move on only if nothing is left out.
    complete = since_sha is None or not objects.commit_list(repo, [since_sha], old_present)
    store.save(collected.scanned, collected.hits, diff_rows, seq0 + len(commits), tips if complete else None)
    if complete:
        store.set_meta("shallow", boundary)
    if rewritten:
        dropped = store.forget_commits(set(objects.commit_list(repo, tips.values(), [])))
        result.notes.append(
            "history was rewritten since the last scan (a remembered ref tip is gone or no longer reachable):"
            f" {dropped} commit(s) with findings are no longer reachable and are not reported"
        )
    return collected, workers, bool(old_present) and not rewritten


def _resolve_since(repo: Path, since: str) -> str:
    sha = ""
    if since and not since.startswith("-"):  # never let a revision be read as an option
        sha = objects.git(repo, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}", check=False).decode().strip()
    if not sha:
        raise DroidError(f"--since {since}: no such commit in {repo} (expected a commit, branch or tag)")
    return sha


def _describe_head(repo: Path, result: ScanOutcome) -> None:
    if result.head is None:
        result.notes.append("HEAD has no commit yet (unborn branch): whether a secret is still at HEAD is unknown")
    elif not objects.git(repo, "symbolic-ref", "-q", "HEAD", check=False).strip():
        result.notes.append(f"HEAD is detached at {result.head[:12]}: 'still at HEAD' refers to that commit")


def _introduced(
    hits: list[HitRow], commits: list[tuple[DiffRow, int]], in_range: set[str] | None, boundary: set[str]
) -> list[Introduced]:
    by_key: dict[tuple[str, str], list[tuple[DiffRow, int]]] = defaultdict(list)
    for row, seq in commits:
        if in_range is None or row.commit in in_range:
            by_key[(row.blob, row.path)].append((row, seq))
    groups: dict[tuple[str, str], list[HitRow]] = defaultdict(list)
    line_hashes: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        groups[(hit.path, hit.group)].append(hit)
        line_hashes[hit.group].add(hit.line_hash)
    found = []
    for (path, group), rows in groups.items():
        dated = [(row.ts, seq, row) for h in rows for row, seq in by_key.get((h.blob, h.path), [])]
        if not dated:
            continue  # only in commits outside --since, or no longer reachable
        _, _, first = min(dated, key=lambda item: (item[0], item[1]))
        here = [h for h in rows if h.blob == first.blob]
        line = min(h.line for h in here)
        on_line = [h for h in here if h.line == line]
        secret = Secret(
            path=path,
            group=group,
            hashes=frozenset(h.hashed for h in rows),
            blobs=frozenset(h.blob for h in rows),
            line_hashes=frozenset(line_hashes[group]),
            evidence=on_line[0].evidence,
        )
        types = sorted({h.secret_type for h in on_line})
        commits_count = len({row.commit for _, _, row in dated})
        found.append(Introduced(secret, line, types, first, commits_count, first.commit in boundary))
    return sorted(found, key=lambda s: (s.commit.ts, s.secret.path, s.line))


def _collect_notes(collected: Collected) -> list[str]:
    notes = []
    if collected.binary:
        notes.append(f"skipped {_blobs(collected.binary, 'binary ')}: {_names(collected.binary)}")
    if collected.oversized:
        notes.append(f"skipped {_blobs(collected.oversized)} over 2 MB: {_names(collected.oversized)}")
    if collected.lossy:
        notes.append(f"{len(collected.lossy)} blob(s) not UTF-8, scanned with replacement characters")
    if collected.long_lines:
        notes.append(f"{collected.long_lines} line(s) over 4,096 characters scanned in overlapping windows")
    return notes


def _blobs(paths: list[str], kind: str = "") -> str:
    """ "3 binary blob(s)", or "5 binary blob(s) (versions of 3 files)" when a file had several."""
    files = len(set(paths))
    versions = f" (versions of {files} file{'s' if files > 1 else ''})" if files != len(paths) else ""
    return f"{len(paths)} {kind}blob(s){versions}"


def _names(paths: list[str], shown: int = 5) -> str:
    unique = sorted(set(paths))
    text = ", ".join(unique[:shown])
    return text if len(unique) <= shown else f"{text} and {len(unique) - shown} more"
