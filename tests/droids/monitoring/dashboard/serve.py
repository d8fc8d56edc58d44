"""`droid monitor serve` in a subprocess on a journal in a temporary folder; its URL from stderr."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from tests.droids.monitoring.support import droid_cmd, env_with, policies_copy


class Served:
    def __init__(self, tmp: Path, journal_text: str) -> None:
        self.repo = tmp / "repo"
        self.repo.mkdir()
        self.policies = policies_copy(self.repo)
        self.journal = self.repo / "journal.csv"
        self.journal.write_text(journal_text)
        args = ["--repo", str(self.repo), "--policies", str(self.policies), "monitor", "serve", str(self.journal),
                "--port", "0"]  # fmt: skip
        self.proc = subprocess.Popen(droid_cmd(*args), cwd=self.repo, env=env_with(), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)  # fmt: skip
        self.url = ""
        end = time.time() + 60
        assert self.proc.stderr is not None
        while time.time() < end and not self.url:
            line = self.proc.stderr.readline()
            if not line:
                break
            if "dashboard http://127.0.0.1:" in line:
                self.url = line.rsplit("dashboard ", 1)[1].strip()
        assert self.url, "serve did not announce its dashboard"

    def append(self, text: str) -> None:
        with self.journal.open("a") as f:
            f.write(text)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=60)
        return out
