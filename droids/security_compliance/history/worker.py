"""A history scan worker: reads a pickled (repo, commits, known blobs, size limit) on stdin, scans
those commits with `collect`, and writes the pickled `Collected` on stdout.

Started with `python -m` by `parallel.py` (not through multiprocessing, for the reason given in
secret_scan/worker.py). Only this package's own processes exchange these pickles. No secret value
crosses the pipe: `Collected` holds hashes and redacted evidence.
"""

from __future__ import annotations

import pickle
import sys


def main() -> None:
    from droids.security_compliance.history.collect import collect

    repo, commits, known, max_bytes = pickle.load(sys.stdin.buffer)  # noqa: S301 - from our own parent
    pickle.dump(collect(repo, commits, known, max_bytes), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
