"""The dashboard in a real browser: Debian's headless Chromium driven by playwright (never a browser
that playwright downloads). A screenshot is taken, the equity chart gains points after a journal line
is appended, and the report page opens with every network request refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.droids.monitoring.dashboard.serve import Served
from tests.droids.monitoring.support import HEADER, env_with, es_path, policies_copy, run

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent (apt-get install chromium)"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _points(page) -> int:
    return int(page.get_attribute("#equity-chart", "data-points") or 0)


def test_live_dashboard_chart_follows_the_journal(tmp_path: Path, browser) -> None:
    served = Served(tmp_path, HEADER + es_path([5001.0, 5002.0, 4998.0]))
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(served.url)
        page.wait_for_selector("#equity-chart canvas")
        page.wait_for_function("document.getElementById('live').textContent === 'live'")
        page.wait_for_function("Number(document.getElementById('equity-chart').dataset.points) >= 4")
        before = _points(page)
        shot = tmp_path / "before.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        served.append("".join(f"2026-03-09T10:{m:02d}:00-04:00,mark,ES,,{4990 - m:.2f},\n" for m in range(10, 13)))
        page.wait_for_function(f"Number(document.getElementById('equity-chart').dataset.points) > {before}",
                               timeout=20_000)  # fmt: skip
        assert _points(page) == before + 3
        after = tmp_path / "after.png"
        page.screenshot(path=str(after), full_page=True)
        assert after.read_bytes() != shot.read_bytes()
    finally:
        served.stop()


def test_report_opens_with_no_network(tmp_path: Path, browser) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    policies = policies_copy(repo)
    journal = repo / "journal.csv"
    journal.write_text(HEADER + es_path([4990.0, 4950.0, 4915.0]))
    out = tmp_path / "report"
    done = run(["--repo", str(repo), "--policies", str(policies), "monitor", "report", str(journal), "--out", str(out)],
               repo, env_with())  # fmt: skip
    assert done.returncode == 0, done.stderr
    context = browser.new_context(offline=True)
    requested: list[str] = []
    context.route("**/*", lambda route: (requested.append(route.request.url), route.continue_()
                                         if route.request.url.startswith("file:") else route.abort()))  # fmt: skip
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((out / "monitor.html").as_uri())
    page.wait_for_selector("#drawdown-chart canvas")
    assert _points(page) == 4 and errors == []
    assert [u for u in requested if not u.startswith("file:")] == []
    assert "MON001" in page.inner_text("#open-alerts")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
