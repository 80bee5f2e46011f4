from sqlalchemy import text


async def test_healthz_needs_no_key(anonymous):
    response = await anonymous.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_readyz_is_ready_at_head(anonymous):
    response = await anonymous.get("/readyz")
    assert response.status_code == 200 and response.json()["status"] == "ready"


async def test_readyz_is_503_when_not_at_head(anonymous, db):
    db.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    db.commit()
    response = await anonymous.get("/readyz")
    assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"


async def test_readyz_is_503_once_the_server_is_asked_to_stop(anonymous, app):
    app.state.publications.stop()
    response = await anonymous.get("/readyz")
    assert response.status_code == 503 and "stopping" in response.json()["detail"]


async def test_readyz_is_503_when_database_is_unreachable(tmp_path):
    import httpx

    from app.core.settings import Settings
    from app.main import create_app

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/missing/dir/x.db"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        response = await http.get("/readyz")
    assert response.status_code == 503


async def test_readyz_is_503_until_the_packs_tables_are_published_on_start(anonymous, app):
    import threading

    publishing = threading.Event()
    app.state.publications.start(lambda snapshot, stopping: publishing.wait(30))
    try:
        waiting = await anonymous.get("/readyz")
        assert waiting.status_code == 503 and "Publishing" in waiting.json()["detail"]
    finally:
        publishing.set()
    for _ in range(100):
        if app.state.publications.started():
            break
        threading.Event().wait(0.05)
    assert (await anonymous.get("/readyz")).status_code == 200
