"""No suppressed cell can be worked back from what the same pack shows.

The attacker here is written independently of the suppression code: it knows how the pack's
figures add up (rows to totals, LAs to the area, regions to England), takes every shown figure
as known, and uses linear algebra (numpy's rank) to see whether any hidden figure is fixed by
them, and the fact that a hidden count is at least 1 to see whether hidden parts are all 1s.
"""

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from app.access.reader import Reader
from app.access.roles import Role
from app.packs.cells import MANY_LAS, Cell, Figures, Relations, Row
from app.packs.disclosure import hidden_cells
from tests.packs.helpers import make_group, pack, put_counts
from tests.payloads import NORTH_WEST


def recoverable(lines: list[tuple[list, object]], values: dict, hidden: set) -> list:
    """Hidden cells that the lines and the shown values pin down."""
    unknowns = sorted({c for parts, total in lines for c in (*parts, total) if c in hidden and values[c] is not None},
                      key=repr)
    if not unknowns:
        return []
    index = {c: i for i, c in enumerate(unknowns)}
    matrix, exposed = [], []
    for parts, total in lines:
        if values.get(total) is None:
            continue
        present = [p for p in parts if values.get(p) is not None]
        row = np.zeros(len(unknowns))
        known = values[total] - sum(values[p] for p in present if p not in hidden) if total not in hidden else None
        for p in present:
            if p in hidden:
                row[index[p]] += 1
        if total in hidden:
            row[index[total]] -= 1
        if row.any():
            matrix.append(row)
        concealed = [p for p in present if p in hidden]
        if known is not None and concealed and known == len(concealed):
            exposed.extend(concealed)  # each hidden count is >= 1, so they are all 1
    a = np.array(matrix) if matrix else np.zeros((0, len(unknowns)))
    rank = np.linalg.matrix_rank(a) if len(a) else 0
    for cell, i in index.items():
        probe = np.zeros(len(unknowns))
        probe[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, probe])) == rank:
            exposed.append(cell)
    return exposed


@pytest.mark.parametrize("seed", range(300))
def test_random_tables_leave_no_hidden_cell_recoverable(seed):
    rng = random.Random(seed)
    rows, columns = rng.randint(2, 6), rng.randint(2, 5)
    own_row = rng.choice([None, *range(rows)])
    values = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 40]) for r in range(rows) for c in range(columns)}
    figures, relations = Figures(), Relations()

    def cell(key) -> Cell:
        return Cell(Row("t", str(key[0])), str(key[1]))

    for (r, c), v in values.items():
        figures.count(cell((r, c)), v, str(r))
    lines = []
    for r in range(rows):
        values[(r, "total")] = sum(values[(r, c)] for c in range(columns))
        figures.count(cell((r, "total")), values[(r, "total")], str(r))
        lines.append(([(r, c) for c in range(columns)], (r, "total")))
    for c in [*range(columns), "total"]:
        values[("all", c)] = sum(values[(r, c)] for r in range(rows))
        figures.count(cell(("all", c)), values[("all", c)], MANY_LAS)
        lines.append(([(r, c) for r in range(rows)], ("all", c)))
    lines.append(([("all", c) for c in range(columns)], ("all", "total")))
    for parts, total in lines:
        relations.adds_up([cell(p) for p in parts], cell(total))
    reader = Reader(Role.PORTAL, None, "E12000002", 5) if own_row is None else Reader(Role.LA, str(own_row), None, 5)
    by_cell = {cell(k): k for k in values}
    hidden = {by_cell[c] for c in hidden_cells(figures, relations, reader).cells}

    def own_only(cell) -> bool:
        """A total of the reader's own figures and zeros: the reader knows it already."""
        if cell[0] == own_row:
            return True
        line = next((parts for parts, total in lines if total == cell), None)
        return line is not None and all(values[p] == 0 or own_only(p) for p in line)

    primary = {k for k, v in values.items() if 1 <= v <= 5 and not own_only(k)}
    assert primary <= hidden
    assert not any(values[k] == 0 for k in hidden), "zero is shown as zero"
    assert not any(k[0] == own_row for k in hidden), "an LA's own figures are never hidden from it"
    assert recoverable(lines, values, hidden) == []


def test_two_hidden_counts_whose_known_sum_leaves_fewer_than_five_values_get_a_third_beside_them():
    """2 and 2 hidden beside 16 and a total of 20: the reader knows they sum to 4, so each is 1, 2 or 3."""
    figures, relations = Figures(), Relations()
    parts = [Cell(Row("t", "line"), name) for name in ("a", "b", "c", "d")]
    for part, value in zip(parts, (2, 2, 16, 40), strict=True):
        figures.count(part, value, "341")
    total = figures.count(Cell(Row("t", "line"), "total"), 60, "341")
    relations.adds_up(parts, total)
    hidden = hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells
    assert hidden == {parts[0], parts[1], parts[2]}  # sum 20 over three: each keeps 1..18


def test_hidden_counts_whose_known_sum_leaves_five_values_need_nothing_more():
    figures, relations = Figures(), Relations()
    parts = [Cell(Row("t", "line"), name) for name in ("a", "b", "c")]
    for part, value in zip(parts, (3, 3, 40), strict=True):
        figures.count(part, value, "341")
    relations.adds_up(parts, figures.count(Cell(Row("t", "line"), "total"), 46, "341"))
    assert hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells == {parts[0], parts[1]}


def _an_la_total_in_two_exposed_lines(prefer_shown: bool) -> tuple[set[Cell], Cell, list[Cell], list[Cell]]:
    """An LA's 64 children at home: 61 full and 3 interim orders, 62 boys and 2 girls; the 3 and the 2 are hidden."""
    figures, relations = Figures(), Relations()
    row = Row("t", "341")
    orders = [figures.count(Cell(row, name), value, "341") for name, value in (("full", 61), ("interim", 3))]
    sexes = [figures.count(Cell(row, name), value, "341") for name, value in (("male", 62), ("female", 2))]
    total = figures.count(Cell(row, "total"), 64, "341")
    relations.adds_up(orders, total)
    relations.adds_up(sexes, total)
    if prefer_shown:
        relations.prefer_shown([total])
    hidden = hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells
    return set(hidden), total, orders, sexes


def test_a_total_two_exposed_lines_lean_on_is_hidden_first_unless_it_is_preferred_shown():
    hidden, total, _, _ = _an_la_total_in_two_exposed_lines(prefer_shown=False)
    assert total in hidden  # one cell closes both lines: the search takes it


def test_a_total_preferred_shown_stays_shown_and_each_line_hides_another_part():
    hidden, total, orders, sexes = _an_la_total_in_two_exposed_lines(prefer_shown=True)
    assert hidden == {*orders, *sexes} and total not in hidden


def _shares_of_a_hidden_total() -> tuple[Figures, Relations, Cell, dict[str, Cell]]:
    """One LA's 4 discharges: 4 to no order, none to a supervision order; the 4 is hidden, so is the total."""
    figures, relations = Figures(), Relations()
    row = Row("t", "341")
    counts = {name: figures.count(Cell(row, f"counts.{name}"), value, "341") for name, value in (("none", 4), ("so", 0))}
    total = figures.count(Cell(row, "total"), 4, "341")
    relations.adds_up(list(counts.values()), total)
    shares = {name: Cell(row, f"shares.{name}") for name in counts}
    for name, share in shares.items():
        relations.shares_of(share, [counts[name]], total)
    return figures, relations, total, shares


def test_a_share_of_a_shown_zero_is_shown_beside_its_hidden_total():
    figures, relations, total, shares = _shares_of_a_hidden_total()
    hidden = hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells
    assert total in hidden and shares["so"] not in hidden


def test_a_share_of_a_hidden_count_stays_hidden():
    figures, relations, _, shares = _shares_of_a_hidden_total()
    hidden = hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells
    assert shares["none"] in hidden


def test_a_share_of_a_zero_and_a_hidden_count_stays_hidden():
    """`pct_good_or_better` adds two counts: a shown 0 beside a hidden 3 is no share of nothing."""
    figures, relations = Figures(), Relations()
    row = Row("t", "341")
    outstanding, good = figures.count(Cell(row, "outstanding"), 0, "341"), figures.count(Cell(row, "good"), 3, "341")
    total = figures.count(Cell(row, "total"), 40, "341")
    rate = Cell(row, "pct_good_or_better")
    relations.shares_of(rate, [outstanding, good], total)
    assert rate in hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells


def _grades(good: int, requires_improvement: int, inadequate: int) -> tuple[set[Cell], dict[str, Cell], Cell]:
    """One LA's audits: none outstanding, and its inadequate small (hidden)."""
    figures, relations = Figures(), Relations()
    row = Row("t", "341")
    counts = {name: figures.count(Cell(row, name), value, "341") for name, value in
              (("outstanding", 0), ("good", good), ("requires_improvement", requires_improvement),
               ("inadequate", inadequate))}
    counts["total"] = figures.count(Cell(row, "total"), good + requires_improvement + inadequate, "341")
    relations.adds_up([c for name, c in counts.items() if name != "total"], counts["total"])
    for name, count in counts.items():
        if name != "total":
            relations.shares_of(Cell(row, f"share.{name}"), [count], counts["total"])
    rate = Cell(row, "pct_good_or_better")
    relations.shares_of(rate, [counts["outstanding"], counts["good"]], counts["total"])
    return set(hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells), counts, rate


def test_of_two_counts_that_protect_alike_the_one_no_share_of_several_counts_is_worked_out_from_is_hidden():
    """Good (10) is the smaller, but hiding it would hide % good or better too: requires improvement (13) is."""
    hidden, counts, rate = _grades(good=10, requires_improvement=13, inadequate=2)
    assert counts["requires_improvement"] in hidden and counts["good"] not in hidden and rate not in hidden


def test_a_total_that_would_take_the_share_of_several_with_it_is_not_chosen_over_a_smaller_count():
    """Good (6) and the total (9) each take % good or better with them: the smaller, good, is hidden, and the
    total, whose every share went with it, stays shown (taken by the numerators alone, the total was hidden)."""
    hidden, counts, rate = _grades(good=6, requires_improvement=0, inadequate=3)
    assert counts["good"] in hidden and counts["total"] not in hidden and rate in hidden


def test_a_share_over_a_total_of_another_row_is_hidden_with_it_even_of_nothing():
    """A total of another row may be withheld whole as 0 where this row is built: 0/0 would show as null."""
    figures, relations = Figures(), Relations()
    count = figures.count(Cell(Row("t", "341"), "so"), 0, "341")
    total = figures.count(Cell(Row("t", "area"), "total"), 3, MANY_LAS)
    share = Cell(Row("t", "341"), "pct_of_area")
    relations.shares_of(share, [count], total)
    assert share in hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells


def test_a_change_worked_out_from_a_shown_zero_and_a_hidden_count_stays_hidden():
    """Only a share is 0 whatever its other input: a change from 0 is the hidden count itself."""
    figures, relations = Figures(), Relations()
    before, now = (figures.count(Cell(Row("t", "341", day), "at_home"), v, "341") for day, v in (("a", 0), ("b", 3)))
    change = Cell(Row("t", "341", "b"), "change")
    relations.derives(change, [now, before])
    assert change in hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells


async def test_a_portal_cannot_work_back_any_hidden_figure_of_a_real_pack(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    members = ["340", "341", "342", "343", "344"]
    await make_group(admin, "merseyside", members)
    rng = random.Random(7)
    for day in ("2020-03-31", "2021-03-31"):
        for code in [*members, "350", "351"]:  # two LAs outside the group but inside the region
            full, interim = rng.choice([2, 4, 8, 30]), rng.choice([0, 1, 3, 12])
            await put_counts(admin, code, day, full_care_orders_at_home=full, interim_care_orders_at_home=interim,
                             cla_total=rng.choice([60, 300]), orders_made_in_year=rng.choice([1, 6, 15]))
    body = await pack(portal, "care-orders-at-home", area="merseyside", **{"from": "2020-04-01", "to": "2021-03-31"})
    fields = ("full_care_orders_at_home", "interim_care_orders_at_home", "total_at_home", "cla_total", "orders_made_in_year")
    for at in body["dates"]:
        values, hidden, lines = {}, set(), []
        rows = [("la", r) for r in at["las"]] + [("area", at["total"])] + [("cmp", c) for c in at["comparators"]]
        for kind, row in rows:
            code = row.get("la") or row["area"]
            for name in fields:
                key = (kind, code, name)
                values[key] = row[name]
                if name in row["suppressed"]:
                    hidden.add(key)
                    values[key] = "hidden"
            lines.append(([(kind, code, "full_care_orders_at_home"), (kind, code, "interim_care_orders_at_home")],
                          (kind, code, "total_at_home")))
            for derived, inputs in (("pct_of_cla", ("total_at_home", "cla_total")), ("rate_per_10k", ("total_at_home",))):
                if any(i in row["suppressed"] for i in inputs):
                    assert row[derived] is None and derived in row["suppressed"]
        for name in fields:
            lines.append(([("la", r["la"], name) for r in at["las"]], ("area", "merseyside", name)))
            lines.append(([("cmp", c["area"], name) for c in at["comparators"] if c["area"] != "E92000001"],
                          ("cmp", "E92000001", name)))
        assert hidden, "the test data must make the pack hide something"
        # The attacker knows hidden values only as "at least 1": give them the true values to count with.
        truth = await pack(admin, "care-orders-at-home", area="merseyside", **{"from": at["snapshot_date"],
                                                                                 "to": at["snapshot_date"]})
        true_rows = {("la", r["la"]): r for r in truth["dates"][0]["las"]} | {("area", "merseyside"): truth["dates"][0]["total"]}
        true_rows |= {("cmp", c["area"]): c for c in truth["dates"][0]["comparators"]}
        for key in values:
            values[key] = true_rows[(key[0], key[1])][key[2]]
        assert recoverable(lines, values, hidden) == []


def _median_over(n: int) -> tuple[Figures, Relations, Cell]:
    figures, relations = Figures(), Relations()
    orders = figures.count(Cell(Row("las", "341"), "weeks.total"), n, "341")
    median = Cell(Row("las", "341"), "weeks.median")
    relations.summarises(median, orders)
    return figures, relations, median


@pytest.mark.parametrize(("n", "shown"), [(1, False), (9, False), (10, True), (40, True)])
def test_a_median_over_fewer_than_ten_records_is_hidden_whatever_the_counts(n, shown):
    figures, relations, median = _median_over(n)
    hidden = hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells
    assert (median not in hidden) is shown


def test_a_median_over_few_records_is_shown_to_their_own_la_and_an_admin():
    figures, relations, median = _median_over(3)
    assert median not in hidden_cells(figures, relations, Reader(Role.LA, "341", None, 5)).cells
    assert median not in hidden_cells(figures, relations, Reader(Role.ADMIN, None, None, 5)).cells


def _assessed_beside_remained(bounded: bool) -> tuple[frozenset[Cell], dict[Cell, int], list[Cell], Cell]:
    """Three LAs' parent assessments (1, 6 and 10; the region's 17), and the second LA's 6 whose child remained."""
    figures, relations = Figures(), Relations()
    assessed = [figures.count(Cell(Row("las", code), "assessed"), value, (code, "*"))
                for code, value in (("a", 1), ("b", 6), ("c", 10))]
    region = figures.count(Cell(Row("area", "r"), "assessed"), 17, MANY_LAS)
    remained = figures.count(Cell(Row("las", "b"), "remained"), 6, ("b", "*"))
    relations.adds_up(assessed, region)
    if bounded:
        relations.at_most([remained], assessed[1])
    hidden = hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells
    return hidden, figures.values, assessed, remained


def test_an_la_working_out_its_own_rest_does_not_hide_its_total():
    # 8 assessed, 3 of them remained: the 5 beyond is the LA's own to work out, and tells no one else anything.
    figures, relations = Figures(), Relations()
    assessed = figures.count(Cell(Row("las", "b"), "assessed"), 8, "b")
    remained = figures.count(Cell(Row("las", "b"), "remained"), 3, "b")
    relations.at_most([remained], assessed)
    hidden = hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells
    assert hidden == {remained}


def test_without_the_inequality_the_second_count_hidden_beside_a_small_one_seems_enough():
    hidden, *_ = _assessed_beside_remained(bounded=False)
    assert hidden == {Cell(Row("las", "a"), "assessed"), Cell(Row("las", "b"), "assessed")}


def test_a_count_bounded_below_by_a_shown_part_cannot_protect_a_small_one_alone():
    # Shown, the 6 who remained say the second LA assessed at least 6, so the first's 1 = 7 - that is at most 1.
    hidden, values, assessed, remained = _assessed_beside_remained(bounded=True)
    shown = {cell: value for cell, value in values.items() if cell not in hidden}
    unknowns = [cell for cell in values if cell in hidden]
    column = {cell: i for i, cell in enumerate(unknowns)}

    def term(cell: Cell) -> tuple[dict[int, int], int]:
        return ({column[cell]: 1}, 0) if cell in column else ({}, shown[cell])

    # The reader's view: the parts add up to the region, and the remained are at most the assessed.
    equality = np.zeros(len(unknowns))
    known = 0
    for cell, sign in [(a, 1) for a in assessed] + [(Cell(Row("area", "r"), "assessed"), -1)]:
        columns, constant = term(cell)
        for i, one in columns.items():
            equality[i] += sign * one
        known -= sign * constant
    at_most = np.zeros(len(unknowns))
    limit = 0
    for cell, sign in ((remained, 1), (assessed[1], -1)):
        columns, constant = term(cell)
        for i, one in columns.items():
            at_most[i] += sign * one
        limit -= sign * constant
    target = np.zeros(len(unknowns))
    target[column[assessed[0]]] = 1
    ends = [linprog(sign * target, A_eq=[equality], b_eq=[known], A_ub=[at_most], b_ub=[limit],
                    bounds=[(1, None)] * len(unknowns), method="highs") for sign in (1, -1)]
    low, high = ends[0].fun, (-ends[1].fun if ends[1].status == 0 else float("inf"))
    assert high - low + 1 >= 5, (low, high, hidden)


def test_a_small_total_beside_the_unshown_rest_of_an_inequality_stays_hidden():
    # 1 assessed, 0 of whom remained: the rest (1) is no figure the reader has, so the 1 is not its own to see.
    figures, relations = Figures(), Relations()
    assessed = figures.count(Cell(Row("las", "b"), "assessed"), 1, "341")
    remained = figures.count(Cell(Row("las", "b"), "remained"), 0, "341")
    relations.at_most([remained], assessed)
    assert assessed in hidden_cells(figures, relations, Reader(Role.PORTAL, None, "E12000002", 5)).cells
