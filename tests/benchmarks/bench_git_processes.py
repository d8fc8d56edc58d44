"""How many git processes and Python parses one `droid gate --staged` costs (issue 10's workspace).

    python tests/benchmarks/bench_git_processes.py [--other REV]

In a fresh clone of this repository, one small Python file under trading_core/ is staged (so every
droid and CMP003's smoke scenario run) and `droid gate --staged` runs once with a `git` wrapper first
on PATH that logs every git process, and with `ast.parse` counted for that file. With `--other REV`,
REV's code (exported from this repository) runs the same gate in the same clone, for the ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNER = """
import ast, sys, threading
sys.path.insert(0, sys.argv[1])
counted = [0]; real = ast.parse; lock = threading.Lock()
def parse(source, *args, **kwargs):
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else str(source)
    if "def on_tick(tick)" in text:
        with lock:
            counted[0] += 1
    return real(source, *args, **kwargs)
ast.parse = parse
sys.argv = ["droid", "gate", "--staged"]
from orchestrator.cli.main import run
try:
    run()
except SystemExit:
    pass
sys.stderr.write(f"PARSES {counted[0]}\\n")
"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def measure(code_root: Path, clone: Path, tmp: Path) -> tuple[int, int]:
    log = tmp / "git-calls.log"
    log.unlink(missing_ok=True)
    wrapper = tmp / "bin" / "git"
    wrapper.parent.mkdir(exist_ok=True)
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real_git}" "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(code_root)], cwd=clone, env=env, capture_output=True, text=True
    )
    parses = int(next(line.split()[1] for line in proc.stderr.splitlines() if line.startswith("PARSES")))
    return len(log.read_text().splitlines()), parses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--other", help="also measure this revision's code, for the ratio")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        clone = tmp / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        _git(clone, "config", "user.email", "bench@example.com")
        (clone / "trading_core" / "tiny.py").write_text(
            'import logging\nAPI_KEY = "x"\n\n\ndef on_tick(tick):\n    logging.info("tick %s", API_KEY)\n'
        )
        _git(clone, "add", "trading_core/tiny.py")
        sides = {"this tree": ROOT}
        if args.other:
            other = tmp / "other"
            other.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.other], check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(other)], input=archive.stdout, check=True)
            sides[args.other] = other
        for name, code in sides.items():
            processes, parses = measure(code, clone, tmp)
            print(
                f"{name:>12}: {processes} git processes, trading_core/tiny.py parsed {parses} time(s) by droid's checks"
            )


if __name__ == "__main__":
    main()
