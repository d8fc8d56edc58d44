"""A repository with something for every section of the morning report, built from real parts: two
real `droid audit` runs (a finding fixed and another added between them), a journal past the Apex
warning level that a real `droid monitor watch --once` has read, budget-gate history, a Parquet catalog
of the last sessions with a gap, deploys in the audit trail. Used by the browser test and to take the
README's screenshot (`python -m tests.orchestrator.render.morning_demo OUT.png`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.conftest import REPO_ROOT, git

FIRST = "import hashlib\n\n\ndef digest(x):\n    return hashlib.md5(x).hexdigest()\n"
# Made-up commit ids of the demo's staging deploys (hex, so the secret scanner is told they are not keys).
LIVE_COMMIT = "3f9c2a1b7d10"  # pragma: allowlist secret
BAD_COMMIT = "8e1d0c55aa02"  # pragma: allowlist secret
# between the audits: MD5 goes (bandit B324 fixed), eval comes (B307 new); nothing else moves
SECOND = FIRST.replace("md5", "sha256") + "\n\ndef total(x):\n    return eval(x)\n"


def droid(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("DROID_", "GITHUB_"))}
    return subprocess.run(
        [sys.executable, "-P", "-m", "orchestrator.cli.main", "--repo", str(repo), *args],
        cwd=repo, env={**base, "NO_COLOR": "1", **(env or {})}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def demo_repo(root: Path) -> Path:
    repo = root / "desk"
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "lead@desk.test")
    git(repo, "config", "user.name", "Lead")
    git(repo, "config", "commit.gpgsign", "false")
    shutil.copytree(REPO_ROOT / "policies", repo / "policies")
    (repo / "policies" / "data.yaml").write_text("version: 1\ncatalog: data/catalog\n")
    (repo / ".gitignore").write_text(".droid/\ndata/\n.env\n.env.*\n!.env.example\n")
    (repo / "desk").mkdir()
    (repo / "desk" / "ops.py").write_text(FIRST)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    _journal(repo)
    _perf_history(repo)
    _catalog(repo)
    done = droid(repo, "audit", "-q")
    assert done.returncode in (0, 1), done.stderr
    _deploys(repo)  # in the period between the audits
    (repo / "desk" / "ops.py").write_text(SECOND)
    git(repo, "commit", "-q", "-am", "second")
    done = droid(repo, "audit", "-q")
    assert done.returncode in (0, 1), done.stderr
    return repo


def _journal(repo: Path) -> None:
    from tests.droids.monitoring.support import HEADER, es_path

    journal = repo / ".droid" / "sim" / "journal.csv"
    journal.parent.mkdir(parents=True)
    start = (datetime.now(UTC) - timedelta(hours=3)).replace(microsecond=0).isoformat()
    prices = [5001 + (i % 7) - 3 for i in range(90)] + [4990 - i for i in range(0, 80, 2)] + [4930, 4916, 4921]
    journal.write_text(HEADER + es_path(prices, start=start, step_s=60))
    done = droid(repo, "monitor", "watch", str(journal), "--once", "-q")  # a live watch: its alerts are recorded
    assert done.returncode in (0, 1), done.stderr


def _perf_history(repo: Path) -> None:
    lines = []
    now = datetime.now(UTC)
    for i, (tick, onnx) in enumerate([(38, 11), (41, 12), (39, 11), (44, 13), (47, 12), (52, 14), (49, 13)]):
        ts = (now - timedelta(days=7 - i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        stages = {
            "on_tick": {"p50_us": tick * 0.5, "p99_us": float(tick), "budget_p99_us": 50_000},
            "onnx_inference": {"p50_us": onnx * 0.6, "p99_us": float(onnx), "budget_p99_us": 5000},
        }
        lines.append(json.dumps({"schema": "perf-history/1", "ts": ts, "stages": stages, "findings": [],
                                 "outcome": "ok", "runs": 3}))  # fmt: skip
    (repo / ".droid" / "perf").mkdir(parents=True, exist_ok=True)
    (repo / ".droid" / "perf" / "history.jsonl").write_text("\n".join(lines) + "\n")


def _catalog(repo: Path) -> None:
    import numpy as np

    from droids.data_pipeline.catalog.layout import month_start, partition_path
    from droids.data_pipeline.catalog.store import write_partition
    from tests.droids.data_pipeline.bars_factory import bars_for, session_minutes
    from tests.droids.data_pipeline.catalog.test_catalog import _month_table

    today = date.today()
    for symbol, gap in (("ES", 3), ("NQ", None)):
        bars = bars_for(session_minutes(today - timedelta(days=21), today - timedelta(days=1)))
        if gap is not None:  # a feed outage: most of one session missing
            days = np.unique(bars["ts"] // 86_400_000_000_000)
            hole = (bars["ts"] // 86_400_000_000_000 == days[gap]) & (np.arange(len(bars["ts"])) % 3 != 0)
            bars = {k: v[~hole] for k, v in bars.items()}
        months = sorted({(d.year, d.month) for d in (today - timedelta(days=21), today - timedelta(days=1))})
        for y, m in months:
            ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
            write_partition(
                partition_path(repo / "data" / "catalog", symbol, "1min", y, m), _month_table(bars, y, m),
                source={"provider": "test"}, coverage=[(month_start(y, m), month_start(ny, nm))], cleaning={},
            )  # fmt: skip


def _deploys(repo: Path) -> None:
    from droids.core.audit.trail import open_store
    from droids.devops.deploy import state

    with open_store(repo) as store:
        for kind, verdict, details in (
            ("deploy", "pass", {"version": LIVE_COMMIT, "tag": "deploy/staging/v4"}),
            ("rollback", "fail", {"version": BAD_COMMIT, "reason": "smoke test failed: /tick answered 500",
                                  "back_to": LIVE_COMMIT, "rollback_ms": 180}),
        ):  # fmt: skip
            store.append(kind=kind, profile="deploy", verdict=verdict, counts={}, who="git:ops@desk.test",
                         head=None, details={"env": "staging", **details})  # fmt: skip
    live = {"version": LIVE_COMMIT, "tag": "deploy/staging/v4", "started": "2026-03-10T05:58:00Z"}
    state.write(repo / ".droid", "staging", {"live": live})


if __name__ == "__main__":  # the README's screenshot
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        repo = demo_repo(Path(tmp))
        out = Path(tmp) / "morning"
        assert droid(repo, "report", "--out", str(out), "-q").returncode == 0
        with sync_playwright() as pw:
            from tests.orchestrator.render.test_morning_browser import ARGS, CHROMIUM

            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto((out / "report.html").as_uri())
            page.screenshot(path=sys.argv[1], full_page=True)
            browser.close()
