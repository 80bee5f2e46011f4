"""Care orders at home benchmarked: rank and quartile among England's LAs per snapshot date, the region, groups
and England beside each LA, in every format, and for a suppressed reader over the figures it is shown only."""

import csv
import io

from openpyxl import load_workbook

from app.packs.benchmark import competition_ranks
from tests.packs.helpers import make_group, pack, put_counts
from tests.payloads import ENGLAND, KNOWSLEY, LIVERPOOL, NORTH_WEST

DAY, EARLIER = "2021-03-31", "2020-03-31"
ST_HELENS, SEFTON, CAMDEN = "342", "343", "202"
PACK = "care-orders-at-home"


async def arrange(admin) -> None:
    """Five LAs, one in London. Hand-computed, highest first (competition ranking, band A–D from the rank):
    % of CLA           Camden 15.0 (1, A) Liverpool 12.0 (2, A) Knowsley 12.0 (2, A) St Helens 10.0 (4, C) Sefton 8.0 (5, D)
    rate per 10,000    Camden 20.0 (1, A) Liverpool 15.0 (2, B) Knowsley 15.0 (2, B) St Helens 10.0 (4, D); Sefton none
    % of discharges to a supervision order
                       Liverpool 25.0 (1, A) Knowsley 25.0 (1, A) St Helens 0.0 (3, C); the others none
    """
    for la, at_home, population, discharges in ((CAMDEN, 150, 75000, None), (LIVERPOOL, 120, 80000, (40, 10)),
                                                (KNOWSLEY, 120, 80000, (20, 5)), (ST_HELENS, 100, 100000, (10, 0)),
                                                (SEFTON, 80, None, None)):
        extra = {} if discharges is None else {"discharges": {"total": discharges[0],
                                                              "to_supervision_order": discharges[1]}}
        await put_counts(admin, la, DAY, cla_total=1000, full_care_orders_at_home=at_home - 20,
                         interim_care_orders_at_home=20, **extra)
        if population is not None:
            response = await admin.put(f"/api/v1/local-authorities/{la}/population/2021",
                                       json={"children_0_17": population})
            assert response.status_code in (200, 201), response.text


def ranks(at: dict, measure: str) -> dict[str, tuple]:
    return {r["la"]: (r["benchmark"][measure]["rank"], r["benchmark"][measure]["ranked"],
                      r["benchmark"][measure]["quartile"]) for r in at["las"]}


def test_ties_share_the_best_rank_and_bands_follow_the_rank():
    ranked = competition_ranks({"a": 10.0, "b": 9.0, "c": 9.0, "d": 7.0})
    assert {k: (r.rank, r.ranked, r.quartile) for k, r in ranked.items()} == {
        "a": (1, 4, "A"), "b": (2, 4, "B"), "c": (2, 4, "B"), "d": (4, 4, "D")}
    banded = competition_ranks({str(i): float(i) for i in range(150)})
    bands = [banded[str(149 - i)].quartile for i in range(150)]
    assert [bands.count(b) for b in "ABCD"] == [38, 37, 38, 37]


async def test_every_la_row_is_ranked_among_englands_las_that_returned_on_the_date(api):
    admin = api("admin")
    await arrange(admin)
    [at] = (await pack(admin, PACK, area=NORTH_WEST, **{"from": "2020-04-01", "to": DAY}))["dates"]
    assert ranks(at, "pct_of_cla") == {LIVERPOOL: (2, 5, "A"), KNOWSLEY: (2, 5, "A"), ST_HELENS: (4, 5, "C"),
                                       SEFTON: (5, 5, "D")}
    assert ranks(at, "rate_per_10k") == {LIVERPOOL: (2, 4, "B"), KNOWSLEY: (2, 4, "B"), ST_HELENS: (4, 4, "D"),
                                         SEFTON: (None, 4, None)}
    assert ranks(at, "pct_discharges_to_supervision_order") == {
        LIVERPOOL: (1, 3, "A"), KNOWSLEY: (1, 3, "A"), ST_HELENS: (3, 3, "C"), SEFTON: (None, 3, None)}
    liverpool = next(r for r in at["las"] if r["la"] == LIVERPOOL)
    assert liverpool["pct_discharges_to_supervision_order"] == 25.0


async def test_ranks_are_taken_per_snapshot_date(api):
    admin = api("admin")
    await arrange(admin)
    await put_counts(admin, LIVERPOOL, EARLIER, cla_total=1000, full_care_orders_at_home=50,
                     interim_care_orders_at_home=10)
    await put_counts(admin, CAMDEN, EARLIER, cla_total=1000, full_care_orders_at_home=60, interim_care_orders_at_home=10)
    body = await pack(admin, PACK, area=LIVERPOOL, **{"from": "2019-04-01", "to": DAY})
    by_date = {at["snapshot_date"]: ranks(at, "pct_of_cla")[LIVERPOOL] for at in body["dates"]}
    assert by_date == {EARLIER: (2, 2, "C"), DAY: (2, 5, "A")}


async def test_region_groups_and_england_are_beside_each_la_and_the_group(api):
    admin = api("admin")
    await arrange(admin)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    body = await pack(admin, PACK, area="merseyside", **{"from": "2020-04-01", "to": DAY})
    [at] = body["dates"]
    comparators = {c["area"]: c for c in at["comparators"]}
    liverpool = next(r for r in at["las"] if r["la"] == LIVERPOOL)["benchmark"]["pct_of_cla"]
    assert (liverpool["region"], liverpool["region_value"]) == (NORTH_WEST, comparators[NORTH_WEST]["pct_of_cla"])
    assert liverpool["england"] == comparators[ENGLAND]["pct_of_cla"] == 11.4   # 570 / 5000
    assert liverpool["groups"] == {"merseyside": at["total"]["pct_of_cla"]} == {"merseyside": 12.0}
    assert body["groups"] == {"merseyside": "Merseyside"}
    # The board's pack for the group: the group beside its region and England.
    group = at["total"]["benchmark"]["rate_per_10k"]
    assert (group["value"], group["region"], group["region_value"], group["england"]) == (
        15.0, NORTH_WEST, comparators[NORTH_WEST]["rate_per_10k"], 14.6)   # 490 (LAs with a population) / 335,000
    assert group["rank"] is None and group["groups"] == {}


async def test_a_suppressed_reader_is_ranked_over_the_figures_it_is_shown(api):
    admin, portal = api("admin"), api("portal", area=ENGLAND)
    await arrange(admin)
    # Wirral's 3 children at home are a small count: its share (30.0%, the highest) is hidden from a portal.
    await put_counts(admin, "344", DAY, cla_total=10, full_care_orders_at_home=2, interim_care_orders_at_home=1,
                     placed_with_parents=3)
    query = {"from": "2020-04-01", "to": DAY}
    [full] = (await pack(admin, PACK, area=ENGLAND, **query))["dates"]
    [seen] = (await pack(portal, PACK, area=ENGLAND, **query))["dates"]
    assert ranks(full, "pct_of_cla")["344"] == (1, 6, "A")
    wirral = next(r for r in seen["las"] if r["la"] == "344")
    assert wirral["pct_of_cla"] is None and wirral["suppressed"]["pct_of_cla"] == "c"
    assert wirral["benchmark"]["pct_of_cla"]["rank"] is None and wirral["benchmark"]["pct_of_cla"]["quartile"] is None
    assert wirral["benchmark"]["pct_of_cla"]["suppressed"] == {"value": "c", "rank": "c", "quartile": "c"}
    for measure in ("pct_of_cla", "rate_per_10k", "pct_discharges_to_supervision_order"):
        shown = {r["la"]: r[measure] for r in seen["las"] if r[measure] is not None}
        expected = {la: (r.rank, r.ranked, r.quartile) for la, r in competition_ranks(shown).items()}
        got = ranks(seen, measure)
        assert {la: got[la] for la in shown} == expected
        assert all(got[la][0] is None and got[la][1] == len(shown) for la in got if la not in shown)
    assert ranks(seen, "pct_of_cla")[CAMDEN][0] == 1 and ranks(seen, "pct_of_cla")[CAMDEN][1] < 6


async def test_an_la_reader_is_ranked_over_its_own_figure_and_the_others_shown(api):
    admin = api("admin")
    await arrange(admin)
    await put_counts(admin, "344", DAY, cla_total=10, full_care_orders_at_home=2, interim_care_orders_at_home=1,
                     placed_with_parents=3)
    wirral = api("la", la="344")
    [own] = (await pack(wirral, PACK, area="344", **{"from": "2020-04-01", "to": DAY}))["dates"]
    assert ranks(own, "pct_of_cla")["344"][0] == 1
    liverpool = api("la", la=LIVERPOOL)
    [other] = (await pack(liverpool, PACK, area=LIVERPOOL, **{"from": "2020-04-01", "to": DAY}))["dates"]
    [england] = (await pack(liverpool, PACK, area=ENGLAND, **{"from": "2020-04-01", "to": DAY}))["dates"]
    shown = {r["la"]: r["pct_of_cla"] for r in england["las"] if r["pct_of_cla"] is not None}
    assert "344" not in shown and LIVERPOOL in shown
    # Wirral's hidden 30.0 is not ranked: Liverpool's 12.0 is second to Camden's 15.0.
    assert ranks(other, "pct_of_cla")[LIVERPOOL][:2] == (2, len(shown))


async def test_benchmarks_are_in_csv_xlsx_and_html(api):
    admin = api("admin")
    await arrange(admin)
    query = {"area": NORTH_WEST, "from": "2020-04-01", "to": DAY}
    text = (await admin.get(f"/api/v1/packs/{PACK}", params=query | {"format": "csv"})).text
    rows = {(r["code"], r["measure"]): r["value"] for r in csv.DictReader(io.StringIO(text)) if r["section"] == "las"}
    assert (rows[(LIVERPOOL, "benchmark.pct_of_cla.rank")], rows[(LIVERPOOL, "benchmark.pct_of_cla.quartile")],
            rows[(LIVERPOOL, "benchmark.pct_of_cla.ranked")]) == ("2", "A", "5")
    workbook = load_workbook(io.BytesIO((await admin.get(f"/api/v1/packs/{PACK}",
                                                         params=query | {"format": "xlsx"})).content))
    sheet = workbook["Local authorities"]
    header = [c.value for c in sheet[1]]
    sefton = next(row for row in sheet.iter_rows(values_only=True) if row[1] == SEFTON)
    assert sefton[header.index("benchmark.pct_of_cla.rank")] == 5
    html = (await admin.get(f"/api/v1/packs/{PACK}", params=query | {"format": "html"})).text
    assert "Benchmarking at 31 March 2021" in html and "<td class=\"\">2 of 5</td>" in html


async def test_a_hidden_rank_is_marked_in_csv_and_html(api):
    admin, portal = api("admin"), api("portal", area=ENGLAND)
    await arrange(admin)
    await put_counts(admin, "344", DAY, cla_total=10, full_care_orders_at_home=2, interim_care_orders_at_home=1,
                     placed_with_parents=3)
    query = {"area": NORTH_WEST, "from": "2020-04-01", "to": DAY}
    text = (await portal.get(f"/api/v1/packs/{PACK}", params=query | {"format": "csv"})).text
    marks = {r["measure"]: (r["value"], r["suppressed"]) for r in csv.DictReader(io.StringIO(text))
             if r["section"] == "las" and r["code"] == "344"}
    assert marks["benchmark.pct_of_cla.rank"] == marks["benchmark.pct_of_cla.quartile"] == ("", "c")
    assert marks["benchmark.pct_of_cla.ranked"][1] == ""
    html = (await portal.get(f"/api/v1/packs/{PACK}", params=query | {"format": "html"})).text
    benchmarking = html[html.index("Benchmarking at"):]
    wirral = benchmarking[benchmarking.index("Wirral"):].split("</tr>")[0]
    assert wirral.count('<td class="c">c</td>') >= 3   # the figure, its rank and its band
