"""The pre-commit gate with the warm gate server, against `detect-secrets-hook`, interleaved.

    .venv/bin/python tests/benchmarks/bench_precommit.py [--runs 9] [--corpus DIR]

Two cases, each in a throw-away git repository: one small Python file staged, and 20 files. The
corpus is pytest's own package as installed in this environment (`_pytest/*.py`, real code; the
small file is the first of 1-5 KB, the 20 are the first 20 by name). Before each round every staged
file gets one new line (`# round N`) and is staged again, so both tools judge new content and no
content-hash cache answers (droid keeps one per scanner). Each round runs, in this order:

- `droid gate --staged` through the `droid` script, served by the warm server (started by a first
  gate and warmed by a second, both untimed; every timed run is checked to be served, by the
  `--verbose` line that names the server's pid, and to give the in-process run's exit code);
- `detect-secrets-hook FILES` (what a pre-commit user would otherwise run);
- `droid gate --staged` with `DROID_NO_SERVER=1` (the same gate in its own process: the old cost).

Prints median [min-max] wall seconds of each and the ratios of medians, with the machine and load.
The repositories use droid's built-in policies (a repository with no configuration).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
DROID = str(BIN / "droid")
HOOK = str(BIN / "detect-secrets-hook")
SERVED = re.compile(r"served by the warm gate server \(pid (\d+)\)")


def corpus_files(corpus: Path) -> tuple[list[Path], list[Path]]:
    files = sorted(p for p in corpus.glob("*.py") if p.is_file())
    small = next(p for p in files if 1000 <= p.stat().st_size <= 5000)
    return [small], files[:20]


def make_repo(files: list[Path]) -> tuple[Path, list[str]]:
    repo = Path(tempfile.mkdtemp(prefix="bench-precommit-"))
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    names = []
    for f in files:
        shutil.copy2(f, repo / f.name)
        names.append(f.name)
    subprocess.run(["git", "-C", str(repo), "add", *names], check=True)
    return repo, names


def new_round(repo: Path, names: list[str], i: int) -> None:
    for name in names:
        with (repo / name).open("a", encoding="utf-8") as f:
            f.write(f"# round {i}\n")
    subprocess.run(["git", "-C", str(repo), "add", *names], check=True)


def env(**extra: str) -> dict[str, str]:
    out = {**os.environ, "NO_COLOR": "1", **extra}
    for name in ("DROID_NO_SERVER", "CI", "DROID_POLICIES", "DROID_AUDIT_URL"):
        if name not in extra:
            out.pop(name, None)
    return out


def timed(argv: list[str], repo: Path, environment: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=repo, env=environment, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc


def wait_for_server(repo: Path, timeout: float = 120.0) -> int:
    """Gate until a run is served; the server's pid."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc = subprocess.run([DROID, "gate", "--staged", "-v"], cwd=repo, env=env(), capture_output=True, text=True)
        found = SERVED.search(proc.stderr)
        if found:
            return int(found.group(1))
        time.sleep(1.0)
    raise SystemExit(f"no warm gate server answered in {repo} within {timeout:g} s")


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.3f} s [{min(xs):.3f}-{max(xs):.3f}]"


def run_case(label: str, files: list[Path], runs: int) -> None:
    repo, names = make_repo(files)
    size = sum(f.stat().st_size for f in files) / 1024
    pid = wait_for_server(repo)
    served, hook, alone = [], [], []
    try:
        for i in range(runs):
            new_round(repo, names, i)
            t, proc = timed([DROID, "gate", "--staged", "-v"], repo, env())
            found = SERVED.search(proc.stderr)
            if not found or int(found.group(1)) != pid:
                raise SystemExit(f"round {i}: not served by pid {pid}:\n{proc.stderr}")
            served.append(t)
            hook.append(timed([HOOK, *names], repo, env())[0])
            t, ref = timed([DROID, "gate", "--staged"], repo, env(DROID_NO_SERVER="1"))
            if ref.returncode != proc.returncode:
                raise SystemExit(f"round {i}: served exit {proc.returncode}, in process {ref.returncode}")
            alone.append(t)
    finally:
        os.kill(pid, signal.SIGTERM)
        shutil.rmtree(repo, ignore_errors=True)
    ratio = statistics.median(served) / statistics.median(hook)
    before = statistics.median(alone) / statistics.median(hook)
    print(f"\n{label} ({len(files)} file(s), {size:.1f} KB), {runs} interleaved rounds:")
    print(f"  droid gate --staged, warm server  {fmt(served)}   ratio to detect-secrets-hook {ratio:.2f}x")
    print(f"  detect-secrets-hook               {fmt(hook)}")
    print(f"  droid gate --staged, in process   {fmt(alone)}   ratio {before:.2f}x")


def machine() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), platform.processor())
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"


def main() -> None:
    import _pytest

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--corpus", type=Path, default=Path(_pytest.__file__).parent)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    small, twenty = corpus_files(args.corpus)
    run_case(f"1 small file ({small[0].name})", small, args.runs)
    run_case("20 files", twenty, args.runs)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
