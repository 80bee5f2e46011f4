"""Which hidden cells the lines fix (`disclosure.determined`), checked against rank arithmetic written here.

An unknown is fixed exactly when its unit vector lies in the lines' row space, that is when adding that vector
to the rows leaves their rank as it was. The rank is worked out below in exact fractions, apart from the
integer elimination the code does.
"""

import random
from fractions import Fraction

import pytest

from app.packs.disclosure import determined


def _rank(rows: list[dict[int, Fraction]]) -> int:
    basis: dict[int, dict[int, Fraction]] = {}  # leading column -> row with 1 there
    for row in rows:
        row = {c: Fraction(v) for c, v in row.items() if v}
        while row:
            lead = min(row)
            if lead not in basis:
                basis[lead] = {c: v / row[lead] for c, v in row.items()}
                break
            factor = row[lead]
            for c, v in basis[lead].items():
                row[c] = row.get(c, Fraction(0)) - factor * v
                if not row[c]:
                    del row[c]
    return len(basis)


def _fixed_by_rank(rows: list[dict[int, int]], columns: int) -> set[int]:
    rank = _rank(rows)
    return {j for j in range(columns) if _rank([*rows, {j: 1}]) == rank}


@pytest.mark.parametrize("seed", range(6))
def test_the_cells_fixed_are_those_whose_unit_vector_the_lines_span(seed):
    rng = random.Random(seed)
    for _ in range(300):
        columns = rng.randint(1, 12)
        rows = [{c: rng.choice([1, 1, 1, -1, 2, -2, 3]) for c in rng.sample(range(columns), rng.randint(1, min(columns, 5)))}
                for _ in range(rng.randint(0, 12))]
        assert set(determined(rows, list(range(columns)))) == _fixed_by_rank(rows, columns)


def test_a_row_and_a_column_through_two_hidden_cells_fix_neither_but_a_third_line_fixes_both():
    # a + b = 3 and a + c = 4 leave a free; b − c = −1 adds nothing; a alone pins it, and with it b and c.
    rows = [{0: 1, 1: 1}, {0: 1, 2: 1}, {1: 1, 2: -1}]
    assert determined(rows, ["a", "b", "c"]) == []
    assert sorted(determined([*rows, {0: 1}], ["a", "b", "c"])) == ["a", "b", "c"]


def test_a_long_chain_of_lines_is_solved_exactly_where_its_coefficients_pass_what_a_float_holds():
    # x_0 − 2·x_1, x_1 − 2·x_2, … reduce to x_0 − 2^k·x_k: past 2^53 a float would lose the 1 beside it.
    rows = [{i: 1, i + 1: -2} for i in range(400)] + [{400: 1}]
    assert len(determined(rows, list(range(401)))) == 401
