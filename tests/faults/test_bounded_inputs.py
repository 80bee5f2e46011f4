"""Hostile bodies sent to a real server process (`datapack serve`, default limits), on SQLite and PostgreSQL.

Each is small to send and was once expensive to read (issue 14: up to 4.8 GB and 162 s of CPU). The
server must refuse each with a problem+json while its peak memory (VmHWM of the worker, reset before
the request) stays under twice its memory at rest plus 100 MB, and its CPU time under 5 s.
"""

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.settings import DEVELOPMENT_SECRET
from tests.faults import crafted
from tests.payloads import LIVERPOOL, counts
from tests.server import Server

MB = 1024 * 1024
CPU_SECONDS = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _status_field(pid: int, name: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024
    raise AssertionError(f"no {name} for process {pid}")


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Cost:
    response: httpx.Response
    peak: int
    at_rest: int
    cpu: float

    def within_bounds(self) -> bool:
        return self.peak <= 2 * self.at_rest + 100 * MB and self.cpu <= CPU_SECONDS

    def __str__(self) -> str:
        return (f"{self.response.status_code}, peak {self.peak / MB:.0f} MB (at rest {self.at_rest / MB:.0f} MB), "
                f"{self.cpu:.1f} s CPU")


class Watched:
    """A single-worker server (`serve` runs it in its own process) whose memory and CPU are read from /proc."""

    def __init__(self, server: Server, key: str) -> None:
        self.server, self.pid, self.auth = server, server.process.pid, {"Authorization": f"Bearer {key}"}
        # Warm up the paths under test, so what is measured is the request, not the first import.
        self.submit(b"month,planned,exempted,returned\n2021-01,40,4,15\n", "text/csv")
        self.put(json.dumps(counts()).encode())
        time.sleep(0.5)
        self.at_rest = _status_field(self.pid, "VmRSS")

    def submit(self, body: bytes, content_type: str) -> httpx.Response:
        return httpx.post(f"{self.server.url}/api/v1/local-authorities/{LIVERPOOL}/submissions",
                          params={"dataset": "audit-programme"}, content=body,
                          headers={**self.auth, "Content-Type": content_type}, timeout=300)

    def put(self, body: bytes) -> httpx.Response:
        return httpx.put(f"{self.server.url}/api/v1/local-authorities/{LIVERPOOL}/care-order-counts/2021-03-31",
                         content=body, headers={**self.auth, "Content-Type": "application/json"}, timeout=60)

    def cost_of(self, send) -> Cost:
        with open(f"/proc/{self.pid}/clear_refs", "w") as clear:
            clear.write("5")    # resets VmHWM to what the process holds now
        cpu = _cpu_seconds(self.pid)
        response = send()
        return Cost(response, _status_field(self.pid, "VmHWM"), self.at_rest, _cpu_seconds(self.pid) - cpu)


@pytest.fixture
def watched(app, database_url) -> Iterator[Watched]:
    server = Server(database_url).start()
    with app.state.sessionmaker() as session, session.begin():
        _, key = create_client(session, ClientCreate(name="bounded inputs", role="admin"), DEVELOPMENT_SECRET)
    try:
        yield Watched(server, key)
    finally:
        server.kill()


def assert_refused(cost: Cost, status: int, words: str) -> None:
    response = cost.response
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json" and "x-request-id" in response.headers
    assert words in response.json()["detail"], response.json()["detail"]
    assert cost.within_bounds(), str(cost)


def test_a_workbook_of_100_mb_of_blank_rows_is_refused_cheaply(watched):
    body = crafted.xlsx_of_blank_rows(100 * MB)     # some 155 KB
    assert_refused(watched.cost_of(lambda: watched.submit(body, XLSX)), 413, "would inflate to")


def test_blank_rows_a_workbook_may_inflate_to_count_towards_the_row_limit(watched):
    # 1,000,001 blank rows in 6 MB of XML, packed with enough incompressible bytes to pass the inflation check.
    body = crafted.padded(crafted.xlsx_of_blank_rows(6 * (1_000_001 + 1)), 600_000)
    assert_refused(watched.cost_of(lambda: watched.submit(body, XLSX)), 413, "More than 1,000,000 rows")


def test_a_workbook_of_empty_cells_is_refused_by_what_its_upload_may_hold(watched):
    body = crafted.padded(crafted.xlsx_of_empty_cells(40 * MB), 600_000)
    assert_refused(watched.cost_of(lambda: watched.submit(body, XLSX)), 413, "rows and cells")


def test_a_workbook_with_a_1_gb_shared_string_is_refused_cheaply(watched):
    body = crafted.xlsx_with_a_long_shared_string(1024 * MB)    # some 1 MB
    assert_refused(watched.cost_of(lambda: watched.submit(body, XLSX)), 413, "would inflate to")


def test_a_shared_string_longer_than_a_cell_may_be_is_a_row_fault(watched):
    body = crafted.padded(crafted.xlsx_with_a_long_shared_string(20 * MB), 300_000)
    cost = watched.cost_of(lambda: watched.submit(body, XLSX))
    assert_refused(cost, 422, "1 problem found in 1 row")
    assert "a cell may hold at most 10,000" in cost.response.json()["errors"][0]["message"]


def test_a_json_submission_of_189_mb_of_empty_records_is_refused_cheaply(watched):
    body = crafted.json_of_empty_records(189 * MB)
    assert_refused(watched.cost_of(lambda: watched.submit(body, "application/json")), 422,
                   "the rest of the file was not read")


def test_a_csv_header_of_100000_columns_is_refused_cheaply(watched):
    body = crafted.csv_of_wide_header(100_000)
    cost = watched.cost_of(lambda: watched.submit(body, "text/csv"))
    assert_refused(cost, 422, "names 100,000 columns, more than the 200 a submission may have")
    assert len(cost.response.content) < 10_000


def test_json_nested_1000_deep_in_a_put_is_a_400_naming_the_limit(watched):
    cost = watched.cost_of(lambda: watched.put(crafted.nested_json(1000, "cla_total")))
    assert_refused(cost, 400, "more than 32 deep")


def test_json_nested_1000_deep_in_a_submission_is_a_400_naming_the_limit(watched):
    cost = watched.cost_of(lambda: watched.submit(crafted.nested_json(1000), "application/json"))
    assert_refused(cost, 400, "more than 32 deep")
