"""The audits pack's items beside the overall grade (outcome and moderated grades, types, Cafcass's grades,
themes, auditor's roles, agreement per domain), against hand-computed cases, and never a small count shown."""

import csv
import io
import re
from datetime import date, datetime

from openpyxl import load_workbook

from app.access.reader import Reader
from app.access.roles import Role
from app.packs import audits as audits_pack
from app.packs import pipeline
from app.packs.audits.tidy import ITEM_FIELDS, ITEM_TABLES, TABLE_TITLES
from app.packs.render.page import label
from app.packs.request import PackRequest, resolve_area
from tests.packs.helpers import audit, order, pack, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

HALTON = "876"

RANGE = {"from": "2020-04-01", "to": "2021-03-31"}
CAFCASS = {"audit_type": "cafcass_dip_sample"}


def hand_computed() -> list[dict]:
    """Liverpool: 4 individual, 3 themed ("Neglect" twice, one untitled), 1 dip sample; two Cafcass dip samples."""
    return [
        audit("I1", outcome_grade="good", auditor_role="team manager", order_ref="O1",
              domain_grades={"plans": "good", "assessments": "inadequate"}),
        audit("I2", outcome_grade="inadequate", auditor_role="team manager", order_ref="O2",
              domain_grades={"plans": "requires_improvement"},
              moderation={"moderated_grade": "requires_improvement", "result": "downgraded"}),
        audit("I3", outcome_grade="outstanding", auditor_role=" practice lead ",
              moderation={"moderated_grade": "good", "result": "supported"}),
        audit("I4", overall_grade="inadequate"),
        audit("T1", audit_type="themed", theme="Neglect", overall_grade="requires_improvement"),
        audit("T2", audit_type="themed", theme="Neglect ", auditor_role="team manager"),
        audit("T3", audit_type="themed"),
        audit("D1", audit_type="dip_sample", overall_grade="outstanding"),
        audit("C1", **CAFCASS, order_ref="O1", overall_grade="good",
              domain_grades={"plans": "good", "assessments": "good", "child_centred": "good"}),
        audit("C2", **CAFCASS, order_ref="O2", overall_grade="inadequate", framework="overall-only"),
    ]


async def _total(api, seed=hand_computed):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1"), order("O2")])
    await submit(admin, LIVERPOOL, "audits", seed())
    return (await pack(admin, "audits", area=LIVERPOOL, **RANGE))["total"]


async def test_outcome_grades_sit_beside_the_quality_grades_over_the_audits_that_graded_one(api):
    total = await _total(api)
    assert total["outcome_grades"]["counts"] == {"outstanding": 1, "good": 1, "requires_improvement": 0, "inadequate": 1}
    assert total["outcome_grades"]["total"] == 3 and total["pct_outcome_good_or_better"] == 66.7
    assert total["grades"]["total"] == 8


async def test_moderated_grades_are_counted_among_moderated_audits(api):
    total = await _total(api)
    assert total["moderated_grades"]["counts"] == {"outstanding": 0, "good": 1, "requires_improvement": 1,
                                                   "inadequate": 0}
    assert total["moderated_grades"]["total"] == total["moderation"]["moderated"] == 2


async def test_audits_by_type_add_up_to_the_audits_returned_and_cafcass_grades_its_own(api):
    total = await _total(api)
    assert total["audit_types"]["counts"] == {"individual": 4, "themed": 3, "dip_sample": 1, "cafcass_dip_sample": 2}
    assert total["type_grades"]["cafcass_dip_sample"]["counts"] == {
        "outstanding": 0, "good": 1, "requires_improvement": 0, "inadequate": 1}
    # Individual audits after moderation: I1 good, I2 downgraded to RI, I3 supported good, I4 inadequate.
    assert total["type_grades"]["individual"]["counts"] == {
        "outstanding": 0, "good": 2, "requires_improvement": 1, "inadequate": 1}
    assert total["type_grades"]["themed"]["total"] == 3


async def test_themes_and_auditor_roles_count_free_text_trimmed_and_not_stated(api):
    total = await _total(api)
    assert total["themes"]["counts"] == {"Neglect": 2, "not stated": 1} and total["themes"]["total"] == 3
    assert total["auditor_roles"]["counts"] == {"not stated": 4, "practice lead": 1, "team manager": 3}
    assert total["auditor_roles"]["total"] == 8


async def test_agreement_per_domain_counts_pairs_that_both_graded_it(api):
    total = await _total(api)
    agreement = total["domain_agreement"]
    # O1: plans good/good (agreed), assessments inadequate/good (not); O2's Cafcass audit graded no domain.
    assert (agreement["plans"]["pairs"], agreement["plans"]["agreed"], agreement["plans"]["pct_agreed"]) == (1, 1, 100.0)
    assert (agreement["assessments"]["pairs"], agreement["assessments"]["agreed"]) == (1, 0)
    assert agreement["child_centred"]["pairs"] == 0 and agreement["child_centred"]["pct_agreed"] is None
    assert total["agreement"]["pairs"] == 2


async def test_the_area_adds_up_its_las_and_an_la_lists_only_its_own_themes(api):
    admin = api("admin")
    await admin.put("/api/v1/areas/pair", json={"name": "Pair", "members": [LIVERPOOL, KNOWSLEY]})
    await submit(admin, LIVERPOOL, "audits", [audit("T1", audit_type="themed", theme="Neglect")])
    await submit(admin, KNOWSLEY, "audits", [audit("T1", audit_type="themed", theme="Pre-birth"),
                                             audit("T2", audit_type="themed", theme="Neglect")])
    body = await pack(admin, "audits", area="pair", **RANGE)
    liverpool = next(row for row in body["las"] if row["code"] == LIVERPOOL)
    assert liverpool["themes"]["counts"] == {"Neglect": 1}
    assert body["total"]["themes"]["counts"] == {"Neglect": 2, "Pre-birth": 1}


async def test_the_summaries_give_the_items_the_raw_audits_give(api, app):
    await _total(api)
    with app.state.sessionmaker() as session:
        area = resolve_area(session, LIVERPOOL)
        req = PackRequest(area, date(2020, 4, 1), date(2021, 3, 31), None, Reader(Role.ADMIN, None, None, 5),
                          datetime(2026, 11, 23), area.la_codes)
        fast, raw = (pipeline.build(spec, session, req).model_dump() for spec in (audits_pack.SPEC,
                                                                                  audits_pack.FROM_RAW_AUDITS))
    assert fast == raw and fast["total"]["audit_types"]["total"] == 10


SMALL = range(1, 6)
REGION_QUERY = {"area": NORTH_WEST, **RANGE}


async def _region_for_a_portal(api):
    """Liverpool, Knowsley and Halton with enough audits that some counts are shown, and many small ones to hide.
    (With two LAs only, each is an insider who takes its own figures from the region's and reads the other's:
    nearly every count is then hidden.)"""
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1"), order("O2")])
    many = [audit(f"M{i}", auditor_role="team manager", outcome_grade="good") for i in range(20)]
    await submit(admin, LIVERPOOL, "audits", hand_computed() + many)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}", auditor_role="team manager") for i in range(12)] +
                 [audit(f"T{i}", audit_type="themed", theme="Neglect", auditor_role="team manager") for i in range(6)])
    await submit(admin, HALTON, "audits", [audit(f"H{i}", auditor_role="team manager") for i in range(16)] +
                 [audit(f"U{i}", audit_type="themed", theme="Neglect", auditor_role="team manager") for i in range(7)])
    return api("portal", area=NORTH_WEST)


def _counts(value, path=""):
    """Every count of the items in a row (leaves that are whole numbers, not percentages)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in ("suppressed", "shares", "pct_agreed"):
                yield from _counts(inner, f"{path}.{key}")
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path, value


async def test_a_portal_sees_no_count_of_one_to_five_in_the_items_in_json(api):
    portal = await _region_for_a_portal(api)
    body = await pack(portal, "audits", **REGION_QUERY)
    shown = [(path, n) for row in [*body["las"], body["total"]] for name in ITEM_FIELDS
             for path, n in _counts(row[name], name)]
    assert not [(path, n) for path, n in shown if n in SMALL]
    assert [n for _, n in shown if n > 5] and body["suppression"]["cells_hidden"] > 0  # something is shown, some hidden


async def test_a_portal_sees_no_count_of_one_to_five_in_the_items_in_csv(api):
    portal = await _region_for_a_portal(api)
    text = (await portal.get("/api/v1/packs/audits", params=REGION_QUERY | {"format": "csv"})).text
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["section"] in ITEM_TABLES]
    counts = [r for r in rows if "pct" not in r["measure"] and ".shares." not in r["measure"]]
    assert not [r for r in counts if r["value"].isdigit() and int(r["value"]) in SMALL]
    assert any(r["suppressed"] == "c" for r in counts) and any(r["value"].isdigit() and int(r["value"]) > 5 for r in counts)


async def test_a_portal_sees_no_count_of_one_to_five_in_the_items_in_xlsx(api):
    portal = await _region_for_a_portal(api)
    content = (await portal.get("/api/v1/packs/audits", params=REGION_QUERY | {"format": "xlsx"})).content
    workbook = load_workbook(io.BytesIO(content))
    for title in TABLE_TITLES.values():
        sheet = workbook[title]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            for column, value in zip(header, row, strict=True):
                if "pct" not in column and ".shares." not in column:
                    assert not (isinstance(value, int) and value in SMALL), (title, column, value)


async def test_a_portal_sees_no_count_of_one_to_five_in_the_items_in_html(api):
    portal = await _region_for_a_portal(api)
    page = (await portal.get("/api/v1/packs/audits", params=REGION_QUERY | {"format": "html"})).text
    items = page[page.index("Outcomes, moderation and Cafcass"):]
    assert not re.findall(r'<td class="">[1-5]</td>', items)
    assert '<td class="c">c</td>' in items and re.findall(r'<td class="">([6-9]|[1-9][0-9]+)</td>', items)
    # A distribution whose shares are hidden from the reader is drawn as suppressed, never as "not returned".
    body = await pack(portal, "audits", **REGION_QUERY)
    for kind, dist in body["total"]["type_grades"].items():
        if any(k.startswith("shares.") for k in dist["suppressed"]):
            assert f"{label(kind)}: not returned" not in items, kind


async def test_a_hidden_audits_returned_is_not_shown_under_another_name_that_equals_it(api):
    """The programme's `returned` and a domain every audit graded equal the audits returned: shown beside a
    hidden total, they gave it away, and the total less the LA's types gave its Cafcass dip samples."""
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    graded = {"domain_grades": {"plans": "good"}}
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}", **graded) for i in range(30)] +
                 [audit(f"C{i}", audit_type="cafcass_dip_sample", **graded) for i in range(5)])
    await submit(admin, LIVERPOOL, "audits", [audit(f"L{i}", **graded) for i in range(40)])
    for la in (KNOWSLEY, LIVERPOOL):
        response = await admin.put(f"/api/v1/local-authorities/{la}/audit-programme/2021-02",
                                   json={"planned": 45, "exempted": 0, "returned": 40 if la == LIVERPOOL else 30})
        assert response.status_code in (200, 201), response.text
    truth, shown = await pack(admin, "audits", **REGION_QUERY), await pack(portal, "audits", **REGION_QUERY)
    hidden_totals = 0
    for real, row in zip([*truth["las"], truth["total"]], [*shown["las"], shown["total"]], strict=True):
        if "total" not in row["grades"]["suppressed"]:
            continue
        hidden_totals += 1
        same = [("programme", "returned", real["programme"]["returned"], row["programme"]["suppressed"])]
        same += [(d, "total", real["domains"][d]["total"], row["domains"][d]["suppressed"]) for d in real["domains"]
                 if real["domains"][d] is not None]
        assert [name for name, field, value, marks in same
                if value == real["grades"]["total"] and field not in marks] == [], row["code"]
    assert hidden_totals  # the case arises: Knowsley's five Cafcass dip samples need its total hidden
