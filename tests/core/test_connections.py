"""The engines the app opens, and the one consistent read a suppressed pack is built in."""

from sqlalchemy import func, select

from app.core.connections import read_snapshot
from app.reference.models import Area


def area_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Area))


def add_group(app) -> None:
    with app.state.sessionmaker() as session, session.begin():
        session.add(Area(code="snapshot-test", name="Snapshot test", kind="group"))


def test_a_read_snapshot_does_not_see_a_commit_made_after_its_first_read(app):
    with read_snapshot(app.state.snapshots_sessionmaker) as snapshot:
        before = area_count(snapshot)
        add_group(app)
        assert area_count(snapshot) == before
    with app.state.sessionmaker() as session:
        assert area_count(session) == before + 1


def test_a_read_snapshot_writes_nothing(app):
    with read_snapshot(app.state.snapshots_sessionmaker) as snapshot:
        before = area_count(snapshot)
        snapshot.add(Area(code="never-stored", name="Never stored", kind="group"))
        snapshot.flush()
    with app.state.sessionmaker() as session:
        assert area_count(session) == before
