"""`datapack submit` against a real server: stores a file once however often the job runs, and says why not."""

from pathlib import Path

import httpx
from click.testing import CliRunner
from sqlalchemy import func, select

from app.audit_programme.models import AuditProgrammeMonth
from app.cli import main
from app.submissions.models import Submission as StoredSubmission
from app.submissions.remote import Submission, outcome, send
from tests.payloads import LIVERPOOL

PROGRAMME = "month,planned,exempted,returned\n2021-01,40,4,15\n2021-02,38,2,20\n"


def _submit(server_url: str, key_file: Path, file: Path, *extra: str):
    return CliRunner().invoke(main, ["submit", "--url", server_url, "--key-file", str(key_file), "--la", LIVERPOOL,
                                     "--dataset", "audit-programme", *extra, str(file)])


def _stored(app) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(StoredSubmission))


def test_a_job_run_twice_stores_no_record_twice(app, running, key_file, tmp_path):
    file = tmp_path / "programme.csv"
    file.write_text(PROGRAMME)
    first, again = _submit(running.url, key_file, file), _submit(running.url, key_file, file)
    assert first.exit_code == again.exit_code == 0, first.output
    assert "2 rows (2 new, 0 revised, 0 unchanged)" in first.output
    assert "2 rows (0 new, 0 revised, 2 unchanged)" in again.output


def test_a_file_sent_again_after_a_correction_is_stored_again(app, running, key_file, tmp_path):
    """Keyed by the file alone, the third run would be answered with the first run's reply and store nothing."""
    original, corrected = tmp_path / "programme.csv", tmp_path / "corrected.csv"
    original.write_text(PROGRAMME)
    corrected.write_text(PROGRAMME.replace("2021-01,40,4,15", "2021-01,40,4,16"))
    for file in (original, corrected, original):
        assert _submit(running.url, key_file, file).exit_code == 0
    with app.state.sessionmaker() as session:
        returned = session.scalar(select(AuditProgrammeMonth.returned).where(
            AuditProgrammeMonth.month == "2021-01", AuditProgrammeMonth.superseded_at.is_(None)))
    assert returned == 15


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


def test_a_retry_that_finds_its_first_attempt_stored_says_so(tmp_path):
    """The HTTP exchange alone: the first answer lost (504), the retry replayed."""
    file = tmp_path / "programme.csv"
    file.write_text(PROGRAMME)
    stored = {"id": 3, "dry_run": False, "rows": 2, "created": 2, "revised": 0, "unchanged": 0, "changes": []}

    def answer(request: httpx.Request) -> httpx.Response:
        if not answer.seen:
            answer.seen = True
            return httpx.Response(504, text="gateway timeout")
        return httpx.Response(201, json=stored, headers={"Idempotent-Replayed": "true"})
    answer.seen = False

    result = send(Submission("http://datapack.test", "k", LIVERPOOL, "audit-programme", file), wait=lambda _: None,
                  transport=httpx.MockTransport(answer))
    assert outcome(result).startswith("stored: submission 3, 2 rows (2 new, 0 revised, 0 unchanged) by an earlier attempt")
