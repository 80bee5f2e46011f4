"""An attacker written apart from `app/packs/bounds.py`, for tests whose tables are lines over keys of their own:
scipy's `linprog` minimises and maximises each hidden small count over the lines, every other cell known."""

import math
from collections.abc import Hashable, Iterable

import numpy as np
from scipy.optimize import linprog

Line = tuple[list[Hashable], Hashable]


def narrowed(lines: Iterable[Line], values: dict, unknowns: list, threshold: int = 5) -> dict:
    """The unknowns of 1..`threshold` left fewer than `threshold` possible values, with their least and greatest:
    each line's parts add up to its total, every key not in `unknowns` is known at its value, every unknown is at
    least 1 (zero is shown)."""
    index = {key: i for i, key in enumerate(unknowns)}
    rows, right = [], []
    for parts, total in lines:
        row, shown = np.zeros(len(unknowns)), 0.0
        for key, sign in [(p, 1) for p in parts] + [(total, -1)]:
            if key in index:
                row[index[key]] += sign
            else:
                shown += sign * values[key]
        if row.any():
            rows.append(row)
            right.append(-shown)
    found = {}
    for key in unknowns:
        if not 1 <= values[key] <= threshold:
            continue
        ends = []
        for sign in (1, -1):
            objective = np.zeros(len(unknowns))
            objective[index[key]] = sign
            result = linprog(objective, A_eq=np.array(rows) if rows else None, b_eq=right or None,
                             bounds=[(1, None)] * len(unknowns), method="highs")
            assert result.status in (0, 3), result.message
            ends.append(sign * result.fun if result.status == 0 else -sign * math.inf)
        low, high = ends
        if not math.isinf(high) and math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1 < threshold:
            found[key] = (low, high)
    return found
