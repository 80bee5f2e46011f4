"""No other LA's hidden count, nor an area's, can be narrowed by an LA that adds its own figures to a portal's packs.

Issue 13's second attacker: a board's pack goes round the table, so an LA client holds what a North West portal
reads and every figure of its own LA. The attacker is `test_attack_across_states.Attacker` (written apart from the
hiding code), in one data state: the portal reads the care-orders, outcomes and audits packs of the region, and the
insider adds what its own client reads (its LA's packs, comparators included, and the region's) and its own records
(its LA's packs as an admin reads them: what it returned, audit months included). Its client must be shown every
figure of its own; every figure about the insider alone is an equation at its true value. Each other hidden count
of 1..5, an LA's or an area's, is solved for its least and
greatest value (HiGHS) and must keep at least five whole values. An area's count whose other LAs' part is 0 (every
other LA shows 0) is the insider's own figure and is not counted. What the portal alone narrows is the portal's
route (`test_attack_across_states`); here it may narrow only the one family known not to be modelled.

First run, 2026-12-01 (seed 20261204, SQLite and PostgreSQL alike), while the service's bound solved the portal's
view only: Knowsley as insider narrowed 37 counts the portal alone does not (audit domains and outcome grades of
every other LA and the region, e.g. response to risk 2019-20: the region's 16 less Knowsley's 5 leaves 11 over 9
hidden cells of at least 1, so each is 1..3), Halton 34, Cumbria 16, Liverpool none. With the bound solved against
each LA too (`bounds.AGAINST_INSIDERS`): none. The portal alone then left 1 of 2,200 counts fewer than five values
(Knowsley's `current_status` turned 18, 5: 3..6, through what two years' tables differ by); with every earlier year's
counts related in each year's table (`app/packs/outcomes/status.py`), none. Since LA clients read the portals' tables
(2026-12-04), each insider's client reads are in the model: none (showing an LA client the area totals its LA is in
as its own narrowed 1,335–1,369 counts for each insider).
"""

import random
from math import ceil, floor
from typing import Any

import highspy
import numpy as np

from tests.packs.helpers import pack
from tests.packs.test_attack_across_requests import run_query
from tests.packs.test_attack_across_states import LAS, PACKS, RUNS, Attacker, Read, read_all, seed
from tests.payloads import CUMBRIA, KNOWSLEY, LIVERPOOL, NORTH_WEST

HALTON = "876"
INSIDERS = [LIVERPOOL, KNOWSLEY, HALTON, CUMBRIA]  # each has hidden cells in every pack of this seed
SEED = 20261204


class Insider(Attacker):
    """What the portal and the insider's client read, with every figure made only of the insider's own base values
    known. A read whose body is the admin's own truth stands for the LA's own records: only its own figures count."""

    def __init__(self, reads: list[Read], own: list[Read], la: str) -> None:
        self.insider, self.unseen, self.reading = la, [], "portal"
        self.by_client = {id(body) for *_, body, truth in own if body is not truth}
        super().__init__(reads + own, {0})

    def owns(self, label: Any) -> bool:
        return str(label).split("@")[0] == self.insider

    def _reading(self, body: dict, truth: dict) -> None:
        self.reading = "records" if body is truth else "client" if id(body) in self.by_client else "portal"

    def read_care_orders(self, state: int, area: str, run: tuple[int, int], body: dict, truth: dict) -> None:
        self._reading(body, truth)
        super().read_care_orders(state, area, run, body, truth)

    def read_child_level(self, state: int, name: str, area: str, run: tuple[int, int], body: dict, truth: dict) -> None:
        self._reading(body, truth)
        super().read_child_level(state, name, area, run, body, truth)

    def equation(self, family: str, cell: tuple, bases: list[tuple], value: Any, hidden: bool, true_value: Any) -> None:
        if all(self.owns(label) for label, _, _ in bases):
            if self.reading == "client" and (hidden or value != (true_value or 0)):
                self.unseen.append(cell)  # its client was not shown this figure of its own
            super().equation(family, cell, bases, true_value, False, true_value)
        elif self.reading != "records":
            super().equation(family, cell, bases, value, hidden, true_value)

    def leaks(self) -> tuple[int, list[str], list[str]]:
        """Hidden counts of 1..5 not the insider's alone (distinct forms); those left fewer than five values where
        other LAs' part of them is not known to be 0, and those that are only the insider's own figure (the area's
        total where every other LA shows 0: no other LA's count is in them)."""
        small, found, own = 0, [], []
        for family in self.columns:
            self.check_floors(family)
            forms = {cell: form for cell, form, _ in self.hidden[family]}
            small += len({tuple(sorted(form.items())) for _, form, v in self.hidden[family] if 1 <= v <= 5})
            mine = {column for (label, _, _), column in self.columns[family].items() if self.owns(label)}
            narrowed = self.ranges(family)
            solver = self.programme(family) if narrowed else None
            for cell, true_value, low, high in narrowed:
                others = {c: w for c, w in forms[cell].items() if c not in mine}
                least, most = extent(solver, others) if others else (0, 0)
                text = f"{cell} = {true_value}: {ceil(low - 1e-6)}..{floor(high + 1e-6)}"
                if ceil(least - 1e-6) == floor(most + 1e-6) == 0:
                    own.append(text)
                else:
                    found.append(f"{text} (other LAs' part {ceil(least - 1e-6)}..{floor(most + 1e-6)})")
        return small, found, own


def extent(solver: highspy.Highs, form: dict[int, int]) -> tuple[float, float]:
    """The least and greatest value of a linear form under the programme's constraints."""
    columns, weights = np.array(list(form), dtype=np.int32), np.array(list(form.values()), dtype=float)
    solver.changeColsCost(len(columns), columns, weights)
    ends = []
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        solver.changeObjectiveSense(sense)
        solver.run()
        optimal = solver.getModelStatus() == highspy.HighsModelStatus.kOptimal
        ends.append(solver.getInfo().objective_function_value if optimal else np.inf)
    solver.changeColsCost(len(columns), columns, np.zeros(len(columns)))
    return ends[0], ends[1]


async def read_own(la: str, client, admin) -> list[Read]:
    """What the insider holds: its own records (its LA's packs as an admin reads them, standing for what it returned)
    and what its client reads, its own LA's packs and its region's, over every run of years."""
    reads: list[Read] = []
    for name in PACKS:
        for area in (la, NORTH_WEST):
            for run in RUNS:
                query = {"area": area, **run_query(*run)}
                truth = await pack(admin, name, **query)
                if area == la:
                    reads.append((0, name, la, run, truth, truth))
                reads.append((0, name, area, run, await pack(client, name, **query), truth))
    return reads


async def test_no_other_las_hidden_count_is_narrowed_by_an_la_that_knows_its_own(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await seed(admin, LAS, random.Random(SEED))
    reads: list[Read] = []
    await read_all(reads, 0, portal, admin, [NORTH_WEST])
    portal_small, portal_narrowed, _ = Attacker(reads, {0}).attack()
    print(f"\nportal: {portal_small} distinct hidden counts of 1..5, {len(portal_narrowed)} left fewer than five values",
          *list(portal_narrowed.values())[:10], sep="\n  ")
    assert portal_small >= 100, f"only {portal_small} hidden counts of 1..5: the data does not test the hiding"
    # The portal's own route is `test_attack_across_states`'; here it must narrow nothing, or an insider's finding
    # could be the portal's.
    assert not portal_narrowed, "the portal alone leaves fewer than five values:\n  " + "\n  ".join(
        list(portal_narrowed.values())[:12])
    failures = []
    for la in INSIDERS:
        insider = Insider(reads, await read_own(la, api("la", la=la), admin), la)
        assert not insider.unseen, f"{la}'s client is not shown its own figures: {insider.unseen[:5]}"
        small, found, own = insider.leaks()
        new = [text for text in found if text.split(" = ")[0] not in {str(cell) for cell in portal_narrowed}]
        print(f"insider {la}: {small} hidden counts of 1..5 not its own alone; {len(found)} left fewer than five values"
              f" ({len(new)} not by the portal alone); {len(own)} are its own figure (other LAs' part 0)",
              *found[:30], sep="\n  ")
        if new:
            failures.append(f"{la}, knowing its own figures, leaves {len(new)} of {small} other hidden counts of 1..5 "
                            "fewer than five values that the portal alone does not; cell = true value: range:\n  "
                            + "\n  ".join(new[:12]))
    assert not failures, "\n".join(failures)
