"""What suppressed readers have been shown of a table, across data states, and deciding a new state knowing it.

A table is decided once per data state (`app.packs.published`), but a reader keeps what it read in earlier states:
a region's pack read before a group was defined, less the group's pack read after, gave an LA's hidden counts;
so did a region's total read before and after one LA's late return. So every publication of a table (one pack's
year, for one kind of reader) is kept here, as the *figures* it decided on (a cell with the value it had) and the
lines they were in, and the next state's table is decided with them:

- a figure published as shown whose cell still has that value is known: settled, never hidden to protect another;
- a figure whose cell has since changed (or is gone) is a figure of its own, settled as it was published (shown or
  hidden); one hidden and of 1..threshold is protected like any, by the cells this table can still hide;
- every line of an earlier publication holds among those figures, and is a line of this table's search.

Figures are named by cell and value, so a cell revised back to a value it had is the same figure, and lines made
only of figures shown tell nothing and are left out. On PostgreSQL one worker at a time decides a table
(`_deciding_alone`). Elsewhere two can decide tables of two states at the same moment, neither knowing the
other's: each publication raises the table's `version`, and one decided on a version that has moved on is decided
again, so of any two publications one was decided knowing the other.
"""

import hashlib
import json
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.orm import Session

from app.core.db import upsert_insert, utcnow
from app.packs import stopping
from app.packs.cells import About, Cell, Figures, Relations, Row
from app.packs.models import PublishedKnowledge

# A cell with the value a publication decided on, and whom it was about then: a group re-membered to the same total
# is another figure, whose parts are other LAs.
Figure = tuple[Cell, int, About]
Line = tuple[tuple[Figure, ...], Figure]
# Publications of one table racing each other: past this many, the deciding round fails and is asked again.
ATTEMPTS = 20
# How often a worker asks whether another has finished deciding the table it waits for.
POLL_SECONDS = 0.1
_round = threading.local()  # `deferring_when_busy`


class Busy(Exception):
    """Another worker is deciding the table: a round builds what it can meanwhile (`deferring_when_busy`)."""


# The advisory locks of tables being decided, apart from those `app.core.db.lock_for_write` takes (one key each:
# a table's lock never holds up a submission's).
DECIDING_LOCKS = 903


@dataclass
class Known:
    """Everything published of one table. Insertion-ordered, so two workers decide alike from the same bytes."""

    version: int = 0
    figures: dict[Figure, None] = field(default_factory=dict)
    shown: dict[Figure, None] = field(default_factory=dict)
    lines: dict[Line, None] = field(default_factory=dict)
    # The latest publication: what it was decided from (a digest) and what it hid. Another worker, or this one
    # after a restart, asked for the same table on the same data serves it as it is instead of deciding again.
    latest: str | None = None
    latest_hidden: tuple[Figure, ...] = ()
    latest_fallback: bool = False

    def published(self, content: str, figures: Figures, relations: Relations, hidden: frozenset[Cell],
                  fallback: bool) -> "Known":
        """This with one more publication: `figures` with `hidden` hidden, and their lines."""
        values, about = figures.values, figures.about

        def figure(cell: Cell) -> Figure | None:
            value = values.get(cell)
            return None if value is None else (cell, value, about[cell])

        more = Known(self.version + 1, dict(self.figures), dict(self.shown), dict(self.lines), content,
                     tuple(f for cell in hidden if (f := figure(cell)) is not None), fallback)
        for cell in values:
            if (f := figure(cell)) is not None:
                more.figures.setdefault(f, None)
                if cell not in hidden:
                    more.shown[f] = None
        for parts, total in relations.lines:
            present = tuple(f for p in parts if (f := figure(p)) is not None)
            whole = figure(total)
            if whole is not None and sum(p[1] for p in present) != whole[1]:
                continue  # parts short of the total: an inequality (`disclosure.as_lines`), not kept here
            # A line of shown figures alone is a sum a reader could do: it tells nothing, now or later.
            if present and whole is not None and not all(p[0] not in hidden for p in (*present, whole)):
                more.lines.setdefault((present, whole), None)
        return more

    def same_as(self, other: "Known") -> bool:
        """Nothing new published: storing it again would only move the version under other deciders."""
        return (self.latest, len(self.figures), len(self.shown), len(self.lines)) == (
            other.latest, len(other.figures), len(other.shown), len(other.lines))

    def latest_of(self, content: str, figures: Figures) -> frozenset[Cell] | None:
        """What the latest publication hid, if it was decided from `content`."""
        if self.latest != content:
            return None
        return frozenset(cell for cell, value, _ in self.latest_hidden if figures.values.get(cell) == value)


@dataclass(frozen=True)
class KnownInputs:
    """A table's figures and relations with what earlier publications showed: the search's inputs."""

    figures: Figures
    relations: Relations
    settled: frozenset[Cell]
    settled_hidden: frozenset[Cell]


def with_known(known: Known, figures: Figures, relations: Relations, settled: frozenset[Cell],
               settled_hidden: frozenset[Cell]) -> KnownInputs:
    values, about = figures.values, figures.about

    def name(figure: Figure) -> Cell:
        cell, value, whom = figure
        if values.get(cell) == value and about.get(cell) == whom:
            return cell
        return Cell(cell.row, f"{cell.measure}\x00{value}\x00{whom}")

    figures = Figures(dict(values), dict(figures.about), set(figures.shown))
    relations = Relations(list(relations.lines), dict(relations.derived), set(relations.hide_last),
                          dict(relations.statistics), dict(relations.bounded), dict(relations.numerators))
    settled, settled_hidden = set(settled), set(settled_hidden)
    current_lines = {(tuple(p for p in parts if values.get(p) is not None), total) for parts, total in relations.lines}
    for figure in known.shown:
        cell = name(figure)
        if cell in values:  # published as shown and unchanged since: the reader has it
            settled.add(cell)
            settled_hidden.discard(cell)
    for parts, total in known.lines:
        if all(f in known.shown for f in (*parts, total)):
            continue  # every figure of it shown: it tells the reader nothing more
        if sum(p[1] for p in parts) != total[1]:
            continue  # recorded before lines short of their total were left out: not a line of the data
        line = (tuple(name(p) for p in parts), name(total))
        if line in current_lines:
            continue
        for figure, cell in zip((*parts, total), (*line[0], line[1]), strict=True):
            if cell not in values:  # a figure since changed: fixed as it was published
                figures.count(cell, figure[1], figure[2])
                settled.add(cell)
                if figure not in known.shown:
                    settled_hidden.add(cell)
        current_lines.add(line)
        relations.adds_up(*line)
    return KnownInputs(figures, relations, frozenset(settled), frozenset(settled_hidden))


def table_key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def decided_knowing(session: Session, key: str, decide: Callable[[Known], Any],
                    publish: Callable[[Known, Any], Known]) -> Any:
    """`decide` with what was published of the table, stored with `publish` before it is returned, on a version
    no other publication has taken meanwhile. Read and written on connections of their own: the deciding
    session is a snapshot, which would never see another worker's publication."""
    engine = _engine(session)
    with _deciding_alone(engine, key):
        for _ in range(ATTEMPTS):
            known = load(engine, key)
            outcome = decide(known)
            more = publish(known, outcome)
            if more.same_as(known) or _store(engine, key, known.version, more):
                return outcome
    raise RuntimeError(f"table {key} kept being published by others while it was decided")


@contextmanager
def deferring_when_busy() -> Iterator[None]:
    """In a publication round: a table another worker is deciding raises `Busy` before its figures are read
    (`defer_if_busy`), so that the round builds another pack meanwhile. A pack's tables are a chain (each year
    settles cells of the next), and waiting at each link, the second worker followed the first through every
    table after a group's revision, one core idle: the first publications took over 120 s under load."""
    outer = _deferring()
    _round.deferring = True
    try:
        yield
    finally:
        _round.deferring = outer


def defer_if_busy(session: Session, key: str) -> None:
    """`Busy` if the round defers and another worker holds the table's lock now: a glance, before this worker
    reads every area's figures for the table. The other may take the lock meanwhile (it reads its figures before
    it takes it): `decided_knowing` then raises `Busy` too, rather than follow it table by table."""
    if not _deferring():
        return
    engine = _engine(session)
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        if not _try_lock(connection, key):
            raise Busy(key)


def _deferring() -> bool:
    return getattr(_round, "deferring", False)


def _try_lock(connection: Connection, key: str) -> bool:
    return bool(connection.execute(_TRY_LOCK, {"space": DECIDING_LOCKS, "key": key}).scalar())


_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:space, hashtext(:key))")


@contextmanager
def _deciding_alone(engine: Engine, key: str) -> Iterator[None]:
    """On PostgreSQL one worker at a time decides a table. Each deciding on its own, both workers searched every
    table after a group's revision (up to 18 s each), and the one that published second searched again knowing
    the first: three searches where one will do. The other, in a round or at start, builds something else
    meanwhile (`deferring_when_busy`), elsewhere (a script) it waits; then it finds the first's publication
    decided from the same content (`Known.latest_of`) and serves it. The lock is a transaction's, on a connection of its
    own, so that a worker that dies lets it go; asked for by polling, so that a stopping server need not wait.
    SQLite: one process serves it, and its threads decide a table once already (`app.packs.published`)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        while not _try_lock(connection, key):
            if _deferring():  # taken while this worker read the table's figures
                raise Busy(key)
            stopping.check()
            time.sleep(POLL_SECONDS)
        yield


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    # The snapshot engine reads REPEATABLE READ: there a second writer of the row fails instead of finding the
    # version moved on, and a read would not see a publication committed since its first statement.
    return engine if engine.dialect.name == "sqlite" else engine.execution_options(isolation_level="READ COMMITTED")


def load(engine: Engine, key: str) -> Known:
    with engine.connect() as connection:
        row = connection.execute(select(PublishedKnowledge.version, PublishedKnowledge.body)
                                 .where(PublishedKnowledge.key == key)).one_or_none()
    return Known() if row is None else _decode(row.version, row.body)


def _store(engine: Engine, key: str, version: int, known: Known) -> bool:
    body, now = _encode(known), utcnow()
    with engine.begin() as connection:
        if version == 0:
            statement = (upsert_insert(connection.dialect.name)(PublishedKnowledge)
                         .values(key=key, version=1, body=body, updated_at=now).on_conflict_do_nothing())
        else:
            statement = (update(PublishedKnowledge)
                         .where(PublishedKnowledge.key == key, PublishedKnowledge.version == version)
                         .values(version=version + 1, body=body, updated_at=now))
        # The row written, if it was: psycopg counts no rows for an INSERT that may do nothing.
        return connection.execute(statement.returning(PublishedKnowledge.key)).first() is not None


def _encode(known: Known) -> bytes:
    index = {figure: i for i, figure in enumerate(known.figures)}
    payload = {
        "figures": [[*_cell(cell), value, about if isinstance(about, str) else list(about), figure in known.shown]
                    for figure in known.figures for cell, value, about in [figure]],
        "lines": [[[index[p] for p in parts], index[total]] for parts, total in known.lines],
        "latest": [known.latest, [index[f] for f in known.latest_hidden], known.latest_fallback],
    }
    return zlib.compress(json.dumps(payload, separators=(",", ":")).encode(), 6)


def _decode(version: int, body: bytes) -> Known:
    payload = json.loads(zlib.decompress(body))
    known = Known(version)
    figures: list[Figure] = []
    for table, code, period, measure, value, about, shown in payload["figures"]:
        figure = (Cell(Row(table, code, _period(period)), measure), value, about if isinstance(about, str) else tuple(about))
        figures.append(figure)
        known.figures[figure] = None
        if shown:
            known.shown[figure] = None
    for parts, total in payload["lines"]:
        known.lines[(tuple(figures[p] for p in parts), figures[total])] = None
    known.latest, hidden, known.latest_fallback = payload["latest"]
    known.latest_hidden = tuple(figures[i] for i in hidden)
    return known


def _cell(cell: Cell) -> list[Any]:
    period = cell.row.period
    when = None if period is None else (f"d{period.isoformat()}" if isinstance(period, date) else f"s{period}")
    return [cell.row.table, cell.row.code, when, cell.measure]


def _period(when: str | None) -> date | str | None:
    if when is None:
        return None
    return date.fromisoformat(when[1:]) if when[0] == "d" else when[1:]
