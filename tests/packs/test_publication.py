"""A suppressed reader is answered with the previous publication of a pack while the next is built (of a group
renamed or re-membered too), but never across a change to its own LA's returns."""

import asyncio
import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from app.core.db import utcnow
from app.packs import cache, knowledge, publication, published, states
from app.packs.programme import Budget
from app.packs.publication import Publications, Rendered
from app.packs.published import Table
from app.packs.stopping import Stopping
from app.reference.models import Area
from tests.packs.helpers import audit, make_group, submit
from tests.payloads import KNOWSLEY, LIVERPOOL

NORTH_WEST, ENGLAND = "E12000002", "E92000001"
HARTLEPOOL = "805"  # a North East LA
AUDITS = {"area": NORTH_WEST, "from": "2020-04-01", "to": "2021-03-31"}


@pytest.fixture
def answer_at_once(app):
    """As a server under load: the build never ends within the wait."""
    app.state.settings = app.state.settings.model_copy(update={"pack_fresh_wait_seconds": 0})


async def read(client, area: str = NORTH_WEST, **headers: str):
    response = await client.get("/api/v1/packs/audits", params={**AUDITS, "area": area}, headers=headers)
    assert response.status_code in (200, 304), response.text
    return response


async def read_until_current(client, area: str = NORTH_WEST):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = await read(client, area)
        if "pack-freshness" not in response.headers:
            return response
        await asyncio.sleep(0.05)
    raise AssertionError("the next publication was never served")


def grades(response, la: str = KNOWSLEY) -> dict:
    return next(row for row in response.json()["las"] if row["code"] == la)["grades"]


async def test_a_read_after_a_return_is_answered_with_the_previous_publication_marked_as_such(api, answer_at_once):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    first = await read(portal)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}", overall_grade="inadequate") for i in range(8)])
    previous = await read(portal)
    assert previous.headers["pack-freshness"] == "previous"
    assert previous.headers["etag"] == first.headers["etag"] and previous.content == first.content


async def test_the_next_publication_follows_once_built(api, answer_at_once):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    first = await read(portal)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}", overall_grade="inadequate") for i in range(8)])
    await read(portal)
    current = await read_until_current(portal)
    assert current.headers["etag"] != first.headers["etag"]
    assert grades(current)["counts"]["inadequate"] == 8 and grades(first)["counts"]["inadequate"] == 0


async def test_a_reader_holding_the_previous_publication_is_answered_304(api, answer_at_once):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    first = await read(portal)
    await submit(admin, LIVERPOOL, "audits", [audit(f"L{i}") for i in range(8)])
    held = await read(portal, **{"If-None-Match": first.headers["etag"]})
    assert held.status_code == 304 and held.headers["pack-freshness"] == "previous"


async def test_a_group_changed_is_answered_with_its_previous_publication_marked_then_as_it_now_is(api, answer_at_once):
    admin = api("admin")
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    code = "merseyside"
    await make_group(admin, code, [KNOWSLEY, LIVERPOOL])
    portal = api("portal", area=NORTH_WEST)
    first = await read(portal, code)
    renamed = await admin.put(f"/api/v1/areas/{code}", json={"name": "Merseyside LFJB", "members": [KNOWSLEY]})
    assert renamed.status_code == 200, renamed.text
    meanwhile = await read(portal, code)
    assert meanwhile.headers["pack-freshness"] == "previous" and meanwhile.content == first.content
    assert (await read_until_current(portal, code)).json()["area"]["name"] == "Merseyside LFJB"


async def test_a_portal_is_never_answered_with_a_publication_of_a_group_that_then_held_an_la_outside_its_area(
        api, answer_at_once):
    admin = api("admin")
    for la, ref in ((HARTLEPOOL, "H"), (KNOWSLEY, "K")):
        await submit(admin, la, "audits", [audit(f"{ref}{i}") for i in range(8)])
    await make_group(admin, "mixed", [HARTLEPOOL, KNOWSLEY])
    old = await read(api("portal", area=ENGLAND), "mixed")   # published, Hartlepool's row in it
    assert HARTLEPOOL in {row["code"] for row in old.json()["las"]}
    north_west = api("portal", area=NORTH_WEST)
    assert (await north_west.get("/api/v1/packs/audits", params={**AUDITS, "area": "mixed"})).status_code == 403
    await make_group(admin, "mixed", [KNOWSLEY, LIVERPOOL])
    after = await read(north_west, "mixed")
    assert "pack-freshness" not in after.headers
    assert {row["code"] for row in after.json()["las"]} == {KNOWSLEY, LIVERPOOL}


async def test_a_group_renamed_decides_no_table_again_and_its_pack_bears_the_new_name(api, monkeypatch):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    await make_group(admin, "merseyside", [KNOWSLEY, LIVERPOOL])
    await read(portal, "merseyside")

    def decided_again(*args, **kwargs):
        raise AssertionError("a table was decided again")
    monkeypatch.setattr(published.Publisher, "_decide", decided_again)
    renamed = await admin.put("/api/v1/areas/merseyside", json={"name": "Merseyside LFJB",
                                                                "members": [KNOWSLEY, LIVERPOOL]})
    assert renamed.status_code == 200, renamed.text
    assert (await read_until_current(portal, "merseyside")).json()["area"]["name"] == "Merseyside LFJB"


async def test_a_group_re_membered_has_its_tables_decided_again(api, db):
    admin = api("admin")
    await make_group(admin, "merseyside", [KNOWSLEY, LIVERPOOL])
    before = states.areas_state(db)
    await make_group(admin, "merseyside", [KNOWSLEY])
    db.rollback()
    assert states.areas_state(db) != before


async def test_an_la_reading_after_its_own_return_sees_the_pack_of_it(api, answer_at_once):
    knowsley = api("la", la=KNOWSLEY)
    await submit(knowsley, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    await read(knowsley)
    await submit(knowsley, KNOWSLEY, "audits", [audit(f"K{i}", overall_grade="inadequate") for i in range(8)])
    after = await read(knowsley)
    assert "pack-freshness" not in after.headers and grades(after)["counts"]["inadequate"] == 8


async def test_an_unsuppressed_reader_is_always_answered_with_the_current_pack(api, answer_at_once):
    admin = api("admin")
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    await read(admin)
    await submit(admin, LIVERPOOL, "audits", [audit("L1", overall_grade="inadequate")])
    after = await read(admin)
    assert "pack-freshness" not in after.headers and grades(after, LIVERPOOL)["counts"]["inadequate"] == 1


async def test_a_first_publication_that_outlasts_its_wait_is_a_503_problem_then_is_served_once_built(
        api, app, monkeypatch):
    app.state.settings = app.state.settings.model_copy(update={"pack_first_wait_seconds": 0.3})
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    release, rendered = threading.Event(), cache._rendered

    def slow_build(*args, **kwargs):
        release.wait(30)
        return rendered(*args, **kwargs)
    monkeypatch.setattr(cache, "_rendered", slow_build)
    try:
        refused = await portal.get("/api/v1/packs/audits", params=AUDITS)
    finally:
        release.set()
    assert refused.status_code == 503 and refused.headers["retry-after"] == "10", refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert "first time" in refused.json()["detail"]
    deadline = time.monotonic() + 30
    while (served := await portal.get("/api/v1/packs/audits", params=AUDITS)).status_code == 503:
        assert time.monotonic() < deadline, "the pack was never served once built"
        await asyncio.sleep(0.1)
    assert served.status_code == 200 and grades(served)["counts"]


def test_a_table_being_decided_is_waited_for_not_decided_again():
    started, release, decisions = threading.Event(), threading.Event(), []

    def decide() -> Table:
        decisions.append(1)
        started.set()
        release.wait(10)
        return Table(frozenset(), frozenset())

    key = ("test", object())
    first = threading.Thread(target=published._kept_or, args=(key, decide))
    first.start()
    started.wait(10)
    second = threading.Thread(target=published._kept_or, args=(key, decide))
    second.start()
    time.sleep(0.1)
    release.set()
    first.join(10)
    second.join(10)
    assert len(decisions) == 1 and not first.is_alive() and not second.is_alive()


def rendered(etag: str) -> Rendered:
    return Rendered(etag, "application/json", "{}", b"{}", utcnow())


def queue_behind_a_round(publications: Publications, *builds: tuple[str, object], published_before: bool = False) -> list:
    """Queues `builds` while a first round is under way, so that they make the next round together. `published_before`:
    as the reads of packs with a publication to stand in for them queue them."""
    started, release = threading.Event(), threading.Event()

    def first(_snapshot, _fresh) -> Rendered:
        started.set()
        release.wait(10)
        return rendered("first")

    publications.build("first", first, lambda _: None)
    started.wait(10)
    futures = [publications.build(lineage, build, lambda _: None, published_before=published_before)
               for lineage, build in builds]
    release.set()
    return futures


def test_the_packs_queued_together_are_built_in_one_snapshot(app):
    publications, snapshots = Publications(app.state.snapshots_sessionmaker), []

    def build(snapshot, _fresh) -> Rendered:
        snapshots.append(snapshot)
        return rendered(str(len(snapshots)))

    futures = queue_behind_a_round(publications, ("a", build), ("b", build))
    assert [f.result(10).etag for f in futures] == ["1", "2"]
    publications.close()
    assert snapshots[0] is snapshots[1]


def test_a_pack_asked_for_once_the_last_build_was_answered_is_built_again_not_joined_while_it_is_stored(app):
    """In CI a portal read its region's pack, an admin renamed a group, and the portal's next read, answered while
    the first was still being stored, named the group as it was."""
    publications, storing, stored = Publications(app.state.snapshots_sessionmaker), threading.Event(), threading.Event()
    builds = []

    def build(_snapshot, _fresh) -> Rendered:
        builds.append(len(builds))
        return rendered(str(len(builds)))

    def keep_slowly(_rendered) -> None:
        storing.set()
        stored.wait(10)

    first = publications.build("pack", build, keep_slowly)
    assert first.result(10).etag == "1"
    storing.wait(10)
    second = publications.build("pack", build, lambda _: None)
    stored.set()
    assert second is not first and second.result(10).etag == "2"
    publications.close()


def test_a_reader_with_nothing_to_stand_in_joining_a_queued_build_has_it_built_among_the_first(app):
    publications, started, release, order = Publications(app.state.snapshots_sessionmaker), threading.Event(), \
        threading.Event(), []

    def first(_snapshot, _fresh) -> Rendered:
        started.set()
        release.wait(10)
        return rendered("first")

    def build(name: str):
        def built(_snapshot, _fresh) -> Rendered:
            order.append(name)
            return rendered(name)
        return built

    publications.build("first", first, lambda _: None)
    started.wait(10)
    stood_in = publications.build("group", build("group"), lambda _: None, published_before=True)
    never = publications.build("region", build("region"), lambda _: None)
    # A reader the group's previous publication may not be given (it held an LA outside the reader's area).
    joined = publications.build("group", build("group"), lambda _: None, published_before=False)
    release.set()
    assert joined is stood_in and never.result(10) and joined.result(10)
    assert order == ["group", "region"]
    publications.close()


def test_a_build_that_fails_fails_its_readers_alone(app):
    publications = Publications(app.state.snapshots_sessionmaker)

    def broken(snapshot, _fresh) -> Rendered:
        snapshot.execute(text("SELECT * FROM no_such_table"))
        return rendered("never")

    def reads(snapshot, _fresh) -> Rendered:
        return rendered(str(snapshot.execute(text("SELECT 1")).scalar()))

    failed, built = queue_behind_a_round(publications, ("broken", broken), ("fine", reads))
    with pytest.raises(DBAPIError):
        failed.result(10)
    assert built.result(10).etag == "1"
    publications.close()


def test_a_round_whose_snapshot_cannot_be_opened_fails_its_readers_and_the_next_round_goes_on(app):
    opened = []

    def snapshots():
        opened.append(1)
        if len(opened) == 1:  # the database restarting, a pool timeout
            raise OperationalError("connect", {}, Exception("server closed the connection"))
        return app.state.snapshots_sessionmaker()

    publications = Publications(snapshots)
    first = publications.build("a", lambda _snapshot, _fresh: rendered("a"), lambda _: None)
    assert isinstance(first.exception(10), OperationalError)
    later = publications.build("b", lambda _snapshot, _fresh: rendered("b"), lambda _: None)
    assert later.result(10).etag == "b"
    publications.close()


def a_round_under_way(app) -> threading.Event:
    """A round of the app's publications whose snapshot is taken now, held until the event returned is set."""
    started, release = threading.Event(), threading.Event()

    def blocker(snapshot, _fresh) -> Rendered:
        snapshot.execute(select(Area.code)).all()   # the round's snapshot is taken here, before what the test does
        started.set()
        release.wait(30)
        return rendered("blocker")

    app.state.publications.build("blocker", blocker, lambda _: None)
    assert started.wait(10)
    return release


async def test_an_la_reading_its_own_return_while_a_round_is_under_way_sees_it(app, api, answer_at_once):
    knowsley = api("la", la=KNOWSLEY)
    await submit(knowsley, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    await read(knowsley)
    release = a_round_under_way(app)
    await submit(knowsley, KNOWSLEY, "audits", [audit(f"K{i}", overall_grade="inadequate") for i in range(8)])
    threading.Timer(1.0, release.set).start()
    after = await read(knowsley)
    assert "pack-freshness" not in after.headers and grades(after)["counts"]["inadequate"] == 8


async def test_a_read_joining_a_build_from_a_snapshot_older_than_it_is_told_it_has_the_previous_publication(app, api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    release = a_round_under_way(app)
    before = asyncio.create_task(read(portal))   # queued for the round under way, built in its snapshot
    await asyncio.sleep(0.5)
    await submit(admin, LIVERPOOL, "audits", [audit(f"L{i}") for i in range(8)])
    after = asyncio.create_task(read(portal))    # joins that build, which cannot show Liverpool's return
    await asyncio.sleep(0.5)
    release.set()
    first, joined = await before, await after
    assert "pack-freshness" not in first.headers
    assert joined.headers["pack-freshness"] == "previous" and joined.content == first.content


async def test_a_reader_joining_a_build_is_not_refused_for_the_reader_who_queued_it(app, api):
    """Readers of other areas join one build: England's portal was told "This portal reads packs for North West"
    when the build was queued by the North West's, in a snapshot where the group still held a North East LA."""
    admin = api("admin")
    for la, ref in ((HARTLEPOOL, "H"), (KNOWSLEY, "K")):
        await submit(admin, la, "audits", [audit(f"{ref}{i}") for i in range(8)])
    await make_group(admin, "mixed", [HARTLEPOOL, KNOWSLEY])
    release = a_round_under_way(app)   # its snapshot has Hartlepool in the group
    await make_group(admin, "mixed", [KNOWSLEY, LIVERPOOL])
    params = {**AUDITS, "area": "mixed"}
    north_west = asyncio.create_task(api("portal", area=NORTH_WEST).get("/api/v1/packs/audits", params=params))
    await asyncio.sleep(0.5)
    england = asyncio.create_task(api("portal", area=ENGLAND).get("/api/v1/packs/audits", params=params))
    await asyncio.sleep(0.5)
    release.set()
    for response in (await north_west, await england):
        assert response.status_code == 200, response.text
        assert {row["code"] for row in response.json()["las"]} == {KNOWSLEY, LIVERPOOL}


def test_a_server_stopping_while_tables_are_published_on_start_stops_them_at_once(app):
    asked = []

    def publish(snapshot, stopping):
        while not stopping():  # as `warm.publish_default_tables` asks between tables
            asked.append(True)
            time.sleep(0.01)
    app.state.publications.start(publish)
    time.sleep(0.1)
    began = time.monotonic()
    app.state.publications.close()
    assert asked and time.monotonic() - began < 5 and app.state.publications.started()


def test_a_search_under_way_stops_when_the_server_does_and_its_readers_are_told_503(app):
    searching = threading.Event()

    def search(_snapshot, _fresh) -> Rendered:
        budget = Budget(float("inf"))
        searching.set()
        while True:  # a table's bound, spending its work programme by programme
            budget.spend(1)
            time.sleep(0.001)

    publications = Publications(app.state.snapshots_sessionmaker)
    reader = publications.build("searching", search, lambda _: None)
    assert searching.wait(10)
    began = time.monotonic()
    publications.close()
    assert time.monotonic() - began < 5
    stopped = reader.exception(10)
    assert isinstance(stopped, Stopping) and stopped.status == 503


def test_a_pack_asked_for_once_the_server_is_stopping_is_a_503(app):
    publications = Publications(app.state.snapshots_sessionmaker)
    publications.close()
    refused = publications.build("late", lambda _snapshot, _fresh: rendered("late"), lambda _: None).exception(10)
    assert isinstance(refused, Stopping) and refused.status == 503


async def test_a_read_once_the_server_is_stopping_is_answered_with_the_previous_publication(app, api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}") for i in range(8)])
    first = await read(portal)
    await submit(admin, KNOWSLEY, "audits", [audit(f"K{i}", overall_grade="inadequate") for i in range(8)])
    app.state.publications.stop()
    previous = await read(portal)
    assert previous.headers["pack-freshness"] == "previous" and previous.content == first.content


def test_a_pack_waiting_on_a_table_another_worker_decides_lets_the_next_pack_be_built_meanwhile(app):
    other_worker_done, order = threading.Event(), []

    def waits_on_the_other_worker(_snapshot, _fresh) -> Rendered:
        if not other_worker_done.is_set():
            order.append("deferred")
            raise knowledge.Busy("a table of this pack")
        order.append("waiting")
        return rendered("waiting")

    def free(_snapshot, _fresh) -> Rendered:
        order.append("free")
        threading.Timer(0.3, other_worker_done.set).start()
        return rendered("free")

    publications = Publications(app.state.snapshots_sessionmaker)
    futures = queue_behind_a_round(publications, ("waiting", waits_on_the_other_worker), ("free", free))
    assert [f.result(10).etag for f in futures] == ["waiting", "free"]
    publications.close()
    assert order[:2] == ["deferred", "free"] and order[-1] == "waiting"


async def test_what_is_published_on_start_is_published_again_once_an_admin_re_defines_the_areas(app, api, monkeypatch):
    monkeypatch.setattr(publication, "CHANGE_POLL_SECONDS", 0.05)
    runs: list[int] = []
    app.state.publications.start(lambda _snapshot, _stopping: runs.append(1), again_when=states.areas_state)
    while not app.state.publications.started():
        await asyncio.sleep(0.01)
    await make_group(api("admin"), "pair", [KNOWSLEY, LIVERPOOL])
    deadline = time.monotonic() + 10
    while len(runs) < 2 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # polled some times more, the areas as they were then
    assert len(runs) == 2


def test_areas_that_cannot_be_read_at_every_poll_are_logged_when_it_starts_now_and_then_and_when_it_ends(
        app, monkeypatch, caplog):
    monkeypatch.setattr(publication, "CHANGE_POLL_SECONDS", 0.01)
    monkeypatch.setattr(publication, "FAILURE_LOG_SECONDS", 0.25)
    polls, database_down = [], threading.Event()

    def areas(_snapshot):
        polls.append(1)
        if database_down.is_set():
            raise OperationalError("SELECT", {}, Exception("the database is down"))
        return "areas"

    def events() -> list[str]:
        return [record.msg["event"] for record in caplog.records if isinstance(record.msg, dict)]

    caplog.set_level("INFO", logger=publication.__name__)
    app.state.publications.start(lambda _snapshot, _stopping: None, again_when=areas)
    database_down.set()
    time.sleep(1.0)
    down = len(polls)
    database_down.clear()
    deadline = time.monotonic() + 10
    while "failing_ended" not in events() and time.monotonic() < deadline:
        time.sleep(0.05)
    app.state.publications.close()
    assert down > 20 and 2 <= events().count("failing") <= 5 and events().count("failing_ended") == 1, events()


def test_tables_that_could_not_be_published_are_not_said_to_have_recovered(app, monkeypatch, caplog):
    monkeypatch.setattr(publication, "CHANGE_POLL_SECONDS", 0.01)

    def fails(_snapshot, _stopping):
        raise OperationalError("SELECT", {}, Exception("the database is down"))

    caplog.set_level("INFO", logger=publication.__name__)
    app.state.publications.start(fails, again_when=lambda _snapshot: "areas")
    time.sleep(0.2)
    app.state.publications.close()
    assert [record.getMessage() for record in caplog.records] == ["the tables could not be published"]


def test_a_pack_never_published_joins_a_long_round_and_one_published_before_waits_for_the_next(app, monkeypatch):
    monkeypatch.setattr(publication, "ROUND_SECONDS", 0.1)
    publications = Publications(app.state.snapshots_sessionmaker)
    snapshots, started, release = {}, threading.Event(), threading.Event()

    def deciding_every_table(snapshot, _fresh) -> Rendered:
        snapshots["long"] = snapshot
        started.set()
        release.wait(10)
        return rendered("long")

    def recorded(name: str):
        def build(snapshot, _fresh) -> Rendered:
            snapshots[name] = snapshot
            return rendered(name)
        return build

    publications.build("long", deciding_every_table, lambda _: None)
    assert started.wait(10)
    time.sleep(0.3)  # the round is past ROUND_SECONDS
    futures = [publications.build("never published", recorded("never published"), lambda _: None)]
    futures += [publications.build(name, recorded(name), lambda _: None, published_before=True)
                for name in ("published before", "kept by another worker")]
    release.set()
    assert [f.result(10).etag for f in futures] == ["never published", "published before", "kept by another worker"]
    publications.close()
    assert snapshots["never published"] is snapshots["long"]
    assert snapshots["published before"] is not snapshots["long"] is not snapshots["kept by another worker"]


def test_a_pack_never_published_asked_while_a_round_builds_is_built_before_its_packs_published_before(app):
    publications, order = Publications(app.state.snapshots_sessionmaker), []
    building, release = threading.Event(), threading.Event()

    def recorded(name: str, wait: bool = False):
        def build(_snapshot, _fresh) -> Rendered:
            order.append(name)
            if wait:
                building.set()
                release.wait(10)
            return rendered(name)
        return build

    futures = queue_behind_a_round(publications, ("a", recorded("a", wait=True)), ("b", recorded("b")),
                                   published_before=True)
    assert building.wait(10)
    futures.append(publications.build("never published", recorded("never published"), lambda _: None))
    release.set()
    assert [f.result(10).etag for f in futures] == ["a", "b", "never published"]
    publications.close()
    assert order == ["a", "never published", "b"]


def test_a_round_takes_packs_never_published_only_as_long_as_their_readers_wait(app, monkeypatch):
    monkeypatch.setattr(publication, "ROUND_SECONDS", 0.1)
    publications = Publications(app.state.snapshots_sessionmaker, first_join_seconds=0.2)
    snapshots, started, release = {}, threading.Event(), threading.Event()

    def long(snapshot, _fresh) -> Rendered:
        snapshots["long"] = snapshot
        started.set()
        release.wait(10)
        return rendered("long")

    def never_published(snapshot, _fresh) -> Rendered:
        snapshots["never published"] = snapshot
        return rendered("never published")

    publications.build("long", long, lambda _: None)
    assert started.wait(10)
    time.sleep(0.4)  # past the round's first_join_seconds
    future = publications.build("never published", never_published, lambda _: None)
    release.set()
    assert future.result(10).etag == "never published"
    publications.close()
    assert snapshots["never published"] is not snapshots["long"]


def test_the_app_takes_packs_never_published_into_a_round_as_long_as_the_setting_waits(app):
    assert app.state.settings.pack_first_wait_seconds == 600  # the tests' setting, not the default 120
    assert app.state.publications.first_join_seconds == 600


def test_a_pack_asked_for_while_another_waits_on_a_table_is_built_in_the_same_round(app, monkeypatch):
    monkeypatch.setattr(publication, "ROUND_SECONDS", 0.1)
    publications, decided, snapshots = Publications(app.state.snapshots_sessionmaker), threading.Event(), {}

    def waiting_on_another_worker(snapshot, _fresh) -> Rendered:
        snapshots.setdefault("waiting", snapshot)
        if not decided.is_set():
            raise knowledge.Busy("a table of this pack")
        return rendered("waiting")

    def asked_later(snapshot, _fresh) -> Rendered:
        snapshots["asked later"] = snapshot
        decided.set()
        return rendered("asked later")

    waiting = publications.build("waiting", waiting_on_another_worker, lambda _: None)
    time.sleep(0.3)  # deferred, and the round past ROUND_SECONDS
    assert publications.build("asked later", asked_later, lambda _: None).result(10).etag == "asked later"
    assert waiting.result(10).etag == "waiting"
    publications.close()
    assert snapshots["asked later"] is snapshots["waiting"]


async def test_a_pack_asked_for_is_built_before_the_tables_are_published_again_for_new_areas(app, api, monkeypatch):
    monkeypatch.setattr(publication, "CHANGE_POLL_SECONDS", 30)
    order: list[str] = []
    publications = app.state.publications
    publications.start(lambda _snapshot, _stopping: order.append("published"), again_when=states.areas_state)
    while not publications.started():
        await asyncio.sleep(0.01)
    await make_group(api("admin"), "pair", [KNOWSLEY, LIVERPOOL])
    built = publications.build("read", lambda _snapshot, _fresh: order.append("pack") or rendered("read"),
                               lambda _: None)
    assert built.result(10).etag == "read"
    assert order[:2] == ["published", "pack"]


async def test_tables_published_again_for_new_areas_give_way_to_a_pack_asked_for_and_are_published_after(
        app, api, monkeypatch):
    monkeypatch.setattr(publication, "CHANGE_POLL_SECONDS", 0.05)
    order: list[str] = []
    runs = []

    def publish(_snapshot, stopping) -> None:
        runs.append(1)
        for _ in range(40 if len(runs) > 1 else 1):
            if stopping():
                order.append("gave way")
                return
            time.sleep(0.05)  # a table decided
        order.append("published")

    publications = app.state.publications
    publications.start(publish, again_when=states.areas_state)
    while not publications.started():
        await asyncio.sleep(0.01)
    await make_group(api("admin"), "pair", [KNOWSLEY, LIVERPOOL])
    deadline = time.monotonic() + 10
    while len(runs) < 2 and time.monotonic() < deadline:  # the areas re-defined: published again, table by table
        await asyncio.sleep(0.01)
    assert len(runs) == 2, "the tables were not published again for the new areas"
    started = time.monotonic()
    built = publications.build("read", lambda _snapshot, _fresh: order.append("pack") or rendered("read"),
                               lambda _: None)
    assert (await asyncio.wrap_future(built)).etag == "read"
    took = time.monotonic() - started
    deadline = time.monotonic() + 10
    while order[-1:] != ["published"] and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert order == ["published", "gave way", "pack", "published"] and took < 1, (order, took)
