from tests.payloads import KNOWSLEY, LIVERPOOL
from tests.submissions.files import csv_body, submit_url


async def test_submissions_are_listed_newest_first_and_readable(api):
    la = api("la", la=LIVERPOOL)
    for returned in (1, 2):
        await la.post(submit_url(LIVERPOOL, "audit-programme"), content=csv_body(
            ["month", "planned", "exempted", "returned"], [["2021-01", 40, 4, returned]]), headers={"Content-Type": "text/csv"})
    listing = (await la.get(f"/api/v1/local-authorities/{LIVERPOOL}/submissions")).json()
    assert listing["total"] == 2 and [s["revised"] for s in listing["items"]] == [1, 0]
    one = await la.get(f"/api/v1/local-authorities/{LIVERPOOL}/submissions/{listing['items'][1]['id']}")
    assert one.status_code == 200 and one.json()["created"] == 1


async def test_another_las_submissions_are_forbidden(api):
    assert (await api("la", la=KNOWSLEY).get(f"/api/v1/local-authorities/{LIVERPOOL}/submissions")).status_code == 403
