"""`droid ask` without a key is no slower than before the model existed, and what the model's part
costs with one (the model itself answering at once: the fake Messages API on 127.0.0.1).

    python tests/benchmarks/bench_ask.py --base 7ef3bbb [--runs 7]

The code at `--base` (before orchestrator/llm existed) is exported with `git archive`; both trees run
interleaved (base, head, base, head ...) in fresh interpreters, so a change of machine load falls on
both. Questions: "any leaked secrets?" (security droid, one planted key), "can we deploy?" (devops
droid, one compose file), "what changed in risk params?" (no trigger: refused, exit 2). With a key,
the recorded transcripts of tests/orchestrator/llm/transcripts/ are replayed. Reports median
[min-max] wall seconds and the ratios of medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.orchestrator.llm.fake_anthropic import FakeAnthropic, transcript  # noqa: E402
from tests.secret_values import aws_access_key  # noqa: E402

QUESTIONS = {
    "any leaked secrets?": "leaked_secrets",
    "can we deploy?": "can_we_deploy",
    "what changed in risk params?": None,
}


def export(rev: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bench-ask-base-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def sample_repo() -> Path:
    repo = Path(tempfile.mkdtemp(prefix="bench-ask-repo-"))
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    (repo / "settings.py").write_text(f"TOKEN_ID = '{aws_access_key(1)}'\n")
    (repo / "deploy").mkdir()
    (repo / "deploy" / "docker-compose.yml").write_text("services:\n  engine:\n    image: redis:latest\n")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    return repo


def run(tree: Path, repo: Path, question: str, env: dict[str, str]) -> float:
    full = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    full |= {"PYTHONPATH": str(tree), "NO_COLOR": "1", **env}
    argv = [sys.executable, "-P", "-m", "orchestrator.cli.main", "--policies", str(tree / "policies"), "ask", question]
    start = time.perf_counter()
    subprocess.run(argv, cwd=repo, env=full, capture_output=True, check=False)
    return time.perf_counter() - start


def keyed(repo: Path, question: str, name: str | None) -> float:
    with FakeAnthropic(transcript(name) if name else []) as fake:
        return run(ROOT, repo, question, fake.env())


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} s [{min(xs):.2f}-{max(xs):.2f}]"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="a revision before orchestrator/llm existed")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    base, repo = export(args.base), sample_repo()
    print(f"load average before: {os.getloadavg()}")
    for question, name in QUESTIONS.items():
        before, after, model = [], [], []
        for _ in range(args.runs):
            before.append(run(base, repo, question, {}))
            after.append(run(ROOT, repo, question, {}))
            if name:
                model.append(keyed(repo, question, name))
        ratio = statistics.median(after) / statistics.median(before)
        line = f"{question!r}: base {fmt(before)}, no key {fmt(after)} ({ratio:.2f}x)"
        if model:
            line += f", with key {fmt(model)} ({statistics.median(model) / statistics.median(after):.2f}x no key)"
        print(line)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
