"""Every test runs against a database built by the migrations, on SQLite and on PostgreSQL.

PostgreSQL comes from TEST_POSTGRES_URL (a server where the user may create databases);
`scripts/test` starts a throwaway one. Without it the PostgreSQL half is skipped, unless
REQUIRE_POSTGRES=1 (as in CI), where a missing server is an error.
"""

import asyncio
import inspect
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.db import make_engine
from app.core.settings import Settings
from app.main import create_app
from app.migrate import upgrade_to_head

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests on a fresh asyncio loop (HTTP calls go through httpx's ASGITransport)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


def _postgres_admin_url() -> str:
    if not POSTGRES_URL:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set")
        pytest.skip("TEST_POSTGRES_URL not set: run `bash scripts/test` to include PostgreSQL")
    return POSTGRES_URL


def _admin_execute(url: str, statement: str) -> None:
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    url = _postgres_admin_url()
    name = f"datapack_template_{uuid.uuid4().hex[:8]}"
    _admin_execute(url, f'CREATE DATABASE "{name}"')
    upgrade_to_head(make_url(url).set(database=name).render_as_string(hide_password=False))
    yield name
    _admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database(request: pytest.FixtureRequest, backend: str, folder: Path) -> Iterator[str]:
    """A migrated database of its own on `backend`: a copy of a template migrated once per run."""
    if backend == "sqlite":
        path = folder / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"datapack_test_{uuid.uuid4().hex[:12]}"
    _admin_execute(POSTGRES_URL, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin_execute(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    with fresh_database(request, request.param, tmp_path) as url:
        yield url


def settings_for(database_url: str) -> Settings:
    return Settings(database_url=database_url, environment="test", rate_limit_per_minute=0,
                    max_upload_bytes=5 * 1024 * 1024, max_submission_rows=5000,
                    # A test reads what it has just written: never an earlier publication of a pack; and a first
                    # publication of the demo's tables can outlast the default wait when workers share the cores.
                    pack_fresh_wait_seconds=600, pack_first_wait_seconds=600)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url)


@pytest.fixture
def app(settings: Settings):
    application = create_app(settings)
    yield application
    application.state.publications.close()
    application.state.engine.dispose()


@pytest.fixture
def db(app) -> Iterator[Session]:
    """A session on the test's database, for arranging data and checking what was stored."""
    with app.state.sessionmaker() as session:
        yield session


ClientFactory = Callable[..., httpx.AsyncClient]


def secret_of(app) -> str:
    return app.state.settings.secret_key.get_secret_value()


@pytest.fixture
def api(app) -> ClientFactory:
    """`api(role, la=..., area=..., disclosure=...)` gives an HTTP client authenticated as a new API client of that role."""
    def make(role: str = "admin", *, la: str | None = None, area: str | None = None,
             name: str | None = None, disclosure: str | None = None) -> httpx.AsyncClient:
        with app.state.sessionmaker() as session, session.begin():
            _, key = create_client(session, ClientCreate(
                name=name or f"{role}-{la or area or 'x'}-{uuid.uuid4().hex[:6]}", role=role, la=la, area=area,
                disclosure=disclosure), secret_of(app))
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://test", headers={"Authorization": f"Bearer {key}"})
        return http

    # Nothing to close: an ASGITransport holds no sockets.
    return make


@pytest.fixture
def anonymous(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                             base_url="http://test")


@pytest.fixture
def engine_for() -> Iterator[Callable[[str], object]]:
    engines = []

    def make(url: str):
        engine = make_engine(url)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` served over real HTTP on a free loopback port, for a browser or an outside client."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def server(app) -> Iterator[str]:
    """The test's app served over real HTTP on a free loopback port, for a browser or an outside client."""
    with serving(app) as url:
        yield url
