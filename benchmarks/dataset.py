"""A deterministic national data set, as CSV files an LA would send, at any fraction of full size.

Full size: every live LA in England, 10 snapshot dates of counts, 100,000 orders, 1,000,000 audits
(one in ten a Cafcass dip sample) with nine domain grades each, 10 years of audit-programme months.
Counts and programme months are one row per LA per date or month at every size (an LA returns them
whatever its volume); orders and audits scale. Seeded, so every run sends the same bytes.
"""

import bisect
import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.reference.shipped import NW_ADCS_2017_DOMAINS

FULL_ORDERS = 100_000
FULL_AUDITS = 1_000_000
SNAPSHOT_DATES = tuple(date(year, 3, 31) for year in range(2015, 2025))
MONTHS = tuple((2014 + (3 + i) // 12, (3 + i) % 12 + 1) for i in range(120))  # 2014-04 .. 2024-03
FIRST_DAY, LAST_DAY = date(2014, 4, 1), date(2024, 3, 31)
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
GRADE_WEIGHTS = (5, 45, 38, 12)
DOMAINS = tuple(code for code, _ in NW_ADCS_2017_DOMAINS)

COUNT_COLUMNS = ["snapshot_date", "cla_total", "placed_with_parents", "full_care_orders_at_home",
                 "interim_care_orders_at_home", "orders_made_in_year", "discharges.total", "discharges.to_no_order",
                 "discharges.to_supervision_order", "discharges.to_family_assistance_order"]
ORDER_COLUMNS = ["order_ref", "child_ref", "order_type", "order_date", "age_at_order", "pre_proceedings",
                 "la_final_care_plan", "court_outcome", "current_status", "status_date", "discharge_date",
                 "discharge_outcome"]
AUDIT_COLUMNS = ["audit_ref", "framework", "audit_date", "audit_type", *(f"domain_grades.{d}" for d in DOMAINS),
                 "overall_grade", "order_ref", "moderation.moderated_grade", "moderation.result"]
PROGRAMME_COLUMNS = ["month", "planned", "exempted", "returned"]


@dataclass(frozen=True)
class Sizes:
    fraction: float
    las: int

    @property
    def orders_per_la(self) -> int:
        return max(1, round(FULL_ORDERS * self.fraction / self.las))

    @property
    def audits_per_la(self) -> int:
        return max(1, round(FULL_AUDITS * self.fraction / self.las))


def to_csv(columns: list[str], rows: Iterator[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()


def _months_since(since: date) -> tuple[tuple[int, int], ...]:
    return tuple(m for m in MONTHS if date(*m, 28) >= since) or MONTHS[-1:]


def care_order_counts(la: str, since: date) -> bytes:
    rng = random.Random(f"counts-{la}")
    cla = rng.randint(150, 2500)

    def rows() -> Iterator[list[Any]]:
        nonlocal cla
        for snapshot in (d for d in SNAPSHOT_DATES if d >= since):
            cla = max(100, int(cla * rng.uniform(0.96, 1.08)))
            at_home = int(cla * rng.uniform(0.05, 0.18))
            interim = int(at_home * rng.uniform(0.1, 0.22))
            discharged = int(at_home * rng.uniform(0.15, 0.35))
            supervision = int(discharged * 0.27)
            assistance = discharged // 60
            yield [snapshot.isoformat(), cla, at_home + rng.randint(0, 6), at_home - interim, interim,
                   int(at_home * rng.uniform(0.2, 0.4)), discharged, discharged - supervision - assistance,
                   supervision, assistance]

    return to_csv(COUNT_COLUMNS, rows())


# An order an audit may name: (order_date, order_ref), sorted by date once all are made.
Made = list[tuple[date, str]]


def orders(la: str, sizes: Sizes, since: date, *, total: int | None = None, prefix: str = "") -> tuple[bytes, Made]:
    rng = random.Random(f"orders-{la}{prefix}")
    refs: Made = []
    first = max(since, FIRST_DAY)
    span = (LAST_DAY - first).days - 60

    def rows() -> Iterator[list[Any]]:
        for number in range(total or sizes.orders_per_la):
            order_date = first + timedelta(days=rng.randint(0, span))
            status = rng.choices(("at_home_on_order", "discharged", "placement_order", "turned_18"), (50, 35, 10, 5))[0]
            status_date = min(order_date + timedelta(days=rng.randint(30, 900)), LAST_DAY)
            discharged = status == "discharged"
            ref = f"{prefix}{la}-{number:06d}"
            refs.append((order_date, ref))
            yield [ref, f"C{prefix}{la}{number:06d}", rng.choices(("full_care_order", "interim_care_order"), (80, 20))[0],
                   order_date.isoformat(), rng.randint(0, 16), rng.random() < 0.6,
                   rng.choice(("supervision_order", "care_order_at_home", "care_order_removal")), "care_order_at_home",
                   status, status_date.isoformat(), status_date.isoformat() if discharged else "",
                   rng.choice(("no_order", "supervision_order")) if discharged else ""]

    body = to_csv(ORDER_COLUMNS, rows())
    return body, sorted(refs)


def _grade(rng: random.Random, lean: int = 0) -> str:
    return GRADES[min(3, rng.choices(range(4), GRADE_WEIGHTS)[0] + lean)]


def _order_before(rng: random.Random, made: Made, day: date) -> str:
    """An order made on or before the audit's date, as the audits rules require; none yet: no order named."""
    eligible = bisect.bisect_right(made, (day, "\uffff"))
    return made[rng.randrange(eligible)][1] if eligible else ""


def audit_rows(la: str, sizes: Sizes, order_refs: Made, since: date, *, total: int | None = None,
               prefix: str = "") -> Iterator[list[Any]]:
    rng = random.Random(f"audits-{la}-{prefix}")
    months = _months_since(since)
    total = total or sizes.audits_per_la
    for index in range(total):
        year, month = months[index * len(months) // total]
        low = since.day if (year, month) == (since.year, since.month) else 1
        day = date(year, month, rng.randint(min(low, 28), 28))
        audit_date = day.isoformat()
        order_ref = _order_before(rng, order_refs, day) if order_refs and rng.random() < 0.5 else ""
        if index % 10 == 9 and order_ref:
            yield [f"{prefix}CAF{la}-{index:07d}", "overall-only", audit_date, "cafcass_dip_sample", *[""] * len(DOMAINS),
                   _grade(rng), order_ref, "", ""]
            continue
        grades = [_grade(rng) for _ in DOMAINS]
        overall = sorted(grades, key=GRADES.index)[4]
        moderated, result = "", ""
        if rng.random() < 0.2:
            moderated = GRADES[min(3, GRADES.index(overall) + (1 if rng.random() < 0.3 else 0))]
            result = "supported" if moderated == overall else "downgraded"
        yield [f"{prefix}A{la}-{index:07d}", "nw-adcs-2017", audit_date, "individual", *grades, overall, order_ref,
               moderated, result]


def audits(la: str, sizes: Sizes, order_refs: Made, since: date) -> bytes:
    return to_csv(AUDIT_COLUMNS, audit_rows(la, sizes, order_refs, since))


def audit_programme(la: str, since: date) -> bytes:
    rng = random.Random(f"programme-{la}")

    def rows() -> Iterator[list[Any]]:
        for year, month in _months_since(since):
            planned = rng.randint(20, 80)
            exempted = rng.randint(0, planned // 8)
            yield [f"{year}-{month:02d}", planned, exempted, int((planned - exempted) * rng.uniform(0.15, 0.55))]

    return to_csv(PROGRAMME_COLUMNS, rows())
