from tests.payloads import CUMBRIA, LIVERPOOL, programme, url


async def test_month_is_stored(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "audit-programme", "2021-02"), json=programme())
    assert response.status_code == 201 and response.json()["month"] == "2021-02"


async def test_exempted_over_planned_is_rejected(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "audit-programme", "2021-02"), json=programme(exempted=41))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "exempted"


async def test_returned_over_scheduled_is_rejected(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "audit-programme", "2021-02"), json=programme(returned=37))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "returned"
    assert (await la.put(url(LIVERPOOL, "audit-programme", "2021-02"), json=programme(returned=36))).status_code == 201


async def test_month_must_be_yyyy_mm(api):
    la = api("la", la=LIVERPOOL)
    for month in ("2021-13", "2021-2", "Feb-2021"):
        assert (await la.put(url(LIVERPOOL, "audit-programme", month), json=programme())).status_code == 422


async def test_month_after_the_la_ended_is_rejected(api):
    admin = api("admin")
    assert (await admin.put(url(CUMBRIA, "audit-programme", "2023-03"), json=programme())).status_code == 201
    assert (await admin.put(url(CUMBRIA, "audit-programme", "2023-04"), json=programme())).status_code == 422
