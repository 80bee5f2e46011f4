"""No hidden count can be worked out from packs read in two data states, one subtracted from the other.

Tables are decided once per data state, and a state changes when any return changes or an admin defines a
group. The attacker here is written apart from the code that hides cells: a North West portal reads packs
over the HTTP API in one state, something changes, and it reads again. Its unknowns are each LA's base
values as in `test_attack_across_requests` (a count per LA, financial year or snapshot date, and figure;
per month for audit grades), one set per version of the LA's returns: the packs' `sources` say which
returns each read used (a care-order-counts record's version per date, a digest of an LA's orders or
audits), so an LA whose returns did not change between the reads keeps its unknowns and one whose returns
did gets new ones, and one that had not returned adds nothing before it does. Every figure shown in
either state is an equation over them, a hidden one an unknown of at least 1, every base value at least 0.

The care-orders pack, per snapshot date: an area's figure (its total row, and the region and England
beside it) adds its LAs' that returned the item (England's `las_returned` is the region's here: no other
region returns). `total_at_home` adds full and interim orders; `discharges_total` adds the outcomes and
whatever went unnamed (the outcomes add up to at most the total); parent assessments add those in which
the child remained and the rest (a return may not have more remained than assessed). An LA row's null
without "c" is an item not returned: 0 in its area's figure. The outcomes and audits packs: the
families and relations of `test_attack_across_requests`, but for the items an order may leave unrecorded
(contested hearing, initial plan, re-referral): their totals are their own, not the orders made or discharged.
A share shown in those packs (one decimal place) bounds its count against its total: 100 × count − (share ± 0.05)
× total is at most and at least 0, whichever of them is hidden. (Showing every share, a count's hidden or not,
narrows 306 of 2,596 counts in the late-return scenario; the shares of a shown 0, now shown beside a hidden total,
none.)

For every hidden count of 1..5 (its true value read by an admin) a linear programme (HiGHS) gives its
least and greatest value under every equation of both states; it must keep at least five whole values,
and none may be a combination of shown figures (numpy's rank). Each count narrowed or fixed is solved again
in its own state alone: the tests hold the second read to what it adds, and print what one state alone
already gives away (here the outcomes pack's discharges: `time_on_order` shows the total that
`discharge_outcomes` hides, and with the zeros shown and every hidden count at least 1 an LA's discharges in a
year are left three values; that is not the subject here). A scenario that hides fewer than 20 counts of
1..5 in either state fails as not testing anything.
"""

import random
from collections import defaultdict
from math import ceil, floor
from typing import Any

import highspy
import numpy as np

from tests.packs.helpers import make_group, pack, submit
from tests.packs.test_attack_across_requests import YEARS, Model, audits_of, flatten, leaves, orders_of, periods, run_query
from tests.payloads import CUMBRIA, ENGLAND, KNOWSLEY, LIVERPOOL, NORTH_WEST

HALTON, SEFTON, WIRRAL = "876", "343", "344"
LAS = [LIVERPOOL, KNOWSLEY, HALTON, SEFTON, WIRRAL, CUMBRIA]
SNAPSHOTS = [f"{year + 1}-03-31" for year in YEARS]
PACKS = ("care-orders-at-home", "outcomes", "audits")
RUNS = [(y, y) for y in range(len(YEARS))]  # tables are decided a year at a time: a run of years adds them
DISCHARGES = ["to_no_order", "to_supervision_order", "to_family_assistance_order",
              "to_special_guardianship_order", "to_child_arrangements_order"]
ITEMS = ["interim_orders_from_private_law", "interim_orders_became_full_orders"]
ASSESSED, REMAINED = "interim_orders_for_parent_assessment", "interim_orders_for_parent_assessment_child_remained"
# A care-orders figure: its family and the base values of one LA's date it adds.
CARE_ORDERS: dict[str, tuple[str, list[str]]] = {
    "full_care_orders_at_home": ("at_home", ["full"]), "interim_care_orders_at_home": ("at_home", ["interim"]),
    "total_at_home": ("at_home", ["full", "interim"]), "cla_total": ("cla_total", ["cla_total"]),
    "placed_with_parents": ("placed_with_parents", ["placed_with_parents"]),
    "orders_made_in_year": ("orders_made_in_year", ["orders_made_in_year"]),
    "discharges_total": ("discharges", [*DISCHARGES, "unnamed"]),
    **{f"discharges_{d}": ("discharges", [d]) for d in DISCHARGES},
    **{item: (item, [item]) for item in ITEMS},
    ASSESSED: ("assessments", ["remained", "not_remained"]), REMAINED: ("assessments", ["remained"]),
}
# Optional items of an order: the orders that recorded them are not known to be all the orders.
OWN_TOTALS = {"contested_final_hearing", "agreement_initial_plan", "re_referred_within_12_months"}
Read = tuple[int, str, str, tuple[int, int], dict[str, Any], dict[str, Any]]  # state, pack, area, run, portal's, admin's


def counts_of(la: str, rng: random.Random, small: bool = False) -> list[dict[str, Any]]:
    """An LA's care-order counts at each 31 March: the interim items and discharges mostly small counts."""
    records = []
    for day in SNAPSHOTS:
        full, interim = rng.randint(3, 12) if small else rng.randint(20, 120), rng.randint(1, 12)
        parts = {d: rng.randint(0, 6) for d in DISCHARGES[:3]}
        assessed = rng.randint(1, 12)
        records.append({"snapshot_date": day, "cla_total": rng.randint(300, 1500), "full_care_orders_at_home": full,
                        "interim_care_orders_at_home": interim,
                        "placed_with_parents": full + interim + rng.randint(0, 8),
                        "orders_made_in_year": rng.randint(2, 9) if small else rng.randint(2, 40),
                        "discharges": {"total": sum(parts.values()) + rng.randint(0, 2), **parts},
                        "interim_orders_from_private_law": rng.randint(0, 6),
                        ASSESSED: assessed, REMAINED: rng.randint(0, assessed),
                        "interim_orders_became_full_orders": rng.randint(1, 10)})
    return records


async def seed(admin, las: list[str], rng: random.Random, small: bool = False) -> dict[tuple[str, str], list[dict]]:
    """Each LA's returns; its care-order counts and orders by (LA, dataset), to revise one."""
    returned = {}
    for la in las:
        returned[la, "care-order-counts"] = counts_of(la, rng, small)
        returned[la, "orders"] = orders_of(la, rng)
        await submit(admin, la, "care-order-counts", returned[la, "care-order-counts"])
        await submit(admin, la, "orders", returned[la, "orders"])
        await submit(admin, la, "audits", audits_of(la, rng, returned[la, "orders"]))
    return returned


async def read_all(reads: list[Read], state: int, portal, admin, areas: list[str]) -> None:
    for name in PACKS:
        for area in areas:
            for run in RUNS:
                query = {"area": area, **run_query(*run)}
                reads.append((state, name, area, run, await pack(portal, name, **query), await pack(admin, name, **query)))


def versions(reads: list[Read]) -> dict[tuple[int, str], dict[str, Any]]:
    """Per state and pack, what each LA's figures were read from, as the packs' `sources` name it."""
    found: dict[tuple[int, str], dict[str, Any]] = defaultdict(dict)
    for state, name, _, _, body, _ in reads:
        for source in body["sources"]:
            assert source["la"] in LAS, "only these LAs return: an area's figures add theirs"
            found[state, name][source["la"], source["dataset"], source["key"]] = source["version"] or source["digest"]
    return found


class Attacker(Model):
    """`Model`'s families, with each LA's base values named by the version of its returns that they are."""

    def __init__(self, reads: list[Read], states: set[int]) -> None:
        super().__init__()
        self.floors: dict[str, list[int]] = defaultdict(list)
        # A shown share: its count's form, its total's and its value, which bounds the count against the total.
        self.shares: dict[str, list[tuple[dict[int, int], dict[int, int], float]]] = defaultdict(list)
        self.versions = versions(reads)
        for state, name, area, run, body, truth in reads:
            if state not in states:
                continue
            if name == "care-orders-at-home":
                self.read_care_orders(state, area, run, body, truth)
            else:
                self.read_child_level(state, name, area, run, body, truth)
        self.add_identities()

    def label(self, state: int, name: str, la: str, key: str | None = None) -> str | None:
        """The LA's returns behind its figures in this state (None: it had returned none)."""
        found = sorted(str(v) for (source_la, _, source_key), v in self.versions[state, name].items()
                       if source_la == la and (key is None or source_key == key))
        return f"{la}@{'/'.join(found)}" if found else None

    def form(self, family: str, bases: list[tuple]) -> dict[int, int]:
        form: dict[int, int] = defaultdict(int)
        for base in bases:
            form[self.columns[family].setdefault(base, len(self.columns[family]))] += 1
        return form

    def equation(self, family: str, cell: tuple, bases: list[tuple], value: Any, hidden: bool, true_value: Any) -> None:
        """A shown figure is an equation; a hidden one an unknown of at least 1; a null not marked "c" any unknown."""
        form = self.form(family, bases)
        true_value = true_value or 0
        if hidden or value is None:
            self.hidden[family].append((cell, form, true_value))
            self.floors[family].append(1 if hidden else 0)
            self.unmarked += not hidden and true_value > 0
        else:
            assert value == true_value, cell
            self.shown[family].append((cell, form, value))

    def read_care_orders(self, state: int, area: str, run: tuple[int, int], body: dict, truth: dict) -> None:
        name = "care-orders-at-home"
        for at, true_at in zip(body["dates"], truth["dates"], strict=True):
            day = at["snapshot_date"]
            labels = {la: self.label(state, name, la, day) for la in LAS}
            returned = [la for la in LAS if labels[la]]
            rows = [(row, true_row, [row["la"]]) for row, true_row in zip(at["las"], true_at["las"], strict=True)
                    if labels.get(row["la"])]
            rows.append((at["total"], true_at["total"], [la for la in returned if any(r["la"] == la for r in at["las"])]))
            for row, true_row in zip(at["comparators"], true_at["comparators"], strict=True):
                if row["las_returned"]:
                    assert row["area"] in (NORTH_WEST, ENGLAND), row["area"]
                    assert row["las_returned"] == len(returned), "only North West LAs return here"
                    rows.append((row, true_row, returned))
            for row, true_row, las in rows:
                hidden = set(row.get("suppressed") or {})
                for figure, (family, bases) in CARE_ORDERS.items():
                    value = row[figure]
                    if value is None and figure not in hidden:
                        assert true_row[figure] is None, (area, day, figure)
                        value = 0  # an item not returned by this LA, or by any the area adds
                    cell = (f"{name}#{state}", area, *run, f"{row.get('la') or row.get('area')}@{day}", figure)
                    self.equation(family, cell, [(labels[la], day, base) for la in las for base in bases],
                                  value, figure in hidden, true_row[figure])

    def read_child_level(self, state: int, name: str, area: str, run: tuple[int, int], body: dict, truth: dict) -> None:
        labels = {la: self.label(state, name, la) for la in LAS}
        true_rows = self.keyed(truth, labels)
        for key, (row, las, month) in self.keyed(body, labels).items():
            values, hidden, true_values = {}, set(), {}
            flatten(row, "", values, hidden)
            flatten(true_rows[key][0], "", true_values, set())
            where = (row, labels, las, run, month)
            for path, value in values.items():
                if (found := self.bases_of(path, *where)) is not None:
                    self.equation(found[0], (f"{name}#{state}", area, *run, key, path), found[1], value, path in hidden,
                                  true_values[path])
            for path, value in values.items():
                if ".shares." in path and value is not None and path not in hidden:
                    self.share(self.bases_of(path.replace(".shares.", ".counts.", 1), *where),
                               self.bases_of(f"{path.split('.shares.')[0]}.total", *where), value)

    @staticmethod
    def bases_of(path: str, row: dict, labels: dict[str, str | None], las: list[str], run: tuple[int, int],
                 month: Any) -> tuple[str, list[tuple]] | None:
        """The figure's family and the base values it adds, each named by its LA's returns."""
        if (found := own_total(path, row) or leaves(path, row)) is None:
            return None
        family, bases = found
        return family, [(labels[la], period, base) for la in las
                        for period in periods(family, path, *run, month) for base in bases]

    def share_count(self) -> int:
        return sum(map(len, self.shares.values()))

    def share(self, count: tuple[str, list[tuple]] | None, total: tuple[str, list[tuple]] | None, value: float) -> None:
        """A share shown to one decimal place: 100 × count / total lies within 0.05 of it, whatever is hidden."""
        if count is not None and total is not None and count[0] == total[0]:
            self.shares[count[0]].append((self.form(count[0], count[1]), self.form(total[0], total[1]), value))

    @staticmethod
    def keyed(body: dict[str, Any], labels: dict[str, str | None]) -> dict[str, tuple[dict[str, Any], list[str], Any]]:
        """`test_attack_across_requests.keyed_rows`, over the LAs that had returned."""
        members = [row["code"] for row in body["las"] if labels.get(row["code"])]
        rows = {row["code"]: (row, [row["code"]], None) for row in body["las"] if row["code"] in members}
        rows["total"] = (body["total"], members, None)
        rows |= {row["month"]: (row, members, row["month"]) for row in body.get("months", [])}
        for row in body.get("proceedings_years", []):
            if row["code"] in members or row["code"] == body["total"]["code"]:
                year = ("year", YEARS.index(int(row["year"][:4])))
                rows[f"{row['code']}@{row['year']}"] = (row, [row["code"]] if row["code"] in members else members, year)
        return rows

    def programme(self, family: str) -> highspy.Highs:
        """The family's figures as a linear programme, no objective yet: shown ones equal, hidden ones at least 1."""
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        width = len(self.columns[family])
        solver.addVars(width, np.zeros(width), np.full(width, highspy.kHighsInf))
        rows = [(form, value, value) for _, form, value in self.shown[family]]
        rows += [(form, low, highspy.kHighsInf) for (_, form, _), low in zip(self.hidden[family], self.floors[family],
                                                                             strict=True)]
        for count, total, value in self.shares[family]:  # 100·count − (value ± 0.05)·total, at most and at least 0
            for edge, low, high in ((value + 0.05, -highspy.kHighsInf, 0.0), (value - 0.05, 0.0, highspy.kHighsInf)):
                form: dict[int, float] = defaultdict(float)
                for column, weight in count.items():
                    form[column] += 100 * weight
                for column, weight in total.items():
                    form[column] -= edge * weight
                rows.append((form, low, high))
        starts, indices, values = [], [], []
        for form, _, _ in rows:
            starts.append(len(indices))
            indices += list(form)
            values += list(form.values())
        solver.addRows(len(rows), np.array([r[1] for r in rows], dtype=float), np.array([r[2] for r in rows], dtype=float),
                       len(indices), np.array(starts, dtype=np.int32), np.array(indices, dtype=np.int32),
                       np.array(values, dtype=float))
        return solver

    def ranges(self, family: str, only: set[tuple] | None = None) -> list[tuple[tuple, int, float, float]]:
        """Each hidden count of 1..5 (one per distinct linear form, or the cells `only` names), with its least and
        greatest value. A vertex found for one count is kept: a count it already shows wide is not solved."""
        solver = self.programme(family)
        width = len(self.columns[family])
        if only is None:
            self.check_true_figures_fit(solver, family)
        found, seen, points = [], set(), np.zeros((0, width))
        for cell, form, true_value in self.hidden[family]:
            key = cell if only is not None else tuple(sorted(form.items()))
            if not 1 <= true_value <= 5 or key in seen or (only is not None and cell not in only):
                continue
            seen.add(key)
            columns, weights_ = np.array(list(form), dtype=np.int32), np.array(list(form.values()), dtype=float)
            known = points[:, columns] @ weights_
            if len(known) and span(known.min(), known.max()) >= 5:
                continue
            solver.changeColsCost(len(columns), columns, weights_)
            ends = []
            for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
                solver.changeObjectiveSense(sense)
                solver.run()
                status = solver.getModelStatus()
                if status == highspy.HighsModelStatus.kUnknown:  # warm-started simplex lost its way: once more, cold
                    solver.clearSolver()
                    solver.run()
                    status = solver.getModelStatus()
                assert status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded), (
                    cell, solver.modelStatusToString(status))
                if status == highspy.HighsModelStatus.kOptimal:
                    ends.append(solver.getInfo().objective_function_value)
                    points = np.vstack([points[-199:], solver.getSolution().col_value])
                else:
                    ends.append(np.inf)
            solver.changeColsCost(len(columns), columns, np.zeros(len(columns)))
            if span(*ends) < 5:
                found.append((cell, true_value, ends[0], ends[1]))
        return found

    def check_true_figures_fit(self, solver: highspy.Highs, family: str) -> None:
        """The model is right: with every hidden count at its true value the equations still have a solution."""
        shown, hidden = len(self.shown[family]), len(self.hidden[family])
        truth = np.array([v for _, _, v in self.hidden[family]], dtype=float)
        rows = np.arange(shown, shown + hidden, dtype=np.int32)
        solver.changeRowsBounds(hidden, rows, truth, truth)
        solver.run()
        assert solver.getModelStatus() == highspy.HighsModelStatus.kOptimal, f"the model of {family} does not fit"
        solver.changeRowsBounds(hidden, rows, np.array(self.floors[family], dtype=float), np.full(hidden, highspy.kHighsInf))

    def attack(self) -> tuple[int, dict[tuple, str], list[str]]:
        """Hidden counts of 1..5 (distinct forms), those left fewer than five values and those fixed exactly."""
        small, pinned = 0, []
        for family in self.columns:
            self.check_floors(family)
            small += len({tuple(sorted(form.items())) for _, form, v in self.hidden[family] if 1 <= v <= 5})
            pinned += self.explained(family)
        return small, self.narrowed(), pinned

    def attack_exactly(self) -> tuple[int, list[str]]:
        """Hidden counts of 1..5 (distinct forms) and those fixed exactly, no programme solved."""
        return (sum(len({tuple(sorted(form.items())) for _, form, v in self.hidden[family] if 1 <= v <= 5})
                    for family in self.columns), [text for family in self.columns for text in self.explained(family)])

    def explained(self, family: str) -> list[str]:
        return self.pinned(family, explained=2, weighed=4)

    def narrowed(self, only: set[tuple] | None = None) -> dict[tuple, str]:
        return {cell: f"{cell} = {true_value}: {ceil(low - 1e-6)}..{floor(high + 1e-6)}"
                for family in self.columns for cell, true_value, low, high in self.ranges(family, only)}

    def check_floors(self, family: str) -> None:
        """The attacker's inequalities hold for the true figures: no count marked hidden is 0."""
        zeros = [cell for (cell, _, v), least in zip(self.hidden[family], self.floors[family], strict=True) if v < least]
        assert not zeros, f"hidden zeros: the attacker's 'at least 1' is wrong for {zeros[:3]}"


def own_total(path: str, row: dict[str, Any]) -> tuple[str, list[str]] | None:
    """A distribution over the orders (or discharges) that recorded an optional item: its total is its own, not
    the orders made. (`test_attack_across_requests` takes it as theirs: every order of its data records them.)"""
    head, _, tail = path.partition(".")
    if head not in OWN_TOTALS or not (tail == "total" or tail.startswith("counts.")):
        return None
    return head, [path] if tail != "total" else [f"{head}.counts.{c}" for c in row[head]["counts"]]


def span(low: float, high: float) -> float:
    """How many whole values lie between `low` and `high`."""
    return floor(high + 1e-6) - ceil(low - 1e-6) + 1 if np.isfinite(high) else np.inf


def attack_both_states(reads: list[Read], scenario: str) -> tuple[list[str], list[str]]:
    """Both states' figures together; what they narrow or fix that neither state alone does (each state alone is
    solved again for those), printed with what one state alone already gives away."""
    both = Attacker(reads, {0, 1})
    small, narrowed, pinned = both.attack()
    assert both.share_count() >= 100, f"only {both.share_count()} shares modelled: the attacker reads too few of them"
    print(f"\n{scenario}, both states: {small} distinct hidden counts of 1..5, {both.share_count()} shown shares; "
          f"{len(narrowed)} left fewer than five values, {len(pinned)} fixed exactly")
    alone_narrowed, alone_pinned = {}, []
    for state in (0, 1):
        alone = Attacker(reads, {state})
        hidden, fixed = alone.attack_exactly()
        assert hidden >= 20, f"state {state + 1} hides only {hidden} counts of 1..5: the data does not test the hiding"
        found = alone.narrowed(only={cell for cell in narrowed if cell[0].endswith(f"#{state}")})
        alone_narrowed |= found
        alone_pinned += fixed
        print(f"{scenario}, state {state + 1} alone: {hidden} distinct hidden counts of 1..5; of those narrowed by both"
              f" states {len(found)} already left fewer than five values by this state alone, {len(fixed)} fixed")
    new = [text for cell, text in narrowed.items() if cell not in alone_narrowed]
    fixed_by_both = [text for text in pinned if text.split(" = ")[0] not in {t.split(" = ")[0] for t in alone_pinned}]
    print(f"{scenario}: {len(new)} narrowed and {len(fixed_by_both)} fixed only by the two states together",
          *new[:25], *fixed_by_both[:10], "narrowed within one state alone:", *list(alone_narrowed.values())[:10],
          sep="\n  ")
    return new, fixed_by_both


async def test_a_group_defined_between_two_reads_gives_no_hidden_count_away(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await seed(admin, LAS, random.Random(20261201))
    reads: list[Read] = []
    await read_all(reads, 0, portal, admin, [NORTH_WEST])
    # Every LA that returns but one: the region's other LAs return nothing, so its figures are the region's less Knowsley's.
    await make_group(admin, "nw-but-knowsley", [la for la in LAS if la != KNOWSLEY])
    await make_group(admin, "halton-sefton", [HALTON, SEFTON])
    await read_all(reads, 1, portal, admin, [NORTH_WEST, "nw-but-knowsley", "halton-sefton"])
    narrowed, pinned = attack_both_states(reads, "group defined")
    assert not narrowed, f"{len(narrowed)} hidden counts are left fewer than five values:\n" + "\n".join(narrowed[:20])
    assert not pinned, f"{len(pinned)} hidden counts are fixed:\n" + "\n".join(pinned[:20])


async def test_a_late_return_between_two_reads_gives_no_hidden_count_away(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    rng = random.Random(20261202)
    await seed(admin, [la for la in LAS if la != HALTON], rng)
    reads: list[Read] = []
    await read_all(reads, 0, portal, admin, [NORTH_WEST])
    await seed(admin, [HALTON], rng, small=True)  # a small LA, late
    await read_all(reads, 1, portal, admin, [NORTH_WEST])
    narrowed, pinned = attack_both_states(reads, "late return")
    assert not narrowed, f"{len(narrowed)} hidden counts are left fewer than five values:\n" + "\n".join(narrowed[:20])
    assert not pinned, f"{len(pinned)} hidden counts are fixed:\n" + "\n".join(pinned[:20])


async def test_a_revision_between_two_reads_gives_no_hidden_count_away(api):
    """An LA revises one count that the first read hid, by a little, and whether one order had an ISW: its area's
    totals move by the difference."""
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    returned = await seed(admin, LAS, random.Random(20261203))
    reads: list[Read] = []
    await read_all(reads, 0, portal, admin, [NORTH_WEST])
    la, record, item = hidden_item(reads[0][4], returned)
    await submit(admin, la, "care-order-counts", [record | {item: record[item] + 3}])
    revised = next(o for o in reversed(returned[la, "orders"]) if o.get("independent_social_worker") is not None)
    await submit(admin, la, "orders", [revised | {"independent_social_worker": not revised["independent_social_worker"]}])
    await read_all(reads, 1, portal, admin, [NORTH_WEST])
    narrowed, pinned = attack_both_states(reads, f"{la} revised {item} on {record['snapshot_date']} by 3 and "
                                                 f"{revised['order_ref']}'s ISW")
    assert not narrowed, f"{len(narrowed)} hidden counts are left fewer than five values:\n" + "\n".join(narrowed[:20])
    assert not pinned, f"{len(pinned)} hidden counts are fixed:\n" + "\n".join(pinned[:20])


def hidden_item(body: dict[str, Any], returned: dict[tuple[str, str], list[dict]]) -> tuple[str, dict[str, Any], str]:
    """An LA's interim item of 2..5 that a care-orders pack hides, with the record it is in."""
    for at in body["dates"]:
        for row in at["las"]:
            for item in ITEMS:
                record = next((r for r in returned.get((row["la"], "care-order-counts"), [])
                               if r["snapshot_date"] == at["snapshot_date"]), None)
                if item in (row.get("suppressed") or {}) and record and 2 <= record[item] <= 5:
                    return row["la"], record, item
    raise AssertionError("no interim item of 2..5 is hidden: the data does not test a revision")
