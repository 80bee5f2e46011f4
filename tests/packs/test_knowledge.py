"""A new data state's table is decided knowing what earlier states published of it (`app.packs.knowledge`)."""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.access.reader import Reader
from app.access.roles import Role
from app.packs import knowledge, published, stopping
from app.packs.cells import Cell, Figures, Relations, Row
from app.packs.disclosure import hidden_cells
from app.packs.knowledge import Known, decided_knowing, load, with_known
from app.packs.models import PublishedKnowledge
from app.packs.registry import PACKS
from app.packs.stopping import Stopping
from tests.packs.helpers import audit, order, pack, submit
from tests.payloads import CUMBRIA, KNOWSLEY, LIVERPOOL

NORTH_WEST = "E12000002"
PORTAL = Reader(Role.PORTAL, None, None, 5)
DAY = date(2021, 3, 31)
REGION, X, Y, Z = (Row("area", "E12000002", DAY), Row("las", "340", DAY), Row("las", "341", DAY),
                   Row("las", "342", DAY))


def region_of(x: int | None, y: int, z: int) -> tuple[Figures, Relations]:
    figures, relations = Figures(), Relations()
    # Each part an aggregate of its own (no LA reading the table knows one), so the choice turns on values alone.
    parts = [figures.count(row.cell("n"), value, (row.code, "*")) for row, value in ((X, x), (Y, y), (Z, z))]
    total = figures.count(REGION.cell("n"), sum(v for v in (x, y, z) if v is not None), ("340", "341", "342"))
    relations.adds_up(parts, total)
    return figures, relations


def decided(known: Known, figures: Figures, relations: Relations) -> frozenset[Cell]:
    more = with_known(known, figures, relations, frozenset(), frozenset())
    return hidden_cells(more.figures, more.relations, PORTAL, settled=more.settled,
                        settled_hidden=more.settled_hidden).cells & frozenset(figures.values)


def test_a_total_shown_before_a_late_small_return_is_hidden_after_it_rather_than_the_figures_already_shown():
    before, before_lines = region_of(None, 8, 9)
    first = decided(Known(), before, before_lines)
    assert first == frozenset()  # 17 = 8 + 9, all shown
    known = Known().published("state 1", before, before_lines, first, False)
    after, after_lines = region_of(3, 8, 9)
    hidden = decided(known, after, after_lines)
    # 20 beside the 17 published before would be the late LA's 3; the other LAs' 8 and 9 are out already.
    assert hidden == {X.cell("n"), REGION.cell("n")}


def test_without_what_was_published_the_new_total_would_have_been_shown():
    after, after_lines = region_of(3, 8, 9)
    hidden = decided(Known(), after, after_lines)
    assert REGION.cell("n") not in hidden and X.cell("n") in hidden


def test_a_figure_shown_before_stays_out_of_the_choice_when_another_changes():
    # Published: 3 and 8 hidden, 9 and 20 shown, so the reader knows 3 + 8 = 11 and that 9.
    before, before_lines = region_of(3, 8, 9)
    first = decided(Known(), before, before_lines)
    assert first == {X.cell("n"), Y.cell("n")}
    known = Known().published("state 1", before, before_lines, first, False)
    # 8 is revised to 30. Decided afresh, 3 would take the 9 as its partner (the smaller), and 3 + 9 = 12 beside
    # the published 9 gives the 3. Knowing the 9 is out, the table hides 30 with the 3 instead.
    after, after_lines = region_of(3, 30, 9)
    assert decided(Known(), after, after_lines) == {X.cell("n"), Z.cell("n")}
    assert decided(known, after, after_lines) == {X.cell("n"), Y.cell("n")}


def test_a_publication_is_read_back_as_it_was_kept(db):
    cells = [Cell(Row("las", "340", DAY), "n"), Cell(Row("months", "341", "2020-04"), "grades.good"),
             Cell(Row("area", "E12000002", None), "total")]
    figures, relations = Figures(), Relations()
    for cell, value, about in zip(cells, (3, 12, 15), ("340", "341", ("340", "341")), strict=True):
        figures.count(cell, value, about)
    relations.adds_up(cells[:2], cells[2])
    known = Known().published("content", figures, relations, frozenset({cells[0]}), True)

    decided_knowing(db, "key", lambda _: None, lambda k, _: known)
    back = load(db.get_bind(), "key")
    assert (back.version, back.figures, back.shown, back.lines) == (1, known.figures, known.shown, known.lines)
    assert (back.latest, back.latest_hidden, back.latest_fallback) == ("content", ((cells[0], 3, "340"),), True)


def test_a_table_decided_while_another_publication_was_kept_is_decided_again_knowing_it(db):
    figures, relations = region_of(3, 8, 9)
    seen: list[int] = []

    def decide(known: Known) -> frozenset[Cell]:
        seen.append(len(known.shown))
        if len(seen) == 1:  # another worker publishes meanwhile (on SQLite, or its lock lost with its connection)
            other = known.published("other", figures, relations, frozenset({X.cell("n")}), False)
            assert knowledge._store(knowledge._engine(db), "key", known.version, other)
        return frozenset({X.cell("n"), Y.cell("n")})

    decided_knowing(db, "key", decide, lambda k, hidden: k.published("mine", figures, relations, hidden, False))
    assert seen == [0, 3]  # decided again, with the other's three shown figures known
    assert load(db.get_bind(), "key").version == 2


def test_a_group_re_membered_to_the_same_total_is_another_figure():
    # A group of X and Y (3 + 9 = 12): 3 hidden with 9, the group's 12 shown.
    figures, relations = Figures(), Relations()
    x, y, z = (figures.count(row.cell("n"), v, (row.code, "*")) for row, v in ((X, 3), (Y, 9), (Z, 10)))
    group = figures.count(Row("area", "pair", DAY).cell("n"), 12, ("340", "341"))
    relations.adds_up([x, y], group)
    known = Known().published("state 1", figures, relations, decided(Known(), figures, relations), False)
    # Re-membered to Z and X: 10 + 2 = 12 again. The 12 shown before was the sum of other LAs: it is not
    # known here, so it can be hidden to protect the 2.
    figures.values[x] = 2
    relations = Relations()
    relations.adds_up([z, x], group)
    figures.about[group] = ("340", "342")
    # (9 stays hidden too: shown, it would give the 3 of the first state through the 12 of then.)
    assert decided(known, figures, relations) == {x, group, y}


def test_a_first_publication_is_stored_once_and_a_second_on_the_same_version_is_refused(db):
    engine = db.get_bind()
    assert knowledge._store(engine, "key", 0, Known(1))
    assert not knowledge._store(engine, "key", 0, Known(1))
    assert knowledge._store(engine, "key", 1, Known(2)) and not knowledge._store(engine, "key", 1, Known(2))


def test_two_tables_of_the_same_figures_each_keep_their_own_record(db, monkeypatch):
    figures, relations = region_of(3, 8, 9)
    inputs = published.TableInputs(figures, relations, frozenset(), frozenset())
    # Two years whose figures are alike, as two years of a compare measure (its cells carry no year) can be.
    monkeypatch.setattr(published.Publisher, "figures_of", lambda self, period: (figures, relations))
    monkeypatch.setattr(published.Publisher, "with_earlier", lambda self, period, figures, relations: inputs)
    for period in ((date(2018, 4, 1), date(2019, 3, 31)), (date(2019, 4, 1), date(2020, 3, 31))):
        published.Publisher(PACKS["audits"], db, PORTAL).table(period)
    assert db.scalar(select(func.count()).select_from(PublishedKnowledge)) == 2


async def test_a_table_published_on_the_same_data_is_served_as_published_not_decided_again(api, db, monkeypatch):
    admin = api("admin")
    for la in (KNOWSLEY, LIVERPOOL, CUMBRIA):
        await submit(admin, la, "audits", [audit(f"{la}-{i}", overall_grade=g)
                                           for i, g in enumerate(["good", "good", "inadequate", "outstanding"])])
    year = (date(2020, 4, 1), date(2021, 3, 31))
    first = published.publisher(db, PACKS["audits"], PORTAL).table(year)
    assert first.hidden
    published._kept.clear()  # as another worker, or this one restarted

    def decide_again(*args, **kwargs):
        raise AssertionError("decided again")
    monkeypatch.setattr(published, "hidden_cells", decide_again)
    assert published.publisher(db, PACKS["audits"], PORTAL).table(year) == first


@pytest.mark.parametrize("value", [0, 7])
def test_a_shown_figure_is_named_by_its_cell_while_its_value_holds(value):
    figures, relations = region_of(None, 8, 9)
    known = Known().published("state", figures, relations, frozenset(), False)
    figures.values[Y.cell("n")] = value
    more = with_known(known, figures, relations, frozenset(), frozenset())
    assert Y.cell("n") not in more.settled and Z.cell("n") in more.settled


async def test_compare_tables_are_one_record_whichever_area_and_periods_asked_for_them(api, db):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    for la in (KNOWSLEY, LIVERPOOL):
        await submit(admin, la, "orders", [order(f"{la}-{i}", order_date=f"{2018 + i % 3}-06-14",
                                                 status_date="2021-03-01") for i in range(9)])
    query = {"measure": "orders_made", "before": "2018-04-01:2019-03-31", "after": "2019-04-01:2021-03-31"}
    await pack(portal, "compare", area=NORTH_WEST, **query)
    records = db.scalar(select(func.count()).select_from(PublishedKnowledge))
    published._kept.clear()  # as another worker would, which never decided them
    await pack(portal, "compare", area=LIVERPOOL, **query | {"before": "2019-04-01:2020-03-31",
                                                             "after": "2020-04-01:2021-03-31"})
    assert records and db.scalar(select(func.count()).select_from(PublishedKnowledge)) == records


def test_a_table_being_decided_by_another_worker_is_waited_for_and_its_publication_served(app, db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("one process serves SQLite: its threads wait for each other in app.packs.published")
    figures, relations = region_of(3, 8, 9)
    deciding, searched = threading.Event(), []

    def worker(name: str) -> None:
        def decide(known: Known) -> frozenset[Cell]:
            searched.append((name, known.latest))
            if known.latest == "content":
                return known.latest_of("content", figures)  # the other's publication, as a worker serves it
            deciding.set()
            time.sleep(1)  # a search of some length, during which the other worker asks for the table
            return frozenset({X.cell("n"), Y.cell("n")})

        with app.state.sessionmaker() as session:  # each worker reads and writes on connections of its own
            decided_knowing(session, "key", decide,
                            lambda k, hidden: k.published("content", figures, relations, hidden, False))

    first = threading.Thread(target=worker, args=("first",))
    first.start()
    assert deciding.wait(10)
    worker("second")
    first.join(10)
    assert searched == [("first", None), ("second", "content")]
    assert load(db.get_bind(), "key").version == 1


def test_a_worker_waiting_for_another_to_decide_a_table_leaves_when_the_server_stops(app, db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("one process serves SQLite: no worker waits for another")
    stop, outcome = threading.Event(), []

    def waiting_worker() -> None:
        stopping.watch(stop)
        try:
            decided_knowing(db, "key", lambda _: frozenset(), lambda k, _: k)
        except Stopping as stopped:
            outcome.append(stopped.status)

    with db.get_bind().connect() as other:  # the other worker, deciding the table
        other.execute(text("SELECT pg_advisory_xact_lock(:space, hashtext('key'))"),
                      {"space": knowledge.DECIDING_LOCKS})
        waiting = threading.Thread(target=waiting_worker)
        waiting.start()
        time.sleep(0.5)
        stop.set()
        waiting.join(5)
    assert outcome == [503]


def test_a_round_defers_a_table_another_worker_is_deciding_rather_than_wait_for_it(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("one process serves SQLite: no worker decides a table another is deciding")
    with db.get_bind().connect() as other:  # the other worker, deciding the table
        other.execute(text("SELECT pg_advisory_xact_lock(:space, hashtext('key'))"),
                      {"space": knowledge.DECIDING_LOCKS})
        knowledge.defer_if_busy(db, "key")  # outside a round: waited for, later, by `decided_knowing`
        with knowledge.deferring_when_busy(), pytest.raises(knowledge.Busy):
            knowledge.defer_if_busy(db, "key")
        with knowledge.deferring_when_busy():
            knowledge.defer_if_busy(db, "another table")


def test_a_round_defers_a_table_another_worker_took_while_it_read_the_figures(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("one process serves SQLite: no worker decides a table another is deciding")
    searched = []
    with db.get_bind().connect() as other:
        other.execute(text("SELECT pg_advisory_xact_lock(:space, hashtext('key'))"),
                      {"space": knowledge.DECIDING_LOCKS})
        with knowledge.deferring_when_busy(), pytest.raises(knowledge.Busy):
            decided_knowing(db, "key", searched.append, lambda k, _: k)
    assert searched == []
