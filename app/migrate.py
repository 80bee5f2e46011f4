"""A database made ready to serve: the schema at the latest migration, then the shipped reference data
(new LAs and regions, renamed ones; admin-made areas and edits survive). `datapack migrate` and `serve`,
the tests and the benchmark all start a database here."""

from sqlalchemy.orm import Session

from app.core.db import make_engine
from app.core.migrations import upgrade_schema
from app.reference.service import sync_reference_data


def upgrade_to_head(database_url: str) -> None:
    upgrade_schema(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            sync_reference_data(session)
    finally:
        engine.dispose()
