"""The HTML pack and /docs as a person sees them: in a real headless Chromium, served over HTTP."""

import os
import shutil

import pytest

from tests.packs.helpers import make_group, put_counts
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def chromium_path() -> str:
    if CHROMIUM is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no chromium on PATH")
        pytest.skip("no chromium on PATH: `bash scripts/test` installs it")
    return CHROMIUM


def browse(chromium_path: str, url: str, headers: dict[str, str] | None = None):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    page = browser.new_context(extra_http_headers=headers or {}).new_page()
    page.goto(url, wait_until="load")
    return playwright, browser, page


CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
    const box = svg.getBoundingClientRect();
    const bars = Array.from(svg.querySelectorAll('rect.bar')).filter(r => r.getBBox().width > 0 && r.getBBox().height > 0);
    const lines = Array.from(svg.querySelectorAll('polyline.series')).filter(l => l.getTotalLength() > 0);
    return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height,
            marks: bars.length + lines.length};
})"""


PACK_URL = "/api/v1/packs/care-orders-at-home?area=merseyside&from=2019-04-01&to=2021-03-31&format=html"


def arrange_pack(api) -> str:
    """Two years of Merseyside's counts; the authorization header of a North West portal."""
    import asyncio

    async def arrange() -> str:
        admin = api("admin")
        await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
        for day, full in (("2020-03-31", 90), ("2021-03-31", 100)):
            await put_counts(admin, LIVERPOOL, day, full_care_orders_at_home=full, interim_care_orders_at_home=3)
            await put_counts(admin, KNOWSLEY, day, full_care_orders_at_home=full // 2, interim_care_orders_at_home=12)
        return api("portal", area=NORTH_WEST).headers["authorization"]

    return asyncio.run(arrange())


def test_html_pack_shows_its_tables_and_draws_its_charts(api, server, chromium_path):
    playwright, browser, page = browse(chromium_path, server + PACK_URL, {"Authorization": arrange_pack(api)})
    try:
        assert page.title().startswith("Children on care orders at home")
        assert page.locator("h1").inner_text() == "Children on care orders at home"
        assert "Merseyside" in page.locator(".meta").inner_text()
        assert "shown as c" in page.locator("#suppression-note").inner_text()
        liverpool_row = page.locator("tr", has_text="Liverpool").first
        assert liverpool_row.locator("td.c").count() >= 2  # the small count and what would give it away
        charts = page.evaluate(CHARTS_DRAWN)
        assert len(charts) == 3
        assert all(c["width"] > 300 and c["height"] > 100 and c["marks"] > 0 for c in charts), charts
    finally:
        browser.close()
        playwright.stop()


def test_html_pack_is_styled_under_its_policy_and_the_browser_reports_no_violation(api, server, chromium_path):
    from playwright.sync_api import sync_playwright

    authorization = arrange_pack(api)  # before Playwright's own event loop starts in this thread
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    try:
        page = browser.new_context(extra_http_headers={"Authorization": authorization}).new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        response = page.goto(server + PACK_URL, wait_until="load")
        assert response is not None and "default-src 'none'" in response.headers["content-security-policy"]
        border = page.eval_on_selector("h2", "h => getComputedStyle(h).borderBottomColor")
        assert border == "rgb(29, 112, 184)"  # the stylesheet's, so the policy let it apply
        assert not [m for m in messages if "Content Security Policy" in m], messages
    finally:
        browser.close()
        playwright.stop()


def test_docs_render_every_operation_offline(server, chromium_path):
    playwright, browser, page = browse(chromium_path, f"{server}/docs")
    try:
        page.wait_for_selector(".opblock", timeout=15_000)
        assert "Regional Data Pack API" in page.locator(".info .title").inner_text()
        assert page.locator(".opblock").count() >= 40
        assert page.locator(".opblock-summary-path", has_text="/api/v1/packs/care-orders-at-home").count() == 1
    finally:
        browser.close()
        playwright.stop()
