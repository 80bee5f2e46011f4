"""Published tables: which cells a suppressed reader may not see, decided once per whole period and data
state over every area such a reader can ask for, so that no two requests can be subtracted.

Per request, suppression was an oracle: a pack over 2016–2021 minus one over 2017–2021, a group's pack
minus its region's, gave hidden counts exactly. Here a *table* is one financial year of a pack, for
England, every region and every group at once, its cells named by whom they are about (an LA's row is
one cell in every area's pack), with hidden cells chosen over all their relations together. A request
over a run of years then withholds a cell when any year's table hides it, or built no row for it
(an LA's figures after its last day): every figure it shows is a figure, or a sum of figures, that the
single years' tables show, so no combination of requests tells a reader more than those tables do.

A cell dated in an earlier year (the previous 31 March, behind a change; an earlier year's current status,
which this year's counts build on) is that year's to decide: it is settled here, hidden if that table hides it
and never chosen to protect this one's cells.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access.reader import Reader
from app.access.roles import Role
from app.core.connections import SNAPSHOT
from app.core.db import utcnow
from app.packs import bounds, knowledge, states, stopping
from app.packs.cells import Cell, Figures, Relations, Row
from app.packs.disclosure import Hidden, few_records, hidden_cells, with_what_follows
from app.packs.periods import Unit, period_end, period_start, returned_span
from app.packs.request import PackArea, PackQuery, PackRequest, resolve_area
from app.packs.spec import PackSpec
from app.reference.models import Area

log = logging.getLogger(__name__)

Period = tuple[date, date]
KEPT = 2048   # publications kept per process: one per pack, period and threshold (and compare measure)
# And no more cells, each decided table's counted once: a table holds every cell of every area for its year, some
# 230 bytes a cell (the demo data's 2019-20 outcomes table: 57,583 cells, 13.4 MB). By the count alone, a process
# kept every data state's tables until it held 2,048: a server probed with many ranges and LA clients grew from
# 314 MB to 1,117 MB and kept it. This is some 230 MB, about three times the tables behind England's default
# packs of the demo data. A table let go is found again in the database's record of it: its figures read, no
# cell chosen again.
KEPT_CELLS = 1_000_000
# Raised whenever the way hidden cells are chosen changes: a publication recorded by an older way is decided again
# rather than served as it was (its figures and lines still count as what readers were shown).
# Never a value used before: "3" was also the rest rule over unchecked whole lines (c1afe24, not landed).
DECIDED_BY = "7"
_deciding: dict[tuple[object, ...], "Future[Table]"] = {}
_lock = threading.Lock()


def periods_covering(unit: Unit, first: date, last: date) -> list[Period]:
    periods = []
    day = period_start(unit, first)
    while day <= last:
        periods.append((day, period_end(unit, day)))
        day = period_end(unit, day) + timedelta(days=1)
    return periods


def period_of(unit: Unit, row: Row) -> Period | None:
    """The whole period a dated row belongs to (None: a row over the pack's whole range). A row is dated by a
    day, a month ("2019-04", audits' months) or a financial year ("2019-20", compare's years)."""
    when = row.period
    if when is None:
        return None
    if row.table == "years" and isinstance(when, str) and len(when) == 7:
        return date(int(when[:4]), 4, 1), date(int(when[:4]) + 1, 3, 31)
    day = when if isinstance(when, date) else date.fromisoformat(f"{when}-01" if len(when) == 7 else when)
    return period_start(unit, day), period_end(unit, day)


def canonical(cell: Cell, la_area: bool = False) -> Cell:
    """One name per figure whatever pack shows it: a comparator region is that region's area row, and the
    area row of an LA's own pack is the LA's row."""
    row = cell.row
    if row.table == "cmp" or (la_area and row.table == "area"):
        table = "las" if row.code.isdigit() else "area"
        return Cell(Row(table, row.code, row.period), cell.measure)
    return cell


@dataclass(frozen=True)
class Table:
    """One year's published table: the cells it hides, and every cell it decided on."""

    hidden: frozenset[Cell]
    decided: frozenset[Cell]
    fallback: bool = False  # the bound ran out of work: whole lines hidden, then checked (disclosure.Hidden)
    # The rows the year's figures were built for. A measure such a row lacks had no record in the year (a theme
    # no audit of the year gave, a domain none graded): the year adds nothing to it, as its own table shows.
    rows: frozenset[Row] = frozenset()

    def withholds(self, cell: Cell) -> bool:
        """A cell of a row no table built (an LA's figures after its last day, a row no area's pack has) is not
        known to be safe: withheld like a hidden one."""
        return cell in self.hidden or (cell not in self.decided and cell.row not in self.rows)


@dataclass(frozen=True)
class Publisher:
    """Decides one pack's publications for one kind of reader, on one data state."""

    spec: PackSpec
    session: Session
    reader: Reader
    # A pack with parameters of its own (compare's measure) is published for each value of them.
    query: PackQuery | None = None
    # Each period's data state, read once (a request asks for its tables cell by cell).
    states: dict[tuple[str, Period], str] = field(default_factory=dict, compare=False)
    # Each period's table, found once: a request asks for them cell by cell, and one the kept tables had let go
    # between two cells was decided again at each (a 20-year outcomes request holds more cells than are kept).
    tables: dict[Period, "Table"] = field(default_factory=dict, compare=False)

    @cached_property
    def areas(self) -> tuple[PackArea, ...]:
        """Read only when a table is decided: a request whose tables are kept reads no area."""
        return publishable_areas(self.session)

    @property
    def unit(self) -> Unit:
        assert self.spec.period is not None
        return self.spec.period

    def table(self, period: Period) -> Table:
        if period not in self.tables:
            key = (*self._names(period), self.state_of(period))
            self.tables[period] = _kept_or(key, lambda: self._decide(period))
        return self.tables[period]

    def state_of(self, period: Period) -> str:
        """What the period's figures can depend on (`app.packs.states`): unchanged, the table kept is the table."""
        # In a snapshot the state holds for every pack a round builds from it; elsewhere, for this publisher only.
        memo = self.session.info.get(SNAPSHOT, self.states)
        key = (self.spec.name, period)
        if key not in memo:
            reference = self.spec.reference_state(self.session) if self.spec.reference_state else None
            memo[key] = states.data_state(self.session, self.spec.reads, period[1], reference)
        return memo[key]

    def _decide(self, period: Period) -> Table:
        stopping.check()
        key = knowledge.table_key(*self._names(period))
        knowledge.defer_if_busy(self.session, key)  # before reading every area's figures for it
        started = time.monotonic()
        figures, relations = self.figures_of(period)
        read_in = time.monotonic() - started  # not the earlier years' tables, which may be decided meanwhile
        inputs = self.with_earlier(period, figures, relations)
        # A return to one year leaves the other years' figures as they were: their decisions are found again
        # by what they are decided from, without choosing their cells again.
        content = _digest(inputs.figures, inputs.relations, self.reader, inputs.earlier, inputs.settled_hidden)
        decided = (frozenset(inputs.figures.values) | frozenset(inputs.relations.derived)
                   | frozenset(inputs.relations.statistics))

        rows = frozenset(cell.row for cell in decided)

        def decide_knowing(known: knowledge.Known) -> Table:
            latest = known.latest_of(content, inputs.figures)
            if latest is not None:  # kept are the counts it hid
                hidden = with_what_follows(latest, inputs.figures, inputs.relations, self.reader)
                return Table(hidden & decided, decided, known.latest_fallback, rows)
            searching, cpu = time.monotonic(), time.thread_time()
            hidden = inputs.knowing(known).hidden(self.reader)
            # What a table costs is the first thing to know when publications are slow under load.
            log.info({"event": "table_decided", "pack": self.spec.name, "period": period[0].isoformat(),
                      "reader": self.reader.role.value, "figures_seconds": round(read_in, 2),
                      "search_seconds": round(time.monotonic() - searching, 2),
                      "search_cpu_seconds": round(time.thread_time() - cpu, 2), "hidden": len(hidden.cells),
                      "fallback": hidden.fallback})
            # The earlier publications' own figures were only there to be protected: no request shows them.
            return Table(hidden.cells & decided, decided, hidden.fallback, rows)

        def publish(known: knowledge.Known, table: Table) -> knowledge.Known:
            return known.published(content, inputs.figures, inputs.relations, table.hidden, table.fallback)

        def decide() -> Table:
            return knowledge.decided_knowing(self.session, key, decide_knowing, publish)
        # Decided once per table, content and database: a table kept here was published in this database, and
        # served again adds nothing a reader has not had. (Another database, in tests, has not published it; nor
        # has another table of the same figures, whose record must hold its own publications.)
        return _kept_or(("content", key, content, bounds.BOUND_WORK, states.database_of(self.session)), decide)

    def _names(self, period: Period) -> tuple[object, ...]:
        """Which table: one whichever request asked for it (a compare query's own area and periods are not the
        table's; its measure is)."""
        own_parameters = self.query.for_period("*", period) if self.query else None
        return (self.spec.name, own_parameters, self.reader.role.value, self.reader.la_code, self.reader.threshold,
                period)

    def figures_of(self, period: Period) -> tuple[Figures, Relations]:
        """Every area's figures and relations for the period."""
        table = _Merged(self.spec.la_rows_alike)
        for area in self.areas:
            query = self.query.for_period(area.code, period) if self.query else None
            req = PackRequest(area, period[0], period[1], None, self.reader, utcnow(),
                              area.operational_during(*period), query, las_declared=table.las_declared())
            built = self.spec.figures(self.session, req)
            table.merge(built.cells, self.spec.relations(built, req), req)
        return table.figures, table.relations

    def with_earlier(self, period: Period, figures: Figures, relations: Relations) -> "TableInputs":
        """The period's figures with the earlier years' tables, decided first where they are not yet: which of
        the cells they decided, and which of those they hide."""
        earlier: dict[Cell, Period] = {c: p for c in figures.values
                                       if (p := period_of(self.unit, c.row)) is not None and p < period}
        tables = {before: self.table(before) for before in sorted(set(earlier.values()))}
        settled_hidden = {c for c, before in earlier.items() if _settled_hidden(tables[before], before, c)}
        return TableInputs(figures, relations, frozenset(earlier), frozenset(settled_hidden))


@dataclass(frozen=True)
class TableInputs:
    figures: Figures
    relations: Relations
    earlier: frozenset[Cell]         # cells an earlier year's table decided
    settled_hidden: frozenset[Cell]  # those of them it hides

    def hidden(self, reader: Reader, bound_work: float | None = None) -> Hidden:
        return hidden_cells(self.figures, self.relations, reader, settled=self.earlier,
                            settled_hidden=self.settled_hidden, bound_work=bound_work)

    def knowing(self, known: knowledge.Known) -> "TableInputs":
        """These inputs with what earlier publications of the table showed (`app.packs.knowledge`)."""
        more = knowledge.with_known(known, self.figures, self.relations, self.earlier, self.settled_hidden)
        return TableInputs(more.figures, more.relations, more.settled, more.settled_hidden)


def _settled_hidden(table: Table, period: Period, cell: Cell) -> bool:
    """Whether the earlier year's table hides the cell. One it did not decide under either name is not known to
    be shown: taken as hidden, so that a figure a pack adds without its earlier table can never pass as shown.
    Stricter than `Table.withholds`, which reads a measure a built row lacks as no record in the year: here the
    later table holds a value for it, so the two tables disagree and neither can vouch for it."""
    named = _as_named_in(table, period, cell)
    return named in table.hidden or named not in table.decided


def _as_named_in(table: Table, period: Period, cell: Cell) -> Cell:
    """An earlier year's figure as its own table names it: the same dated cell, or, for a figure on the year's
    last day that the table counts over the whole year (the current status of the orders made by then), the
    row's undated cell."""
    undated = Cell(Row(cell.row.table, cell.row.code), cell.measure)
    if cell in table.decided or cell.row.period != period[1] or undated not in table.decided:
        return cell
    return undated


def _kept_or(key: tuple[object, ...], decide: Callable[[], Table]) -> Table:
    """The kept table, or the one being decided by another thread (waited for: two builds of packs over the
    same year would otherwise each decide it, seconds apiece), or decided here."""
    with _lock:
        found = _kept.get(key)
        if found is not None:
            return found
        under_way = _deciding.get(key)
        if under_way is None:
            _deciding[key] = mine = Future()
    if under_way is not None:
        return under_way.result()
    try:
        decided = decide()
    except BaseException as exc:
        with _lock:
            _deciding.pop(key, None)
        mine.set_exception(exc)
        raise
    with _lock:
        _kept.keep(key, decided)
        _deciding.pop(key, None)
    mine.set_result(decided)
    return decided


class _KeptTables:
    """The tables a process keeps, the least recently used let go past `KEPT` tables or `KEPT_CELLS` cells (the one
    just kept stays, however large). Used under `_lock`."""

    def __init__(self) -> None:
        self._tables: OrderedDict[tuple[object, ...], Table] = OrderedDict()
        # A table is kept under two keys (what it is, and what it was decided from): its cells are counted once.
        self._keys_holding: dict[int, int] = {}
        self.cells = 0

    def __len__(self) -> int:
        return len(self._tables)

    def get(self, key: tuple[object, ...]) -> "Table | None":
        table = self._tables.get(key)
        if table is not None:
            self._tables.move_to_end(key)
        return table

    def keep(self, key: tuple[object, ...], table: "Table") -> None:
        replaced = self._tables.pop(key, None)
        if replaced is not None:
            self._let_go(replaced)
        self._tables[key] = table
        holding = self._keys_holding.get(id(table), 0)
        if holding == 0:
            self.cells += len(table.decided)
        self._keys_holding[id(table)] = holding + 1
        while len(self._tables) > 1 and (len(self._tables) > KEPT or self.cells > KEPT_CELLS):
            self._let_go(self._tables.popitem(last=False)[1])

    def _let_go(self, table: "Table") -> None:
        """One key less holds the table; its cells are no longer counted once none does."""
        self._keys_holding[id(table)] -= 1
        if self._keys_holding[id(table)] == 0:
            del self._keys_holding[id(table)]
            self.cells -= len(table.decided)

    def clear(self) -> None:
        self._tables.clear()
        self._keys_holding.clear()
        self.cells = 0


_kept = _KeptTables()


def _digest(figures: Figures, relations: Relations, reader: Reader, settled: frozenset[Cell],
            hidden: frozenset[Cell]) -> str:
    """Everything `hidden_cells` chooses the hidden counts from, in a deterministic order. Not which derived figures
    are shares (`Relations.numerators`): what hides with the counts is worked out again from the counts a record
    kept (`with_what_follows`), so a change to it needs no table searched again."""
    identity = (DECIDED_BY, bounds.BOUND_WORK, bounds.AGAINST_INSIDERS, bounds.NEAR, bounds.TRIED_PER_WIDENING,
                list(figures.values.items()), list(figures.about.items()), relations.lines,
                list(relations.derived.items()), sorted(map(repr, relations.hide_last)), list(relations.statistics.items()),
                list(relations.bounded),
                (reader.role.value, reader.la_code, reader.threshold),
                sorted(map(repr, settled)), sorted(map(repr, hidden)))
    return hashlib.blake2b(repr(identity).encode(), digest_size=32).hexdigest()


@dataclass
class _Merged:
    """Every area's figures and relations as one table's: each line once, and each cell one object. Each area's
    pack names its LAs' cells anew; a search that looks them up as one object is spared comparing equal ones
    (a fifth of an outcomes year's search did)."""

    # `PackSpec.la_rows_alike`: each LA's row is merged from the first area's pack that has it, and skipped after.
    la_rows_alike: bool = False
    figures: Figures = field(default_factory=Figures)
    relations: Relations = field(default_factory=Relations)
    _las: set[str] = field(default_factory=set)  # LAs whose rows are merged
    _lines: set[tuple[tuple[Cell, ...], Cell]] = field(default_factory=set)
    # Keyed by what names a cell: a tuple is compared in C, a cell by its own `__eq__`, twice as slow here.
    _cells: dict[tuple[object, ...], Cell] = field(default_factory=dict)

    def las_declared(self) -> frozenset[str]:
        """What the next area's pack may leave out (`PackRequest.las_declared`)."""
        return frozenset(self._las) if self.la_rows_alike else frozenset()

    def _one(self, cell: Cell) -> Cell:
        named = canonical(cell)
        row = named.row
        return self._cells.setdefault((row.table, row.code, row.period, named.measure), named)

    def merge(self, cells: Figures, more: Relations, req: PackRequest | None = None) -> None:
        """An area's pack built for `req`, whose declared LAs' cells are skipped, and whatever relates one such
        LA's cells alone: the same in every area's pack, they are merged already. What relates them to anything
        else (this area's own rows, another LA's) is merged. Without `req`, everything."""
        one = self._one
        declared = req.las_declared if req is not None else frozenset()

        def of_declared_la(cell: Cell) -> bool:
            return cell.row.code in declared and canonical(cell).row.table == "las"

        def of_it_alone(cell: Cell, others: Iterable[Cell]) -> bool:
            """Whether `cell` and `others` are all cells of one declared LA."""
            return of_declared_la(cell) and all(o.row.code == cell.row.code and of_declared_la(o) for o in others)

        for cell, value in cells.values.items():
            if not of_declared_la(cell):
                self.figures.count(one(cell), value, cells.about[cell])
        for parts, total in more.lines:
            if of_it_alone(total, parts):
                continue
            line = (tuple(one(p) for p in parts), one(total))
            if line not in self._lines and not (len(line[0]) == 1 and line[0][0] == line[1]):
                self._lines.add(line)
                self.relations.adds_up(*line)
        for cell, inputs in more.derived.items():
            if not of_it_alone(cell, inputs):
                self.relations.derives(one(cell), [one(i) for i in inputs])
                if cell in more.numerators:
                    self.relations.numerators[one(cell)] = tuple(one(n) for n in more.numerators[cell])
        self.relations.prefer_shown(one(cell) for cell in more.hide_last if not of_declared_la(cell))
        for cell, over in more.statistics.items():
            if not of_it_alone(cell, [over]):
                self.relations.summarises(one(cell), one(over))
        for parts, total in more.bounded:
            if not of_it_alone(total, parts):
                self.relations.at_most([one(p) for p in parts], one(total))
        if req is not None and self.la_rows_alike:
            self._las.update(req.la_codes)


def publishable_areas(session: Session) -> tuple[PackArea, ...]:
    """Every area a suppressed reader may ask for: England, the regions and every group."""
    return tuple(resolve_area(session, code) for code in session.scalars(select(Area.code).order_by(Area.code)))


def publisher(session: Session, spec: PackSpec, reader: Reader, query: PackQuery | None = None) -> Publisher:
    """The tables every suppressed reader of the threshold reads. A portal protects every LA alike, whatever area
    it is bound to; an LA client reads the same tables and is shown its own figures besides (`owns`). The tables
    protect each hidden count against an LA that knows its own figures (`bounds.AGAINST_INSIDERS`), which is all
    that an LA client's view adds. Tables of its own cost an LA client some 36 s of CPU for its default packs of
    the demo data, at each data state, and the two views of one LA, its own tables' and a board's pack, were
    never checked together."""
    return Publisher(spec, session, Reader(Role.PORTAL, None, None, reader.threshold), query)


def owns(reader: Reader, cells: Figures, relations: Relations, cell: Cell) -> bool:
    """Whether `cell` is the reader's own to know: about its own LA alone (an LA client), or derived from such
    figures only. The published tables may hide it from everyone else."""
    if reader.role is not Role.LA:
        return False
    about = cells.about.get(cell)
    if about is not None:
        return not reader.protects_figure(about)
    inputs = relations.derived.get(cell)
    return bool(inputs) and all(i in cells.about and owns(reader, cells, relations, i) for i in inputs)


def decide_tables(spec: PackSpec, session: Session, req: PackRequest) -> None:
    """Decides, or finds kept, the tables the request's hidden cells are read from (`hidden_in_request`): those of
    the periods it covers within the span of its area's returns. Not beyond: any twenty whole years are a valid
    range, and over years nobody returned for, the audits and care-orders figures are null and read no table.
    (Outcomes reads every covered year's table, there too, in `hidden_in_request`: an LA with orders in force
    shows zeros.)"""
    span = returned_span(session, spec.reads, req.area.la_codes, None)
    if span is None:
        return
    deciding = publisher(session, spec, req.reader)
    first, last = max(req.date_from, span[0]), min(req.date_to, span[1])
    for period in periods_covering(deciding.unit, first, last) if first <= last else []:
        deciding.table(period)


def hidden_in_request(spec: PackSpec, session: Session, req: PackRequest, cells: Figures, relations: Relations) -> Hidden:
    """The request's cells hidden as the publications of the periods it covers hide them."""
    deciding = publisher(session, spec, req.reader)
    unit = deciding.unit
    covered = periods_covering(unit, req.date_from, req.date_to)
    la_area = req.area.kind == "la"

    fallback = False

    def is_hidden(cell: Cell) -> bool:
        nonlocal fallback
        if owns(req.reader, cells, relations, cell):
            return False
        named = canonical(cell, la_area)
        own = period_of(unit, cell.row)
        tables = [deciding.table(p) for p in ([own] if own else covered)]
        fallback = fallback or any(t.fallback for t in tables)
        return any(t.withholds(named) for t in tables)

    hidden = {cell for cell, value in cells.values.items() if value is not None and is_hidden(cell)}
    hidden |= {cell for cell, inputs in relations.derived.items()
               if (any(i in hidden for i in inputs) and not relations.of_nothing(cell, cells.values, hidden))
               or (any(cells.values.get(i) is not None for i in inputs) and is_hidden(cell))}
    # A median is no sum of the years' figures: judged on the request's own records (a year's row is that year's).
    hidden |= few_records(cells, relations, req.reader)
    return Hidden(frozenset(hidden), fallback)

