"""The morning report in a real browser: Debian's headless Chromium driven by playwright (never a
browser playwright downloads), every network request refused. Two real audits with a finding fixed
and another added between them, then `droid report`: a screenshot at 1280 px, no horizontal scroll,
every chart drawn (its pixels are not blank), the "since the previous audit" numbers right."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.orchestrator.render.morning_demo import demo_repo, droid

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("morning")
    repo = demo_repo(root)
    out = root / "morning"
    done = droid(repo, "report", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return repo, out / "report.html"


@pytest.fixture(scope="module")
def page(demo):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        requested: list[str] = []
        context.route("**/*", lambda route: (requested.append(route.request.url), route.continue_()
                                             if route.request.url.startswith("file:") else route.abort()))  # fmt: skip
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(demo[1].as_uri())
        page.wait_for_load_state("load")
        yield page
        assert errors == [] and [u for u in requested if not u.startswith("file:")] == []
        browser.close()


def test_a_screenshot_at_1280_with_no_horizontal_scroll(page, tmp_path: Path) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert viewport == 1280 and width <= viewport
    shot = tmp_path / "morning.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000


def test_every_chart_is_drawn(page) -> None:
    from PIL import Image

    charts = page.query_selector_all("figure.chart-box")
    titles = [c.query_selector("svg").get_attribute("aria-label") for c in charts]
    # one chart per droid section that has data, and the changes since the previous audit
    for expected in ("New (right) and fixed (left) findings by droid since the previous audit",
                     "Open secret and SAST findings by age", "Equity and the trailing drawdown threshold",
                     "Drawdown used, share of the allowed drawdown", "Catalog completeness by session"):  # fmt: skip
        assert expected in titles, titles
    assert sum("latency against its budget" in t for t in titles) == 2  # OnTick and ONNX
    for chart, title in zip(charts, titles, strict=True):
        box = chart.bounding_box()
        assert box and box["width"] > 600 and box["height"] > 100, title
        image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
        colours = image.getcolors(maxcolors=1 << 20) or []
        inked = sum(n for n, rgb in colours if sum(rgb) < 720)  # anything but white
        assert len(colours) > 8 and inked > 0.01 * image.width * image.height, title


def test_since_the_previous_audit_one_fixed_one_added(page, demo) -> None:
    assert page.inner_text(".kpi.new b") == "+1" and page.inner_text(".kpi.fixed b") == "\u22121"
    rows = page.eval_on_selector_all("#since table tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText))")
    security = next(r for r in rows if r[0] == "security-compliance")
    assert security[2:4] == ["+1", "-1"]
    assert all(r[2:4] == ["0", "0"] for r in rows if r[0] != "security-compliance")
    new = page.inner_text("#since h3:text('New findings (1)') + div table")
    fixed = page.inner_text("#since h3:text('Fixed findings (1)') + div table")
    assert "B307" in new and "desk/ops.py:9" in new and "B324" in fixed and "desk/ops.py:5" in fixed


def test_the_audits_own_page_is_the_morning_report(demo) -> None:
    repo, _ = demo
    newest = sorted((repo / ".droid" / "reports").iterdir())[-1]
    page = (newest / "report.html").read_text()
    assert "Morning report: desk" in page and "Since the previous audit" in page
    assert "<script" not in page and "<link" not in page
    md = (newest / "report.md").read_text()
    assert md.startswith("## droid morning report: ") and "+1 new, -1 fixed" in md
