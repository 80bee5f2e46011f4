"""No hidden count can be worked out from many packs read together, across runs of years and areas.

The attacker here is written apart from the code that hides cells: it reads packs over the HTTP API as
a North West portal would, for every run of whole financial years in 2018-19..2020-21, for the region and
for a group of two of its LAs, and models what it reads. Its unknowns are each LA's base values: a count
per (LA, financial year, figure) -- per month for audit grades, since the pack shows grades month by
month. A figure in a pack is the sum of its LAs' base values over the run's years (a total row adds the
area's LAs, a distribution's total adds its counts, `plans` and `court_outcomes` add `plan_vs_outcome`
along one side, `moderated` adds supported, downgraded and upgraded; an audit type's count adds its grades, and all audits add
every type's; the outcome and moderated grades, themes and auditor's roles add up to their totals; agreement
per domain is its own figure); `current_status` counts every order
made on or before `to`, so it is cumulative from the first year to the run's last. Every figure shown is
an equation; a hidden one ("c") is fixed by them when its linear form lies in the span of the shown ones
(numpy's rank). Shares and percentages are left out: they are rounded, so they give no exact equation.

The child's journey: each `by_` breakdown adds up to the orders made, and so do `contested_final_hearing`
and `agreement_initial_plan` (every order here records them) and `professional_communication` (its
`not_recorded` counted); the attacker knows these totals of an LA's year are one number, an equation of
its own. `independent_social_worker` counts the orders that recorded it: a family of its own.
`time_on_order` and `re_referred_within_12_months` add up to the discharges `discharge_outcomes` counts in
the same way. `agreement_final_plan` and `agreement_guardian` are the diagonals of `plan_vs_outcome` and
`guardian_vs_outcome`. A `proceedings_years` row is its LA's (or the area's LAs') figures for that one
year of final hearing. Medians are not counts: left out.
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import numpy as np

from tests.packs.helpers import audit, in_span, make_group, order, pack, submit, weights
from tests.payloads import CUMBRIA, KNOWSLEY, LIVERPOOL, NORTH_WEST

HALTON = "876"
LAS = [LIVERPOOL, KNOWSLEY, HALTON, CUMBRIA]
GROUP, GROUP_MEMBERS = "merseyside", [LIVERPOOL, KNOWSLEY]
YEARS = [2018, 2019, 2020]  # financial years 2018-19..2020-21
RUNS = [(a, b) for a in range(len(YEARS)) for b in range(a, len(YEARS))]
PLANS = ["care_order_at_home", "supervision_order", "care_order_removal", "no_order"]
STATUSES = ["at_home_on_order", "discharged", "placement_order", "turned_18"]
OUTCOMES = ["no_order", "supervision_order", "child_arrangements_order"]
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
DOMAINS = ["response_to_risk", "plans"]
MODERATION = ["supported", "downgraded", "upgraded"]
AUDIT_TYPES = ["individual", "themed", "dip_sample"]
THEMES = ["neglect", "pre-birth", None]
ROLES = ["team manager", "IRO", None]
# The audits pack's items: distributions whose total adds up their own counts.
AUDIT_ITEMS = {"outcome_grades", "moderated_grades", "themes", "auditor_roles"}
OUTCOME_DISTRIBUTIONS = {"discharge_outcomes", "pre_proceedings", "assessments_in_proceedings", "current_status",
                         "initial_vs_final_plan", "time_in_proceedings", "independent_social_worker"}
# Families whose distributions each add up to one total: the attacker knows they are equal.
SAME_TOTAL = {"by_": "by_order_type", "contested_final_hearing": "by_order_type",
              "professional_communication": "by_order_type",
              "agreement_initial_plan": "by_order_type", "time_on_order": "discharge_outcomes",
              "re_referred_within_12_months": "discharge_outcomes"}
DIAGONALS = {"agreement_final_plan": "plan_vs_outcome", "agreement_guardian": "guardian_vs_outcome"}
Cell = tuple[str, str, int, int, str, str]  # pack, area, first year, last year, row, dotted path


def day_in(year: int, rng: random.Random) -> date:
    return date(year, 4, 1) + timedelta(days=rng.randrange(365))


def orders_of(la: str, rng: random.Random) -> list[dict[str, Any]]:
    records = []
    for year in YEARS:
        for i in range(rng.randint(3, 9)):
            made = day_in(year, rng)
            status = rng.choice(STATUSES)
            values = {"order_date": made.isoformat(), "la_final_care_plan": rng.choice(PLANS),
                      "court_outcome": rng.choice(PLANS), "pre_proceedings": rng.random() < 0.7,
                      "assessments_in_proceedings": rng.choice([1, 2, 4, 12]), "current_status": status,
                      "status_date": min(made + timedelta(days=rng.randrange(400)), date(2021, 3, 31)).isoformat()}
            if status == "discharged":
                values |= {"discharge_date": values["status_date"], "discharge_outcome": rng.choice(OUTCOMES),
                           "re_referred_within_12_months": rng.random() < 0.2}
            values |= journey_of(made, rng) | practice_of(random.Random(f"{la}-{year}-{i}"))
            records.append(order(f"{la}-{year}-{i}", **values))
    return records


def journey_of(made: date, rng: random.Random) -> dict[str, Any]:
    values = {"sex": rng.choice(["male", "female", "not_known"]), "disability": rng.random() < 0.2,
              "ethnicity": rng.choice(["white", "white", "mixed", "black", "asian"]),
              "category_of_need": rng.choice(["N1", "N1", "N4", "N5", "N7"]), "la_initial_care_plan": rng.choice(PLANS),
              "guardian_recommendation": rng.choice(PLANS), "contested_final_hearing": rng.random() < 0.3,
              "proceedings_type": "public_law", "age_at_order": rng.randrange(17),
              "proceedings_issued": (made - timedelta(days=rng.randrange(60))).isoformat()}
    if rng.random() < 0.8:
        values["final_hearing"] = min(made + timedelta(days=rng.randrange(300)), date(2021, 3, 31)).isoformat()
    return values


def practice_of(rng: random.Random) -> dict[str, Any]:
    """Professional communication (sometimes not recorded) and whether an ISW was involved (sometimes not
    recorded), from a stream of their own so that the other figures are those the test always had."""
    values: dict[str, Any] = {}
    if rng.random() < 0.85:
        values["professional_communication"] = rng.choice(["none", "limited", "some", "some", "extensive"])
    if rng.random() < 0.8:
        values["independent_social_worker"] = rng.random() < 0.3
    return values


def audits_of(la: str, rng: random.Random, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """LA audits of every type, with themes, roles and outcome grades; a Cafcass dip sample of some of those that
    name an order made in an earlier year, grading the domains too."""
    records = []
    for year in YEARS:
        earlier = [o["order_ref"] for o in orders if o["order_date"] < f"{year}-04-01"]
        for i in range(rng.randint(2, 7)):
            kind = rng.choice(AUDIT_TYPES)
            values: dict[str, Any] = {"audit_date": day_in(year, rng).isoformat(), "overall_grade": rng.choice(GRADES),
                                      "domain_grades": {d: rng.choice(GRADES) for d in DOMAINS if rng.random() < 0.7},
                                      "audit_type": kind, "theme": rng.choice(THEMES) if kind == "themed" else None,
                                      "auditor_role": rng.choice(ROLES), "outcome_grade": rng.choice((None, *GRADES))}
            if rng.random() < 0.4:
                after = rng.choice(GRADES)
                shift = GRADES.index(after) - GRADES.index(values["overall_grade"])
                values["moderation"] = {"moderated_grade": after, "result": MODERATION[(shift > 0) + 2 * (shift < 0)]}
            if earlier and rng.random() < 0.5:
                values["order_ref"] = rng.choice(earlier)
                records.append(audit(f"C{la}-{year}-{i}", audit_type="cafcass_dip_sample", order_ref=values["order_ref"],
                                     audit_date=values["audit_date"], overall_grade=rng.choice(GRADES),
                                     domain_grades={d: rng.choice(GRADES) for d in DOMAINS if rng.random() < 0.7}))
            records.append(audit(f"A{la}-{year}-{i}", **values))
    return records


def flatten(node: Any, prefix: str, out: dict[str, Any], hidden: set[str]) -> None:
    """Dotted paths to values; a path named in an enclosing `suppressed` is hidden."""
    if not isinstance(node, dict):
        out[prefix] = node
        return
    for key in node.get("suppressed") or {}:
        hidden.add(f"{prefix}{key}")
    for key, value in node.items():
        if key != "suppressed":
            flatten(value, f"{prefix}{key}.", out, hidden) if isinstance(value, dict) else flatten(
                value, f"{prefix}{key}", out, hidden)


def leaves(path: str, row: dict[str, Any]) -> tuple[str, list[str]] | None:
    """The figure's family (figures that add up together) and the base figures it adds; None if not a count."""
    parts = path.split(".")
    if parts[0] in DIAGONALS and parts[1] in ("counts", "total"):
        pairs = list(row[DIAGONALS[parts[0]]]["counts"])
        chosen = {"total": pairs, "counts.matched": [p for p in pairs if p.split("|")[0] == p.split("|")[1]],
                  "counts.differed": [p for p in pairs if p.split("|")[0] != p.split("|")[1]]}[path.split(".", 1)[1]]
        return DIAGONALS[parts[0]], [f"{DIAGONALS[parts[0]]}.counts.{p}" for p in chosen]
    if path == "awaiting_final_hearing":
        return path, [path]
    if parts[0] == "guardian_vs_outcome" and parts[1] in ("counts", "total"):
        head = parts[0]
        return head, [path] if parts[1] == "counts" else [f"{head}.counts.{c}" for c in row[head]["counts"]]
    same = next((owner for prefix, owner in SAME_TOTAL.items() if parts[0].startswith(prefix)), None)
    if same is not None and parts[1] in ("counts", "total"):
        # Every breakdown's total is the owner's: the family is the owner's, its categories base figures too.
        if parts[1] == "total":
            return same, [f"{same}.counts.{c}" for c in row[same]["counts"]]
        return same, [path]
    if parts[0] in ("audit_types", "type_grades") and path.split(".")[-2:-1] != ["shares"]:
        # Every audit is of one type with one grade: the base figures are (type, grade).
        kinds = list(row["type_grades"])
        if parts[0] == "audit_types":
            chosen = kinds if parts[1] == "total" else [parts[2]]
            return "audit_types", [f"type_grades.{k}.counts.{g}" for k in chosen for g in GRADES]
        if parts[2] == "total":
            return "audit_types", [f"type_grades.{parts[1]}.counts.{g}" for g in GRADES]
        return "audit_types", [path]
    if parts[0] == "domain_agreement" and parts[2] in ("pairs", "agreed"):
        return path, [path]
    if parts[0] in OUTCOME_DISTRIBUTIONS or parts[0] in ("grades", "domains") or parts[0] in AUDIT_ITEMS:
        head = ".".join(parts[:2]) if parts[0] == "domains" else parts[0]
        tail = path[len(head) + 1:]
        if tail == "total":
            return head, [f"{head}.counts.{c}" for c in row_at(row, head)["counts"]]
        return (head, [path]) if tail.startswith("counts.") else None
    if parts[0] in ("plan_vs_outcome", "plans", "court_outcomes") and parts[1] in ("counts", "total"):
        pairs = list(row["plan_vs_outcome"]["counts"])
        if parts[-1] == "total":
            chosen = pairs
        elif parts[0] == "plan_vs_outcome":
            chosen = [path.split(".", 2)[2]]
        else:
            side = 0 if parts[0] == "plans" else 1
            chosen = [p for p in pairs if p.split("|")[side] == path.split(".", 2)[2]]
        return "plan_vs_outcome", [f"plan_vs_outcome.counts.{p}" for p in chosen]
    if parts[0] == "moderation" and parts[1] in (*MODERATION, "moderated", "audits_returned"):
        chosen = {"moderated": MODERATION, "audits_returned": [*MODERATION, "unmoderated"]}.get(parts[1], [parts[1]])
        return "moderation", [f"moderation.{m}" for m in chosen]
    if parts[0] == "agreement" and parts[1] in ("pairs", "agreed"):
        return path, [path]
    return None


def row_at(row: dict[str, Any], dotted: str) -> dict[str, Any]:
    for key in dotted.split("."):
        row = row[key]
    return row


def periods(family: str, path: str, first: int, last: int, month: Any) -> list[Any]:
    if isinstance(month, tuple):  # a year of final hearing: that year's figures alone
        return [month[1]]
    if month is not None:
        return [month]
    if family == "grades":  # grades are shown month by month, so their base values are monthly
        return [f"{YEARS[y] + (m < 4)}-{m:02d}" for y in range(first, last + 1) for m in (*range(4, 13), 1, 2, 3)]
    if family == "current_status":
        return list(range(0, last + 1))
    return list(range(first, last + 1))


def keyed_rows(body: dict[str, Any]) -> dict[str, tuple[dict[str, Any], list[str], Any]]:
    """Each row by key, with the LAs it adds up and, for a month row, its month (a year row: ("year", index))."""
    members = [row["code"] for row in body["las"] if row["code"] in LAS]
    rows = {row["code"]: (row, [row["code"]], None) for row in body["las"] if row["code"] in LAS}
    rows["total"] = (body["total"], members, None)
    rows |= {row["month"]: (row, members, row["month"]) for row in body.get("months", [])}
    for row in body.get("proceedings_years", []):
        if row["code"] in LAS or row["code"] == body["total"]["code"]:
            year = ("year", YEARS.index(int(row["year"][:4])))
            rows[f"{row['code']}@{row['year']}"] = (row, [row["code"]] if row["code"] in LAS else members, year)
    return rows


class Model:
    """Each count read becomes a linear form over base values, kept apart by family."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[tuple, int]] = defaultdict(dict)
        self.shown: dict[str, list[tuple[Cell, dict[int, int], int]]] = defaultdict(list)
        self.hidden: dict[str, list[tuple[Cell, dict[int, int], int]]] = defaultdict(list)
        self.unmarked = 0

    def read(self, name: str, area: str, run: tuple[int, int], body: dict[str, Any], truth: dict[str, Any]) -> None:
        """`truth` is the same request read by an admin: only to say what a hidden count really is."""
        true_rows = keyed_rows(truth)
        for key, (row, las, month) in keyed_rows(body).items():
            values, hidden, true_values = {}, set(), {}
            flatten(row, "", values, hidden)
            flatten(true_rows[key][0], "", true_values, set())
            for path, value in values.items():
                if (found := leaves(path, row)) is None:
                    continue
                family, bases = found
                form: dict[int, int] = defaultdict(int)
                for la in las:
                    for period in periods(family, path, *run, month):
                        for base in bases:
                            form[self.columns[family].setdefault((la, period, base), len(self.columns[family]))] += 1
                cell, true_value = (name, area, *run, key, path), true_values[path] or 0
                if path in hidden or value is None:  # a null is taken as unknown, marked or not
                    self.hidden[family].append((cell, form, true_value))
                    self.unmarked += path not in hidden and true_value > 0
                else:
                    assert value == true_value, cell
                    self.shown[family].append((cell, form, value))

    def add_identities(self) -> None:
        """Every breakdown of an LA's year adds up to its owner's total: known to the attacker, shown as 0."""
        for prefix, owner in SAME_TOTAL.items():
            keys = {(la, period) for la, period, _ in self.columns[owner]}
            for la, period in sorted(keys, key=repr):
                sections: dict[str, dict[int, int]] = defaultdict(dict)
                for (base_la, base_period, base), column in self.columns[owner].items():
                    if (base_la, base_period) == (la, period):
                        sections[base.split(".")[0]][column] = 1
                own = sections.pop(owner, {})
                for section, form in sections.items():
                    if section.startswith(prefix) and own:
                        self.shown[owner].append((("identity", la, period, 0, section, owner),
                                                  form | {c: form.get(c, 0) - 1 for c in own}, 0))

    def matrix(self, family: str, forms: list[tuple[Cell, dict[int, int], int]]) -> np.ndarray:
        matrix = np.zeros((len(forms), len(self.columns[family])))
        for i, (_, form, _) in enumerate(forms):
            for column, coefficient in form.items():
                matrix[i, column] = coefficient
        return matrix

    def check_consistent(self, family: str) -> None:
        """The model is right: the true values, hidden ones included, satisfy every equation at once."""
        forms = self.shown[family] + self.hidden[family]
        a, b = self.matrix(family, forms), np.array([v for _, _, v in forms], dtype=float)
        solution, *_ = np.linalg.lstsq(a, b, rcond=None)
        assert np.allclose(a @ solution, b, atol=1e-6), f"the model of {family} does not fit the true figures"

    def pinned(self, family: str, explained: int = 20, weighed: int = 6) -> list[str]:
        """Hidden counts of 1..5 whose linear form is a combination of shown ones, with that combination (for the
        first `explained`, its `weighed` heaviest shown figures)."""
        targets = [f for f in self.hidden[family] if 1 <= f[2] <= 5]
        if not targets or not self.shown[family]:
            return []
        a, h = self.matrix(family, self.shown[family]), self.matrix(family, targets)
        found = []
        for n, i in enumerate(in_span(a, h)):
            found.append(f"{targets[i][0]} = {targets[i][2]}")
            if n < explained:  # the relation that fixes it: the shown figures that weigh most in it
                combination = weights(a, h[i])
                heaviest = np.argsort(-np.abs(combination))[:weighed]
                found[-1] += " from " + "; ".join(f"{combination[j]:+.3g}*{self.shown[family][j][0]}="
                                                  f"{self.shown[family][j][2]}" for j in heaviest)
        return found


def run_query(first: int, last: int) -> dict[str, str]:
    return {"from": f"{YEARS[first]}-04-01", "to": f"{YEARS[last] + 1}-03-31"}


async def test_no_hidden_count_is_fixed_by_packs_over_runs_of_years_and_areas(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    rng = random.Random(20240521)
    for la in LAS:
        orders = orders_of(la, rng)
        await submit(admin, la, "orders", orders)
        await submit(admin, la, "audits", audits_of(la, rng, orders))
    await make_group(admin, GROUP, GROUP_MEMBERS)
    model = Model()
    for name in ("outcomes", "audits"):
        for area in (NORTH_WEST, GROUP):
            for run in RUNS:
                query = {"area": area, **run_query(*run)}
                model.read(name, area, run, await pack(portal, name, **query), await pack(admin, name, **query))
    model.add_identities()
    small = sum(1 <= v <= 5 for forms in model.hidden.values() for _, _, v in forms)
    assert small >= 100, f"only {small} hidden counts of 1..5: the data set does not test the hiding"
    pinned = []
    for family in model.columns:
        model.check_consistent(family)
        pinned += model.pinned(family)
    print(f"{small} hidden counts of 1..5, {model.unmarked} non-zero nulls unmarked, {len(pinned)} fixed; by family:",
          {family: sum(1 <= v <= 5 for _, _, v in forms) for family, forms in model.hidden.items()})
    assert {"by_order_type", "guardian_vs_outcome", "initial_vs_final_plan", "time_in_proceedings"} <= set(model.hidden)
    assert {"outcome_grades", "moderated_grades", "audit_types", "themes", "auditor_roles"} <= set(model.hidden)
    assert {"independent_social_worker"} <= set(model.hidden)
    assert any(cell[5].startswith("professional_communication.") for cell, _, _ in model.hidden["by_order_type"])
    assert not pinned, f"{len(pinned)} hidden counts are fixed by what the packs show:\n" + "\n".join(pinned[:20])
