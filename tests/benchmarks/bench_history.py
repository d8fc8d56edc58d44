"""Benchmark SEC002's history scan on a clone of pytest (not run by the tests).

    git clone /path/to/pytest /tmp/pytest-clone     # branches and tags: ~18.9k commits
    python tests/benchmarks/bench_history.py /tmp/pytest-clone [--runs 3] [--incremental-runs 5] [--sample 2000]

Every measurement is a fresh process; wall and CPU seconds are reported, CPU including every child
(git, scan workers), because the machine is shared and wall time drifts with its load. In the
same session, alternately:

- `git log -p --all | wc -c`: reading the history at all, the floor any scan pays; its output
  size is the "MB of diffs" of the throughput figures;
- the full history scan (`scan_history`) with an empty state directory, and its ratio to the above;
- an incremental re-scan after one new commit (a new file holding a key built at run time,
  committed with `git commit-tree` onto the temporary branch `refs/heads/bench-sec002-tmp`, which
  is deleted at the end: the work tree, the index and HEAD are never touched), and a re-scan with
  nothing new;
- the diff-reading stage alone on the first `--sample` commits, two ways: the streamed
  `git log -p` parser the scan uses, and GitPython (`commit.diff(parent, create_patch=True)` per
  commit, the GitPython way to get each commit's patch).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TMP_BRANCH = "refs/heads/bench-sec002-tmp"
SCAN = r"""
import json, sys
from pathlib import Path
from droids.security_compliance.history.sec002_history import scan_history
repo, state = sys.argv[1:3]
result = scan_history(Path(repo), Path(state))
print(json.dumps({"findings": len(result.findings), "metrics": result.metrics, "notes": result.notes}))
"""
OURS_DIFFS = r"""
import json, sys, time
from pathlib import Path
from droids.security_compliance.history.gitlog import Commit, stream_diffs
repo, n = Path(sys.argv[1]), int(sys.argv[2])
commits = sys.stdin.read().split()[:n]
lines = 0
for item in stream_diffs(repo, commits):
    if not isinstance(item, Commit):
        lines += len(item.added)
print(json.dumps({"commits": len(commits), "added_lines": lines}))
"""
GITPYTHON_DIFFS = r"""
import json, sys
import git
repo, n = git.Repo(sys.argv[1]), int(sys.argv[2])
commits = sys.stdin.read().split()[:n]
lines = 0
for sha in commits:
    commit = repo.commit(sha)
    # commit.diff(parent) is parent <- commit, hence R=True; GitPython already reverses a root's NULL_TREE diff
    other, reverse = (commit.parents[0], True) if commit.parents else (git.NULL_TREE, False)
    for diff in commit.diff(other, create_patch=True, R=reverse, unified=0):
        patch = diff.diff or b""
        lines += sum(1 for line in patch.split(b"\n") if line.startswith(b"+"))
print(json.dumps({"commits": len(commits), "added_lines": lines}))
"""


def run(command: list[str], stdin: bytes | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the process and every child it waited for: git, workers), stdout."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(command, input=stdin, capture_output=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{command[:3]} failed ({proc.returncode}): {proc.stderr.decode()[-800:]}")
    return wall, _children_cpu() - cpu_before, proc.stdout.decode()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], input=stdin, capture_output=True, text=True, check=True
    ).stdout.strip()


def new_commit(repo: Path, parent: str, index: int) -> str:
    """A commit on `parent` adding a file with an AWS-shaped key built here (in the clone only)."""
    key = "AK" + "IA" + "".join(random.Random(index).choices(string.ascii_uppercase + "234567", k=16))
    blob = git(repo, "hash-object", "-w", "--stdin", stdin=f'import os\n\nKEY_{index} = "{key}"\n')
    tree = git(repo, "mktree", stdin=git(repo, "ls-tree", parent) + f"\n100644 blob {blob}\tbench_sec002_{index}.py\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}  # fmt: skip
    sha = subprocess.run(["git", "-C", str(repo), "commit-tree", tree, "-p", parent, "-m", f"bench {index}"],
                         capture_output=True, text=True, check=True, env=env).stdout.strip()  # fmt: skip
    git(repo, "update-ref", TMP_BRANCH, sha)
    return sha


def summary(samples: list[float]) -> str:
    return f"{statistics.median(samples):7.2f} s [{min(samples):.2f}-{max(samples):.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clone", type=Path, help="a git clone of pytest-dev/pytest (branches + tags)")
    parser.add_argument("--runs", type=int, default=3, help="full scans (and git log -p runs)")
    parser.add_argument("--incremental-runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=2000, help="commits for the GitPython comparison")
    args = parser.parse_args()
    repo = args.clone.resolve()
    if _has_ref(repo):  # left over by an interrupted run
        git(repo, "update-ref", "-d", TMP_BRANCH)
    commits = git(repo, "rev-list", "--all", "--topo-order", "--reverse").split()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()}")  # fmt: skip
    refs = len(git(repo, "for-each-ref").splitlines())
    print(f"repository: {repo}: {len(commits)} commits reachable from {refs} refs\n")
    py = sys.executable
    gitlog = ["sh", "-c", f"git -C '{repo}' log -p --all | wc -c"]
    results: dict[str, object] = {"commits": len(commits)}
    with tempfile.TemporaryDirectory(prefix="bench-sec002-") as tmp:
        log_wall, log_cpu, scan_wall, scan_cpu = [], [], [], []
        diff_bytes, report = 0, ""
        for i in range(args.runs):  # alternate, so drift of the machine hits both sides alike
            wall, cpu, out = run(gitlog)
            log_wall.append(wall)
            log_cpu.append(cpu)
            diff_bytes = int(out.strip())
            wall, cpu, report = run([py, "-c", SCAN, str(repo), str(Path(tmp) / f"full-{i}")])
            scan_wall.append(wall)
            scan_cpu.append(cpu)
        mb = diff_bytes / 1e6
        full = json.loads(report)
        log_s, log_cpu_s = statistics.median(log_wall), statistics.median(log_cpu)
        scan_s, scan_cpu_s = statistics.median(scan_wall), statistics.median(scan_cpu)
        print(f"git log -p --all ({mb:.1f} MB of diffs)\n  wall {summary(log_wall)}   cpu {summary(log_cpu)}")
        print(f"full history scan\n  wall {summary(scan_wall)}   cpu {summary(scan_cpu)}")
        print(f"  ratio to git log -p: {scan_s / log_s:.2f}x wall, {scan_cpu_s / log_cpu_s:.2f}x cpu")
        print(f"  {len(commits) / scan_s:.0f} commits/s, {mb / scan_s:.1f} MB of diff/s")
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"  largest process so far: {rss_mb:.0f} MB resident")
        print(f"  found {full['findings']} secrets; metrics {json.dumps(full['metrics'])}")
        results.update(
            git_log_s=log_s, git_log_cpu_s=log_cpu_s, full_s=scan_s, full_cpu_s=scan_cpu_s, ratio=scan_s / log_s
        )
        results.update(diff_mb=mb, commits_per_s=len(commits) / scan_s, mb_per_s=mb / scan_s)

        state = str(Path(tmp) / "full-0")
        inc, noop = [], []
        parent = git(repo, "rev-parse", "HEAD")
        try:
            for i in range(args.incremental_runs):
                parent = new_commit(repo, parent, i)
                wall, _, out = run([py, "-c", SCAN, str(repo), state])
                inc.append(wall)
                wall, _, _ = run([py, "-c", SCAN, str(repo), state])
                noop.append(wall)
            metrics = json.loads(out)
        finally:
            git(repo, "update-ref", "-d", TMP_BRANCH)
        print(f"incremental re-scan after one new commit\n  wall {summary(inc)}")
        print(f"  metrics {json.dumps(metrics['metrics'])} findings {metrics['findings']}")
        print(f"re-scan with nothing new\n  wall {summary(noop)}")
        results.update(incremental_s=statistics.median(inc), noop_s=statistics.median(noop))

    sample = "\n".join(commits).encode()
    wall_ours, _, ours = run([py, "-c", OURS_DIFFS, str(repo), str(args.sample)], stdin=sample)
    print(f"\nreading the diffs of the first {args.sample} commits")
    print(f"  streamed git log -p: {wall_ours:.2f} s {ours.strip()}")
    try:
        wall_gp, _, theirs = run([py, "-c", GITPYTHON_DIFFS, str(repo), str(args.sample)], stdin=sample)
    except SystemExit as exc:
        print(f"  GitPython: not measured ({exc})")
    else:
        print(f"  GitPython diff per commit: {wall_gp:.2f} s {theirs.strip()} ({wall_gp / wall_ours:.1f}x slower)")
        results.update(sample=args.sample, diffs_streamed_s=wall_ours, diffs_gitpython_s=wall_gp)
    print("\n" + json.dumps(results, indent=1))


def _has_ref(repo: Path) -> bool:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", TMP_BRANCH],
                          capture_output=True, check=False).returncode == 0  # fmt: skip


if __name__ == "__main__":
    main()
