import httpx

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.ratelimit import RateLimiter
from app.main import create_app
from tests.conftest import secret_of


def test_requests_past_the_limit_wait_for_the_window():
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.retry_after(1) is None and limiter.retry_after(1) is None
    now[0] = 15.0
    assert limiter.retry_after(1) == 45
    assert limiter.retry_after(2) is None
    now[0] = 60.0
    assert limiter.retry_after(1) is None


def test_zero_turns_limiting_off():
    limiter = RateLimiter(0)
    assert all(limiter.retry_after(1) is None for _ in range(1000))


async def test_429_carries_retry_after(settings):
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": 2}))
    with app.state.sessionmaker() as session, session.begin():
        _, key = create_client(session, ClientCreate(name="busy", role="admin"), secret_of(app))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t",
                                 headers={"Authorization": f"Bearer {key}"}) as http:
        statuses = [(await http.get("/api/v1/areas")).status_code for _ in range(3)]
        limited = await http.get("/api/v1/areas")
    app.state.engine.dispose()
    assert statuses == [200, 200, 429] and int(limited.headers["retry-after"]) > 0
    assert limited.headers["content-type"] == "application/problem+json"
