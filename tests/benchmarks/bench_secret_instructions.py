"""Instructions (callgrind) that SEC001's engine spends on a full-tree scan, for comparing two versions.

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p python tests/benchmarks/bench_secret_instructions.py \
        /path/to/pytest-checkout [--setup-only]
    callgrind_annotate /tmp/cg.<pid> | head -20        # "PROGRAM TOTALS" is the figure

Wall time on a shared 2-core machine drifts with the load; an instruction count does not, so this is
how the cost of added detectors is judged (issue 19: at most +15 % over the previous engine). Every
tracked file is scanned in this one process (no worker processes, no cache), exactly as a worker
scans its batch (`runner.scan_batch`). `--setup-only` stops after building the engine, so the
scan's own share is the difference of the two runs. To measure an older version, put its checkout
first on the path (`PYTHONPATH=/tmp/droid-before`); the script only uses `runner.scan_content` and
`runner.shared_engine`, which every version has.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="a git checkout (e.g. pytest-dev/pytest)")
    parser.add_argument("--setup-only", action="store_true", help="build the engine, scan nothing")
    args = parser.parse_args()

    from droids.security_compliance.secrets import runner

    started = time.process_time()
    runner.shared_engine()
    if args.setup_only:
        print(f"engine built in {time.process_time() - started:.2f} s CPU", file=sys.stderr)
        return
    paths = subprocess.run(
        ["git", "-C", str(args.checkout), "ls-files", "-z"], capture_output=True, check=True
    ).stdout.split(b"\0")
    files = hits = size = 0
    for raw in filter(None, paths):
        path = args.checkout / raw.decode()
        if not path.is_file():
            continue
        content = path.read_bytes()
        if len(content) > runner.MAX_FILE_BYTES or b"\0" in content[:8000]:
            continue
        files += 1
        size += len(content)
        hits += len(runner.scan_content(raw.decode(), content).hits)
    elapsed = time.process_time() - started
    print(f"{files} files, {size / 1e6:.1f} MB, {hits} hits, {elapsed:.1f} s CPU", file=sys.stderr)


if __name__ == "__main__":
    main()
