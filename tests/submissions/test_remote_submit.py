"""`datapack submit` against a real server: stores a file once however often the job runs, and says why not."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.settings import DEVELOPMENT_SECRET
from app.submissions.models import Submission as StoredSubmission
from app.submissions.remote import Submission, outcome, send
from tests.payloads import LIVERPOOL
from tests.server import Server

PROGRAMME = "month,planned,exempted,returned\n2021-01,40,4,15\n2021-02,38,2,20\n"


@pytest.fixture
def running(database_url) -> Iterator[Server]:
    server = Server(database_url).start()
    yield server
    server.kill()


@pytest.fixture
def key_file(app, tmp_path) -> Path:
    with app.state.sessionmaker() as session, session.begin():
        key = create_client(session, ClientCreate(name="Liverpool BI", la=LIVERPOOL, role="la"), DEVELOPMENT_SECRET)[1]
    path = tmp_path / "key"
    path.write_text(key + "\n")
    return path


def _submit(server_url: str, key_file: Path, file: Path, *extra: str):
    return CliRunner().invoke(main, ["submit", "--url", server_url, "--key-file", str(key_file), "--la", LIVERPOOL,
                                     "--dataset", "audit-programme", *extra, str(file)])


def _stored(app) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(StoredSubmission))


def test_a_job_run_twice_stores_its_file_once(app, running, key_file, tmp_path):
    file = tmp_path / "programme.csv"
    file.write_text(PROGRAMME)
    first, again = _submit(running.url, key_file, file), _submit(running.url, key_file, file)
    assert first.exit_code == again.exit_code == 0, first.output
    submission = first.output.split("submission ")[1].split(",")[0]
    assert "2 rows (2 new, 0 revised, 0 unchanged)" in first.output
    assert f"already stored: this file was sent before, as submission {submission} (2 rows)" in again.output
    assert _stored(app) == 1


def test_a_faulty_file_exits_1_with_each_fault_by_row_and_column(app, running, key_file, tmp_path):
    file = tmp_path / "programme.csv"
    file.write_text("month,planned,exempted,returned\n2021-01,4,5,0\n")
    result = _submit(running.url, key_file, file)
    assert result.exit_code == 1
    assert "HTTP 422" in result.output
    assert "     2  exempted" in result.output and "exempted (5) is more than planned (4)" in result.output
    assert _stored(app) == 0


def test_a_dry_run_reports_and_stores_nothing(app, running, key_file, tmp_path):
    file = tmp_path / "programme.csv"
    file.write_text(PROGRAMME)
    result = _submit(running.url, key_file, file, "--dry-run")
    assert result.exit_code == 0 and "nothing was stored" in result.output
    assert _stored(app) == 0


def test_an_unreachable_service_exits_2(key_file, tmp_path):
    file = tmp_path / "programme.csv"
    file.write_text(PROGRAMME)
    result = _submit("http://127.0.0.1:9", key_file, file, "--attempts", "1")
    assert result.exit_code == 2 and "could not reach" in result.output


def test_a_busy_service_is_retried_with_the_same_key_after_its_retry_after(tmp_path):
    """The HTTP exchange alone (no database involved): 503 then 201."""
    file = tmp_path / "programme.csv"
    file.write_text(PROGRAMME)
    keys, waits = [], []

    def answer(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["idempotency-key"])
        if len(keys) == 1:
            return httpx.Response(503, headers={"Retry-After": "7"}, json={"detail": "busy"})
        return httpx.Response(201, json={"id": 1})

    result = send(Submission("http://datapack.test", "k", LIVERPOOL, "audit-programme", file),
                  wait=waits.append, transport=httpx.MockTransport(answer))
    assert result == {"id": 1, "replayed": False} and waits == [7.0] and len(set(keys)) == 1 and len(keys) == 2


def test_the_outcome_prints_each_revised_records_changes():
    answer = {"id": 7, "dry_run": False, "rows": 3, "created": 0, "revised": 3, "unchanged": 0, "changes_unlisted": 2,
              "changes": [{"key": "2021-02", "fields": {"returned": {"from": 18, "to": 20},
                                                        "notes": {"from": "late", "to": None}}}]}
    assert outcome(answer).splitlines() == [
        "stored: submission 7, 3 rows (0 new, 3 revised, 0 unchanged)",
        '  2021-02: returned 18 -> 20; notes "late" -> (not returned)',
        "  and 2 more revised records"]
