"""Every check of the 903 files, broken once each and sent through HTTP on both databases: the 422 names the
file, line (header = 1) and column where the analyst will find the fault, and nothing is stored."""

from datetime import date

import pytest

from tests.payloads import LIVERPOOL, url
from tests.ssda903.files import child, episode, files

A = [child("A")]
# (header, episodes) with one fault each, and where it is: the checks of docs/ssda903.md in its order.
BROKEN = {
    "a required column missing": ((b"CHILD,SEX,DOB\nA,1,2015-06-01\n", files(A, [episode("A")])[1]),
                                  ["header", 1, "ETHNIC"]),
    "a child twice in the header": (files([child("A"), child("A")], [episode("A")]), ["header", 3, "CHILD"]),
    "an episode's child not in the header": (files(A, [episode("A"), episode("B", date(2019, 7, 1))]),
                                             ["episodes", 3, "CHILD"]),
    "a date that is not real": (files(A, [episode("A", "31/02/2020")]), ["episodes", 2, "DECOM"]),
    "a birth after the first episode": (files([child("A", dob=date(2019, 7, 1))], [episode("A")]),
                                        ["header", 2, "DOB"]),
    "an end before the start": (files(A, [episode("A", date(2019, 6, 1), dec=date(2019, 5, 31), rec="E4A")]),
                                ["episodes", 2, "DEC"]),
    "an end with no reason": (files(A, [episode("A", dec=date(2020, 1, 1))]), ["episodes", 2, "REC"]),
    "a reason with no end": (files(A, [episode("A", rec="E4A")]), ["episodes", 2, "DEC"]),
    "X1 with no episode after it": (files(A, [episode("A", date(2019, 6, 1), dec=date(2019, 9, 1), rec="X1")]),
                                    ["episodes", 2, "REC"]),
    "overlapping episodes": (files(A, [episode("A", date(2019, 9, 1), dec=date(2020, 1, 1), rec="E4A"),
                                       episode("A", date(2019, 12, 1), dec=date(2020, 2, 1), rec="E4A")]),
                             ["episodes", 3, "DECOM"]),
    "an unknown LS": (files(A, [episode("A", ls="Z9")]), ["episodes", 2, "LS"]),
    "an unknown PLACE": (files(A, [episode("A", place="Q9")]), ["episodes", 2, "PLACE"]),
    "an unknown REC": (files(A, [episode("A", dec=date(2020, 1, 1), rec="E99")]), ["episodes", 2, "REC"]),
    "an unknown RNE": (files(A, [episode("A", rne="Q")]), ["episodes", 2, "RNE"]),
    "an unknown SEX": (files([child("A", sex=7)], [episode("A")]), ["header", 2, "SEX"]),
    "an unknown ETHNIC": (files([child("A", ethnic="ZZZZ")], [episode("A")]), ["header", 2, "ETHNIC"]),
    "two episodes open at once": (files(A, [episode("A", date(2019, 6, 1)), episode("A", date(2020, 6, 1))]),
                                  ["episodes", 3, "DEC"]),
}


@pytest.mark.parametrize("fault", list(BROKEN))
async def test_each_broken_check_is_a_422_at_its_file_row_and_column_and_stores_nothing(api, fault):
    (header, episodes), where = BROKEN[fault]
    la = api("la", la=LIVERPOOL)
    response = await la.post(url(LIVERPOOL, "ssda903"), params={"years": "2020:2021"},
                             files={"header": ("header.csv", header, "text/csv"),
                                    "episodes": ("episodes.csv", episodes, "text/csv")})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["loc"] for error in response.json()["errors"]] == [where]
    for dataset in ("care-order-counts", "care-order-characteristics", "submissions"):
        assert (await la.get(url(LIVERPOOL, dataset))).json()["total"] == 0, dataset
