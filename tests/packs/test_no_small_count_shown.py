"""No count of 1..threshold is ever shown to a suppressed reader: the plain rule of the contract, checked on
every figure a pack shows rather than on what an attacker could work out.

The attack tests ask whether hidden counts can be narrowed; none of them asks whether a small count was shown in
the first place, and the recorded pack outputs were once recorded from output that showed one (parent assessments
of 1..5, unmarked, to a North West portal). So this test is written apart from the code that hides cells (it
imports nothing of it) and reads only HTTP responses: on the demo data, an admin (full disclosure) and suppressed
readers read the same packs, and every count the suppressed reader is sent is paired with the admin's figure at the
same place. Where the admin's is 1..threshold the suppressed reader's must be null and marked "c"; where the
suppressed reader is shown a count, it must be the admin's (no perturbation). An LA client may see its own LA's
figures, and an aggregate that is its own figure plus zeros; never another LA's small count.

Which fields are counts is read from the pack schemas: every whole number a pack shows counts children, orders,
audits or records, except the LA counts of coverage (`las_returned`, `las_expected`, `matched_las`,
`item_las_returned`), differences (`change_on_previous`, compare's `change`), ranks (`rank`, `ranked`, under
`benchmark`, whose values are rates and percentages), the completeness pack's figures (returns expected and
returned: an LA's returns, not children) and what a pack says about itself (`suppression`, `sources[].version`).
A compare period's value is a count when the measure is a flow or the period is one 31 March (a stock's mean over
several is not). Taking every other whole number as a count keeps a field added later under this test.
A spreadsheet stores 3.0 as 3, so an XLSX column is a count where the same measure is one in the CSV. Counts of
records in metadata (`sources[].records`, compare's `snapshots`) must be null for a suppressed reader.

With that bug's fix taken out of the hiding code again, these tests fail: 78 small counts shown to the North West
portal in JSON (parent assessments, 1..5, unmarked), 19 each in the CSV and XLSX, 38 of other LAs' to Liverpool.
"""

import asyncio
import csv
import io
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import openpyxl
import pytest

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.demo.service import load_demo
from app.main import create_app
from tests.conftest import BACKENDS, fresh_database, secret_of, settings_for
from tests.payloads import ENGLAND, KNOWSLEY, LIVERPOOL, NORTH_WEST

HALTON, ST_HELENS = "876", "342"
GROUP, GROUP_MEMBERS = "mersey-three", [KNOWSLEY, ST_HELENS, HALTON]

def _years(first: int, last: int) -> list[tuple[str, str]]:
    """The whole financial years `first`-`last` (by the year they start) as one range, then each alone."""
    return [(f"{first}-04-01", f"{last + 1}-03-31")] + [(f"{y}-04-01", f"{y + 1}-03-31") for y in range(first, last + 1)]


# The demo's 31 March snapshots are 2017 to 2021. Every table a run of years reads is one of its single years', and
# deciding them is the slow part: outcomes and audits take the last two years (seconds a table), the care-orders
# pack, fast, all five.
RANGES = {"care-orders-at-home": _years(2016, 2020), "completeness": _years(2016, 2020),
          "outcomes": _years(2019, 2020), "audits": _years(2019, 2020)}
PACKS = tuple(RANGES)
# Flows summed over whole years, and a stock read one 31 March a period: every period's value is a count.
COMPARES = [
    ("orders_made", "2019-04-01:2020-03-31", "2020-04-01:2021-03-31"),
    ("interim_orders_for_parent_assessment", "2016-04-01:2018-03-31", "2018-04-01:2021-03-31"),
    ("discharges_to_supervision_order", "2018-04-01:2019-03-31", "2020-04-01:2021-03-31"),
    ("total_at_home", "2019-04-01:2020-03-31", "2020-04-01:2021-03-31"),
]
FILE_PACKS = ("care-orders-at-home", "outcomes", "audits")

# Whole numbers a pack shows that are not counts of children, orders, audits or records.
NOT_COUNTS = {"las_returned", "las_expected", "matched_las", "change_on_previous", "change", "rank", "ranked",
              "threshold", "cells_hidden", "version"}
SKIPPED = {"benchmark", "suppression", "area", "groups", "suppressed", "item_las_returned"}
METADATA_COUNTS = {"records", "snapshots"}
# How a list's items are told apart, so the two readers' items are paired by what they are about, not by position.
IDENTITIES = (("snapshot_date",), ("role", "area", "dimension", "category"), ("code", "year"), ("year", "side"),
              ("la", "dataset", "key"), ("month",), ("la",), ("area",), ("code",))
# A row about one LA, named as `Leaf.row` names it.
LA_ROW = re.compile(r"^\w+\[(\d{3})(?:/[^\]]*)?\]$")
WHOLE_NUMBER = re.compile(r"^-?\d+$")


class Leaf:
    """One figure of a response: where it is, its value, whether it is marked "c", whether it is a count."""

    __slots__ = ("context", "row", "field", "value", "marked", "count")

    def __init__(self, context: tuple[str, ...], row: str, field: str, value: Any, marked: bool, count: bool) -> None:
        self.context, self.row, self.field = context, row, field
        self.value, self.marked, self.count = value, marked, count

    @property
    def key(self) -> tuple[str, ...]:
        return (*self.context, self.row, self.field)

    def own_counterpart(self, la: str) -> tuple[str, ...]:
        """Where the same figure of one LA's own row would be, beside this row (an area's)."""
        return (*self.context, f"las[{la}]", self.field)


def identity(item: dict[str, Any]) -> str:
    for names in IDENTITIES:
        if all(name in item for name in names):
            return "/".join(str(item[name]) for name in names)
    raise AssertionError(f"a list item this test cannot tell apart: {sorted(item)}")


def leaves_of(body: dict[str, Any]) -> dict[tuple[str, ...], Leaf]:
    """Every figure of a JSON pack. A row is a list item or the `total`; a figure's field is its dotted path inside
    the row; it is marked when any dict around it lists its path from there in `suppressed`."""
    found: dict[tuple[str, ...], Leaf] = {}
    flow = body.get("kind") == "flow"
    completeness = body["pack"] == "completeness"

    def walk(value: Any, context: tuple[str, ...], row: str, field: list[str], marks: list[tuple[int, dict]],
             parent: dict[str, Any]) -> None:
        if isinstance(value, dict):
            own = value.get("suppressed") if isinstance(value.get("suppressed"), dict) else None
            inner = [*marks, (len(field), own)] if own else marks
            for name, item in value.items():
                if name in SKIPPED:
                    continue
                if row == "" and name == "total" and isinstance(item, dict):
                    walk(item, (*context, *field), "total", [], [], value)
                else:
                    walk(item, context, row, [*field, name], inner, value)
            return
        if isinstance(value, list):
            if not value or not isinstance(value[0], dict):
                return  # lists of names or dates (`used`, `missing`), never counts
            name = field[-1]
            ids = [identity(item) for item in value]
            assert len(set(ids)) == len(ids), f"two items of {name} are about the same thing: {ids}"
            for item_id, item in zip(ids, value, strict=True):
                if row == "" and name in ("las", "comparators", "characteristics", "months", "proceedings_years",
                                          "years", "notes"):
                    walk(item, (*context, *field[:-1]), f"{name}[{item_id}]", [], [], value)
                else:
                    walk(item, context, row, [*field[:-1], f"{name}[{item_id}]"], marks, value)
            return
        path = ".".join(field)
        marked = any(".".join(field[depth:]) in own for depth, own in marks)
        name = field[-1]
        count = (isinstance(value, int) and not isinstance(value, bool) and name not in NOT_COUNTS
                 and name not in METADATA_COUNTS and not completeness
                 and not (row.startswith("sources[") or field[0].startswith("sources[")))
        if name == "value" and field[0] in ("before", "after"):
            count = count and (flow or len(parent.get("used") or []) == 1)
        found[(*context, row, path)] = Leaf(context, row, path, value, marked, count)

    walk(body, (), "", [], [], body)
    return found


def leaves_of_csv(text: str) -> dict[tuple[str, ...], Leaf]:
    """Every figure of a CSV pack: one line per figure, the mark in its own column."""
    found: dict[tuple[str, ...], Leaf] = {}
    lines = csv.DictReader(io.StringIO(text))
    assert lines.fieldnames == ["pack", "section", "period", "code", "name", "measure", "value", "suppressed"]
    for line in lines:
        section, measure, value = line["section"], line["measure"], line["value"]
        parts = measure.split(".")
        count = (WHOLE_NUMBER.match(value) is not None and parts[-1] not in NOT_COUNTS
                 and not SKIPPED.intersection(parts))
        row = f"{section}[{line['code']}]"
        leaf = Leaf((line["period"],), row, measure, int(value) if count else (value or None),
                    line["suppressed"] == "c", count)
        assert leaf.key not in found, f"two lines for {leaf.key}"
        found[leaf.key] = leaf
    return found


def count_measures(csv_leaves: dict[tuple[str, ...], Leaf]) -> set[str]:
    """The measures that are counts, as the CSV tells them apart: a spreadsheet stores 3.0 and 3 alike."""
    counts = {leaf.field for leaf in csv_leaves.values() if leaf.count}
    return counts - {leaf.field for leaf in csv_leaves.values() if not leaf.count and leaf.value is not None
                     and re.match(r"^-?[\d.]+$", str(leaf.value))}


def leaves_of_xlsx(content: bytes, counts: set[str]) -> dict[tuple[str, ...], Leaf]:
    """Every figure of an XLSX pack: a sheet per table, a row per period and code, a column per figure; "c" marks.
    `counts`: the columns that are counts."""
    found: dict[tuple[str, ...], Leaf] = {}
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = list(next(rows, None) or [])
        if header[:3] != ["period", "code", "name"]:
            continue  # the notes sheet
        for values in rows:
            period, code = str(values[0]), str(values[1])
            for column, value in zip(header[3:], values[3:], strict=False):
                count = str(column) in counts and isinstance(value, int | float) and not isinstance(value, bool)
                leaf = Leaf((period,), f"{sheet.title}[{code}]", str(column), None if value == "c" else value,
                            value == "c", count)
                assert leaf.key not in found, f"two cells for {leaf.key}"
                found[leaf.key] = leaf
    return found


def shown_small_counts(reader: dict[tuple[str, ...], Leaf], admin: dict[tuple[str, ...], Leaf], threshold: int,
                       own_la: str | None = None) -> tuple[list[str], int]:
    """What the suppressed reader was shown that it may not be, and how many small counts were checked."""
    problems, checked = [], 0
    for key, leaf in reader.items():
        if leaf.count and key not in admin:
            problems.append(f"{key}: a count the admin's pack does not have: {leaf.value}")
    for key, truth in admin.items():
        if not truth.count or key not in reader:
            continue
        seen = reader[key]
        if seen.value is not None and seen.value != truth.value:
            problems.append(f"{key}: shown {seen.value!r}, the admin's is {truth.value!r}")
        if not 1 <= truth.value <= threshold:
            continue
        if own_la is not None:
            about = LA_ROW.match(truth.row)
            if about and about.group(1) == own_la:
                continue  # its own figure
            own = admin.get(truth.own_counterpart(own_la))
            if not about and own is not None and own.value == truth.value:
                continue  # an aggregate that is its own figure and zeros
        checked += 1
        if seen.value is not None or not seen.marked:
            problems.append(f"{key}: the admin's count is {truth.value}; shown {seen.value!r}"
                            f"{' marked' if seen.marked else ' unmarked'}")
    return problems, checked


def metadata_counts_shown(body: dict[str, Any]) -> list[str]:
    """Counts of records a pack's metadata gives a suppressed reader (they equalled hidden totals)."""
    shown = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                if name in METADATA_COUNTS and item is not None:
                    shown.append(f"{path}.{name} = {item}")
                walk(item, f"{path}.{name}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    walk(body, body["pack"])
    return shown


def _client(app, role: str, **scope: str) -> httpx.AsyncClient:
    with app.state.sessionmaker() as session, session.begin():
        _, key = create_client(session, ClientCreate(name=f"{role}-{uuid.uuid4().hex[:8]}", role=role, **scope),
                               secret_of(app))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                             base_url="http://test", headers={"Authorization": f"Bearer {key}"})


Reads = dict[tuple[str, ...], Any]  # (reader, pack, area, from, to, format) -> the JSON body or the file's bytes


async def _read_everything(app) -> Reads:
    """Every read the tests check, made once per database: deciding the suppressed tables is the slow part."""
    admin = _client(app, "admin")
    response = await admin.put(f"/api/v1/areas/{GROUP}", json={"name": "Mersey Three", "members": GROUP_MEMBERS})
    assert response.status_code in (200, 201), response.text
    readers = {"admin": admin, "north-west": _client(app, "portal", area=NORTH_WEST),
               "england": _client(app, "portal", area=ENGLAND), "liverpool": _client(app, "la", la=LIVERPOOL)}
    # A region's portal reads its region and groups in it; England is read by England's (the same tables).
    areas = {"north-west": [NORTH_WEST, GROUP], "england": [ENGLAND], "liverpool": [NORTH_WEST]}
    reads: Reads = {}

    async def get(reader: str, path: str, params: dict[str, str], key: tuple[str, ...]) -> None:
        response = await readers[reader].get(f"/api/v1/packs/{path}", params=params)
        assert response.status_code == 200, (reader, key, response.text)
        reads[(reader, *key)] = response.json() if params.get("format", "json") == "json" else response.content

    for reader, its_areas in areas.items():
        for area in its_areas:
            for name in PACKS if reader != "liverpool" else FILE_PACKS:
                # An LA client has tables of its own, decided again: it reads the child-level packs' last year.
                for start, end in RANGES[name] if reader != "liverpool" or name == "care-orders-at-home" \
                        else RANGES[name][-1:]:
                    for who in ("admin", reader):
                        await get(who, name, {"area": area, "from": start, "to": end}, (name, area, start, end, "json"))
            if reader == "liverpool":
                continue
            for measure, before, after in COMPARES:
                for who in ("admin", reader):
                    await get(who, "compare", {"area": area, "measure": measure, "before": before, "after": after},
                              ("compare", area, measure, before, after, "json"))
    for name in FILE_PACKS:
        for file_format in ("csv", "xlsx"):
            for who in ("admin", "north-west"):
                start, end = RANGES[name][0]
                await get(who, name, {"area": NORTH_WEST, "from": start, "to": end, "format": file_format},
                          (name, NORTH_WEST, start, end, file_format))
    return reads


# Its module-scoped fixture is built once: under pytest-xdist these tests stay on one worker.
pytestmark = pytest.mark.xdist_group("demo_read_by_the_attacker")


@pytest.fixture(scope="module", params=BACKENDS)
def reads(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reads]:
    """The demo data set, a group inside the North West, and every pack read by every reader, per database."""
    with fresh_database(request, request.param, tmp_path_factory.mktemp("small-counts")) as url:
        app = create_app(settings_for(url))
        try:
            with app.state.sessionmaker() as session, session.begin():
                load_demo(session, secret_of(app))
            yield asyncio.run(_read_everything(app))
        finally:
            app.state.publications.close()
            app.state.engine.dispose()


def _pairs(reads: Reads, reader: str, file_format: str = "json") -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    for key, body in reads.items():
        if key[0] == reader and key[-1] == file_format:
            yield key[1:], body, reads[("admin", *key[1:])]


def _check(reads: Reads, reader: str, file_format: str, parse: Callable[[Any], dict], threshold: int = 5,
           own_la: str | None = None) -> tuple[list[str], Counter]:
    problems, checked = [], Counter()
    for what, body, truth in _pairs(reads, reader, file_format):
        found, count = shown_small_counts(parse(body), parse(truth), threshold, own_la)
        problems += [f"{' '.join(what)} {problem}" for problem in found]
        checked[what[0]] += count
    return problems, checked


def test_no_small_count_is_shown_to_a_portal_in_any_json_pack(reads):
    for reader in ("north-west", "england"):
        for what, body, _ in _pairs(reads, reader):
            assert body["suppression"]["threshold"] == 5, what
            assert body["suppression"]["applied"] == (what[0] != "completeness"), what
    problems, checked = [], Counter()
    for reader in ("north-west", "england"):
        found, counted = _check(reads, reader, "json", leaves_of)
        problems += [f"{reader} {problem}" for problem in found]
        checked += counted
    assert not problems, f"{len(problems)} small counts shown to a portal, e.g.\n" + "\n".join(problems[:30])
    # Not a test of nothing: each pack that counts children has small counts to hide on the demo data.
    assert all(checked[name] >= 20 for name in ("care-orders-at-home", "outcomes", "audits", "compare")), checked


def test_no_count_of_records_is_in_a_portals_metadata(reads):
    shown = [f"{reader} {' '.join(what)}: {field}" for reader in ("north-west", "england")
             for what, body, _ in _pairs(reads, reader) for field in metadata_counts_shown(body)]
    assert not shown, shown[:20]


def test_no_small_count_is_shown_to_a_portal_in_csv(reads):
    problems, checked = _check(reads, "north-west", "csv", lambda body: leaves_of_csv(body.decode("utf-8-sig")))
    assert not problems, f"{len(problems)} small counts shown, e.g.\n" + "\n".join(problems[:30])
    assert all(checked[name] >= 20 for name in FILE_PACKS), checked


def test_no_small_count_is_shown_to_a_portal_in_xlsx(reads):
    problems, checked = [], Counter()
    for what, body, truth in _pairs(reads, "north-west", "xlsx"):
        csv_key = ("admin", *what[:-1], "csv")
        counts = count_measures(leaves_of_csv(reads[csv_key].decode("utf-8-sig")))
        found, count = shown_small_counts(leaves_of_xlsx(body, counts), leaves_of_xlsx(truth, counts), 5)
        problems += [f"{' '.join(what)} {problem}" for problem in found]
        checked[what[0]] += count
    assert not problems, f"{len(problems)} small counts shown, e.g.\n" + "\n".join(problems[:30])
    assert all(checked[name] >= 20 for name in FILE_PACKS), checked


def test_an_la_client_is_shown_no_other_las_small_count(reads):
    problems, checked = _check(reads, "liverpool", "json", leaves_of, own_la=LIVERPOOL)
    assert not problems, f"{len(problems)} small counts shown to Liverpool, e.g.\n" + "\n".join(problems[:30])
    assert all(checked[name] >= 20 for name in FILE_PACKS), checked


def test_an_la_client_is_shown_its_own_figures_whole(reads):
    differ, checked = [], Counter()
    for what, body, truth in _pairs(reads, "liverpool"):
        mine, admins = leaves_of(body), leaves_of(truth)
        own = [key for key, leaf in admins.items() if leaf.count and leaf.row == f"las[{LIVERPOOL}]"]
        checked[what[0]] += len(own)
        differ += [f"{' '.join(what)} {key}: {mine[key].value!r}, the admin's {admins[key].value!r}"
                   for key in own if mine[key].value != admins[key].value or mine[key].marked]
    assert not differ, differ[:20]
    assert all(checked[name] >= 20 for name in FILE_PACKS), checked


def _marks_in_json(value: Any) -> int:
    if isinstance(value, dict):
        return sum(sum(1 for mark in item.values() if mark == "c") if name == "suppressed" and isinstance(item, dict)
                   else _marks_in_json(item) for name, item in value.items())
    return sum(_marks_in_json(item) for item in value) if isinstance(value, list) else 0


def test_every_format_marks_as_many_figures_as_the_pack_says_it_hides(reads):
    """One figure, one meaning: the CSV and XLSX once dropped the marks of a row's percentages kept inside one of
    its fields (92 outcomes figures left empty, which the CSV says is "not returned"), and `cells_hidden` counted
    hidden cells rather than the figures shown as c (4,936 against 5,152 marks)."""
    for name in FILE_PACKS:
        start, end = RANGES[name][0]
        body = reads[("north-west", name, NORTH_WEST, start, end, "json")]
        rows = csv.DictReader(io.StringIO(reads[("north-west", name, NORTH_WEST, start, end, "csv")].decode("utf-8-sig")))
        in_csv = sum(1 for row in rows if row["suppressed"] == "c")
        workbook = openpyxl.load_workbook(io.BytesIO(reads[("north-west", name, NORTH_WEST, start, end, "xlsx")]),
                                          read_only=True)
        in_xlsx = sum(1 for sheet in workbook.worksheets for values in sheet.iter_rows(values_only=True)
                      for value in values if value == "c")
        said = body["suppression"]["cells_hidden"]
        assert (_marks_in_json(body), in_csv, in_xlsx) == (said, said, said), name
        assert said > 0, name
