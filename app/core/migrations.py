"""Alembic, driven from code: the CLI, `serve`, the tests and /readyz all use this."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(database_url: str) -> None:
    from sqlalchemy.orm import Session

    from app.core.db import make_engine
    from app.reference.service import sync_reference_data

    command.upgrade(alembic_config(database_url), "head")
    engine = make_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            sync_reference_data(session)
    finally:
        engine.dispose()
