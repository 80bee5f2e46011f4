"""How many decided tables a process keeps (`app.packs.published._KeptTables`): bounded by their cells, not only by
their number, so that a server's memory does not grow with every data state and reader."""

from collections import Counter

from app.packs import published
from app.packs.cells import Cell, Row
from app.packs.published import Table
from tests.packs.helpers import order, pack, submit
from tests.payloads import LIVERPOOL, NORTH_WEST


def table(cells: int, code: str = "341") -> Table:
    return Table(hidden=frozenset(), decided=frozenset(Cell(Row("las", code), f"m{i}") for i in range(cells)))


def test_tables_past_the_cells_kept_are_let_go_least_recently_used_first(monkeypatch):
    monkeypatch.setattr(published, "KEPT_CELLS", 25)
    kept = published._KeptTables()
    first, second, third = table(10, "340"), table(10, "341"), table(10, "342")
    kept.keep(("first",), first)
    kept.keep(("second",), second)
    assert kept.get(("first",)) is first  # used since: the second is now the least recently used
    kept.keep(("third",), third)
    assert kept.get(("second",)) is None
    assert kept.get(("first",)) is first and kept.get(("third",)) is third
    assert kept.cells == 20


def test_a_table_kept_under_two_keys_counts_its_cells_once_and_until_both_are_let_go(monkeypatch):
    monkeypatch.setattr(published, "KEPT_CELLS", 25)
    kept, decided = published._KeptTables(), table(10)
    kept.keep(("what it is",), decided)
    kept.keep(("what it was decided from",), decided)
    assert kept.cells == 10
    kept.keep(("another",), table(10, "340"))
    assert len(kept) == 3 and kept.cells == 20
    # 30 cells: the oldest key goes, and frees nothing while the other holds its table; then the other goes.
    kept.keep(("a third",), table(10, "342"))
    assert kept.get(("what it is",)) is None and kept.get(("what it was decided from",)) is None
    assert len(kept) == 2 and kept.cells == 20


def test_a_table_larger_than_the_cells_kept_is_kept_alone(monkeypatch):
    monkeypatch.setattr(published, "KEPT_CELLS", 25)
    kept, large = published._KeptTables(), table(40)
    kept.keep(("small",), table(5, "340"))
    kept.keep(("large",), large)
    assert len(kept) == 1 and kept.get(("large",)) is large and kept.cells == 40


def test_a_key_kept_again_counts_only_the_table_it_now_holds():
    kept, replaced, now = published._KeptTables(), table(10), table(7, "340")
    kept.keep(("key",), replaced)
    kept.keep(("key",), replaced)
    assert kept.cells == 10
    kept.keep(("key",), now)
    assert len(kept) == 1 and kept.get(("key",)) is now and kept.cells == 7


async def test_a_request_over_more_cells_than_are_kept_decides_each_of_its_tables_once_a_publisher(api, monkeypatch):
    """Its tables are asked for cell by cell: one let go between two cells was decided again at each (a 20-year
    outcomes request holds more cells than are kept)."""
    monkeypatch.setattr(published, "KEPT_CELLS", 1)
    monkeypatch.setattr(published, "_kept", published._KeptTables())
    decided: Counter = Counter()
    decide = published.Publisher._decide

    def counted(self, period):
        decided[period] += 1
        # Once for the tables decided before the pack's figures, once for its hidden cells: two publishers. A third
        # fails the build at once (decided at each cell, the request ran for minutes).
        assert decided[period] <= 2, decided
        return decide(self, period)
    monkeypatch.setattr(published.Publisher, "_decide", counted)
    await submit(api("admin"), LIVERPOOL, "orders", [order(f"O{year}", order_date=f"{year}-06-14",
                                                           status_date=f"{year}-07-01") for year in (2018, 2019, 2020)])
    body = await pack(api("portal", area=NORTH_WEST), "outcomes", area=NORTH_WEST,
                      **{"from": "2018-04-01", "to": "2021-03-31"})
    assert body["suppression"]["applied"] and len(decided) >= 3
