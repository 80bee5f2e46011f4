"""What the tests of `datapack submit` share: a real server, and an LA's key in a file as a scheduled job keeps it."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.settings import DEVELOPMENT_SECRET
from tests.payloads import LIVERPOOL
from tests.server import Server


@pytest.fixture
def running(database_url) -> Iterator[Server]:
    server = Server(database_url).start()
    yield server
    server.kill()


@pytest.fixture
def key_file(app, tmp_path) -> Path:
    with app.state.sessionmaker() as session, session.begin():
        key = create_client(session, ClientCreate(name="Liverpool BI", la=LIVERPOOL, role="la"), DEVELOPMENT_SECRET)[1]
    path = tmp_path / "key"
    path.write_text(key + "\n")
    return path
