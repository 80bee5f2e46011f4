"""Audits benchmarked over the pack's period: % good or better and the programme's return rate ranked among
England's LAs, with the region, groups and England beside each LA, and for a suppressed reader over the figures
it is shown only."""

import csv
import io

from app.packs.benchmark import competition_ranks
from tests.packs.helpers import audit, make_group, pack, submit
from tests.payloads import ENGLAND, KNOWSLEY, LIVERPOOL, NORTH_WEST

ST_HELENS, SEFTON, CAMDEN = "342", "343", "202"
YEAR = {"from": "2020-04-01", "to": "2021-03-31"}


def graded(la: str, **grades: int) -> list[dict]:
    return [audit(f"{la}-{grade}-{i}", overall_grade=grade) for grade, n in grades.items() for i in range(n)]


async def programme(admin, la: str, planned: int, exempted: int, returned: int) -> None:
    await submit(admin, la, "audit-programme", [{"month": "2021-02", "planned": planned, "exempted": exempted,
                                                 "returned": returned}])


async def arrange(admin) -> None:
    """Hand-computed, highest first (competition ranking, band A–D from the rank):
    % good or better   Camden 75.0 (1, A) Liverpool 50.0 (2, B) Knowsley 50.0 (2, B) St Helens 25.0 (4, D); Sefton none
    return rate        Sefton 90.0 (1, A) Liverpool 80.0 (2, B) Knowsley 50.0 (3, C) St Helens 50.0 (3, C); Camden none
    """
    await submit(admin, LIVERPOOL, "audits", graded(LIVERPOOL, good=2, inadequate=2))
    await submit(admin, KNOWSLEY, "audits", graded(KNOWSLEY, outstanding=1, requires_improvement=1))
    await submit(admin, ST_HELENS, "audits", graded(ST_HELENS, good=1, requires_improvement=3))
    await submit(admin, CAMDEN, "audits", graded(CAMDEN, good=3, requires_improvement=1))
    for la, planned, exempted, returned in ((LIVERPOOL, 10, 0, 8), (KNOWSLEY, 10, 0, 5), (ST_HELENS, 20, 10, 5),
                                            (SEFTON, 10, 0, 9)):
        await programme(admin, la, planned, exempted, returned)


def ranks(body: dict, measure: str) -> dict[str, tuple]:
    return {r["code"]: (r["benchmark"][measure]["rank"], r["benchmark"][measure]["ranked"],
                        r["benchmark"][measure]["quartile"]) for r in body["las"]}


async def test_every_la_row_is_ranked_among_englands_las_over_the_period(api):
    admin = api("admin")
    await arrange(admin)
    body = await pack(admin, "audits", area=NORTH_WEST, **YEAR)
    got = ranks(body, "pct_good_or_better")
    assert {la: got[la] for la in (LIVERPOOL, KNOWSLEY, ST_HELENS, SEFTON)} == {
        LIVERPOOL: (2, 4, "B"), KNOWSLEY: (2, 4, "B"), ST_HELENS: (4, 4, "D"), SEFTON: (None, 4, None)}
    got = ranks(body, "return_rate")
    assert {la: got[la] for la in (LIVERPOOL, KNOWSLEY, ST_HELENS, SEFTON)} == {
        LIVERPOOL: (2, 4, "B"), KNOWSLEY: (3, 4, "C"), ST_HELENS: (3, 4, "C"), SEFTON: (1, 4, "A")}


async def test_region_groups_and_england_are_beside_each_la_and_the_group(api):
    admin = api("admin")
    await arrange(admin)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    body = await pack(admin, "audits", area="merseyside", **YEAR)
    liverpool = next(r for r in body["las"] if r["code"] == LIVERPOOL)["benchmark"]
    good = liverpool["pct_good_or_better"]
    # North West 4 of 10 good or better; England 7 of 14; Merseyside 3 of 6.
    assert (good["value"], good["region"], good["region_value"], good["england"], good["groups"]) == (
        50.0, NORTH_WEST, 40.0, 50.0, {"merseyside": 50.0})
    rate = liverpool["return_rate"]
    assert (rate["region_value"], rate["england"], rate["groups"]) == (67.5, 67.5, {"merseyside": 65.0})
    group = body["total"]["benchmark"]["return_rate"]
    assert (group["value"], group["region"], group["region_value"], group["england"], group["rank"]) == (
        65.0, NORTH_WEST, 67.5, 67.5, None)
    assert body["groups"] == {"merseyside": "Merseyside"}


async def test_a_suppressed_reader_is_ranked_over_the_figures_it_is_shown(api):
    admin, portal = api("admin"), api("portal", area=ENGLAND)
    await submit(admin, LIVERPOOL, "audits", graded(LIVERPOOL, good=30, requires_improvement=10))
    await submit(admin, KNOWSLEY, "audits", graded(KNOWSLEY, good=20, requires_improvement=20))
    await submit(admin, CAMDEN, "audits", graded(CAMDEN, good=12, inadequate=12))
    await submit(admin, SEFTON, "audits", graded(SEFTON, good=25, requires_improvement=15))
    await submit(admin, "344", "audits", graded("344", good=18, requires_improvement=22))
    for la, good in (("350", 21), ("351", 24), ("352", 26)):
        await submit(admin, la, "audits", graded(la, good=good, requires_improvement=40 - good))
    await submit(admin, ST_HELENS, "audits", graded(ST_HELENS, good=2, requires_improvement=1))  # small counts
    full = ranks(await pack(admin, "audits", area=ENGLAND, **YEAR), "pct_good_or_better")
    assert full[ST_HELENS] == (2, 9, "A")
    body = await pack(portal, "audits", area=ENGLAND, **YEAR)
    st_helens = next(r for r in body["las"] if r["code"] == ST_HELENS)
    assert st_helens["pct_good_or_better"] is None
    assert st_helens["benchmark"]["pct_good_or_better"]["suppressed"] == {"value": "c", "rank": "c", "quartile": "c"}
    shown = {r["code"]: r["pct_good_or_better"] for r in body["las"] if r["pct_good_or_better"] is not None}
    assert len(shown) >= 2 and ST_HELENS not in shown
    got = ranks(body, "pct_good_or_better")
    assert {la: got[la] for la in shown} == {la: (r.rank, r.ranked, r.quartile)
                                             for la, r in competition_ranks(shown).items()}
    assert all(got[la][:1] == (None,) and got[la][1] == len(shown) for la in got if la not in shown)


async def test_benchmarks_are_in_csv_and_html(api):
    admin = api("admin")
    await arrange(admin)
    query = {"area": NORTH_WEST, **YEAR}
    text = (await admin.get("/api/v1/packs/audits", params=query | {"format": "csv"})).text
    rows = {(r["code"], r["measure"]): r["value"] for r in csv.DictReader(io.StringIO(text)) if r["section"] == "las"}
    assert (rows[(SEFTON, "benchmark.return_rate.rank")], rows[(SEFTON, "benchmark.return_rate.quartile")]) == ("1", "A")
    html = (await admin.get("/api/v1/packs/audits", params=query | {"format": "html"})).text
    assert "Benchmarking" in html and '<td class="">1 of 4</td>' in html
