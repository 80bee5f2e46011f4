"""How many cells the published tables hide, against the primary cells and against the optimum on the same
relations, on the demo data (a North West portal: every portal shares the tables).

For each pack and financial year it builds the table's figures and relations as the service does
(`Publisher.figures_of` and `with_earlier`), decides the table as the service does (timed), and solves a MILP (HiGHS, through
`scipy.optimize.milp`) for the fewest hidden cells, then least value, under the protection the service
guarantees line by line: every primary cell hidden; a line with a shown total holds no single hidden cell,
and none once any one LA takes away its own; the hidden parts' known sum leaves each hidden small count at
least `threshold` values (Σ (value − 1) over the hidden parts ≥ threshold − 1), for the reader and for each
LA without its own; derived figures hidden with their inputs, but a share of nothing; settled cells (earlier years') as decided.
It does not model what the service adds across lines (no cell fixed by the lines together, the bound by
linear programming over them), so its optimum is a LOWER BOUND on the true optimum: the true one lies
between it and the service's figure. The MILP is time-limited (`--milp-seconds`); stopped early it
reports HiGHS's dual bound, still a lower bound.

    python -m benchmarks.disclosure_optimum [--milp-seconds 60] [--without-bound | --lines-only]
        (needs scipy: pip install -e '.[bench]')

`--lines-only` decides with step 2 alone (each line on its own, as the MILP judges it): like for like with the
MILP, it measures the search's choice; the difference from the full decision is what protection across lines
(steps 3 and 6) adds, which the lower bound leaves out.
"""

import argparse
import time
from datetime import date

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from app.access.reader import Reader
from app.access.roles import Role
from app.packs.bounds import Bound
from app.packs.cells import Cell
from app.packs.disclosure import _Search, as_lines, few_records
from app.packs.published import Publisher, TableInputs
from app.packs.registry import PACKS
from benchmarks.demo_db import demo_app

THRESHOLD = 5
READER = Reader(Role.PORTAL, None, None, THRESHOLD)
PACK_NAMES = ("care-orders-at-home", "outcomes", "audits")
YEARS = [(date(y, 4, 1), date(y + 1, 3, 31)) for y in range(2016, 2021)]


class Model:
    """Binary h per cell that may be hidden; rows of a sparse constraint matrix, each Σ coef × h ≥ low."""

    def __init__(self, inputs: TableInputs) -> None:
        # Inequalities as the service takes them: a line with a *rest* no pack shows, hidden where it is over 0,
        # never protected, never counted (`disclosure.as_lines`).
        figures, relations, self.rests = as_lines(inputs.figures, inputs.relations)
        self.values = figures.values
        shown_settled = inputs.earlier - inputs.settled_hidden
        self.primary = {c for c, v in figures.values.items()
                        if c not in shown_settled and c not in self.rests and v is not None and 1 <= v <= THRESHOLD}
        self.fixed_hidden = self.primary | set(inputs.settled_hidden) | {r for r in self.rests if figures.values[r]}
        # Only cells the service could hide: not settled shown, not zero, not missing.
        self.cells = [c for c, v in figures.values.items() if c not in shown_settled and v]
        self.cells += [c for c in inputs.settled_hidden if c not in figures.values or not figures.values[c]]
        self.derived = [c for c in relations.derived if c not in figures.values]
        self.index = {c: i for i, c in enumerate([*self.cells, *self.derived])}
        self.about = figures.about
        self.rows: list[dict[int, float]] = []
        self.low: list[float] = []
        for parts, total in relations.lines:
            self._line([p for p in parts if figures.values.get(p) is not None], total)
        for cell, inputs_of in relations.derived.items():
            # A share of nothing is shown whatever its total; no cell here hides a 0 but one settled hidden.
            if cell in self.index and not relations.of_nothing(cell, self.values, self.fixed_hidden):
                for i in inputs_of:
                    if i in self.index:
                        self._row({self.index[cell]: 1, self.index[i]: -1}, 0)

    def _row(self, terms: dict[int, float], low: float) -> None:
        self.rows.append(terms)
        self.low.append(low)

    def _line(self, parts: list[Cell], total: Cell) -> None:
        if self.values.get(total) is None:
            return
        t = self.index.get(total)
        members = parts + [total]
        owners = {self.about[m] for m in members if isinstance(self.about.get(m), str)}
        for without in [None, *sorted(owners)]:
            rest = [m for m in members if m in self.index
                    and (without is None or self.about.get(m) != without or m in self.rests)]
            rest_parts = [m for m in rest if m != total]
            for c in rest_parts:
                if c in self.rests:
                    continue  # worked out, a rest gives nothing away
                # Not the only hidden cell: another of the line's hidden, or its total (which then says nothing).
                terms = {self.index[m]: 1.0 for m in rest_parts if m != c}
                if t is not None:
                    terms[t] = 1.0
                terms[self.index[c]] = terms.get(self.index[c], 0) - 1.0
                self._row(terms, 0)
                if 1 <= (self.values[c] or 0) <= THRESHOLD:
                    # Σ (v − 1) over the hidden parts ≥ threshold − 1 when c is hidden and the total shown.
                    terms = {self.index[m]: float(self.values[m] - 1) for m in rest_parts}
                    if t is not None:
                        terms[t] = float(THRESHOLD - 1)
                    terms[self.index[c]] = terms.get(self.index[c], 0) - float(THRESHOLD - 1)
                    self._row(terms, 0)

    def solve(self, seconds: float) -> tuple[float, int | None, str]:
        n = len(self.index)
        rows, columns, data = [], [], []
        for r, terms in enumerate(self.rows):
            for column, value in terms.items():
                if value:
                    rows.append(r)
                    columns.append(column)
                    data.append(value)
        a = coo_matrix((data, (rows, columns)), shape=(len(self.rows), n)).tocsr()
        largest = max([abs(v or 0) for v in self.values.values()] + [1])
        # Fewest cells first, then least value: a value never outweighs one cell.
        cost = np.array([0.0 if c in self.rests else 1.0 + (abs(self.values.get(c) or 0) / (largest * n + 1))
                         for c in self.index])
        counted = np.array([c not in self.rests for c in self.index])
        lower = np.zeros(n)
        for c in self.fixed_hidden:
            if c in self.index:
                lower[self.index[c]] = 1
        result = milp(cost, constraints=[LinearConstraint(a, np.array(self.low), np.inf)] if self.rows else [],
                      integrality=np.ones(n), bounds=Bounds(lower, np.ones(n)),
                      options={"time_limit": seconds, "mip_rel_gap": 1e-4})
        if result.x is not None and result.status == 0:
            hidden = int(np.round(result.x)[counted].sum())
            return float(hidden), hidden, "optimum"
        bound = getattr(result, "mip_dual_bound", None)
        return float(bound if bound is not None else 0.0), None, f"stopped ({result.message.split('.')[0]})"


def inputs_timed(publisher: Publisher, period: tuple[date, date]) -> tuple[TableInputs, float]:
    """The table's inputs, and the seconds its own figures took (not the earlier years' tables, decided first)."""
    started = time.perf_counter()
    figures, relations = publisher.figures_of(period)
    built = time.perf_counter() - started
    return publisher.with_earlier(period, figures, relations), built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--milp-seconds", type=float, default=60.0)
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--without-bound", action="store_true", help="decide without the bound (step 6)")
    choice.add_argument("--lines-only", action="store_true",
                        help="decide line by line alone (step 2: no steps 3 and 6), the rules the MILP solves")
    parser.add_argument("--packs", default=",".join(PACK_NAMES))
    args = parser.parse_args()
    if args.without_bound or args.lines_only:
        Bound.widen = lambda self, hidden, groups: False  # type: ignore[method-assign]
    if args.lines_only:
        _Search._protect_against_combinations = lambda self, hidden: False  # type: ignore[method-assign]
    steps = "line by line only (step 2)" if args.lines_only else f"bound {'off' if args.without_bound else 'on'}"
    with demo_app("optimum") as demo:
        print(f"North West portal's tables, demo data; {steps}; "
              f"MILP time limit {args.milp_seconds:.0f} s")
        print(f"{'pack':<20} {'year':<8} {'cells':>6} {'primary':>7} {'service':>7} {'optimum':>9} {'ratio':>6} "
              f"{'figures s':>9} {'decide s':>8} {'milp s':>7}  fallback  milp")
        with demo.app.state.sessionmaker() as session:
            for name in args.packs.split(","):
                spec = PACKS[name]
                publisher = Publisher(spec, session, READER)
                for period in YEARS:
                    inputs, built = inputs_timed(publisher, period)
                    started = time.perf_counter()
                    hidden = inputs.hidden(READER)
                    decided = time.perf_counter() - started
                    model = Model(inputs)
                    few = few_records(inputs.figures, inputs.relations, READER)
                    started = time.perf_counter()
                    optimum, _, status = model.solve(args.milp_seconds)
                    solved = time.perf_counter() - started
                    optimum += len(few - set(model.index))
                    primary = len(model.primary - set(inputs.settled_hidden))
                    ratio = len(hidden.cells) / optimum if optimum else float("nan")
                    print(f"{name:<20} {period[0].year}-{str(period[0].year + 1)[2:]:<3} {len(inputs.figures.values):>6} "
                          f"{primary:>7} {len(hidden.cells):>7} {optimum:>9.0f} {ratio:>6.2f} {built:>9.1f} "
                          f"{decided:>8.2f} {solved:>7.1f}  {str(hidden.fallback):<8}  {status}")


if __name__ == "__main__":
    main()
