"""What a pack's charts and notes say, read from the page the API serves (the browser's view of them is in
test_readability.py)."""

import io
import math
import re

from openpyxl import load_workbook

from app.packs.render import charts
from app.packs.render.svg import nice_ticks
from tests.packs.helpers import audit, make_group, order, put_counts, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

YEARS = {"from": "2019-04-01", "to": "2021-03-31"}
PAGE = "/api/v1/packs/care-orders-at-home"


def test_ticks_fall_at_one_two_or_five_times_a_power_of_ten():
    """The per-LA chart's ticks fell at 70, 141, 212 and 282: a fifth of 1.1 times the largest figure."""
    assert nice_ticks(282) == [0, 100, 200, 300]
    assert nice_ticks(37.2) == [0, 10, 20, 30, 40]
    assert nice_ticks(12.8) == [0, 5, 10, 15]
    assert nice_ticks(0.7) == [0, 0.2, 0.4, 0.6, 0.8]
    for maximum in (1, 3, 9.5, 47, 101, 999, 2870, 123_456):
        ticks = nice_ticks(maximum)
        step = ticks[1] - ticks[0]
        assert ticks[-1] >= maximum and ticks[-2] < maximum
        assert round(step / 10 ** math.floor(math.log10(step)), 9) in (1, 2, 5), (maximum, ticks)


def test_a_line_chart_with_many_series_names_every_one():
    """23 lines with a legend of 14 names: more than MAX_LINES series are drawn as a panel each, named."""
    names = [f"LA {n}" for n in range(23)]
    drawn = charts.line_chart("per LA", ["2020-03-31", "2021-03-31"], {name: [n, n + 1] for n, name in enumerate(names)})
    assert sorted(re.findall(r'data-key="([^"]+)"', drawn)) == sorted(names)
    assert sorted(re.findall(r'data-label="([^"]+)"', drawn)) == sorted(names)


async def test_a_partial_total_is_drawn_hollow_and_named_in_the_charts_key(api):
    admin = api("admin")
    await make_group(admin, "merseyside-pair", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, "2020-03-31")
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    await put_counts(admin, KNOWSLEY, "2021-03-31")
    page = (await admin.get(PAGE, params={"area": "merseyside-pair", **YEARS, "format": "html"})).text
    total = next(svg for svg in re.findall(r"<svg.*?</svg>", page) if 'aria-label="Merseyside Pair: total"' in svg)
    assert re.findall(r'<circle class="point"[^>]* fill="(#[0-9a-f]+)"', total) == ["#ffffff", "#1d70b8"]
    assert charts.PARTIAL_NOTE in total
    assert "Merseyside Pair (1 of 2 LAs: partial)" in page


async def test_a_hidden_point_of_a_line_says_c_where_one_not_returned_leaves_a_gap(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, "2021-03-31", full_care_orders_at_home=2, interim_care_orders_at_home=1)
    await put_counts(admin, KNOWSLEY, "2021-03-31", full_care_orders_at_home=60)
    await put_counts(admin, KNOWSLEY, "2020-03-31", full_care_orders_at_home=60)
    page = (await portal.get(PAGE, params={"area": "merseyside", **YEARS, "format": "html"})).text
    per_la = next(svg for svg in re.findall(r"<svg.*?</svg>", page) if "per LA" in svg)
    assert "Liverpool, 2021-03-31: suppressed</title>c</text>" in per_la
    assert "Liverpool, 2020-03-31" not in per_la  # not returned: a gap, with nothing drawn


async def test_an_la_is_told_its_own_figures_are_shown_in_full(api):
    admin, la = api("admin"), api("la", la=LIVERPOOL)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    page = (await la.get(PAGE, params={"area": "merseyside", **YEARS, "format": "html"})).text
    assert "Counts from 1 to 5 about other LAs are shown as c" in page
    assert "Your own LA&#39;s figures are shown in full" in page


async def test_a_portals_completeness_workbook_does_not_call_itself_full_disclosure(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    response = await portal.get("/api/v1/packs/completeness", params={"area": NORTH_WEST, **YEARS, "format": "xlsx"})
    notes = " ".join(str(c.value) for c in load_workbook(io.BytesIO(response.content))["Notes"]["A"] if c.value)
    assert "counts returns, not children" in notes and "full disclosure" not in notes


async def test_the_charts_of_a_partial_area_total_are_drawn_partial(api):
    admin = api("admin")
    await make_group(admin, "merseyside-pair", [LIVERPOOL, KNOWSLEY])
    await submit(admin, LIVERPOOL, "orders", [order(f"O{i}", order_date="2020-06-01", status_date="2020-07-01")
                                              for i in range(8)])
    page = (await admin.get("/api/v1/packs/outcomes", params={"area": "merseyside-pair", **YEARS,
                                                             "format": "html"})).text
    status = next(svg for svg in re.findall(r"<svg.*?</svg>", page) if "current status" in svg)
    assert charts.PARTIAL_NOTE in status and 'class="bar" data-key="At home on order"' in status
    assert re.search(r'data-key="At home on order"[^>]*fill-opacity="0.4"', status)


async def test_a_partial_area_total_is_labelled_partial_in_the_grades_chart(api):
    admin = api("admin")
    await make_group(admin, "merseyside-pair", [LIVERPOOL, KNOWSLEY])
    await submit(admin, LIVERPOOL, "audits", [audit(f"A{i}", audit_date="2021-02-10") for i in range(8)])
    page = (await admin.get("/api/v1/packs/audits", params={"area": "merseyside-pair", **YEARS, "format": "html"})).text
    grades = next(svg for svg in re.findall(r"<svg.*?</svg>", page) if "grade distribution by domain" in svg)
    assert 'data-label="Overall">Overall (partial)</text>' in grades
