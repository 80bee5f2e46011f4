"""The demo's 903 extract and its generated care-order characteristics, checked without a database."""

import csv
import hashlib
import io
import os
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path

from app.demo import generator
from app.demo.ssda903 import SSDA903_LA, extract
from app.reference.shipped import shipped_las
from app.ssda903.derive import derive
from app.ssda903.extract import read_extract

YEARS = range(2017, 2022)
UK_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _demo_la(code: str) -> generator.DemoLa:
    la = next(la for la in shipped_las() if la.code == code)
    return generator.DemoLa(la.code, la.operational_from, la.operational_to)


@cache
def _other_las_counts() -> dict[str, list[dict]]:
    las = [generator.DemoLa(la.code, la.operational_from, la.operational_to) for la in shipped_las()
           if la.region_code == generator.NORTH_WEST and la.code != SSDA903_LA]
    return {la.code: counts for la in las if (counts := generator.care_order_counts(la))}


@cache
def _files() -> tuple[bytes, bytes]:
    return extract(_demo_la(SSDA903_LA))


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_the_903_extract_passes_every_check():
    read, problems = read_extract(*_files())
    assert problems == []
    assert read is not None and read.header_rows > 500 and read.episode_rows > 2000


def test_the_903_files_are_in_the_dfe_layout_as_excel_saves_them():
    header, episodes = _files()
    assert header.split(b"\r\n")[0] == b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
    assert episodes.split(b"\r\n")[0] == (b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
                                          b"HOME_POST,PL_POST,URN")
    for data in (header, episodes):
        assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n")
    dates = [row[c] for row in _rows(episodes) for c in ("DECOM", "DEC") if row[c]]
    dates += [row[c] for row in _rows(header) for c in ("DOB", "MC_DOB") if row[c]]
    assert all(UK_DATE.match(d) for d in dates)


def test_the_903_extract_holds_every_journey_the_demo_shows():
    rows = _rows(_files()[1])
    by_child = defaultdict(list)
    for row in rows:
        by_child[row["CHILD"]].append(row)
    pairs = [(a, b) for runs in by_child.values() for a, b in zip(runs, runs[1:], strict=False)]
    assert any(a["LS"] == "C1" and a["PLACE"] == "P1" and a["REC"] == "X1" and b["LS"] == "C2" and b["PLACE"] == "P1"
               and b["RNE"] == "L" and b["DECOM"] == a["DEC"] for a, b in pairs)   # interim became full, at home
    assert any(a["LS"] == "C2" and a["PLACE"].startswith("U") and b["LS"] == "C2" and b["PLACE"] == "P1"
               and b["RNE"] == "P" for a, b in pairs)   # on a full order in foster care, moved home
    assert any(b["RNE"] == "S" for a, b in pairs)   # came back into care after leaving it
    discharged = {r["REC"] for r in rows if r["LS"] == "C2" and r["PLACE"] == "P1"}
    assert {"E4A", "E13", "E41", "E45", "E8"} <= discharged
    assert any(r["REC"] == "E17" for r in rows)
    assert any(r["LS"] == "V2" and r["PLACE"] == "P1" for r in rows)
    assert {"V2", "L1", "L2", "E1", "J2"} <= {r["LS"] for r in rows}


def test_the_903_extract_covers_2017_to_2021_with_an_open_episode_for_each_child_in_care():
    rows = _rows(_files()[1])
    decoms = [date(*map(int, reversed(r["DECOM"].split("/")))) for r in rows]
    assert min(decoms) <= date(2012, 4, 1) and max(decoms) <= date(2021, 3, 31)
    (year_2021,) = derive(read_extract(*_files())[0], [2021])
    assert sum(1 for r in rows if not r["DEC"]) == year_2021.counts["cla_total"]


def test_the_figures_derived_from_the_903_extract_are_within_the_other_demo_las_range():
    others = [counts for records in _other_las_counts().values() for counts in records]
    for derived in derive(read_extract(*_files())[0], YEARS):
        for field in ("full_care_orders_at_home", "interim_care_orders_at_home", "cla_total",
                      "orders_made_in_year", "interim_orders_became_full_orders"):
            assert min(c[field] for c in others) <= derived.counts[field] <= max(c[field] for c in others), \
                (derived.year, field)


def test_roughly_one_child_looked_after_in_eight_is_on_an_order_at_home_in_the_903_extract():
    for derived in derive(read_extract(*_files())[0], YEARS):
        counts = derived.counts
        at_home = counts["full_care_orders_at_home"] + counts["interim_care_orders_at_home"]
        assert 0.10 <= at_home / counts["cla_total"] <= 0.15, derived.year


def test_the_same_la_gives_the_same_903_files_every_time_and_another_la_others():
    assert extract(_demo_la(SSDA903_LA)) == _files()
    assert extract(_demo_la("358")) != _files()


def test_each_dimension_of_the_generated_characteristics_adds_up_to_its_counts():
    for la, counts_records in _other_las_counts().items():
        records = generator.characteristics(counts_records)
        for counts in counts_records:
            for dimension, (categories, _, _) in generator.CHARACTERISTICS.items():
                parts = [r for r in records if r["snapshot_date"] == counts["snapshot_date"]
                         and r["dimension"] == dimension]
                assert [r["category"] for r in parts] == list(categories), (la, dimension)
                for field in ("full_care_orders_at_home", "interim_care_orders_at_home"):
                    assert sum(r[field] for r in parts) == counts[field], (la, counts["snapshot_date"], dimension)


def test_the_generated_characteristics_are_the_same_every_time():
    counts = _other_las_counts()["341"]
    assert generator.characteristics(counts) == generator.characteristics(list(counts))


def test_the_903_files_do_not_depend_on_the_process_that_made_them():
    script = ("import hashlib; from datetime import date; from app.demo.generator import DemoLa; "
              "from app.demo.ssda903 import extract, SSDA903_LA; "
              "print(hashlib.sha256(b''.join(extract(DemoLa(SSDA903_LA, date(2009, 1, 1), None)))).hexdigest())")
    made = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": "random"}, cwd=Path(__file__).parents[2]).stdout
    assert made.strip() == hashlib.sha256(b"".join(_files())).hexdigest()


def test_the_generated_characteristics_have_the_categories_derived_from_a_903_extract():
    (derived,) = derive(read_extract(*_files())[0], [2021])
    generated = generator.characteristics(_other_las_counts()["341"][-1:])
    assert [(r["dimension"], r["category"]) for r in generated] == list(derived.characteristics)
