"""Every engine and sessionmaker the running app uses, with the transaction each runs in (the CLI's
one-off commands and migrations open their own).

Two engines on the one database:

- `engine`, durable: a commit returns once it is on disk. It carries the data.
- `counting_engine`, not durable (`make_engine(durable=False)`): a commit returns before it reaches the
  disk. It carries bookkeeping that may be lost in a power cut but must not cost every request a flush.

On them, four ways in:

- `sessions` (engine): the request's session, `SessionDep`. One transaction a request, begun by its first
  statement and committed once by `get_session` after the route returns (rolled back if anything raised),
  so that everything a request writes (records, submissions, the access log, the completion of an
  idempotency claim) is stored together or not at all.
- `claims` (engine): Idempotency-Key claims (`app.submissions.idempotency`). Each claim, and each release,
  is a short transaction of its own, committed at once, so that every worker sees a key is taken while the
  submission holding it is still being stored. Durable, like the submission it stands for.
- `counter` (counting_engine, AUTOCOMMIT): the rate limiter's count, one atomic upsert a request, with no
  BEGIN and COMMIT round trips around it; it stands even when the request then fails.
- `reads` (counting_engine, AUTOCOMMIT): reads that need no transaction (a repeat pack request's key, scope
  and ETag checks) save its BEGIN and ROLLBACK, and share a connection with the request count that follows
  them: one checkout (on PostgreSQL one liveness ping) a request instead of two.
"""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import make_engine, make_sessionmaker
from app.core.settings import Settings


@dataclass(frozen=True)
class Connections:
    engine: Engine
    counting_engine: Engine
    sessions: sessionmaker[Session]
    claims: sessionmaker[Session]
    counter: Engine
    reads: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()
        self.counting_engine.dispose()


def open_connections(settings: Settings) -> Connections:
    engine = make_engine(settings.database_url, settings.sqlite_busy_timeout_seconds)
    counting_engine = make_engine(settings.database_url, settings.sqlite_busy_timeout_seconds, durable=False)
    autocommit = counting_engine.execution_options(isolation_level="AUTOCOMMIT")
    return Connections(engine=engine, counting_engine=counting_engine, sessions=make_sessionmaker(engine),
                       claims=make_sessionmaker(engine), counter=autocommit, reads=make_sessionmaker(autocommit))
