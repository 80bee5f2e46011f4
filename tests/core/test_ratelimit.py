from datetime import UTC, datetime, timedelta

import httpx

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.ratelimit import RateLimiter
from app.main import create_app
from tests.conftest import secret_of


def _autocommit(app):
    return app.state.engine.execution_options(isolation_level="AUTOCOMMIT")


def test_requests_past_the_limit_wait_for_the_window(app, db):
    client, _ = create_client(db, ClientCreate(name="counted", role="admin"), secret_of(app))
    db.commit()
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    limiter = RateLimiter(_autocommit(app), 2, clock=lambda: now[0])
    assert limiter.retry_after(client.id) is None and limiter.retry_after(client.id) is None
    now[0] += timedelta(seconds=15)
    assert limiter.retry_after(client.id) == 45
    now[0] += timedelta(seconds=45)
    assert limiter.retry_after(client.id) is None


def test_zero_turns_limiting_off(app):
    limiter = RateLimiter(_autocommit(app), 0)
    assert all(limiter.retry_after(1) is None for _ in range(100))


async def test_the_limit_holds_across_worker_processes(settings):
    """Two app instances on one database stand in for two workers: they share one budget."""
    limited = settings.model_copy(update={"rate_limit_per_minute": 3})
    workers = [create_app(limited), create_app(limited)]
    with workers[0].state.sessionmaker() as session, session.begin():
        _, key = create_client(session, ClientCreate(name="busy", role="admin"), secret_of(workers[0]))
    statuses, last = [], None
    for i in range(5):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=workers[i % 2]), base_url="http://t",
                                     headers={"Authorization": f"Bearer {key}"}) as http:
            last = await http.get("/api/v1/areas")
            statuses.append(last.status_code)
    for worker in workers:
        worker.state.engine.dispose()
    assert statuses == [200, 200, 200, 429, 429]
    assert int(last.headers["retry-after"]) > 0 and last.headers["content-type"] == "application/problem+json"
