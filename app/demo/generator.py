"""A deterministic, plausible North West data set, generated rather than typed in.

Shapes follow the published figures the service exists for: about 13% of NW children looked
after are placed with parents; discharges go roughly 72% to no order, 27% to a supervision
order and 1% to a family assistance order; audit return rates of 20–50%; grades mostly good or
requires improvement. Seeded by LA code, so every run produces the same records.
"""

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.reference.shipped import NW_ADCS_2017_DOMAINS

NORTH_WEST = "E12000002"
SNAPSHOT_DATES = tuple(date(year, 3, 31) for year in range(2017, 2022))
AUDIT_MONTHS = tuple(f"{year}-{month:02d}" for year in (2019, 2020, 2021) for month in range(1, 13)
                     if (year, month) >= (2019, 4) and (year, month) <= (2021, 3))
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
GRADE_WEIGHTS = (5, 45, 38, 12)
AUDIT_THEMES = ("neglect", "pre-birth assessment", "domestic abuse", "child exploitation")
AUDITOR_ROLES = ("team manager", "practice supervisor", "independent reviewing officer", "quality assurance officer")
DEMO_END = date(2021, 3, 31)  # the demo's data run to the last snapshot date


@dataclass(frozen=True)
class DemoLa:
    code: str
    operational_from: date
    operational_to: date | None

    def on(self, day: date) -> bool:
        return self.operational_from <= day and (self.operational_to is None or day <= self.operational_to)


def _split(rng: random.Random, total: int, weights: tuple[float, ...]) -> list[int]:
    parts = [int(total * w) for w in weights]
    for _ in range(total - sum(parts)):
        parts[rng.choices(range(len(weights)), weights)[0]] += 1
    return parts


def care_order_counts(la: DemoLa) -> list[dict[str, Any]]:
    rng = random.Random(f"counts-{la.code}")
    cla = rng.randint(280, 1500)
    share_at_home = rng.uniform(0.07, 0.18)
    records = []
    for snapshot in SNAPSHOT_DATES:
        if not la.on(snapshot):
            continue
        cla = max(150, int(cla * rng.uniform(0.97, 1.08)))
        at_home = int(cla * share_at_home * rng.uniform(0.9, 1.1))
        interim = int(at_home * rng.uniform(0.1, 0.22))
        full = at_home - interim
        placed_with_parents = at_home + rng.randint(0, max(1, at_home // 8))
        discharged = int(at_home * rng.uniform(0.18, 0.32))
        no_order, supervision, assistance = _split(rng, discharged, (0.72, 0.27, 0.01))
        for_assessment = rng.randint(0, 8)
        records.append({
            "snapshot_date": snapshot.isoformat(), "cla_total": cla, "placed_with_parents": placed_with_parents,
            "full_care_orders_at_home": full, "interim_care_orders_at_home": interim,
            "orders_made_in_year": int(at_home * rng.uniform(0.22, 0.36)),
            "discharges": {"total": discharged, "to_no_order": no_order, "to_supervision_order": supervision,
                           "to_family_assistance_order": assistance, "to_special_guardianship_order": 0,
                           "to_child_arrangements_order": 0},
            "interim_orders_from_private_law": rng.randint(0, 3),
            "interim_orders_for_parent_assessment": for_assessment,
            "interim_orders_for_parent_assessment_child_remained": rng.randint(0, for_assessment),
            "interim_orders_became_full_orders": int(interim * rng.uniform(0.4, 0.8)),
            "notes": _note(la, snapshot),
        })
    return records


# What an LA might write for the board beside its counts. Drawn from a stream of their own, so the counts (and
# every pack built from them) are as they were before notes were added.
NOTES = (
    "A new pre-proceedings panel met weekly from September; fewer orders were made at home after it started.",
    "Two large sibling groups were discharged together in the last quarter.",
    "Our figures for discharges to supervision orders were checked against the court's records this year.",
    "Staff changes in the court team delayed several final hearings into the next year.",
    "We reviewed every child on a care order at home for over two years; several discharges followed.",
    "Parent assessments on interim orders are now done by one specialist team.",
)


def _note(la: DemoLa, snapshot: date) -> str | None:
    rng = random.Random(f"notes-{la.code}-{snapshot.isoformat()}")
    return rng.choice(NOTES) if rng.random() < 0.3 else None


# The care-order-characteristics dimensions, each with its categories and how the children on full and on interim
# orders at home spread over them: most aged 1 to 15, about as many girls as boys, most white British (as in the
# NW's children looked after), and most at home on an order for under two years (interim orders rarely last one).
CHARACTERISTICS: dict[str, tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]] = {
    "age_band": (("under_1", "1_to_4", "5_to_9", "10_to_15", "16_and_over"),
                 (0.03, 0.22, 0.31, 0.36, 0.08), (0.16, 0.32, 0.24, 0.24, 0.04)),
    "sex": (("male", "female"), (0.52, 0.48), (0.51, 0.49)),
    "ethnicity": (("white", "mixed", "asian", "black", "other", "not_known"),
                  (0.84, 0.07, 0.04, 0.02, 0.01, 0.02), (0.82, 0.08, 0.04, 0.03, 0.01, 0.02)),
    "time_at_home_on_order": (("under_1_year", "1_to_2_years", "2_to_5_years", "5_years_and_over"),
                              (0.38, 0.31, 0.25, 0.06), (0.93, 0.07, 0.0, 0.0)),
}


def _jittered(rng: random.Random, weights: tuple[float, ...]) -> tuple[float, ...]:
    """The weights moved a little, so that dates and LAs differ, still adding up to one."""
    moved = [w * rng.uniform(0.8, 1.2) for w in weights]
    return tuple(w / sum(moved) for w in moved)


def characteristics(counts_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The care-order-characteristics records of an LA's generated `care_order_counts`: for each snapshot date,
    every category of every dimension, each dimension adding up to that date's full and interim orders at home."""
    records = []
    for counts in counts_records:
        full, interim = counts["full_care_orders_at_home"], counts["interim_care_orders_at_home"]
        rng = random.Random(f"characteristics-{counts['snapshot_date']}-{counts['cla_total']}-{full}-{interim}")
        for dimension, (categories, full_weights, interim_weights) in CHARACTERISTICS.items():
            parts = zip(categories, _split(rng, full, _jittered(rng, full_weights)),
                        _split(rng, interim, _jittered(rng, interim_weights)), strict=True)
            records.extend({"snapshot_date": counts["snapshot_date"], "dimension": dimension, "category": category,
                            "full_care_orders_at_home": on_full, "interim_care_orders_at_home": on_interim}
                           for category, on_full, on_interim in parts)
    return records


def population(la: DemoLa) -> dict[int, int]:
    rng = random.Random(f"population-{la.code}")
    base = rng.randint(25_000, 260_000)
    return {s.year: int(base * (1 + 0.004 * i)) for i, s in enumerate(SNAPSHOT_DATES) if la.on(s)}


def orders(la: DemoLa) -> list[dict[str, Any]]:
    rng = random.Random(f"orders-{la.code}")
    # Its own stream, so the orders' other fields (and every pack built from them) are as they were before it.
    journey_rng = random.Random(f"journey-{la.code}")
    records = []
    for number in range(rng.randint(12, 40)):
        order_date = date(2016, 4, 1) + timedelta(days=rng.randint(0, 1800))
        if not la.on(order_date):
            continue
        status = rng.choices(["at_home_on_order", "discharged", "special_guardianship_order", "placement_order",
                              "removed_alternative_carers", "turned_18"], (45, 30, 8, 5, 9, 3))[0]
        status_date = min(order_date + timedelta(days=rng.randint(30, 900)), DEMO_END)
        plan = rng.choices(["supervision_order", "care_order_at_home", "care_order_removal", "placement_order"],
                           (45, 35, 15, 5))[0]
        record = {
            "order_ref": f"{la.code}-{order_date.year}-{number:04d}", "child_ref": f"C{la.code}{rng.randint(10_000, 99_999)}",
            "order_type": rng.choices(["full_care_order", "interim_care_order"], (80, 20))[0],
            "order_date": order_date.isoformat(), "age_at_order": rng.randint(0, 16),
            "pre_proceedings": rng.random() < 0.6, "assessments_in_proceedings": rng.randint(2, 9),
            "independent_social_worker": rng.random() < 0.3,
            "professional_communication": rng.choices(["none", "limited", "some", "extensive"], (5, 30, 45, 20))[0],
            "la_final_care_plan": plan, "court_outcome": "care_order_at_home",
            "current_status": status, "status_date": status_date.isoformat(),
        }
        if status == "discharged":
            record["discharge_date"] = status_date.isoformat()
            record["discharge_outcome"] = rng.choices(["no_order", "supervision_order", "family_assistance_order"],
                                                      (72, 27, 1))[0]
        record.update(journey(journey_rng, record))
        records.append(record)
    return records


# 903 categories of need: most proceedings are for abuse or neglect (N1), then family dysfunction (N5).
NEEDS = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
NEED_WEIGHTS = (60, 3, 6, 8, 17, 2, 1, 3)
PLANS = ("care_order_at_home", "supervision_order", "care_order_removal", "placement_order", "no_order")


def journey(rng: random.Random, order: dict[str, Any]) -> dict[str, Any]:
    """An order's child and court journey: weeks in proceedings mostly 20 to 50 (median about 30, against the
    26-week limit); a full order made at the final hearing, an interim one early in proceedings that may not have
    reached a final hearing yet; the LA's initial plan other than its final one in about a fifth, the guardian
    agreeing with the court in most, a few hearings contested, about one discharged child in ten re-referred."""
    characteristics = {
        "sex": rng.choices(("male", "female", "not_known"), (51, 47, 2))[0],
        "ethnicity": rng.choices(*CHARACTERISTICS["ethnicity"][:2])[0],
        "disability": rng.random() < 0.12,
    }
    if rng.random() < 0.08:
        return characteristics  # the LA's case system did not hold this one's court journey
    weeks = min(80, max(10, round(rng.lognormvariate(math.log(30), 0.28))))
    made = date.fromisoformat(order["order_date"])
    if order["order_type"] == "full_care_order":
        issued, heard = made - timedelta(weeks=weeks), made
    else:
        issued = made - timedelta(days=rng.randint(0, 21))
        heard = issued + timedelta(weeks=weeks)
    hearing = heard if heard <= DEMO_END else None  # None: still in proceedings
    final_plan = order["la_final_care_plan"]
    heard = {"final_hearing": None, "guardian_recommendation": None, "contested_final_hearing": None}
    if hearing is not None:
        heard = {"final_hearing": hearing.isoformat(), "contested_final_hearing": rng.random() < 0.12,
                 "guardian_recommendation": order["court_outcome"] if rng.random() < 0.8 else final_plan}
    return {
        **characteristics, **heard, "proceedings_issued": issued.isoformat(),
        "la_initial_care_plan": rng.choice([p for p in PLANS if p != final_plan]) if rng.random() < 0.2
        else final_plan,
        "category_of_need": rng.choices(NEEDS, NEED_WEIGHTS)[0],
        "proceedings_type": "private_law" if rng.random() < 0.06 else "public_law",
        "re_referred_within_12_months": rng.random() < 0.1 if "discharge_date" in order else None,
    }


def _grade(rng: random.Random, lean: int = 0) -> str:
    index = rng.choices(range(4), GRADE_WEIGHTS)[0] + lean
    return GRADES[min(3, max(0, index))]


def _audited_order(drawn: str, audit_date: date, made: dict[str, date]) -> str | None:
    """The drawn order, or if it was made after the audit the last one made by then: an audit names an order
    that exists on its date (and the random draws, so the rest of the demo, stay as they were)."""
    if made[drawn] <= audit_date:
        return drawn
    earlier = [ref for ref, day in made.items() if day <= audit_date]
    return max(earlier, key=lambda ref: (made[ref], ref)) if earlier else None


def audits(la: DemoLa, made: dict[str, date]) -> list[dict[str, Any]]:
    """`made`: each order's reference and date."""
    rng = random.Random(f"audits-{la.code}")
    items = random.Random(f"audit-items-{la.code}")
    order_refs = list(made)
    records = []
    for month in AUDIT_MONTHS:
        year, number = int(month[:4]), int(month[5:])
        for index in range(rng.randint(1, 4)):
            audit_date = date(year, number, rng.randint(1, 28))
            domains = {code: _grade(rng) for code, _ in NW_ADCS_2017_DOMAINS}
            overall = sorted(domains.values(), key=GRADES.index)[4]
            record = {"audit_ref": f"A{la.code}-{month}-{index}", "audit_date": audit_date.isoformat(),
                      "audit_type": "individual", "domain_grades": domains, "overall_grade": overall,
                      "order_ref": _audited_order(rng.choice(order_refs), audit_date, made)
                      if order_refs and rng.random() < 0.5 else None}
            if rng.random() < 0.2:
                moderated = GRADES[min(3, GRADES.index(overall) + (1 if rng.random() < 0.3 else 0))]
                record["moderation"] = {"moderated_grade": moderated,
                                        "result": "supported" if moderated == overall else "downgraded"}
            records.append(record | _items(items, domains))
            if record["order_ref"] and rng.random() < 0.3:
                records.append({"audit_ref": f"CAF{la.code}-{month}-{index}", "audit_date": audit_date.isoformat(),
                                "audit_type": "cafcass_dip_sample", "framework": "overall-only",
                                "overall_grade": overall if rng.random() < 0.7 else _grade(rng, 1),
                                "order_ref": record["order_ref"], "auditor_role": "Cafcass children's guardian"}
                               | _cafcass_domains(items, domains))
    return records


def _items(rng: random.Random, domains: dict[str, str]) -> dict[str, Any]:
    """Type, theme, auditor's role and outcome grade, drawn apart from the rest (`rng` is their own), so every
    figure the demo had before stays as it was."""
    kind = rng.choices(("individual", "themed", "dip_sample"), (75, 15, 10))[0]
    outcome = _grade(rng, rng.choice((-1, 0, 0, 1))) if rng.random() < 0.6 else None
    return {"audit_type": kind, "theme": rng.choice(AUDIT_THEMES) if kind == "themed" else None,
            "auditor_role": rng.choices(AUDITOR_ROLES, (50, 25, 15, 10))[0], "outcome_grade": outcome}


def _cafcass_domains(rng: random.Random, domains: dict[str, str]) -> dict[str, Any]:
    """Half the Cafcass dip samples grade the LA's domains too, mostly as the LA did."""
    if rng.random() < 0.5:
        return {}
    return {"framework": "nw-adcs-2017",
            "domain_grades": {code: grade if rng.random() < 0.7 else _grade(rng, 1) for code, grade in domains.items()}}


def audit_programme(la: DemoLa, audited: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each month's programme around the LA audits of `audited` dated in it: what it returned is what is stored."""
    rng = random.Random(f"programme-{la.code}")
    returned = Counter(a["audit_date"][:7] for a in audited if a["audit_type"] != "cafcass_dip_sample")
    records = []
    rate = rng.uniform(0.3, 0.55)
    for month in AUDIT_MONTHS:
        rate = max(0.12, rate - rng.uniform(-0.02, 0.03))  # return rates drift down, as reports found
        scheduled = max(returned[month], math.ceil(returned[month] / rate))
        exempted = rng.randint(0, max(1, scheduled // 8))
        records.append({"month": month, "planned": scheduled + exempted, "exempted": exempted,
                        "returned": returned[month]})
    return records
