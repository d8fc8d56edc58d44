"""The mutation suite: each kind of look-ahead is seeded into a copy of the trading core's features
and the droid catches every one (statically, and by the truncation test where values change); the
original copy passes. The droid runs as a gate would: its real checks, on a real git repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from droids.core.models import Targets, Task
from droids.core.protocol import DroidContext
from droids.core.registry import load_registry
from tests.conftest import REPO_ROOT, git

BATCH = "trading_core/features/batch.py"
ANCHORS = {
    "ret1": "    ret1 = np.concatenate(([0.0], np.diff(mid)))\n",
    "mid": "    mid = mid_abs - mid_abs[0]\n",
    "lagged": "    lagged = np.concatenate((np.full(momentum_window, mid[0]), mid))[: len(mid)]\n",
    "book": "    book = np.divide(bid_size - ask_size, size, out=np.zeros(len(mid)), where=size > 0)\n",
    "vol": "            rolling_std_batch(ret1, vol_window),\n",
    "flow": "    flow = np.divide(signed, total, out=np.zeros(len(mid)), where=total > 0)\n",
}
MUTATIONS = {
    "np.roll(-1)": ("ret1", "    ret1 = np.roll(ret1, -1)\n", "DATA020"),
    "pandas shift(-1)": (
        "flow",
        "    import pandas as pd\n    flow = pd.Series(flow).shift(-1).fillna(0.0).to_numpy()\n",
        "DATA020",
    ),
    "bfill": (
        "book",
        "    import pandas as pd\n"
        "    book = pd.Series(np.where(book != 0, book, np.nan)).bfill().fillna(0.0).to_numpy()\n",
        "DATA020",
    ),
    "centered window": ("vol", None, "DATA021"),
    "full-sample normalisation": ("mid", "    mid = (mid - mid.mean()) / mid.std()\n", "DATA022"),
    "index past the bar": (
        "lagged",
        "    lead = mid.copy()\n    for k in range(len(mid) - 1):\n        lead[k] = mid[k + 1]\n    lagged = lead\n",
        "DATA024",
    ),
}
CENTRED = (
    "            __import__('pandas').Series(ret1)"
    ".rolling(vol_window, center=True, min_periods=1).std(ddof=0).to_numpy(),\n"
)
STAMP = '\n\ndef bar_stamps(open_ns, length_ns):\n    return {"ts_event": open_ns + length_ns, "ts_init": open_ns}\n'


@pytest.fixture
def core_copy(git_repo: Path) -> Path:
    shutil.copytree(REPO_ROOT / "trading_core", git_repo / "trading_core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO_ROOT / "policies", git_repo / "policies")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "trading core")
    return git_repo


def _gate(repo: Path) -> tuple[set[str], list[str]]:
    git(repo, "add", "-A")
    changed = tuple(git(repo, "diff", "--cached", "--name-only").split())
    task = Task(
        mode="gate",
        profile="pre-commit",
        repo=repo,
        policies=repo / "policies",
        targets=Targets(kind="staged", paths=changed),
    )
    droid = load_registry().get("data-pipeline")
    assert droid is not None
    report = droid.run(task, DroidContext(state_dir=repo / ".droid"))
    assert report.status == "ok", report.error
    return {f.rule for f in report.findings}, report.notes


def test_the_original_features_pass(core_copy: Path) -> None:
    path = core_copy / BATCH
    path.write_text(path.read_text() + "\n# touched\n")
    rules, notes = _gate(core_copy)
    assert rules == set()
    assert any("DATA025 ran trading_core.features.batch:batch_features" in n and "features equal" in n for n in notes)


@pytest.mark.parametrize("kind", list(MUTATIONS))
def test_each_seeded_leak_is_caught_statically_and_by_truncation(core_copy: Path, kind: str) -> None:
    anchor, code, static_rule = MUTATIONS[kind]
    path = core_copy / BATCH
    text = path.read_text()
    assert ANCHORS[anchor] in text, "the trading core changed: update the anchors"
    if anchor == "vol":
        text = text.replace(ANCHORS["vol"], CENTRED)
    else:
        text = text.replace(ANCHORS[anchor], ANCHORS[anchor] + code)
    path.write_text(text)
    rules, _ = _gate(core_copy)
    assert static_rule in rules
    assert "DATA025" in rules


def test_a_bar_stamped_at_its_open_is_caught(core_copy: Path) -> None:
    path = core_copy / BATCH
    path.write_text(path.read_text() + STAMP)
    rules, _ = _gate(core_copy)
    assert rules == {"DATA023"}  # no value changes, so the truncation test passes


def test_a_repository_without_a_trading_core_gets_one_info_line(git_repo: Path) -> None:
    task = Task(
        mode="run",
        profile="run",
        repo=git_repo,
        policies=git_repo / "policies",
        targets=Targets(kind="tree", paths=("README.md",)),
    )
    report = load_registry().get("data-pipeline").run(task, DroidContext(state_dir=git_repo / ".droid"))
    assert report.findings == []
    assert [n for n in report.notes if n.startswith("DATA025")] == []  # said once per run, by the orchestrator
    assert report.metrics["not_applicable"] == {"no trading core configured ([tool.droid] trading-core)": ["DATA025"]}
    assert any(n.startswith("catalog: none named in policies/data.yaml") for n in report.notes)
