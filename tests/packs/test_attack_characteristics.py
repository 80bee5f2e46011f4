"""No LA's small count of children on care orders at home by characteristic can be worked out from the packs.

The attacker here is written apart from the code that hides cells: it knows only what the HTTP API returns
and what docs/ssda903.md, docs/disclosure.md and docs/api.md say the figures mean. As suppressed portals it
reads the care-orders-at-home pack for the North West, a group of two of its LAs, each LA, London and
England over single years and runs of years, and the completeness pack, and models what it reads.

Its unknowns are each LA's counts: per (LA, date, dimension, category) the children on a full or interim
order at home in the category (the pack shows only their sum), and per (LA, date) the counts record's full
and interim orders at home. A characteristics row adds the category over the LAs of its area that returned
the dimension on the date, `children_in_dimension` adds all of the dimension's categories; an LA row shows
the LA's full, interim and their total, an area row adds them over its LAs that returned counts, and
`change_on_previous` is the total less that of the previous 31 March (over the LAs that returned both,
for an area). Where the completeness pack does not warn that a breakdown fails to add up to its counts,
the dimension's categories add up to full plus interim: an equation too. A hidden figure is fixed when its
linear form lies in the span of the shown ones (numpy's rank). Percentages and rates are rounded, so they
give no exact equation; they are only checked to be hidden with the counts they are made of.
"""

import random
from collections import defaultdict
from typing import Any

import numpy as np

from tests.packs.helpers import in_span, make_group, pack, put_counts, submit, weights
from tests.payloads import CUMBRIA, ENGLAND, KNOWSLEY, LIVERPOOL, LONDON, NORTH_WEST

HALTON, WIGAN, SEFTON, CAMDEN, ISLINGTON = "876", "359", "343", "202", "206"
NW_LAS = [LIVERPOOL, KNOWSLEY, HALTON, CUMBRIA, WIGAN, SEFTON]
LONDON_LAS = [CAMDEN, ISLINGTON]
GROUP, GROUP_MEMBERS = "merseyside", [LIVERPOOL, KNOWSLEY]
AREA_LAS = {NORTH_WEST: NW_LAS, LONDON: LONDON_LAS, ENGLAND: NW_LAS + LONDON_LAS, GROUP: GROUP_MEMBERS}
YEARS = [2018, 2019, 2020, 2021]  # 31 March snapshots, each closing a financial year
RANGES = [(y, y) for y in YEARS] + [(2019, 2021), (YEARS[0], YEARS[-1])]
DIMENSIONS = {  # as docs/api.md lists them
    "age_band": ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_and_over"),
    "sex": ("male", "female"),
    "ethnicity": ("white", "mixed", "asian", "black", "other", "not_known"),
    "time_at_home_on_order": ("under_1_year", "1_to_2_years", "2_to_5_years", "5_years_and_over"),
}
COUNT_PARTS = {"full_care_orders_at_home": ("F",), "interim_care_orders_at_home": ("I",), "total_at_home": ("F", "I")}
# A rounded figure, and the counts it is made of: it must be hidden wherever one of them is.
DERIVED = {"pct_of_dimension": ("total_at_home", "children_in_dimension"), "pct_of_cla": ("total_at_home", "cla_total"),
           "rate_per_10k": ("total_at_home",), "pct_placed_with_parents": ("placed_with_parents", "cla_total")}
Key = tuple  # ("F"|"I", la, year) or ("C", la, year, dimension, category)
Form = dict[Key, int]


def day(year: int) -> str:
    return f"{year}-03-31"


class Truth:
    """What the LAs returned: the attacker's unknowns and their true values, to say what a hidden figure is."""

    def __init__(self) -> None:
        self.values: dict[Key, int] = {}
        self.counts: set[tuple[str, int]] = set()  # (la, year) with a counts record
        self.dimensions: dict[tuple[str, int], set[str]] = defaultdict(set)  # dimensions returned

    def breakdown_las(self, area_las: list[str], year: int, dimension: str | None = None) -> list[str]:
        returned = self.dimensions
        return [la for la in area_las if returned[la, year] and (dimension is None or dimension in returned[la, year])]

    def counts_las(self, area_las: list[str], year: int) -> list[str]:
        return [la for la in area_las if (la, year) in self.counts]


def children(rng: random.Random) -> list[dict[str, str]]:
    """One LA's children on orders at home on a date: few, and skewed, so most categories hold 0..5."""
    size = rng.choice([0, 3, 6, 11, 19, 34, 58, 90])
    skew = {d: [rng.random() ** 2 for _ in cats] for d, cats in DIMENSIONS.items()}
    return [{"order": rng.choice(["full_care_orders_at_home"] * 4 + ["interim_care_orders_at_home"]),
             **{d: rng.choices(cats, weights=skew[d])[0] for d, cats in DIMENSIONS.items()}} for _ in range(size)]


def breakdown(kids: list[dict[str, str]], year: int, dimensions: list[str]) -> list[dict[str, Any]]:
    records = []
    for dimension in dimensions:
        for category in DIMENSIONS[dimension]:
            chosen = [k["order"] for k in kids if k[dimension] == category]
            records.append({"snapshot_date": day(year), "dimension": dimension, "category": category,
                            "full_care_orders_at_home": chosen.count("full_care_orders_at_home"),
                            "interim_care_orders_at_home": chosen.count("interim_care_orders_at_home")})
    return records


async def return_year(admin, truth: Truth, la: str, year: int, rng: random.Random) -> None:
    """Counts agreeing with the breakdown, or off by a few, or a breakdown missing a dimension or its counts."""
    kids = children(rng)
    full = sum(k["order"] == "full_care_orders_at_home" for k in kids)
    interim, mode = len(kids) - full, rng.choice(["agree", "agree", "agree", "counts_off", "dimension_off",
                                                  "no_ethnicity", "no_counts", "no_breakdown"])
    if mode == "counts_off":
        full += rng.randint(1, 4)
    if mode != "no_counts":
        await put_counts(admin, la, day(year), full_care_orders_at_home=full, interim_care_orders_at_home=interim,
                         cla_total=400 + rng.randrange(600))
        truth.counts.add((la, year))
        truth.values |= {("F", la, year): full, ("I", la, year): interim}
    if mode == "no_breakdown":
        return
    dimensions = [d for d in DIMENSIONS if not (mode == "no_ethnicity" and d == "ethnicity")]
    records = breakdown(kids, year, dimensions)
    if mode == "dimension_off":  # one category of one dimension returned with a child more
        records[rng.randrange(len(records))]["interim_care_orders_at_home"] += 1
    await submit(admin, la, "care-order-characteristics", records)
    truth.dimensions[la, year] = set(dimensions)
    for r in records:
        truth.values[("C", la, year, r["dimension"], r["category"])] = (r["full_care_orders_at_home"]
                                                                       + r["interim_care_orders_at_home"])


async def seed(api) -> Truth:
    admin, truth, rng = api("admin"), Truth(), random.Random(20261201)
    for la in NW_LAS + LONDON_LAS:
        for year in YEARS:
            await return_year(admin, truth, la, year, rng)
            response = await admin.put(f"/api/v1/local-authorities/{la}/population/{year}",
                                       json={"children_0_17": 20000 + rng.randrange(80000)})
            assert response.status_code in (200, 201), response.text
    await make_group(admin, GROUP, GROUP_MEMBERS)
    return truth


def members(code: str) -> list[str]:
    return AREA_LAS.get(code, [code] if code.isdigit() else [])


def count_forms(las: list[str], year: int, truth: Truth) -> dict[str, Form]:
    """The counts record's figures an LA or area row shows, as forms over the unknowns."""
    returned, forms = truth.counts_las(las, year), {}
    for field, parts in COUNT_PARTS.items():
        forms[field] = {(p, la, year): 1 for la in returned for p in parts}
    matched = [la for la in returned if (la, year - 1) in truth.counts]
    if matched:
        forms["change_on_previous"] = {(p, la, y): s for la in matched for p in "FI" for y, s in ((year, 1), (year - 1, -1))}
    return forms


def characteristic_forms(row: dict[str, Any], year: int, truth: Truth) -> dict[str, Form]:
    las = truth.breakdown_las(members(row["area"]), year, row["dimension"])
    assert row["las_returned"] == len(truth.breakdown_las(members(row["area"]), year)), row
    category = {("C", la, year, row["dimension"], row["category"]): 1 for la in las}
    dimension = {("C", la, year, row["dimension"], c): 1 for la in las for c in DIMENSIONS[row["dimension"]]}
    return {"total_at_home": category, "children_in_dimension": dimension}


def rows_of(body: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    """Every row with figures, named so that the admin's read of the same request pairs with it."""
    named = []
    for at in body["dates"]:
        year = int(at["snapshot_date"][:4])
        named += [(f"la {r['la']}", year, r) for r in at["las"]]
        named += [(f"total {r['area']}", year, r) for r in [at["total"]] if r is not None]
        named += [(f"comparator {r['area']}", year, r) for r in at["comparators"]]
        named += [(f"{r['area']} {r['dimension']}.{r['category']}", year, r) for r in at["characteristics"]]
    return named


class Model:
    """Each figure read becomes a linear form over the unknowns; shown ones are equations, hidden ones targets."""

    def __init__(self, truth: Truth) -> None:
        self.truth = truth
        self.shown: list[tuple[str, Form, int]] = []
        self.hidden: list[tuple[str, Form, int]] = []
        self.unmarked: list[str] = []
        self.misfits: list[str] = []
        self.breakdowns = {"add up": 0, "warned": 0}  # dimensions the completeness pack passes and warns of

    def read(self, source: str, body: dict[str, Any], full: dict[str, Any]) -> None:
        """`full` is the same request read by an admin: only to say what a hidden figure really is."""
        true_rows = {(name, year): row for name, year, row in rows_of(full)}
        for name, year, row in rows_of(body):
            true_row = true_rows[name, year]
            if "dimension" in row:
                forms = characteristic_forms(row, year, self.truth)
            else:
                forms = count_forms(members(row.get("la") or row["area"]), year, self.truth)
            for field, form in forms.items():
                self.figure(f"{source} {year} {name} {field}", form, row[field], field in row["suppressed"],
                            true_row[field])

    def figure(self, cell: str, form: Form, value: int | None, marked: bool, true_value: int | None) -> None:
        if not form or (value is None and true_value is None and not marked):
            return
        if true_value != sum(c * self.truth.values[k] for k, c in form.items()):
            self.misfits.append(f"{cell}: the model says {sum(c * self.truth.values[k] for k, c in form.items())}, "
                                f"the admin reads {true_value}")
        if value is None:
            self.hidden.append((cell, form, true_value))
            if not marked:
                self.unmarked.append(cell)
        else:
            assert value == true_value, cell
            self.shown.append((cell, form, value))

    def agreement(self, la: str, year: int, dimension: str) -> None:
        """The completeness pack does not warn: the dimension adds up to the date's full and interim orders."""
        form = {("C", la, year, dimension, c): 1 for c in DIMENSIONS[dimension]} | {(p, la, year): -1 for p in "FI"}
        self.figure(f"completeness {la} {year} {dimension} adds up", form, 0, False, 0)

    def small_unknowns(self) -> list[tuple[str, Form, int]]:
        """Every LA-level count of 1..5, and every LA's total at home of 1..5, as a target of its own."""
        targets = [(f"{k}", {k: 1}, v) for k, v in self.truth.values.items() if 1 <= v <= 5]
        for la, year in self.truth.counts:
            total = self.truth.values["F", la, year] + self.truth.values["I", la, year]
            if 1 <= total <= 5:
                targets.append((f"total at home {la} {year}", {("F", la, year): 1, ("I", la, year): 1}, total))
        return targets

    def fixed(self, targets: list[tuple[str, Form, int]]) -> list[str]:
        """Targets whose linear form is a combination of shown ones, with the shown figures that weigh most."""
        columns = {key: i for i, key in enumerate(self.truth.values)}
        a, h = matrix(self.shown, columns), matrix(targets, columns)
        found = []
        for n, i in enumerate(in_span(a, h)):
            found.append(f"{targets[i][0]} = {targets[i][2]}")
            if n < 10:
                combination = weights(a, h[i])
                heaviest = [j for j in np.argsort(-np.abs(combination))[:6] if abs(combination[j]) > 1e-9]
                found[-1] += " from " + "; ".join(f"{combination[j]:+.3g} * [{self.shown[j][0]} = {self.shown[j][2]}]"
                                                  for j in heaviest)
        return found


def matrix(forms: list[tuple[str, Form, int]], columns: dict[Key, int]) -> np.ndarray:
    out = np.zeros((len(forms), len(columns)))
    for i, (_, form, _) in enumerate(forms):
        for key, coefficient in form.items():
            out[i, columns[key]] = coefficient
    return out


def span(first: int, last: int) -> dict[str, str]:
    return {"from": f"{first - 1}-04-01", "to": day(last)}


async def read_everything(api, truth: Truth) -> tuple[Model, list[tuple[str, dict[str, Any]]]]:
    """Every pack a portal of the North West or of England may read, over every range; the packs as read."""
    admin, north_west, england = api("admin"), api("portal", area=NORTH_WEST), api("portal", area=ENGLAND)
    model, bodies = Model(truth), []
    readers = [(north_west, area) for area in (NORTH_WEST, GROUP, *NW_LAS)]
    readers += [(england, area) for area in (LONDON, *LONDON_LAS, ENGLAND)]
    for first, last in RANGES:
        for portal, area in readers:
            query = {"area": area, **span(first, last)}
            body = await pack(portal, "care-orders-at-home", **query)
            model.read(f"{area} {first}-{last}:", body, await pack(admin, "care-orders-at-home", **query))
            bodies.append((f"{area} {first}-{last}", body))
    for year in YEARS:
        for portal, area in ((north_west, NORTH_WEST), (england, LONDON)):
            for la in (await pack(portal, "completeness", area=area, **span(year, year)))["las"]:
                read_agreements(model, truth, la, year)
    return model, bodies


def read_agreements(model: Model, truth: Truth, la: dict[str, Any], year: int) -> None:
    if (la["code"], year) not in truth.counts:
        return
    for dimension in truth.dimensions[la["code"], year]:
        if any(w.startswith(f"{day(year)}:") and f" {dimension} " in w for w in la["warnings"]):
            model.breakdowns["warned"] += 1
        else:
            model.agreement(la["code"], year, dimension)
            model.breakdowns["add up"] += 1


async def attacked(api) -> tuple[Model, list[tuple[str, dict[str, Any]]]]:
    truth = await seed(api)
    model, bodies = await read_everything(api, truth)
    assert not model.misfits, "the attacker's model does not fit the figures:\n" + "\n".join(model.misfits[:20])
    assert min(model.breakdowns.values()) >= 5, f"too few breakdowns that add up and that do not: {model.breakdowns}"
    return model, bodies


async def test_no_hidden_characteristic_or_count_is_fixed_by_every_pack_a_portal_reads(api):
    model, _ = await attacked(api)
    small = [t for t in model.hidden if 1 <= t[2] <= 5]
    assert len(small) >= 50, f"only {len(small)} hidden figures of 1..5: the data set does not test the hiding"
    fixed = model.fixed(model.hidden + model.small_unknowns())
    print(f"{len(model.shown)} shown, {len(model.hidden)} hidden ({len(small)} of 1..5, {len(model.unmarked)} unmarked), "
          f"{len(fixed)} fixed")
    assert not fixed, f"{len(fixed)} hidden figures are fixed by what the packs show:\n" + "\n".join(fixed[:20])


async def test_an_la_knowing_its_own_figures_fixes_no_other_las_small_count_a_portal_reads(api):
    """Every portal reads the same tables, and a board's pack goes round the table, Liverpool's officers too."""
    model, _ = await attacked(api)
    for key, value in model.truth.values.items():
        if key[1] == LIVERPOOL:
            model.figure(f"Liverpool's own {key}", {key: 1}, value, False, value)
    others = [t for t in model.hidden + model.small_unknowns() if 1 <= t[2] <= 5 and all(k[1] != LIVERPOOL for k in t[1])]
    fixed = model.fixed(others)
    assert not fixed, f"{len(fixed)} small counts fixed with Liverpool's own figures:\n" + "\n".join(fixed[:20])


async def test_no_figure_a_portal_reads_is_one_las_small_count(api):
    model, _ = await attacked(api)
    single = [(cell, value) for cell, form, value in model.shown
              if len({k[1] for k in form}) == 1 and min(form.values()) > 0 and 1 <= value <= 5]
    assert not single, f"{len(single)} shown figures are one LA's count of 1..5: {single[:10]}"


async def test_a_share_or_rate_is_hidden_wherever_a_count_it_is_made_of_is_unless_it_is_a_share_of_nothing(api):
    """A share whose numerator is a shown 0 is 0.0 whatever its hidden total (never 0: zero is shown)."""
    _, bodies = await attacked(api)
    shown = [f"{source} {name} {year} {field}" for source, body in bodies for name, year, row in rows_of(body)
             for field, parts in DERIVED.items()
             if row.get(field) is not None and any(row.get(p) is None and p in row["suppressed"] for p in parts)
             and not (row.get(parts[0]) == 0 and row.get(field) == 0.0)]
    assert not shown, f"{len(shown)} shares or rates shown beside a hidden count: {shown[:10]}"
