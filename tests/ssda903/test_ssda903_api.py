"""POST /local-authorities/{la}/ssda903 through HTTP, on both databases: derived records stored as ordinary
versions, all or nothing, faults by file, row and column, access and minimisation."""

from sqlalchemy import inspect, select

from app.access_log.models import AccessLogEntry
from app.submissions.models import Submission, SubmissionFile
from tests.payloads import KNOWSLEY, LIVERPOOL, counts, url

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n" \
         "A1,1,14/03/2015,WBRI,A123456789012,,\r\n" \
         "B2,2,01/07/2009,BAFR,,1,01/01/1990\r\n" \
         "C3,1,20/10/2019,MWBC,,,\r\n"
# A1: interim order at home from 2 June 2019, full order (X1) from 10 January 2020, still open.
# B2: full order in foster care, moved home on 1 May 2020 (not an order made), SGO discharge 1 February 2021.
# C3: interim order at home from 1 December 2020, open on 31 March 2021.
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n" \
           "A1,02/06/2019,S,C1,N1,P1,PR0,10/01/2020,X1,,L1 1AA,,\r\n" \
           "A1,10/01/2020,L,C2,N1,P1,PR0,,,,L1 1AA,,\r\n" \
           "B2,01/09/2018,S,C2,N1,U1,PR4,01/05/2020,X1,CARPL,,,\r\n" \
           "B2,01/05/2020,P,C2,N1,P1,PR0,01/02/2021,E45,,,,\r\n" \
           "C3,01/12/2020,S,C1,N2,P1,PR0,,,,,,\r\n"
PATH = url(LIVERPOOL, "ssda903")


def files(header: str = HEADER, episodes: str = EPISODES) -> dict:
    return {"header": ("header.csv", header.encode(), "text/csv"),
            "episodes": ("episodes.csv", episodes.encode(), "text/csv")}


async def send(client, years: str = "2020:2021", **params):
    return await client.post(PATH, params={"years": years, **params}, files=files())


async def test_each_year_named_is_derived_into_counts_and_characteristics(api):
    response = await send(api("la", la=LIVERPOOL))
    assert response.status_code == 201, response.text
    body = response.json()
    by_year = {year["year"]: year for year in body["derived"]}
    assert sorted(by_year) == [2020, 2021]
    latest = by_year[2021]["care_order_counts"]
    assert (latest["cla_total"], latest["placed_with_parents"], latest["full_care_orders_at_home"],
            latest["interim_care_orders_at_home"]) == (2, 2, 1, 1)
    assert latest["discharges"]["total"] == 1 and latest["discharges"]["to_special_guardianship_order"] == 1
    assert latest["discharges"]["to_no_order"] is None
    assert by_year[2020]["care_order_counts"]["orders_made_in_year"] == 1
    assert by_year[2020]["care_order_counts"]["interim_orders_became_full_orders"] == 1
    assert latest["orders_made_in_year"] == 0
    sexes = {c["category"]: c["interim_care_orders_at_home"] for c in by_year[2021]["characteristics"]
             if c["dimension"] == "sex"}
    assert sexes == {"male": 1, "female": 0}


async def test_derived_records_are_ordinary_versions_naming_the_extract(api):
    la = api("la", la=LIVERPOOL)
    body = (await send(la)).json()
    record = (await la.get(url(LIVERPOOL, "care-order-counts", "2021-03-31"))).json()
    assert record["source"] == f"ssda903:{body['id']}" == body["source"]
    assert record["submission_id"] == body["id"] and record["version"] == 1
    characteristic = await la.get(url(LIVERPOOL, "care-order-characteristics", "2021-03-31/age_band/1_to_4"))
    assert characteristic.status_code == 200 and characteristic.json()["source"] == body["source"]


async def test_sending_the_same_files_again_changes_nothing(api):
    la = api("la", la=LIVERPOOL)
    first = (await send(la)).json()
    again = (await send(la)).json()
    assert first["created"] > 0 and again["created"] == again["revised"] == 0
    assert again["unchanged"] == first["created"]
    record = (await la.get(url(LIVERPOOL, "care-order-counts", "2021-03-31"))).json()
    assert record["version"] == 1 and record["source"] == first["source"]


async def test_corrected_files_make_new_versions(api):
    la = api("la", la=LIVERPOOL)
    await send(la)
    corrected = EPISODES.replace("C3,01/12/2020,S,C1,N2,P1,PR0,,,", "C3,01/12/2020,S,C1,N2,U1,PR4,,,")
    response = await la.post(PATH, params={"years": "2021"}, files=files(episodes=corrected))
    assert response.status_code == 201 and response.json()["revised"] > 0
    record = (await la.get(url(LIVERPOOL, "care-order-counts", "2021-03-31"))).json()
    assert (record["version"], record["interim_care_orders_at_home"], record["placed_with_parents"]) == (2, 0, 1)


async def test_a_record_put_by_hand_names_its_client_as_source(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "care-order-counts", "2021-03-31"), json=counts())
    assert response.json()["source"] == response.json()["submitted_by"]


async def test_a_dry_run_returns_the_records_and_stores_nothing(api):
    la = api("la", la=LIVERPOOL)
    response = await send(la, dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] is None and body["source"] is None and len(body["derived"]) == 2
    assert (await la.get(url(LIVERPOOL, "care-order-counts", "2021-03-31"))).status_code == 404


async def test_every_fault_of_both_files_is_listed_with_file_row_and_column(api, db):
    header = HEADER.replace("01/07/2009", "31/02/2009")
    episodes = EPISODES.replace("C3,01/12/2020,S,C1,N2,P1", "C3,01/12/2020,S,C9,N2,P1")
    response = await api("la", la=LIVERPOOL).post(PATH, params={"years": "2021"},
                                                  files=files(header=header, episodes=episodes))
    assert response.status_code == 422
    locs = [error["loc"] for error in response.json()["errors"]]
    assert ["header", 3, "DOB"] in locs and ["episodes", 6, "LS"] in locs
    assert db.scalar(select(Submission)) is None


async def test_nothing_is_stored_when_any_check_fails(api, db):
    episodes = EPISODES + "D4,01/01/2021,S,C1,N1,P1,PR0,,,,,,\r\n"      # a child not in the header
    response = await api("la", la=LIVERPOOL).post(PATH, params={"years": "2021"}, files=files(episodes=episodes))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][:2] == ["episodes", 7]
    assert (await api("la", la=LIVERPOOL).get(url(LIVERPOOL, "care-order-counts"))).json()["total"] == 0


async def test_another_las_key_cannot_send_an_extract(api):
    response = await send(api("la", la=KNOWSLEY))
    assert response.status_code == 403


async def test_every_stored_extract_is_in_the_access_log(api, db):
    body = (await send(api("la", la=LIVERPOOL))).json()
    entry = db.scalar(select(AccessLogEntry).where(AccessLogEntry.dataset == "ssda903"))
    assert (entry.action, entry.la_code, entry.record_key, entry.record_count) == ("submission", LIVERPOOL,
                                                                                   str(body["id"]), 8)


async def test_only_digests_and_row_counts_of_the_files_are_kept(api, db):
    body = (await send(api("la", la=LIVERPOOL))).json()
    kept = db.scalars(select(SubmissionFile).order_by(SubmissionFile.part)).all()
    assert [(f.part, f.rows) for f in kept] == [("episodes", 5), ("header", 3)]
    assert all(f.checksum.startswith("sha256:") for f in kept)
    read = (await api("la", la=LIVERPOOL).get(url(LIVERPOOL, "submissions", str(body["id"])))).json()
    assert read["dataset"] == "ssda903" and {f["part"] for f in read["files"]} == {"header", "episodes"}
    # No column anywhere could hold what the extract's identifying columns say.
    columns = {c["name"].lower() for table in inspect(db.get_bind()).get_table_names()
               for c in inspect(db.get_bind()).get_columns(table)}
    assert not columns & {"upn", "mother", "mc_dob", "home_post", "pl_post", "urn", "place_provider", "dob"}


async def test_years_not_yet_complete_are_refused(api):
    response = await send(api("la", la=LIVERPOOL), years="2020:2099")
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["query", "years"]


async def test_every_unfinished_year_is_named_at_once(api):
    response = await send(api("la", la=LIVERPOOL), years="2030:2031")
    assert response.status_code == 422
    assert [e["message"][:27] for e in response.json()["errors"]] == ["collection years 2030, 2031"]


async def test_years_no_episode_reaches_are_derived_with_a_warning_naming_them(api):
    body = (await send(api("la", la=LIVERPOOL), years="2017:2023")).json()  # episodes from 01/09/2018 to 01/02/2021
    assert len(body["derived"]) == 7
    first, last = body["warnings"]
    assert first.startswith("the first episode starts on 01/09/2018, after collection years")
    assert last.startswith("the last episode starts or ends on 01/02/2021, before collection years")
    assert "years 2017, 2018 ended" in body["warnings"][0] and "years 2022, 2023 began" in body["warnings"][1]


async def test_years_the_episodes_reach_carry_no_warning(api):
    assert (await send(api("la", la=LIVERPOOL), years="2019:2021")).json()["warnings"] == []


async def test_a_year_zero_is_refused_as_a_query_fault_not_an_error(api):
    response = await send(api("la", la=LIVERPOOL), years="0000:0001")
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["query", "years"]


async def test_a_refusal_cut_at_the_problem_limit_says_the_rest_was_not_checked(api, monkeypatch):
    monkeypatch.setattr("app.ssda903.service.MAX_REPORTED_PROBLEMS", 3)
    header = "CHILD,SEX,DOB,ETHNIC\r\n" + "".join(f"X{n},9,01/01/2015,WBRI\r\n" for n in range(6))
    response = await api("la", la=LIVERPOOL).post(PATH, params={"years": "2021"}, files=files(header=header))
    body = response.json()
    assert len(body["errors"]) == 3 and "Reading stopped at the first 3" in body["detail"], body["detail"]


async def test_a_missing_part_is_named(api):
    response = await api("la", la=LIVERPOOL).post(PATH, params={"years": "2021"},
                                                  files={"header": ("header.csv", HEADER.encode(), "text/csv")})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "episodes"]


async def test_parts_sent_as_text_fields_are_read_as_files_are(api):
    # curl -F header=<header.csv sends a part with no file name, which is a text field to a form parser.
    text_parts = {name: (None, content) for name, (_, content, _) in files().items()}
    response = await api("la", la=LIVERPOOL).post(PATH, params={"years": "2021"}, files=text_parts)
    assert response.status_code == 201, response.text


async def test_a_misnamed_part_is_named_beside_the_one_missing(api):
    parts = files()
    parts["head"] = parts.pop("header")
    response = await api("la", la=LIVERPOOL).post(PATH, params={"years": "2021"}, files=parts)
    assert response.json()["errors"][0]["message"].endswith("(parts sent: `episodes`, `head`)")


async def test_a_body_that_is_not_multipart_is_415(api):
    response = await api("la", la=LIVERPOOL).post(PATH, params={"years": "2021"}, content=b"CHILD\n",
                                                  headers={"content-type": "text/csv"})
    assert response.status_code == 415


async def test_a_retry_with_the_same_key_is_replayed_not_stored_again(api, db):
    la = api("la", la=LIVERPOOL)
    first = await la.post(PATH, params={"years": "2021"}, files=files(), headers={"Idempotency-Key": "903-2021"})
    again = await la.post(PATH, params={"years": "2021"}, files=files(), headers={"Idempotency-Key": "903-2021"})
    assert again.headers.get("idempotent-replayed") == "true" and again.json() == first.json()
    assert len(db.scalars(select(Submission)).all()) == 1
    assert again.headers["location"] == first.headers["location"]
