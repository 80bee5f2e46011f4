import base64
import csv
import hashlib
import io
import re

from openpyxl import load_workbook

from tests.packs.helpers import make_group, order, pack, put_counts, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

DAY = "2021-03-31"
QUERY = {"area": "merseyside", "from": "2020-04-01", "to": DAY}  # a whole financial year, as published


async def arrange(api, group_name: str = "merseyside"):
    admin = api("admin")
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    if group_name != "merseyside":
        await admin.put("/api/v1/areas/merseyside", json={"name": group_name, "members": [LIVERPOOL, KNOWSLEY]})
    await put_counts(admin, LIVERPOOL, DAY, full_care_orders_at_home=100, interim_care_orders_at_home=3)
    await put_counts(admin, KNOWSLEY, DAY, full_care_orders_at_home=50, interim_care_orders_at_home=12)
    return api("portal", area=NORTH_WEST)


async def test_csv_is_one_tidy_table_with_suppression_marks(api):
    portal = await arrange(api)
    response = await portal.get("/api/v1/packs/care-orders-at-home", params=QUERY | {"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["pack", "section", "period", "code", "name", "measure", "value", "suppressed"]
    interim = next(r for r in rows if r["code"] == LIVERPOOL and r["measure"] == "interim_care_orders_at_home")
    assert (interim["value"], interim["suppressed"], interim["period"]) == ("", "c", DAY)
    total = next(r for r in rows if r["section"] == "totals" and r["measure"] == "cla_total")
    assert (total["value"], total["suppressed"]) == ("2000", "")


async def test_text_that_a_spreadsheet_would_run_is_neutralised(api):
    portal = await arrange(api, group_name='=HYPERLINK("http://x","click")')
    csv_text = (await portal.get("/api/v1/packs/care-orders-at-home", params=QUERY | {"format": "csv"})).text
    assert ",'=HYPERLINK" in csv_text.replace('"', "") and ",=HYPERLINK" not in csv_text.replace('"', "")
    workbook = load_workbook(io.BytesIO((await portal.get("/api/v1/packs/care-orders-at-home",
                                                          params=QUERY | {"format": "xlsx"})).content))
    texts = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert not any(t.startswith(("=", "+", "@")) for t in texts)


async def test_xlsx_has_a_sheet_per_table_number_formats_and_notes(api):
    portal = await arrange(api)
    response = await portal.get("/api/v1/packs/care-orders-at-home", params=QUERY | {"format": "xlsx"})
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Notes", "Local authorities", "Area totals", "Regions and England"]
    notes = " ".join(str(c.value) for c in workbook["Notes"]["A"] if c.value)
    assert "suppressed" in notes and "secondary suppression" in notes
    sheet = workbook["Local authorities"]
    header = [c.value for c in sheet[1]]
    liverpool = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == LIVERPOOL)
    assert liverpool[header.index("interim_care_orders_at_home")].value == "c"
    assert liverpool[header.index("cla_total")].number_format == "#,##0"
    knowsley = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == KNOWSLEY)
    assert knowsley[header.index("pct_of_cla")].number_format == "0.0"


async def test_html_is_a_page_with_charts_and_no_outside_resources(api):
    portal = await arrange(api)
    response = await portal.get("/api/v1/packs/care-orders-at-home", params=QUERY | {"format": "html"})
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert page.count("<svg") >= 3 and "Merseyside" in page and 'class="c"' in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    assert "<script" not in page


async def test_a_hidden_figure_is_drawn_as_c_in_a_chart_not_as_not_returned(api):
    """A bar of a hidden share said "–", which the page itself defines as "not returned"."""
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, LIVERPOOL, "orders", [order(f"O{i}", current_status="at_home_on_order") for i in range(20)]
                 + [order("D1", current_status="special_guardianship_order", status_date="2020-01-10")])
    query = {"area": LIVERPOOL, "from": "2019-04-01", "to": "2020-03-31"}
    counts = (await pack(portal, "outcomes", **query))["total"]["current_status"]
    assert counts["suppressed"]["counts.special_guardianship_order"] == "c"
    page = (await portal.get("/api/v1/packs/outcomes", params={**query, "format": "html"})).text
    assert "Special guardianship order: suppressed</title>c</text>" in page
    assert "Special guardianship order: suppressed" not in (await admin.get(
        "/api/v1/packs/outcomes", params={**query, "format": "html"})).text


async def test_html_is_served_under_a_policy_that_allows_its_own_stylesheet_and_nothing_else(api):
    portal = await arrange(api)
    for _ in ("built", "stored"):
        response = await portal.get("/api/v1/packs/care-orders-at-home", params=QUERY | {"format": "html"})
        policy = dict(d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";"))
        styles = re.findall(r"<style>(.*?)</style>", response.text, re.DOTALL)
        hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in styles]
        assert len(styles) == 1 and policy.pop("style-src") == hashes[0]
        assert policy == {"default-src": "'none'", "base-uri": "'none'", "form-action": "'none'",
                          "frame-ancestors": "'none'"}
        assert not re.search(r"<script|\sstyle=|\son[a-z]+=", response.text)


async def test_every_pack_renders_in_every_format(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, DAY)
    queries = {
        "care-orders-at-home": {"area": NORTH_WEST}, "outcomes": {"area": NORTH_WEST}, "audits": {"area": NORTH_WEST},
        "completeness": {"area": NORTH_WEST},
        "compare": {"la": LIVERPOOL, "measure": "total_at_home", "before": "2019-04-01:2020-03-31",
                    "after": "2020-04-01:2021-03-31"},
    }
    for name, query in queries.items():
        for file_format in ("json", "csv", "xlsx", "html"):
            response = await admin.get(f"/api/v1/packs/{name}", params=query | {"format": file_format})
            assert response.status_code == 200, (name, file_format, response.text[:300])


async def test_the_outcomes_workbook_puts_each_group_of_distributions_on_a_sheet_of_its_own(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order(f"O{i}", order_date="2020-06-01", status_date="2020-06-01", age_at_order=i)
                                                  for i in range(8)])
    response = await admin.get("/api/v1/packs/outcomes", params={"area": LIVERPOOL, "from": "2020-04-01", "to": DAY,
                                                                 "format": "xlsx"})
    sheets = {ws.title: ws for ws in load_workbook(io.BytesIO(response.content)).worksheets}
    assert {"Orders made by characteristic", "Pre-proceedings and hearings", "Final plan and court outcome",
            "Discharges and time on order", "Weeks in proceedings by year"} <= set(sheets)
    assert max(ws.max_column for ws in sheets.values()) < 250  # one sheet held some 490 columns
    made = sheets["Orders made by characteristic"]
    header = [c.value for c in made[1]]
    assert "by_age_band.counts.5_to_9" in header and "by_sex.total" in header


async def test_the_outcomes_csv_gives_a_year_as_the_period_not_as_a_measure(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1", order_date="2020-06-01", status_date="2020-06-01",
                                                         proceedings_issued="2020-01-06", final_hearing="2020-06-01")])
    response = await admin.get("/api/v1/packs/outcomes", params={"area": LIVERPOOL, "from": "2020-04-01", "to": DAY,
                                                                 "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    years = [r for r in rows if r["section"] == "proceedings_years"]
    assert years and all(r["measure"] != "year" for r in years) and {r["period"] for r in years} == {"2020-21"}
