"""Every pack's HTML page as a board reads it, on the demo data, for a portal and an admin, in headless
Chromium: no chart's texts run into each other or off the chart, every line, bar and share is named,
and printed on A4 no chart or table row is cut, a long table's header is repeated on each page and
nothing is wider than the page. The first page of each is written to build/screenshots/ to look at.

The demo is loaded once per database and the browser started once for the module: each page is
loaded, measured and printed once, and its tests read what was measured."""

import io
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.demo.service import load_demo
from app.main import create_app
from tests.conftest import BACKENDS, fresh_database, secret_of, serving, settings_for
from tests.packs.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.server import wait_until_ready

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
NORTH_WEST = "E12000002"
RANGE = {"from": "2016-04-01", "to": "2021-03-31"}
PACKS = {
    "care-orders-at-home": RANGE, "outcomes": RANGE, "audits": RANGE, "completeness": RANGE,
    "compare": {"measure": "orders_made", "before": "2016-04-01:2018-03-31", "after": "2018-04-01:2021-03-31"},
}
READERS = ("portal", "admin")
A4_POINTS = (595.28, 841.89)
# A4 less the stylesheet's page margins (12 mm × 10 mm), in CSS pixels (96 to the inch).
PRINTED_WIDTH = round((210 - 2 * 10) / 25.4 * 96)


@dataclass
class Demo:
    backend: str
    url: str
    headers: dict[str, dict[str, str]]


# Its module-scoped fixture is built once: under pytest-xdist these tests stay on one worker.
pytestmark = pytest.mark.xdist_group("demo_in_a_browser")


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo data set, loaded through the app's own loader, served over HTTP; a portal's and an admin's keys."""
    _need_chromium()
    with fresh_database(request, request.param, tmp_path_factory.mktemp("demo")) as url:
        app = create_app(settings_for(url))
        started = time.monotonic()
        headers = {}
        with app.state.sessionmaker() as session, session.begin():
            load_demo(session, secret_of(app))
            for reader in READERS:
                _, key = create_client(session, ClientCreate(name=f"{reader} reading", role=reader,
                                                             area=NORTH_WEST if reader == "portal" else None),
                                       secret_of(app))
                headers[reader] = {"Authorization": f"Bearer {key}"}
        _report(request, f"demo loaded on {request.param} in {time.monotonic() - started:.1f} s")
        try:
            with serving(app) as served:
                # These tests measure layout, not publication: on a loaded machine the start-up publication can
                # outlast a first read's wait (a 503 with Retry-After, as a portal is told).
                wait_until_ready(served, seconds=900, failure="the demo's tables were never published")
                yield Demo(request.param, served, headers)
        finally:
            app.state.publications.close()
            app.state.engine.dispose()


@pytest.fixture(scope="module")
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()
    playwright.stop()
    if SCREENSHOTS.exists():
        _report(request, f"screenshots of each pack's first page: {SCREENSHOTS}")


def _need_chromium() -> None:
    if CHROMIUM is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no chromium on PATH")
        pytest.skip("no chromium on PATH: `bash scripts/test` installs it")


def _report(request: pytest.FixtureRequest, line: str) -> None:
    """Straight to the terminal, past pytest's capture: where the screenshots are is for whoever ran the tests."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.fixture(scope="module")
def measured(demo: Demo, browser: Any) -> Any:
    """What each page shows, measured once per reader and pack: `measured(reader, pack)`."""
    done: dict[tuple[str, str], dict[str, Any]] = {}

    def measure(reader: str, pack: str) -> dict[str, Any]:
        if (reader, pack) not in done:
            done[reader, pack] = _measure(browser, demo, reader, pack)
        return done[reader, pack]

    return measure


def _measure(browser: Any, demo: Demo, reader: str, pack: str) -> dict[str, Any]:
    context = browser.new_context(extra_http_headers=demo.headers[reader], viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        response = page.goto(f"{demo.url}/api/v1/packs/{pack}?" + "&".join(
            f"{k}={v}" for k, v in {**PACKS[pack], "area": NORTH_WEST, "format": "html"}.items()), wait_until="load",
            # A suppressed reader's first read of a region's outcomes publishes it: 10-20 s on a busy machine.
            timeout=240_000)
        assert response is not None and response.status == 200, response and response.text()
        result = {"charts": page.evaluate(CHARTS), "note": page.locator("#suppression-note").inner_text(),
                  "heading": page.locator("h1").inner_text(), "title": page.title(),
                  "cells": page.evaluate("() => Array.from(document.querySelectorAll('td')).map(td => td.innerText)")}
        page.emulate_media(media="print")
        page.set_viewport_size({"width": PRINTED_WIDTH, "height": 1000})
        result["too_wide"] = page.evaluate(TOO_WIDE)
        page.set_viewport_size({"width": round(210 / 25.4 * 96), "height": round(297 / 25.4 * 96)})
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{pack}-{reader}-{demo.backend}.png"
        page.screenshot(path=str(shot))
        result["screenshot"] = shot
        result["printed"] = _printed(page.pdf(format="A4", tagged=True, print_background=True))
        return result
    finally:
        context.close()


# Each chart's texts as quadrilaterals in the chart's own coordinates (a turned label is a turned box), then
# every pair that overlaps by more than half a pixel, every text that runs off the chart, every mark without a
# name (data-key) and every name without a visible label (data-label).
CHARTS = """() => Array.from(document.querySelectorAll('svg.chart')).map(chart => {
    const view = chart.viewBox.baseVal;
    const shown = t => Array.from(t.childNodes).filter(n => n.nodeName !== 'title').map(n => n.textContent).join('');
    const boxes = Array.from(chart.querySelectorAll('text')).filter(t => shown(t).trim() && t.getBBox().width > 0)
        .map(t => {
            const b = t.getBBox(), m = t.getCTM(), root = chart.getCTM().inverse().multiply(m);
            const corner = (x, y) => new DOMPoint(x, y).matrixTransform(root);
            return {text: shown(t), quad: [corner(b.x, b.y), corner(b.x + b.width, b.y),
                                           corner(b.x + b.width, b.y + b.height), corner(b.x, b.y + b.height)]};
        });
    const axes = q => q.map((p, i) => { const n = q[(i + 1) % 4]; return {x: p.y - n.y, y: n.x - p.x}; });
    const project = (q, a) => q.map(p => p.x * a.x + p.y * a.y);
    const overlap = (p, q) => [...axes(p), ...axes(q)].every(a => {
        const len = Math.hypot(a.x, a.y) || 1, pp = project(p, a), qq = project(q, a);
        return (Math.min(Math.max(...pp), Math.max(...qq)) - Math.max(Math.min(...pp), Math.min(...qq))) / len > 0.5;
    });
    const overlaps = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => { if (overlap(a.quad, b.quad)) overlaps.push([a.text, b.text]); }));
    const off = boxes.filter(b => b.quad.some(p => p.x < view.x - 0.5 || p.y < view.y - 0.5 ||
        p.x > view.x + view.width + 0.5 || p.y > view.y + view.height + 0.5)).map(b => b.text);
    const keys = new Set(Array.from(chart.querySelectorAll('[data-key]')).map(e => e.dataset.key));
    const labels = new Set(Array.from(chart.querySelectorAll('text[data-label]'))
        .filter(t => t.getBBox().width > 0).map(t => t.dataset.label));
    const unnamed = Array.from(chart.querySelectorAll('polyline, circle.point, rect.bar'))
        .filter(m => !m.classList.contains('hidden-share') && !m.closest('[data-key]')).length;
    return {label: chart.getAttribute('aria-label'), texts: boxes.length, overlaps, off,
            series: chart.querySelectorAll('g.series').length, unlabelled: [...keys].filter(k => !labels.has(k)),
            unnamed, marks: Array.from(chart.querySelectorAll('text.mark')).filter(t => !t.closest('g.key'))
                .map(t => [shown(t), t.querySelector('title') ? t.querySelector('title').textContent : ''])};
})"""
TOO_WIDE = """() => Array.from(document.querySelectorAll('table, svg.chart, h1, h2, p'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map(e => e.tagName + ': ' + (e.getAttribute('aria-label') || e.textContent.slice(0, 60)))"""


def _printed(pdf: bytes) -> dict[str, Any]:
    """From the tagged PDF's structure tree, the pages each chart and each table row is drawn on."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    numbers = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    figures = [(str(f.get("/Alt", "")), _pages(f, numbers)) for f in _elements(root, "/Figure")]
    tables = []
    for table in _elements(root, "/Table"):
        rows = _elements(table, "/TR")
        tables.append([(bool(_elements(row, "/TH")), _pages(row, numbers)) for row in rows])
    return {"sizes": [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages],
            "figures": figures, "tables": tables}


def _kids(node: Any) -> list[Any]:
    kids = node.get("/K")
    return [] if kids is None else kids if isinstance(kids, list) else [kids]


def _elements(node: Any, kind: str) -> list[Any]:
    found = []
    for kid in _kids(node.get_object()):
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            found += [kid] if kid["/S"] == kind else _elements(kid, kind)
    return found


def _pages(node: Any, numbers: dict[int, int], page: int | None = None) -> set[int]:
    """The pages an element's marked content is on (a marked-content id is on its element's /Pg)."""
    node = node.get_object()
    if "/Pg" in node:
        page = numbers[node.raw_get("/Pg").idnum]
    if node.get("/Type") in ("/MCR", "/OBJR"):
        return {page}
    found: set[int] = set()
    for kid in _kids(node):
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        found |= {page} if isinstance(kid, int) else _pages(kid, numbers, page) if isinstance(kid, dict) else set()
    return found


def every_page() -> list[Any]:
    return [pytest.param(reader, pack, id=f"{reader}-{pack}") for reader in READERS for pack in PACKS]


@pytest.mark.parametrize(("reader", "pack"), every_page())
def test_no_two_texts_of_a_chart_overlap_or_run_off_it(measured, reader, pack):
    charts = measured(reader, pack)["charts"]
    assert [(c["label"], c["overlaps"], c["off"]) for c in charts if c["overlaps"] or c["off"]] == []
    assert all(c["texts"] > 0 for c in charts)


@pytest.mark.parametrize(("reader", "pack"), every_page())
def test_every_line_bar_and_share_of_a_chart_is_named(measured, reader, pack):
    charts = measured(reader, pack)["charts"]
    assert [(c["label"], c["unlabelled"], c["unnamed"]) for c in charts if c["unlabelled"] or c["unnamed"]] == []


def test_the_per_la_chart_names_all_23_las(measured):
    per_la = next(c for c in measured("admin", "care-orders-at-home")["charts"] if c["label"].endswith("per LA"))
    assert per_la["series"] == 23 and per_la["unlabelled"] == []


@pytest.mark.parametrize(("reader", "pack"), every_page())
def test_printed_on_a4_no_chart_or_row_is_split_and_headers_repeat(measured, reader, pack):
    printed = measured(reader, pack)["printed"]
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in printed["sizes"]), printed["sizes"]
    assert [(alt, pages) for alt, pages in printed["figures"] if len(pages) != 1] == []
    for rows in printed["tables"]:
        body = [pages for header, pages in rows if not header]
        assert [pages for pages in body if len(pages) != 1] == []
        headers = [pages for header, pages in rows if header]
        assert all(pages >= set().union(*body) for pages in headers), (headers, body)


@pytest.mark.parametrize(("reader", "pack"), every_page())
def test_nothing_printed_is_wider_than_an_a4_page(measured, reader, pack):
    assert measured(reader, pack)["too_wide"] == []


@pytest.mark.parametrize(("reader", "pack"), every_page())
def test_a_screenshot_of_the_first_page_is_written(measured, reader, pack):
    shot = measured(reader, pack)["screenshot"]
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("pack", PACKS)
def test_an_admin_sees_no_c_and_is_told_every_figure_is_shown(measured, pack):
    page = measured("admin", pack)
    assert "c" not in page["cells"] and not [m for c in page["charts"] for m in c["marks"] if m[0] == "c"]
    if pack != "completeness":
        assert page["note"].startswith("Every figure is shown")


@pytest.mark.parametrize("pack", PACKS)
def test_a_portal_is_never_told_it_holds_a_full_copy(measured, pack):
    page = measured("portal", pack)
    assert not re.search(r"full disclosure|administrator|every figure is shown|unsuppressed", page["note"], re.I)
    assert not re.search(r"administrator|unsuppressed", page["heading"] + page["title"], re.I)


@pytest.mark.parametrize("pack", [p for p in PACKS if p != "completeness"])
def test_a_portal_sees_c_for_suppressed_and_dash_only_for_not_returned(measured, pack):
    page = measured("portal", pack)
    assert page["note"].startswith("Counts from 1 to 5 are shown as c")
    marks = [m for c in page["charts"] for m in c["marks"]]
    assert all(title.endswith(": suppressed") for text, title in marks if text == "c")
    assert all(title.endswith(": not returned") for text, title in marks if text == "–")


def test_the_completeness_page_tells_every_reader_it_counts_no_children(measured):
    notes = {measured(reader, "completeness")["note"] for reader in READERS}
    assert len(notes) == 1 and "counts returns, not children" in notes.pop()
