"""A scan worker process: reads a pickled batch of (key, path, content) on stdin, writes the
pickled {key: FileScan} on stdout.

`runner` starts these with `python -m` rather than through `multiprocessing`: a spawned
multiprocessing child re-runs the parent's `__main__` script, so a host program without an
`if __name__ == "__main__"` guard would break the pool; a plain subprocess depends on nothing
but this module. Only this package's own processes exchange these pickles.
"""

from __future__ import annotations

import pickle
import sys


def main() -> None:
    from droids.security_compliance.secret_scan.runner import scan_batch

    batch = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by our own parent process
    pickle.dump(scan_batch(batch), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
