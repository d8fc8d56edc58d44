"""The base of a change as a directory the suite can run in: `git archive` of the merge base.

In CI (`droid gate --base REV`) the fairest comparison is the code before the change measured side
by side with the code after it, on the same machine in the same minutes. The merge base of REV and
HEAD is exported (not checked out: the repository and its work tree are left alone) into a
temporary directory; the caller removes it.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

from droids.core.errors import DroidError


def merge_base(repo: Path, base: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), "merge-base", base, "HEAD"], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise DroidError(f"--base {base}: no merge base with HEAD in {repo} ({proc.stderr.strip() or 'git failed'})")
    return proc.stdout.strip()


def export_tree(repo: Path, commit: str, dest: Path) -> Path:
    """Write the files of `commit` into `dest` (created) and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "archive", "--format=tar", commit], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            tar.extractall(dest, filter="data")
    except tarfile.TarError as exc:
        proc.kill()
        raise DroidError(f"git archive {commit[:12]}: cannot unpack ({exc})") from None
    finally:
        proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
    if proc.wait() != 0:
        raise DroidError(f"git archive {commit[:12]}: {err or 'failed'}")
    return dest
