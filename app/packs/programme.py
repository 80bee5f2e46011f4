"""One group of linked hidden cells as a linear programme (HiGHS, through highspy), for `bounds`.

Columns: the hidden cells x (and, for `witness`, a move up p and a move down q for each, x − p + q = its
value, so that a point can be asked to move as few cells as it can). Rows: each line, Σ hidden parts −
hidden total = what the shown cells leave. One model a group, solved again and again with other costs and bounds (warm, about
0.2 ms a solve where scipy's linprog took 2–5 ms).
"""

import math

import highspy
import numpy as np

from app.packs.cells import Cell

_UNBOUNDED = {highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible}


class OutOfTime(Exception):
    """The table's budget for the bound is spent (a budget of work: `Budget`)."""


class Budget:
    """Work left for one table's bound, counted in cells plus lines of each programme solved: a budget of work, not of seconds, so
    that every worker (and every machine, however busy) decides the same table from the same data. Two
    workers deciding differently would let a reader combine what each shows."""

    def __init__(self, work: float) -> None:
        self.left = work

    def spend(self, work: float) -> None:
        if self.left <= 0:
            raise OutOfTime
        self.left -= work


class Programme:
    def __init__(self, unknowns: list[Cell], lines: list[int], rows: list[dict[int, int]], b: list[float],
                 truth: list[float], budget: Budget, moves: bool) -> None:
        """`moves`: with the columns that count how far a point moves each cell (`witness`); without them the
        programme is a third of the size, enough for the reader's own view."""
        self.unknowns, self.lines, self.budget = unknowns, lines, budget
        self.index = {c: i for i, c in enumerate(unknowns)}
        n, m = len(unknowns), len(rows)
        self.n, self.m = n, m
        self.truth = np.array(truth, dtype=float)
        # A hidden cell is at least 1, as the reader assumes (zero is shown); 0 for a hidden zero, should one be.
        self.lower = np.where(self.truth >= 1, 1.0, 0.0)
        starts, indices, values = [0], [], []
        for row in rows:
            for column, coefficient in sorted(row.items()):
                indices.append(column)
                values.append(float(coefficient))
            starts.append(len(indices))
        for i in range(n if moves else 0):
            indices += [i, n + i, 2 * n + i]
            values += [1.0, -1.0, 1.0]
            starts.append(len(indices))
        k = 3 if moves else 1  # columns per cell
        extra = n if moves else 0  # rows: x − p + q = its value
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = k * n, m + extra
        lp.col_cost_ = np.zeros(k * n)
        lp.col_lower_ = np.concatenate([self.lower, np.zeros((k - 1) * n)])
        lp.col_upper_ = np.full(k * n, highspy.kHighsInf)
        lp.row_lower_ = lp.row_upper_ = np.concatenate([np.array(b, dtype=float), self.truth[:extra]])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = k * n, m + extra
        lp.a_matrix_.start_, lp.a_matrix_.index_ = np.array(starts), np.array(indices)
        lp.a_matrix_.value_ = np.array(values)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        # Solved again and again from the last basis with other costs and bounds: presolving each time cost more.
        self.highs.setOptionValue("presolve", "off")
        self.highs.passModel(lp)

    def solve(self, cell: Cell, sign: int, fixed: dict[Cell, int]) -> tuple[float, list[float] | None, np.ndarray]:
        """The least (sign 1) or greatest (sign −1) value of `cell`, the lines' duals there and the point (its
        value then at most `threshold`-ish beyond: see `witness`). `fixed`: cells an insider knows."""
        costs = {self.index[cell]: float(sign)}
        status, x, duals = self._run(costs, fixed, {})
        if status in _UNBOUNDED or x is None:
            return (-math.inf if sign == 1 else math.inf), None, self.truth
        return x[self.index[cell]], duals[:self.m], np.array(x[:self.n])

    def witness(self, cell: Cell, sign: int, fixed: dict[Cell, int], reach: float) -> np.ndarray:
        """A feasible point with `cell` as low (sign 1) or as high (sign −1, at most `reach`) as it goes, moving
        the others as little as it can: a point that moves few cells stays feasible for an insider who knows
        the cells it did not move, so it answers for most insiders without a programme of its own."""
        column = self.index[cell]
        costs = {j: 1.0 for j in range(self.n, 3 * self.n)}
        costs[column] = sign * (2.0 * self.n + 10)  # more than a unit of `cell` can cost in moves: its value first
        status, x, _ = self._run(costs, fixed, {column: reach} if sign < 0 else {})
        return np.array(x[:self.n]) if x is not None and status not in _UNBOUNDED else self.truth

    def spread(self, weights: dict[Cell, float], reach: float) -> np.ndarray:
        """A feasible point that minimises Σ weight × cell, every cell at most `reach` above its value so that it
        stays bounded: with weights of both signs, one programme moves many counts to their ends at once."""
        costs = {self.index[c]: w for c, w in weights.items()}
        upper = {j: self.truth[j] + reach for j in range(self.n)}
        status, x, _ = self._run(costs, {}, upper)
        return np.array(x[:self.n]) if x is not None and status not in _UNBOUNDED else self.truth

    def _run(self, costs: dict[int, float], fixed: dict[Cell, int], upper: dict[int, float]) \
            -> tuple[highspy.HighsModelStatus, list[float] | None, list[float]]:
        self.budget.spend(self.n + self.m)
        h = self.highs
        bounds = {self.index[c]: (float(v), float(v)) for c, v in fixed.items()}
        bounds |= {j: (self.lower[j], high) for j, high in upper.items() if j not in bounds}
        self._costs(costs)
        self._bounds(bounds)
        h.run()
        status = h.getModelStatus()
        solution = h.getSolution()
        x = list(solution.col_value) if status == highspy.HighsModelStatus.kOptimal else None
        duals = list(solution.row_dual)
        self._costs(dict.fromkeys(costs, 0.0))
        self._bounds({j: (self.lower[j], highspy.kHighsInf) for j in bounds})
        return status, x, duals

    def _costs(self, costs: dict[int, float]) -> None:
        if costs:
            columns = np.array(list(costs), dtype=np.int32)
            self.highs.changeColsCost(len(columns), columns, np.array(list(costs.values()), dtype=float))

    def _bounds(self, bounds: dict[int, tuple[float, float]]) -> None:
        if bounds:
            columns = np.array(list(bounds), dtype=np.int32)
            self.highs.changeColsBounds(len(columns), columns, np.array([lo for lo, _ in bounds.values()]),
                                        np.array([hi for _, hi in bounds.values()]))
