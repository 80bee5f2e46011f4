"""Engine, declarative base and the request-scoped session: the one place that commits."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

import pydantic_core
from fastapi import Depends, Request
from sqlalchemy import JSON, DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both databases (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime}


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, sqlite_busy_timeout: float = 30, *, durable: bool = True, pool_size: int = 10) -> Engine:
    """durable=False: commits return before they reach the disk, for bookkeeping (request counts) that
    may be lost in a power cut but must not cost every request a disk flush. `pool_size` connections are
    kept open, as many again opened when busy."""
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size,
                               connect_args={"check_same_thread": False, "timeout": sqlite_busy_timeout})
        event.listen(engine, "connect", _sqlite_pragmas)
        if not durable:
            event.listen(engine, "connect", _sqlite_without_flush)
        return engine
    options = "-c plan_cache_mode=force_custom_plan" + ("" if durable else " -c synchronous_commit=off")
    # psycopg prepares a statement after a few runs, and PostgreSQL may then switch to a generic plan
    # that cannot see which key list an IN holds: a lookup of 500 keys by (LA, key) became a scan of
    # the LA's every audit. Custom plans each time cost a little planning and never that.
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size,
                         connect_args={"options": options})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets packs be read while a submission is being written.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_without_flush(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def lock_for_write(session: Session, name: str) -> None:
    """Serialise writers of one logical record set for the rest of the transaction.

    PostgreSQL: a transaction-scoped advisory lock, so two revisions of one record queue up
    instead of both reading version n and racing to write n + 1. SQLite: take the database
    write lock now (BEGIN IMMEDIATE) for the same reason; SQLite has one writer at a time.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def get_session(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit before the response is sent, so a failed commit is reported to the
# client as an error instead of after a 2xx has already gone out.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def upsert_insert(dialect_name: str) -> Any:
    """The dialect's `insert`, which has ON CONFLICT (both databases we run on support it)."""
    return postgresql_insert if dialect_name == "postgresql" else sqlite_insert


def insert_many(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Many rows (dicts with the same keys) into one table by the fastest path each database has.

    PostgreSQL: COPY (psycopg sends a statement a row even in pipeline mode, several times slower).
    SQLite: one driver-level executemany. SQLAlchemy's own executemany compiles the parameters of
    every row, which cost more than the insert; each column's bind processor is applied here
    instead, so dates and times are stored exactly as the models read them. JSON values go as text
    from pydantic-core's serialiser, several times faster than the json module's for small objects.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = list(rows[0])
    plain, processed = [], []
    for name in columns:
        process = _bind_processor(table.c[name].type, dialect)
        if process is None:
            plain.append(name)
        else:
            processed.append((name, process))
    names = plain + [name for name, _ in processed]
    values = ((*[row[name] for name in plain], *[process(row[name]) for name, process in processed]) for row in rows)
    if dialect.name == "postgresql":
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row_values in values:
                copy.write_row(row_values)
        return
    statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    connection.exec_driver_sql(statement, list(values))


def _bind_processor(column_type: Any, dialect: Any) -> Any:
    """How a column's value is sent: JSON as text on both; on PostgreSQL COPY adapts the rest itself."""
    if isinstance(column_type, JSON):
        return _json_text
    if dialect.name == "postgresql":
        return None
    return column_type.dialect_impl(dialect).bind_processor(dialect)


def _json_text(value: Any) -> str:
    return pydantic_core.to_json(value).decode()
