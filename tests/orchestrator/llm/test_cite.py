"""The model's answer may cite only rule ids, fingerprints and paths that exist: a table of answers
that pass and that are refused, against the evidence the tools returned."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestrator.llm.cite import Evidence, other_verdict, unknown_citations

FP = "sha256:" + "ab12" * 16
RESULTS = [
    {"findings": [{"rule": "SEC001", "path": "settings.py", "line": 3, "fingerprint": FP}]},
    {"entries": [{"kind": "approval", "details": {"path": "policies/apex.yaml", "key": "accounts.50k.drawdown"}}]},
    {"report": ".droid/reports/20261201T060000Z/report.json", "notes": ["catalog data/catalog is stale"]},
    {"fix": "Add `.env` and `.env.*` to .gitignore"},
]
KNOWN_RULES = {"SEC001", "SEC003", "OPS013", "APX002"}


@pytest.fixture
def evidence() -> Evidence:
    found = Evidence()
    for result in RESULTS:
        found.add(result)
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "trading_core" / "risk").mkdir(parents=True)
    (tmp_path / "trading_core" / "risk" / "sentinel.py").write_text("")
    (tmp_path / "README.md").write_text("")
    return tmp_path


@pytest.mark.parametrize(
    ("answer", "unknown"),
    [
        ("SEC001 found a key in settings.py:3.", []),
        (f"Rotate the key ({FP}).", []),
        (f"Fingerprint {FP[:19]}... is the one.", []),  # a prefix of a fingerprint shown
        ("No OPS013 or APX002 finding today.", []),  # registered rules exist even without findings
        ("`policies/apex.yaml` changed (approved), see report.json.", []),
        ("The sentinel (trading_core/risk/sentinel.py) and README.md are fine.", []),  # files of the repo
        ("Add .env to .gitignore; the catalog data/catalog is stale.", []),
        ("See https://example.com/docs/setup.md and version 1.2.3, e.g. 9.5 %.", []),  # not paths
        ("Approved by risk@desk.example in trading_core.risk.sentinel.", []),
        ("SEC999 found a key.", ["SEC999"]),
        (f"Rotate {FP[:-8]}ffffffff now.", [f"{FP[:-8]}ffffffff"]),
        ("sha256:deadbeefdeadbeef is the one", ["sha256:deadbeefdeadbeef"]),
        ("The key sits in config/secrets.yaml:4 and .env.local.", ["config/secrets.yaml", ".env.local"]),
        ("SEC999 twice: SEC999 in app.py", ["SEC999", "app.py"]),
        ("../../etc/passwd.txt", ["../../etc/passwd.txt"]),
    ],
)
def test_an_answer_cites_only_what_exists(evidence: Evidence, repo: Path, answer: str, unknown: list[str]) -> None:
    assert unknown_citations(answer, evidence, KNOWN_RULES, repo) == unknown


@pytest.mark.parametrize(
    ("answer", "other"),
    [
        ("Verdict: block. Fix SEC001 first.", None),
        ("The verdict is block; nothing ships.", None),
        ("No finding blocks; you may deploy.", None),  # no verdict stated
        ("Verdict: pass. Ship it.", "pass"),
        ("droid's verdict is **warn**", "warn"),
    ],
)
def test_an_answer_may_state_only_codes_verdict(answer: str, other: str | None) -> None:
    assert other_verdict(answer, "block") == other
