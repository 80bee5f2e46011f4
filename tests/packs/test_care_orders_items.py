"""The care-orders pack's interim-order items, shares of discharges, the LAs' notes and its yearly bars."""

import csv
import io
import re

from openpyxl import load_workbook

from tests.packs.helpers import make_group, pack, put_counts
from tests.payloads import ENGLAND, KNOWSLEY, LIVERPOOL, NORTH_WEST

DAY = "2021-03-31"
HALTON = "876"
YEAR = {"from": "2020-04-01", "to": DAY}
INTERIM = ("interim_orders_from_private_law", "interim_orders_for_parent_assessment",
           "interim_orders_for_parent_assessment_child_remained", "interim_orders_became_full_orders")
RATE = "pct_parent_assessment_child_remained"


def interim(private: int, assessed: int, remained: int, became: int) -> dict[str, int]:
    return dict(zip(INTERIM, (private, assessed, remained, became), strict=True))


async def arrange_interim(admin) -> None:
    await put_counts(admin, LIVERPOOL, DAY, **interim(2, 12, 8, 30))
    await put_counts(admin, KNOWSLEY, DAY, **interim(0, 9, 3, 9))
    await put_counts(admin, HALTON, DAY)  # returned no interim items


def row_of(at: dict, code: str) -> dict:
    return next(r for r in at["las"] if r["la"] == code)


async def test_interim_items_and_their_success_rate_per_la_area_and_comparators(api):
    admin = api("admin")
    await arrange_interim(admin)
    [at] = (await pack(admin, "care-orders-at-home", area=NORTH_WEST, **YEAR))["dates"]
    liverpool, knowsley, halton = row_of(at, LIVERPOOL), row_of(at, KNOWSLEY), row_of(at, HALTON)
    assert [liverpool[n] for n in (*INTERIM, RATE)] == [2, 12, 8, 30, 66.7]  # 8 / 12
    assert [knowsley[n] for n in (*INTERIM, RATE)] == [0, 9, 3, 9, 33.3]     # 3 / 9
    assert [halton[n] for n in (*INTERIM, RATE)] == [None] * 5
    total = at["total"]
    # 11 of 21 assessments ended with the child at home: 52.38..., over the two LAs that returned the items.
    assert [total[n] for n in (*INTERIM, RATE)] == [2, 21, 11, 39, 52.4]
    assert total["las_returned"] == 3 and {total["item_las_returned"][n] for n in INTERIM} == {2}
    england = next(c for c in at["comparators"] if c["area"] == ENGLAND)
    assert [england[n] for n in (*INTERIM, RATE)] == [2, 21, 11, 39, 52.4]


async def test_shares_of_discharges_to_each_outcome_are_of_the_discharges_in_the_year(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, DAY, discharges={"total": 40, "to_no_order": 28, "to_supervision_order": 11,
                                                        "to_family_assistance_order": 1})
    [at] = (await pack(admin, "care-orders-at-home", area=LIVERPOOL, **YEAR))["dates"]
    row = at["las"][0]
    assert (row["pct_discharges_to_no_order"], row["pct_discharges_to_supervision_order"],
            row["pct_discharges_to_family_assistance_order"]) == (70.0, 27.5, 2.5)
    assert row["pct_discharges_to_special_guardianship_order"] is None  # not returned: no share, not 0


async def test_a_success_rate_is_hidden_with_either_count_it_is_worked_from(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await arrange_interim(admin)
    [at] = (await pack(portal, "care-orders-at-home", area=NORTH_WEST, **YEAR))["dates"]
    for row in [*at["las"], at["total"], *at["comparators"]]:
        inputs = {"interim_orders_for_parent_assessment", "interim_orders_for_parent_assessment_child_remained"}
        if inputs & set(row["suppressed"]):
            assert row[RATE] is None and row["suppressed"][RATE] == "c", row.get("la") or row["area"]
    assert row_of(at, KNOWSLEY)["suppressed"]["interim_orders_for_parent_assessment_child_remained"] == "c"


def _small(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


async def test_a_suppressed_reader_never_gets_a_small_interim_count_in_any_format(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await arrange_interim(admin)
    await put_counts(admin, HALTON, DAY, **interim(7, 10, 6, 3))
    truth = (await pack(admin, "care-orders-at-home", area=NORTH_WEST, **YEAR))["dates"][0]
    assert any(_small(row[n]) for row in truth["las"] for n in INTERIM)  # there are small counts to hide
    [at] = (await pack(portal, "care-orders-at-home", area=NORTH_WEST, **YEAR))["dates"]
    assert not [(r.get("la") or r["area"], n) for r in [*at["las"], at["total"], *at["comparators"]] for n in INTERIM
                if _small(r[n])]
    params = {"area": NORTH_WEST, **YEAR}
    rows = csv.DictReader(io.StringIO((await portal.get("/api/v1/packs/care-orders-at-home",
                                                        params=params | {"format": "csv"})).text))
    assert not [r for r in rows if r["measure"] in INTERIM and r["value"] in ("1", "2", "3", "4", "5")]
    workbook = load_workbook(io.BytesIO((await portal.get("/api/v1/packs/care-orders-at-home",
                                                          params=params | {"format": "xlsx"})).content))
    for sheet in workbook.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        columns = [i for i, name in enumerate(header) if name in INTERIM]
        assert not [(sheet.title, row[i]) for row in sheet.iter_rows(min_row=2, values_only=True) for i in columns
                    if _small(row[i])]
    html = (await portal.get("/api/v1/packs/care-orders-at-home", params=params | {"format": "html"})).text
    assert not re.findall(r'data-value="[1-5]"', html)
    assert not re.findall(r"<td class=\"\">[1-5]</td>", html)


async def test_each_las_notes_are_published_per_snapshot_date_in_every_format(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    said = "Two sibling groups were discharged together; see the court's list."
    await put_counts(admin, LIVERPOOL, DAY, notes=said)
    await put_counts(admin, KNOWSLEY, DAY, notes="   ")
    await put_counts(admin, HALTON, DAY, notes="Halton is not in the group.")
    query = {"area": "merseyside", **YEAR}
    [at] = (await pack(portal, "care-orders-at-home", **query))["dates"]
    assert at["notes"] == [{"la": LIVERPOOL, "name": "Liverpool", "notes": said}]
    rows = list(csv.DictReader(io.StringIO((await portal.get("/api/v1/packs/care-orders-at-home",
                                                             params=query | {"format": "csv"})).text)))
    assert [(r["section"], r["period"], r["code"], r["value"]) for r in rows if r["measure"] == "notes"] == [
        ("notes", DAY, LIVERPOOL, said)]
    workbook = load_workbook(io.BytesIO((await portal.get("/api/v1/packs/care-orders-at-home",
                                                          params=query | {"format": "xlsx"})).content))
    assert [list(r) for r in workbook["What the LAs told us"].iter_rows(values_only=True)] == [
        ["period", "code", "name", "notes"], [DAY, LIVERPOOL, "Liverpool", said]]
    html = (await portal.get("/api/v1/packs/care-orders-at-home", params=query | {"format": "html"})).text
    told = html[html.index("<h2>What the LAs told us</h2>"):]
    assert "Two sibling groups were discharged together; see the court&#39;s list." in told
    assert "Halton is not in the group" not in html


# Orders made in the year to each 31 March, by LA (None: the counts returned without the item).
ORDERS_MADE = {2017: (40, 22), 2018: (35, None), 2019: (51, 30), 2020: (44, 27), 2021: (38, 25)}
# Worked by hand: the area's bar each financial year, over the LAs that returned the item.
AREA_BARS = [("2016-17", "62"), ("2017-18", "35"), ("2018-19", "81"), ("2019-20", "71"), ("2020-21", "63")]


def bars(svg: str, kind: str) -> list[tuple[str, ...]]:
    return re.findall(rf'<g class="{kind}" data-key="[^"]*" (?:data-row="([^"]*)" )?data-label="([^"]*)" '
                      r'data-value="([^"]*)"', svg)


def chart(html: str, title: str) -> str:
    start = html.index(f'aria-label="{title}"')
    return html[start:html.index("</svg>", start)]


async def test_yearly_bars_for_orders_made_reproduce_the_series_by_hand(api):
    admin = api("admin")
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    for year, (liverpool, knowsley) in ORDERS_MADE.items():
        await put_counts(admin, LIVERPOOL, f"{year}-03-31", orders_made_in_year=liverpool)
        await put_counts(admin, KNOWSLEY, f"{year}-03-31", **({} if knowsley is None else
                                                             {"orders_made_in_year": knowsley}))
    html = (await admin.get("/api/v1/packs/care-orders-at-home", params={
        "area": "merseyside", "from": "2016-04-01", "to": DAY, "format": "html"})).text
    area = bars(chart(html, "Merseyside: care orders at home made each year"), "year-bar")
    assert [(label, value) for _, label, value in area] == AREA_BARS
    per_la = bars(chart(html, "Care orders at home made, each year"), "year-cell")
    years = [label for label, _ in AREA_BARS]
    assert per_la == [  # the LAs by code: Knowsley (340), then Liverpool (341)
        *(("Knowsley", y, "–" if ORDERS_MADE[2017 + i][1] is None else str(ORDERS_MADE[2017 + i][1]))
          for i, y in enumerate(years)),
        *(("Liverpool", y, str(ORDERS_MADE[2017 + i][0])) for i, y in enumerate(years)),
        *(("Merseyside", label, value) for label, value in AREA_BARS)]
    assert 'aria-label="2017-18: 35"' in html and 'data-label="2017-18" data-value="–" data-state="not-returned"' in html


async def test_an_areas_share_of_discharges_is_only_over_the_las_that_returned_the_part_and_the_whole(api):
    admin = api("admin")
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, DAY, discharges={"total": 40, "to_no_order": 28, "to_supervision_order": 11})
    await put_counts(admin, KNOWSLEY, DAY, discharges={"total": 20})  # the total alone, as a 903 extract gives it
    [at] = (await pack(admin, "care-orders-at-home", area="merseyside", **YEAR))["dates"]
    total = at["total"]
    assert total["discharges_total"] == 60 and total["discharges_to_no_order"] == 28
    assert total["item_las_returned"]["discharges_to_no_order"] == 1
    assert total["pct_discharges_to_no_order"] is None  # 28 of 40, or of 60? Neither is the area's share
    liverpool = next(r for r in at["las"] if r["la"] == LIVERPOOL)
    assert liverpool["pct_discharges_to_no_order"] == 70.0
    page = (await admin.get("/api/v1/packs/care-orders-at-home",
                            params={"area": "merseyside", **YEAR, "format": "html"})).text
    flows = page[page.index("Year by year: orders made and discharges"):]
    assert re.search(r'<tr class="[^"]*partial[^"]*"><td[^>]*>2020-21</td><td[^>]*>1 of 2', flows)
