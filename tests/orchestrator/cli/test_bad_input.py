"""Every bad input is one line on stderr naming what is wrong, and its exit code (issue 11).

The table runs the real CLI in this process (`orchestrator.cli.main.invoke`, what the `droid` script
runs), in a fresh git repository per case. Each row: a name, how to set the repository up, the
arguments, the exit code, and a pattern the one line must match. No row may print a traceback.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from orchestrator.cli.main import invoke
from tests.conftest import REPO_ROOT, git

Setup = Callable[[Path], None]


def _write(rel: str, content: str | bytes) -> Setup:
    def setup(repo: Path) -> None:
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())

    return setup


def _policy(name: str, old: str, new: str) -> Setup:
    """This repository's policies, with `old` replaced by `new` in `name`."""

    def setup(repo: Path) -> None:
        shutil.copytree(REPO_ROOT / "policies", repo / "policies")
        path = repo / "policies" / name
        text = path.read_text()
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1))

    return setup


def _nothing(repo: Path) -> None:
    return None


def _both(*setups: Setup) -> Setup:
    def setup(repo: Path) -> None:
        for s in setups:
            s(repo)

    return setup


def _loop(repo: Path) -> None:
    (repo / "loop.txt").symlink_to("loop.txt")


JOURNAL = "ts,kind,symbol,qty,price\n2026-03-09T14:30:00Z,fill,ES,1,5000.00\n"

CASES: list[tuple[str, Setup, list[str], int, str]] = [
    # usage
    ("gate without a target", _nothing, ["gate"], 2, r"give exactly one of --staged, --base REV or PATH"),
    ("gate with two targets", _nothing, ["gate", "--staged", "--base", "main"], 2, r"give exactly one of"),
    ("gate mode", _write("a.py", "x = 1\n"), ["gate", "--mode", "nightly", "a.py"], 2, r"--mode nightly: expected"),
    ("unknown format", _nothing, ["--format", "yaml", "list"], 2, r"--format yaml: expected one of"),
    ("unknown droid", _nothing, ["run", "no-such-droid"], 2, r"unknown droid 'no-such-droid'"),
    ("unknown mention", _nothing, ["ask", "@nobody look"], 2, r"@nobody: no such droid"),
    ("question no droid matches", _nothing, ["ask", "what is the weather"], 2, r"no droid matches"),
    ("missing path", _nothing, ["gate", "missing.py"], 2, r"missing.py: no such file or directory"),
    ("path outside the repository", _nothing, ["gate", "../outside.py"], 2, r"path outside the repository"),
    ("symbolic link loop", _loop, ["gate", "loop.txt"], 2, r"loop.txt: a symbolic link loop"),
    ("repo not a folder", _nothing, ["--repo", "/no/such/place", "list"], 2, r"--repo /no/such/place: not a dir"),
    ("policies folder missing", _nothing, ["--policies", "/no/such/policies", "audit"], 2, r"no such folder"),
    ("unknown base", _nothing, ["gate", "--base", "nope"], 2, r"--base nope: no such commit"),
    ("commit message missing", _nothing, ["gate", "--staged", "--commit-msg", "nope.txt"], 2, r"nope.txt: no such"),
    ("report folder is a file", _both(_write("a.py", "x\n"), _write("out", "file")), ["gate", "--out", "out/x", "a.py"],
     2, r"--out out/x: cannot create the report folder"),
    ("unknown option after the command", _nothing, ["gate", "--staged", "--colour"], 2, r"No such option"),
    # pyproject.toml [tool.droid]
    ("tool.droid unknown key", _write("pyproject.toml", "[tool.droid]\npolicy = 'x'\n"), ["audit"], 2,
     r"tool.droid.policy: unknown key"),
    ("tool.droid not TOML", _write("pyproject.toml", "[tool.droid\n"), ["audit"], 2, r"pyproject.toml: not valid TOML"),
    ("tool.droid policies missing", _write("pyproject.toml", "[tool.droid]\npolicies = 'conf'\n"), ["audit"], 2,
     r"\[tool.droid\] policies .*conf: no such folder"),
    ("tool.droid core not a package", _write("pyproject.toml", "[tool.droid]\ntrading-core = 'src'\n"), ["audit"], 2,
     r"tool.droid.trading-core: src is not a package folder"),
    # policy files, as a run reads them
    ("gates.yaml unknown key", _policy("gates.yaml", "precedence:", "precedences:"), ["audit"], 2,
     r"policies/gates.yaml:\d+: precedences: Extra inputs"),
    ("gates.yaml not YAML", _policy("gates.yaml", "version: 1", "version: [1"), ["audit"], 2,
     r"policies/gates.yaml:\d+: malformed YAML"),
    ("apex.yaml bad number", _policy("apex.yaml", "max_contracts: 10,", "max_contracts: ten,"), ["audit"], 2,
     r"policies/apex.yaml:\d+: accounts.50k.max_contracts"),
    ("apex-published.yaml bad time", _policy("apex-published.yaml", 'latest_deadline: "16:59"',
     'latest_deadline: "late"'), ["audit"], 2, r"policies/apex-published.yaml:\d+: session.latest_deadline"),
    ("budgets.yaml bad budget", _policy("budgets.yaml", "on_tick_p99_us: 50000", "on_tick_p99_us: fast"), ["audit"],
     2, r"policies/budgets.yaml:\d+: budgets.on_tick_p99_us"),
    ("instruments.yaml unknown key", _policy("instruments.yaml", "version: 1", "version: 1\nvendor: cme"), ["audit"],
     2, r"policies/instruments.yaml:\d+: vendor: Extra inputs"),
    ("sim.yaml bad days", _policy("sim.yaml", "days: 5", "days: -5"), ["audit"], 2, r"policies/sim.yaml:\d+: days"),
    ("strategy.yaml unknown key", _policy("strategy.yaml", "version: 1", "version: 1\nmood: bold"), ["audit"], 2,
     r"policies/strategy.yaml:\d+: mood"),
    ("access.yaml bad owner", _policy("access.yaml", 'owners: ["@compliance"]', "owners: [bob]"), ["audit"], 2,
     r"policies/access.yaml:\d+: protected"),
    ("perf.yaml bad runs", _policy("perf.yaml", "min: 3", "min: none"), ["audit"], 2, r"policies/perf.yaml:\d+: runs"),
    ("devops.yaml unknown key", _policy("devops.yaml", "version: 1", "version: 1\nclusters: 3"), ["audit"], 2,
     r"policies/devops.yaml:\d+: clusters"),
    ("monitoring.yaml unknown key", _policy("monitoring.yaml", "version: 1", "version: 1\npager: on"), ["audit"], 2,
     r"policies/monitoring.yaml:\d+: pager"),
    ("data.yaml unknown key", _policy("data.yaml", "version: 1", "version: 1\nvendor: x"), ["audit"], 2,
     r"policies/data.yaml:\d+: vendor"),
    ("empty gates.yaml", _both(_policy("gates.yaml", "version: 1", "version: 1"), _write("policies/gates.yaml", "")),
     ["audit"], 2, r"policies/gates.yaml: empty policy file"),
    ("policy check names the file", _policy("sim.yaml", "days: 5", "days: -5"), ["policy", "check"], 2,
     r"sim.yaml:\d+: days"),
    # state files
    ("baseline not JSON", _write("droid-baseline.json", "{oops"), ["audit"], 2, r"droid-baseline.json: unreadable"),
    ("baseline wrong schema", _write("droid-baseline.json", '{"schema": "other"}'), ["audit"], 2,
     r"schema: expected 'droid-baseline/1'"),
    ("secrets baseline not JSON", _write(".secrets.baseline", "{oops"), ["audit"], 2, r"\.secrets\.baseline"),
    ("gitleaks config not TOML", _write(".gitleaks.toml", "[[rules]\n"), ["audit"], 2, r"\.gitleaks\.toml"),
    # apex check
    ("journal missing", _nothing, ["apex", "check", "nope.csv"], 2, r"nope.csv"),
    ("journal is a folder", _write("j/x.csv", JOURNAL), ["apex", "check", "j"], 2, r"j: "),
    ("journal not UTF-8", _write("j.csv", b"ts,kind,symbol,qty,price\n\xff\xfe,fill,ES,1,5000\n"), ["apex", "check",
     "j.csv"], 2, r"j.csv"),
    ("journal bad row", _write("j.csv", JOURNAL + "2026-03-09T14:31:00Z,fill,ES,one,5000.00\n"), ["apex", "check",
     "j.csv"], 2, r"j.csv: row 3: qty: expected a number"),
    ("journal naive time", _write("j.csv", "ts,kind,symbol,qty,price\n2026-03-09T14:30:00,fill,ES,1,5000.00\n"),
     ["apex", "check", "j.csv"], 2, r"j.csv: row 2: ts: naive timestamp"),
    ("journal unknown format", _write("j.txt", JOURNAL), ["apex", "check", "j.txt"], 2, r"j.txt"),
    ("apex unknown ruleset", _write("j.csv", JOURNAL), ["apex", "check", "j.csv", "--ruleset", "v9"], 2,
     r"unknown ruleset 'v9'"),
    ("apex unknown account", _write("j.csv", JOURNAL), ["apex", "check", "j.csv", "--account", "7k"], 2,
     r"unknown account '7k'"),
    # the audit trail
    ("anchor malformed", _nothing, ["audit-log", "verify", "--anchor", "x"], 2, r"--anchor x: expected SEQ:HASH"),
    ("ingest bad line", _write("events.jsonl", '{"ts": "yesterday"}\n'), ["audit-log", "ingest", "events.jsonl"], 2,
     r"events.jsonl:1: "),
    ("ingest missing file", _nothing, ["audit-log", "ingest", "nope.jsonl"], 2, r"nope.jsonl: cannot read"),
    ("trail truncated to nothing", _write(".droid/audit.db", b""), ["audit-log", "show"], 2, r"audit.db"),
    # the other droids' commands
    ("sim days", _nothing, ["sim", "run", "--days", "0"], 2, r"days: expected 1 to 260 trading days, got 0"),
    ("data check missing file", _nothing, ["data", "check", "nope.csv"], 2, r"nope.csv"),
    ("data check bad csv", _write("bars.csv", "ts,symbol,open\nnot a time,ES,1\n"), ["data", "check", "bars.csv"], 2,
     r"bars.csv"),
    ("monitor bad journal", _write("journal.csv", "ts,kind\nx,y\n"), ["monitor", "status", "journal.csv"], 2,
     r"journal.csv"),
]  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    (root / "README.md").write_text("# repo\n")
    git(root, "add", "README.md")
    git(root, "commit", "-q", "-m", "init")
    monkeypatch.chdir(root)
    monkeypatch.delenv("DROID_POLICIES", raising=False)
    return root


def test_the_table_has_fifty_bad_inputs() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize(("name", "setup", "argv", "code", "says"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_input_is_one_line_and_its_exit_code(
    repo: Path, capsys: pytest.CaptureFixture[str], name: str, setup: Setup, argv: list[str], code: int, says: str
) -> None:
    import re

    setup(repo)
    assert invoke(argv) == code
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err, err
    assert any(re.search(says, line) for line in lines), err
    if not argv[-1].startswith("--colour"):  # click's own usage errors print a usage block
        assert len([line for line in lines if line.startswith("droid: ")]) == 1, err
