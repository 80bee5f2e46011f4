"""Cells and rows are dictionary keys everywhere a table is decided: equal exactly when every part is."""

from datetime import date

import pytest

from app.packs.cells import Cell, Row


def test_a_cell_built_apart_from_another_of_the_same_parts_is_equal_to_it_and_finds_its_value():
    first = Row("las", "318", date(2020, 3, 31)).cell("grades.counts.good")
    second = Row("las", "318", date(2020, 3, 31)).cell("grades.counts.good")
    assert first is not second and first == second
    assert not first != second  # noqa: SIM202 (`!=` is Python's own inverse of the written-out `==`: proved, not assumed)
    assert {first: 7}[second] == 7


@pytest.mark.parametrize("other", [
    Cell(Row("area", "318", date(2020, 3, 31)), "grades.counts.good"),
    Cell(Row("las", "319", date(2020, 3, 31)), "grades.counts.good"),
    Cell(Row("las", "318", date(2021, 3, 31)), "grades.counts.good"),
    Cell(Row("las", "318", "2020-03"), "grades.counts.good"),
    Cell(Row("las", "318", None), "grades.counts.good"),
    Cell(Row("las", "318", date(2020, 3, 31)), "grades.counts.inadequate"),
])
def test_cells_differing_in_any_part_are_not_equal(other):
    cell = Cell(Row("las", "318", date(2020, 3, 31)), "grades.counts.good")
    assert cell != other and other != cell and len({cell, other}) == 2


def test_cells_of_the_same_hash_are_equal_only_when_every_part_is():
    cell = Cell(Row("las", "318", date(2020, 3, 31)), "grades.counts.good")
    for other in (Cell(Row("las", "318", date(2020, 3, 31)), "grades.counts.fair"),
                  Cell(Row("las", "319", date(2020, 3, 31)), "grades.counts.good")):
        object.__setattr__(other, "_hash", cell._hash)  # as a collision of two hashes would
        object.__setattr__(other.row, "_hash", cell.row._hash)
        assert cell != other


def test_a_cell_or_row_is_never_equal_to_a_tuple_of_its_parts():
    row = Row("las", "318", None)
    assert row != ("las", "318", None) and row.cell("total") != (row, "total")
