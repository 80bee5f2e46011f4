"""One group of linked hidden cells as a linear programme (HiGHS, through highspy), for `bounds`.

Columns: the hidden cells x (and, for `witness`, a move up p and a move down q for each, x − p + q = its
value, so that a point can be asked to move as few cells as it can). Rows: each line, Σ hidden parts −
hidden total = what the shown cells leave. One model a group, solved again and again with other costs and bounds (warm, about
0.2 ms a solve where scipy's linprog took 2–5 ms).
"""

import math
import os
import sys

import highspy
import numpy as np

from app.packs import stopping
from app.packs.cells import Cell


def _first_solver_made_quietly() -> None:
    """HiGHS writes its banner to the process's standard output when the first solver is made, before any option
    can turn it off: a line of text in an output a server's operator reads beside its JSON logs (on standard
    error), often merged with them. Made here, at import, with that output pointed at the null device; a process
    without a standard output to point elsewhere makes it as it is."""
    if sys.stdout is not None:
        sys.stdout.flush()
    try:
        kept = os.dup(1)
    except OSError:  # no standard output: nothing to keep quiet
        highspy.Highs()
        return
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(quiet, 1)
            highspy.Highs()
        finally:
            os.dup2(kept, 1)
            os.close(quiet)
    finally:
        os.close(kept)


_first_solver_made_quietly()

_UNBOUNDED = {highspy.HighsModelStatus.kUnbounded}
# "Unbounded or infeasible" is taken as infeasible: taken as unbounded, its counts would pass unchecked.
_NO_POINT = {highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible}


class OutOfTime(Exception):
    """The table's budget for the bound is spent (a budget of work: `Budget`)."""


class NoPoint(OutOfTime):
    """The programme has no point: a line is false of the figures. Taken as having no end, every count of the
    group would pass unchecked; the group has its small counts' lines hidden whole instead, and is not checked (no
    programme of it has a point to check by), where a group out of work is checked after (`bounds.Bound.widen`)."""


class Budget:
    """Work left for one table's bound, counted in cells plus lines of each programme solved: a budget of work, not of seconds, so
    that every worker (and every machine, however busy) decides the same table from the same data. Two
    workers deciding differently would let a reader combine what each shows."""

    def __init__(self, work: float) -> None:
        self.left = work

    def spend(self, work: float) -> None:
        stopping.check()
        if self.left <= 0:
            raise OutOfTime
        self.left -= work


class Programme:
    def __init__(self, unknowns: list[Cell], lines: list[int], rows: list[dict[int, int]], b: list[float],
                 truth: list[float], budget: Budget) -> None:
        self.unknowns, self.lines, self.budget = unknowns, lines, budget
        self.index = {c: i for i, c in enumerate(unknowns)}
        self.n, self.m = len(unknowns), len(rows)
        self.b = b
        # The lines' coefficients row by row, as HiGHS takes them: kept as arrays, so that a programme whose models
        # are let go (`forget_models`) is built again from them without its lines being worked out again.
        self._starts, self._indices, self._values = _rowwise(rows)
        self.truth = np.array(truth, dtype=float)
        # A hidden cell is at least 1, as the reader assumes (zero is shown); 0 for a hidden zero, should one be.
        self.lower = np.where(self.truth >= 1, 1.0, 0.0)
        # Each model is built when first solved: the programmes of the cells near a count (`near`) are only ever
        # asked for a `witness`, and a region's audits year holds some 700 of them at once.
        self._plain: highspy.Highs | None = None
        # With the columns that count how far a point moves each cell, three times the size: built only for a
        # `witness` (an insider's view), so that the reader's own view is solved on the small one.
        self._moving: highspy.Highs | None = None
        # The cells near each cell, for `bounds` to seek points in first; the programmes of them, and the last few
        # of those whose models are kept built.
        self.near: dict[tuple[Cell, int], list[Cell] | None] = {}
        self.near_programmes: dict[tuple[Cell, int], Programme] = {}
        self.recent: dict[tuple[Cell, int], Programme] = {}

    def forget_models(self) -> None:
        """Lets the HiGHS models go (most of a programme's memory); they are built again, from no basis, when next solved."""
        self._plain = self._moving = None

    def _model(self, moves: bool) -> highspy.Highs:
        n, m = self.n, self.m
        starts, indices, values = self._starts, self._indices, self._values
        if moves:  # a row a cell: x − p + q
            columns = np.arange(n, dtype=np.int64)
            starts = np.concatenate([starts, len(indices) + 3 * np.arange(1, n + 1, dtype=np.int64)])
            indices = np.concatenate([indices, np.stack([columns, n + columns, 2 * n + columns], axis=1).ravel()])
            values = np.concatenate([values, np.tile([1.0, -1.0, 1.0], n)])
        k = 3 if moves else 1  # columns per cell
        extra = n if moves else 0  # rows: x − p + q = its value
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = k * n, m + extra
        lp.col_cost_ = np.zeros(k * n)
        lp.col_lower_ = np.concatenate([self.lower, np.zeros((k - 1) * n)])
        lp.col_upper_ = np.full(k * n, highspy.kHighsInf)
        lp.row_lower_ = lp.row_upper_ = np.concatenate([np.array(self.b, dtype=float), self.truth[:extra]])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = k * n, m + extra
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, indices, values
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        # Solved again and again from the last basis with other costs and bounds: presolving each time cost more.
        highs.setOptionValue("presolve", "off")
        highs.passModel(lp)
        return highs

    def solve(self, cell: Cell, sign: int, fixed: dict[Cell, int]) -> tuple[float, list[float] | None, np.ndarray]:
        """The least (sign 1) or greatest (sign −1) value of `cell`, the lines' duals there and the point.
        `fixed`: cells an insider knows."""
        if self._plain is None:
            self._plain = self._model(moves=False)
        costs = {self.index[cell]: float(sign)}
        status, x, duals = self._run(self._plain, costs, fixed, {})
        if status in _UNBOUNDED or x is None:
            return (-math.inf if sign == 1 else math.inf), None, self.truth
        return x[self.index[cell]], duals[:self.m], np.array(x[:self.n])

    def witness(self, cell: Cell, sign: int, fixed: dict[Cell, int], reach: float) -> np.ndarray:
        """A feasible point with `cell` as low (sign 1) or as high (sign −1, at most `reach`) as it goes, moving
        the others as little as it can: a point that moves few cells stays feasible for an insider who knows
        the cells it did not move, so it answers for most insiders without a programme of its own."""
        if self._moving is None:
            self._moving = self._model(moves=True)
        column = self.index[cell]
        costs = {j: 1.0 for j in range(self.n, 3 * self.n)}
        costs[column] = sign * (2.0 * self.n + 10)  # more than a unit of `cell` can cost in moves: its value first
        status, x, _ = self._run(self._moving, costs, fixed, {column: reach} if sign < 0 else {})
        return np.array(x[:self.n]) if x is not None and status not in _UNBOUNDED else self.truth

    def _run(self, highs: highspy.Highs, costs: dict[int, float], fixed: dict[Cell, int], upper: dict[int, float]) \
            -> tuple[highspy.HighsModelStatus, list[float] | None, list[float]]:
        self.budget.spend(self.n + self.m)
        bounds = {self.index[c]: (float(v), float(v)) for c, v in fixed.items()}
        bounds |= {j: (self.lower[j], high) for j, high in upper.items() if j not in bounds}
        _costs(highs, costs)
        _bounds(highs, bounds)
        try:
            highs.run()
            status = highs.getModelStatus()
            if status in _NO_POINT:
                raise NoPoint
            solution = highs.getSolution()
            x = list(solution.col_value) if status == highspy.HighsModelStatus.kOptimal else None
            return status, x, list(solution.row_dual)
        finally:
            _costs(highs, dict.fromkeys(costs, 0.0))
            _bounds(highs, {j: (self.lower[j], highspy.kHighsInf) for j in bounds})


def _rowwise(rows: list[dict[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    starts, indices, values = [0], [], []
    for row in rows:
        for column, coefficient in sorted(row.items()):
            indices.append(column)
            values.append(float(coefficient))
        starts.append(len(indices))
    return np.array(starts, dtype=np.int64), np.array(indices, dtype=np.int64), np.array(values, dtype=float)


def _costs(highs: highspy.Highs, costs: dict[int, float]) -> None:
    if costs:
        columns = np.array(list(costs), dtype=np.int32)
        highs.changeColsCost(len(columns), columns, np.array(list(costs.values()), dtype=float))


def _bounds(highs: highspy.Highs, bounds: dict[int, tuple[float, float]]) -> None:
    if bounds:
        columns = np.array(list(bounds), dtype=np.int32)
        highs.changeColsBounds(len(columns), columns, np.array([lo for lo, _ in bounds.values()]),
                               np.array([hi for _, hi in bounds.values()]))
