from tests.payloads import KNOWSLEY, LIVERPOOL, url


async def test_la_can_return_its_own_population(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "population", "2021"), json={"children_0_17": 105400})
    assert response.status_code == 201 and response.json()["year"] == 2021


async def test_la_cannot_set_another_las_population(api):
    la = api("la", la=LIVERPOOL)
    assert (await la.put(url(KNOWSLEY, "population", "2021"), json={"children_0_17": 30000})).status_code == 403


async def test_population_must_be_a_positive_integer(api):
    admin = api("admin")
    for bad in (0, -5, 1.5, "100", True):
        response = await admin.put(url(LIVERPOOL, "population", "2021"), json={"children_0_17": bad})
        assert response.status_code == 422, bad
