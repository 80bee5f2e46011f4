"""The service on a throwaway SQLite database holding the demo data, for the benchmarks that measure the
published packs themselves (what they hide, what an attacker recovers) rather than the server's speed."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from app.core.settings import Settings
from app.demo.service import load_demo
from app.main import create_app
from app.migrate import upgrade_to_head


@dataclass
class DemoApp:
    app: FastAPI
    secret: str      # the app's key secret, to create further clients with
    admin_key: str   # the demo admin's API key


@contextmanager
def demo_app(name: str) -> Iterator[DemoApp]:
    """The app on `<name>.db` in a temporary folder, migrated to head and loaded with the demo data; the folder
    and the engine's connections go when the block ends."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / f'{name}.db'}"
        upgrade_to_head(url)
        app = create_app(Settings(database_url=url, environment="test", rate_limit_per_minute=0, log_level="WARNING"))
        secret = app.state.settings.secret_key.get_secret_value()
        with app.state.sessionmaker() as session, session.begin():
            _, admin_key = load_demo(session, secret)
        try:
            yield DemoApp(app, secret, admin_key)
        finally:
            # Closes the pool's connections before the folder, and the database in it, is removed.
            app.state.engine.dispose()
