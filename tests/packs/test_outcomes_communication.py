"""Professional communication and independent social workers in the outcomes pack: each against a case worked
by hand, and never a small count to a suppressed reader, in any format."""

import csv
import io
import re
from typing import Any

from openpyxl import load_workbook

from tests.packs.helpers import order, pack, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

YEAR = {"from": "2019-04-01", "to": "2020-03-31"}
LEVELS = ("none", "limited", "some", "extensive")
FIELDS = ("professional_communication", "independent_social_worker")


def orders_of(la: str, levels: list[str | None], isw: list[bool | None]) -> list[dict[str, Any]]:
    records = []
    for i, (level, worker) in enumerate(zip(levels, isw, strict=True)):
        values = {} if level is None else {"professional_communication": level}
        values |= {} if worker is None else {"independent_social_worker": worker}
        records.append(order(f"{la}-{i}", **values))
    return records


async def test_communication_is_a_distribution_of_orders_made_with_not_recorded_counted(api):
    admin = api("admin")
    # Liverpool: none 1, limited 2, some 3, extensive 1, not recorded 2 (9 orders made).
    await submit(admin, LIVERPOOL, "orders", orders_of(
        LIVERPOOL, ["none", "limited", "limited", "some", "some", "some", "extensive", None, None], [None] * 9))
    await submit(admin, LIVERPOOL, "orders", [order("OLD", order_date="2018-01-01", professional_communication="none")])
    # Knowsley: some 2, extensive 1 (3 orders made).
    await submit(admin, KNOWSLEY, "orders", orders_of(KNOWSLEY, ["some", "some", "extensive"], [None] * 3))
    body = await pack(admin, "outcomes", area=NORTH_WEST, **YEAR)
    liverpool = next(r for r in body["las"] if r["code"] == LIVERPOOL)["professional_communication"]
    assert liverpool["counts"] == {"none": 1, "limited": 2, "some": 3, "extensive": 1, "not_recorded": 2}
    assert liverpool["total"] == 9
    assert liverpool["shares"] == {"none": 11.1, "limited": 22.2, "some": 33.3, "extensive": 11.1, "not_recorded": 22.2}
    area = body["total"]["professional_communication"]
    assert area["counts"] == {"none": 1, "limited": 2, "some": 5, "extensive": 2, "not_recorded": 2}
    assert (area["total"], area["shares"]["some"]) == (12, 41.7)  # 5 / 12
    assert area["total"] == body["total"]["by_order_type"]["total"]  # the orders made, as every breakdown


async def test_the_share_with_an_independent_social_worker_is_over_the_orders_that_recorded_it(api):
    admin = api("admin")
    # Liverpool: 3 with an ISW, 4 without, 2 not recorded; Knowsley: 2 with, 1 without.
    await submit(admin, LIVERPOOL, "orders", orders_of(
        LIVERPOOL, [None] * 9, [True, True, True, False, False, False, False, None, None]))
    await submit(admin, KNOWSLEY, "orders", orders_of(KNOWSLEY, [None] * 3, [True, True, False]))
    body = await pack(admin, "outcomes", area=NORTH_WEST, **YEAR)
    liverpool = next(r for r in body["las"] if r["code"] == LIVERPOOL)["independent_social_worker"]
    assert (liverpool["counts"], liverpool["total"], liverpool["shares"]["yes"]) == ({"yes": 3, "no": 4}, 7, 42.9)
    area = body["total"]["independent_social_worker"]
    assert (area["counts"], area["total"], area["shares"]["yes"]) == ({"yes": 5, "no": 5}, 10, 50.0)


def _small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def _small_in(row: dict[str, Any]) -> list[str]:
    return [f"{row['code']} {field}.{key}" for field in FIELDS
            for key, value in [*((f"counts.{k}", v) for k, v in row[field]["counts"].items()),
                               ("total", row[field]["total"])] if _small(value)]


async def test_a_suppressed_reader_never_gets_a_small_count_of_either_in_any_format(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, LIVERPOOL, "orders", orders_of(
        LIVERPOOL, ["none", "limited", *["some"] * 8, *["extensive"] * 3, None],
        [True, True, *[False] * 9, None, None, True]))
    await submit(admin, KNOWSLEY, "orders", orders_of(
        KNOWSLEY, [*["some"] * 9, "limited", None, "none"], [*[True] * 7, *[False] * 4, None]))
    truth = await pack(admin, "outcomes", area=NORTH_WEST, **YEAR)
    assert [s for row in [*truth["las"], truth["total"]] for s in _small_in(row)]  # small counts to hide
    body = await pack(portal, "outcomes", area=NORTH_WEST, **YEAR)
    assert [s for row in [*body["las"], body["total"]] for s in _small_in(row)] == []
    params = {"area": NORTH_WEST, **YEAR}
    rows = csv.DictReader(io.StringIO((await portal.get("/api/v1/packs/outcomes", params=params | {"format": "csv"})).text))
    counted = re.compile(rf"^({'|'.join(FIELDS)})\.(counts\.\w+|total)$")
    assert not [r for r in rows if counted.match(r["measure"]) and r["value"] in ("1", "2", "3", "4", "5")]
    workbook = load_workbook(io.BytesIO((await portal.get("/api/v1/packs/outcomes",
                                                          params=params | {"format": "xlsx"})).content))
    for sheet in workbook.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        columns = [i for i, name in enumerate(header) if isinstance(name, str) and counted.match(name)]
        assert not [(sheet.title, header[i], row[i]) for row in sheet.iter_rows(min_row=2, values_only=True)
                    for i in columns if _small(row[i])]
    html = (await portal.get("/api/v1/packs/outcomes", params=params | {"format": "html"})).text
    section = html[html.index("<h2>Professional communication"):]
    section = section[:section.index("</section>")]
    # A share hidden from the reader is drawn as suppressed, never as "not returned".
    for row in body["las"]:
        if any(k.startswith("shares.") for k in row["professional_communication"]["suppressed"]):
            assert f"{row['name']}: not returned" not in section, row["name"]
    # The table's counts: orders made and ISW recorded, the first and the last but one figure of each row.
    table = re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", section)
    assert len(table) == 24  # the region's 23 LAs (those with no orders: not returned) and the area
    for cells in table:
        values = re.findall(r"<td class=\"[^\"]*\">([^<]*)</td>", cells)
        assert values[1] not in ("1", "2", "3", "4", "5") and values[-2] not in ("1", "2", "3", "4", "5"), values
