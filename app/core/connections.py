"""Every engine and sessionmaker the running app uses, with the transaction each runs in (the CLI's
one-off commands and migrations open their own).

Four engines on the one database, each with its own pool:

- `engine`, durable: a commit returns once it is on disk. It carries the data.
- `claims_engine`, durable, a small pool of its own: Idempotency-Key claims. A keyed submission holds a
  connection of `engine` while it claims its key; were the claim drawn from the same pool, enough keyed
  submissions at once would each hold one connection and wait for a second that none would give back
  (fifty at once: every one a 500 after the 30 s pool timeout). A claim holds its connection for one
  transaction and never waits on `engine`, so the two pools cannot wait on each other. On SQLite that
  transaction may wait for the write lock a long submission holds; claims queued past the pool's timeout
  are a 503 with Retry-After (`app/core/errors.py`), not a 500.
- `counting_engine`, not durable (`make_engine(durable=False)`): a commit returns before it reaches the
  disk. It carries bookkeeping that may be lost in a power cut but must not cost every request a flush.
  A request takes its connection after its `engine` one or without one, and never holds it while waiting.
- `snapshot_engine`, a small pool of its own: packs built with small numbers suppressed
  (`app.packs.publication`). Such a pack is built in a background thread, in one snapshot of the database
  (PostgreSQL REPEATABLE READ; SQLite a read transaction), so that the figures it shows and the tables that
  decide which of them are hidden are read from the same data state: read statement by statement, a return
  committed between the two could show a figure that is small now under a decision made when it was not.
  Its own pool, as a request waiting for such a build holds a connection of `engine`.

On them, five ways in:

- `sessions` (engine): the request's session, `SessionDep`. One transaction a request, begun by its first
  statement and committed once by `get_session` after the route returns (rolled back if anything raised),
  so that everything a request writes (records, submissions, the access log, the completion of an
  idempotency claim) is stored together or not at all.
- `claims` (claims_engine): Idempotency-Key claims (`app.submissions.idempotency`). Each claim, and each release,
  is a short transaction of its own, committed at once, so that every worker sees a key is taken while the
  submission holding it is still being stored. Durable, like the submission it stands for.
- `counter` (counting_engine, AUTOCOMMIT): the rate limiter's count, one atomic upsert a request, with no
  BEGIN and COMMIT round trips around it; it stands even when the request then fails.
- `reads` (counting_engine, AUTOCOMMIT): reads that need no transaction (a repeat pack request's key, scope
  and ETag checks) save its BEGIN and ROLLBACK, and share a connection with the request count that follows
  them: one checkout (on PostgreSQL one liveness ping) a request instead of two.
- `snapshots` (snapshot_engine): one consistent read of the database (`read_snapshot`).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import make_engine, make_sessionmaker, utcnow
from app.core.settings import Settings

# A claim is one short transaction; more at once than this wait their turn, briefly.
CLAIMS_POOL_SIZE = 2
# Suppressed packs are built one round at a time a process (`app.packs.publication`).
SNAPSHOT_POOL_SIZE = 2


@dataclass(frozen=True)
class Connections:
    engine: Engine
    claims_engine: Engine
    counting_engine: Engine
    snapshot_engine: Engine
    sessions: sessionmaker[Session]
    claims: sessionmaker[Session]
    counter: Engine
    reads: sessionmaker[Session]
    snapshots: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()
        self.snapshot_engine.dispose()
        self.claims_engine.dispose()
        self.counting_engine.dispose()


def open_connections(settings: Settings) -> Connections:
    engine = make_engine(settings.database_url, settings.sqlite_busy_timeout_seconds)
    claims_engine = make_engine(settings.database_url, settings.sqlite_busy_timeout_seconds, pool_size=CLAIMS_POOL_SIZE)
    counting_engine = make_engine(settings.database_url, settings.sqlite_busy_timeout_seconds, durable=False)
    snapshot_engine = make_engine(settings.database_url, settings.sqlite_busy_timeout_seconds,
                                  pool_size=SNAPSHOT_POOL_SIZE)
    autocommit = counting_engine.execution_options(isolation_level="AUTOCOMMIT")
    return Connections(engine=engine, claims_engine=claims_engine, counting_engine=counting_engine,
                       snapshot_engine=snapshot_engine, sessions=make_sessionmaker(engine),
                       claims=make_sessionmaker(claims_engine), counter=autocommit, reads=make_sessionmaker(autocommit),
                       snapshots=make_sessionmaker(_repeatable_reads(snapshot_engine)))


def _repeatable_reads(engine: Engine) -> Engine:
    return engine if engine.dialect.name == "sqlite" else engine.execution_options(isolation_level="REPEATABLE READ")


SNAPSHOT = "snapshot"  # session.info key of a snapshot's own memo
SNAPSHOT_AT = "snapshot_at"  # and of when it was opened: what it reads is no newer


@contextmanager
def read_snapshot(snapshots: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose every read sees the database as it stood at its first; it writes nothing."""
    with snapshots() as session:
        session.info[SNAPSHOT_AT] = utcnow()
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            # Python's sqlite3 runs a SELECT outside any transaction, each seeing the latest commit; in an
            # explicit one, WAL keeps the snapshot of the first read until it ends.
            connection.exec_driver_sql("BEGIN")
        # What is read from it once holds for its life: worked out once (`app.packs.states`), not per pack built.
        session.info[SNAPSHOT] = {}
        try:
            yield session
        finally:
            session.rollback()
