from sqlalchemy import func, select

from app.audits.models import Audit
from app.care_order_counts.models import CareOrderCount
from app.submissions import service
from tests.payloads import LIVERPOOL, url
from tests.submissions.files import csv_body, submit_url

COUNTS_HEADER = ["snapshot_date", "cla_total", "placed_with_parents", "full_care_orders_at_home",
                 "interim_care_orders_at_home", "discharges.total", "discharges.to_no_order", "notes"]


def counts_rows() -> list[list]:
    return [[f"{year}-03-31", 1000 + year, 150, 100, 20, 30, 20, "" if year % 2 else "revised system"]
            for year in range(2017, 2022)]


async def test_valid_csv_stores_every_row(api, db):
    la = api("la", la=LIVERPOOL)
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(COUNTS_HEADER, counts_rows()),
                             headers={"Content-Type": "text/csv"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["rows"], body["created"], body["revised"], body["unchanged"]) == (5, 5, 0, 0)
    assert body["checksum"].startswith("sha256:") and len(body["checksum"]) == 71
    assert db.scalar(select(func.count()).select_from(CareOrderCount)) == 5
    stored = (await la.get(url(LIVERPOOL, "care-order-counts", "2018-03-31"))).json()
    assert stored["discharges"] == {"total": 30, "to_no_order": 20, "to_supervision_order": None,
                                    "to_family_assistance_order": None, "to_special_guardianship_order": None,
                                    "to_child_arrangements_order": None}
    assert stored["submission_id"] == body["id"]


async def test_resubmission_counts_revised_and_unchanged(api):
    la = api("la", la=LIVERPOOL)
    rows = counts_rows()
    await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(COUNTS_HEADER, rows),
                  headers={"Content-Type": "text/csv"})
    rows[0][1] = 5000
    again = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(COUNTS_HEADER, rows),
                          headers={"Content-Type": "text/csv"})
    assert (again.json()["created"], again.json()["revised"], again.json()["unchanged"]) == (0, 1, 4)


async def test_faults_in_many_rows_are_all_reported_and_nothing_is_stored(api, db):
    la = api("la", la=LIVERPOOL)
    rows = counts_rows()
    rows[0][1] = "lots"                  # row 2: not an integer
    rows[2][2] = 99999                   # row 4: placed_with_parents > cla_total
    rows[3][0] = "2999-03-31"            # row 5: future date
    rows[4][5], rows[4][6] = 10, 20      # row 6: discharge parts above total
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(COUNTS_HEADER, rows),
                             headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert sorted({(e["row"], e["field"]) for e in errors}) == [
        (2, "cla_total"), (4, "placed_with_parents"), (5, "snapshot_date"), (6, "discharges.total")]
    assert db.scalar(select(func.count()).select_from(CareOrderCount)) == 0


async def test_duplicate_keys_in_one_file_are_reported(api):
    la = api("la", la=LIVERPOOL)
    rows = counts_rows()
    rows[3][0] = rows[1][0]
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(COUNTS_HEADER, rows),
                             headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 5 and "also on row 3" in response.json()["errors"][0]["message"]


async def test_dry_run_validates_and_stores_nothing(api, db):
    la = api("la", la=LIVERPOOL)
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts", dry_run="true"),
                             content=csv_body(COUNTS_HEADER, counts_rows()), headers={"Content-Type": "text/csv"})
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["dry_run"], response.json()["created"]) == (None, True, 5)
    assert db.scalar(select(func.count()).select_from(CareOrderCount)) == 0


async def test_audit_domain_grades_come_from_dotted_columns(api, db):
    la = api("la", la=LIVERPOOL)
    header = ["audit_ref", "audit_date", "audit_type", "overall_grade", "domain_grades.plans",
              "domain_grades.assessments", "moderation.moderated_grade", "moderation.result"]
    rows = [["A1", "10/02/2021", "individual", "good", "good", "", "", ""],
            ["A2", "2021-02-11", "themed", "inadequate", "inadequate", "requires_improvement", "inadequate", "supported"]]
    response = await la.post(submit_url(LIVERPOOL, "audits"), content=csv_body(header, rows),
                             headers={"Content-Type": "text/csv; charset=utf-8"})
    assert response.status_code == 201, response.text
    grades = dict(db.execute(select(Audit.audit_ref, Audit.domain_grades)).all())
    assert grades == {"A1": {"plans": "good"}, "A2": {"plans": "inadequate", "assessments": "requires_improvement"}}
    first = db.scalar(select(Audit).where(Audit.audit_ref == "A1"))
    assert first.audit_date.isoformat() == "2021-02-10" and first.moderated_grade is None


async def test_yes_no_cells_take_words_letters_and_1_or_0_but_nothing_else(api):
    la = api("la", la=LIVERPOOL)
    header = ["order_ref", "child_ref", "order_type", "order_date", "age_at_order", "current_status", "status_date",
              "pre_proceedings"]
    rows = [[f"O{n}", f"C{n}", "full_care_order", "2019-06-14", 7, "at_home_on_order", "2020-01-10", answer]
            for n, answer in enumerate(["yes", "1", "Y", "0", "N", "False", "2"], start=1)]
    response = await la.post(submit_url(LIVERPOOL, "orders"), content=csv_body(header, rows),
                             headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(8, "pre_proceedings")]


async def test_a_domain_column_no_framework_has_is_a_header_error(api):
    la = api("la", la=LIVERPOOL)
    header = ["audit_ref", "audit_date", "audit_type", "overall_grade", "domain_grades.plans", "domain_grades.plan"]
    response = await la.post(submit_url(LIVERPOOL, "audits"), content=csv_body(header, [["A1", "2021-02-10", "individual",
                                                                                          "good", "good", "good"]]),
                             headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(1, "domain_grades.plan")]
    assert "domain_grades.plans" in response.json()["errors"][0]["message"]


async def test_a_row_with_a_type_error_and_a_rule_breach_reports_both(api):
    la = api("la", la=LIVERPOOL)
    rows = counts_rows()
    rows[1][2] = 99999      # placed_with_parents above cla_total (a rule)
    rows[1][5] = "lots"     # discharges.total not a number (a type)
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(COUNTS_HEADER, rows),
                             headers={"Content-Type": "text/csv"})
    assert sorted((e["row"], e["field"]) for e in response.json()["errors"]) == [
        (3, "discharges.total"), (3, "placed_with_parents")]


async def test_revisions_are_found_in_every_batch_of_a_large_file(api, db, monkeypatch):
    monkeypatch.setattr(service, "BATCH_ROWS", 2)
    la = api("la", la=LIVERPOOL)
    rows = counts_rows()
    await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(COUNTS_HEADER, rows),
                  headers={"Content-Type": "text/csv"})
    rows[0][1], rows[4][1] = 5000, 6000  # in the first and the last batch
    again = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(COUNTS_HEADER, rows),
                          headers={"Content-Type": "text/csv"})
    assert (again.json()["created"], again.json()["revised"], again.json()["unchanged"]) == (0, 2, 3)
    current = db.execute(select(CareOrderCount.cla_total, CareOrderCount.version)
                         .where(CareOrderCount.superseded_at.is_(None)).order_by(CareOrderCount.snapshot_date)).all()
    assert current == [(5000, 2), (3018, 1), (3019, 1), (3020, 1), (6000, 2)]
