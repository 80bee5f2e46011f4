"""Simultaneous revisions of one record: each becomes its own version, or a 412; none is lost."""

import asyncio

from tests.payloads import LIVERPOOL, counts, url

DATE = "2021-03-31"
WRITERS = 8


async def test_simultaneous_revisions_each_get_their_own_version(api):
    la = api("la", la=LIVERPOOL)
    responses = await asyncio.gather(*(la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(cla_total=2000 + i))
                                       for i in range(WRITERS)))
    assert sorted(r.status_code for r in responses) == [200] * (WRITERS - 1) + [201]
    assert sorted(r.json()["version"] for r in responses) == list(range(1, WRITERS + 1))
    history = (await la.get(url(LIVERPOOL, "care-order-counts", DATE) + "/versions")).json()
    assert sorted(v["cla_total"] for v in history["items"]) == [2000 + i for i in range(WRITERS)]
    assert sum(v["superseded_at"] is None for v in history["items"]) == 1


async def test_simultaneous_revisions_of_one_etag_let_exactly_one_through(api):
    la = api("la", la=LIVERPOOL)
    await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts())
    responses = await asyncio.gather(*(la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(cla_total=3000 + i),
                                              headers={"If-Match": '"1"'}) for i in range(WRITERS)))
    assert sorted(r.status_code for r in responses) == [200] + [412] * (WRITERS - 1)
    winner = next(r.json()["cla_total"] for r in responses if r.status_code == 200)
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["cla_total"] == winner
