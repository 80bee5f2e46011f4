"""An earlier year's figure that a later year's table holds is settled by the earlier year's own table: shown or
hidden as that table decided, and hidden where that table has no such figure."""

from datetime import date

from app.packs import published
from app.packs.cells import Cell, Row
from app.packs.published import Table

YEAR = (date(2018, 4, 1), date(2019, 3, 31))
TURNED_18 = "current_status.counts.turned_18"


def dated(measure: str) -> Cell:
    return Cell(Row("las", "341", YEAR[1]), measure)


def undated(measure: str) -> Cell:
    return Cell(Row("las", "341"), measure)


def test_a_figure_the_earlier_table_shows_is_settled_as_shown():
    table = Table(hidden=frozenset(), decided=frozenset({undated(TURNED_18)}))
    assert not published._settled_hidden(table, YEAR, dated(TURNED_18))


def test_a_figure_the_earlier_table_hides_under_its_undated_name_is_settled_as_hidden():
    table = Table(hidden=frozenset({undated(TURNED_18)}), decided=frozenset({undated(TURNED_18)}))
    assert published._settled_hidden(table, YEAR, dated(TURNED_18))


def test_a_figure_the_earlier_table_never_decided_is_settled_as_hidden():
    table = Table(hidden=frozenset(), decided=frozenset({undated("current_status.total")}),
                  rows=frozenset({Row("las", "341")}))
    assert published._settled_hidden(table, YEAR, dated(TURNED_18))
