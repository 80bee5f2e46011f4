"""`datapack submit --dataset ssda903` against a real server: the header and episodes files stored once for the
years named, refused with every fault by file, row and column, checked without storing, replayed to a retry."""

import hashlib
from datetime import date
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.submissions.models import Submission as StoredSubmission
from app.submissions.remote import Ssda903Submission, extract_outcome, send
from tests.payloads import LIVERPOOL
from tests.ssda903.files import child, episode, files

YEARS = "2020:2021"
# A: an interim order at home from June 2019 that became a full order in January 2020, still open.
CHILDREN = [child("A", dob=date(2015, 3, 14))]
EPISODES = [episode("A", date(2019, 6, 2), "C1", "P1", date(2020, 1, 10), "X1"),
            episode("A", date(2020, 1, 10), "C2", "P1", rne="L")]


@pytest.fixture
def extract(tmp_path) -> tuple[Path, Path]:
    return _written(tmp_path, *files(CHILDREN, EPISODES))


def _written(folder: Path, header: bytes, episodes: bytes) -> tuple[Path, Path]:
    (folder / "header.csv").write_bytes(header)
    (folder / "episodes.csv").write_bytes(episodes)
    return folder / "header.csv", folder / "episodes.csv"


def _submit(server_url: str, key_file: Path, extract: tuple[Path, Path], *extra: str):
    header, episodes = extract
    return CliRunner().invoke(main, ["submit", "--url", server_url, "--key-file", str(key_file), "--la", LIVERPOOL,
                                     "--dataset", "ssda903", "--years", YEARS, "--header", str(header),
                                     "--episodes", str(episodes), *extra])


def _extracts_stored(app) -> list[int]:
    with app.state.sessionmaker() as session:
        return list(session.scalars(select(StoredSubmission.id).where(StoredSubmission.dataset == "ssda903")))


def _sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_extract_is_stored_for_its_years_with_each_files_rows_and_sha256(app, running, key_file, extract):
    result = _submit(running.url, key_file, extract)
    assert result.exit_code == 0, result.output
    [stored] = _extracts_stored(app)
    lines = result.output.splitlines()
    assert lines[0].startswith(f"stored: submission {stored} (ssda903:{stored}), collection years {YEARS}: ")
    assert lines[1:3] == [f"  header: 1 row, {_sha256(extract[0])}", f"  episodes: 2 rows, {_sha256(extract[1])}"]
    assert [line.split(":")[0] for line in lines[3:5]] == ["  2020-03-31", "  2021-03-31"]
    # The extract's last episode begins in January 2020: no one enters or leaves in year 2021, which is said.
    assert lines[5:] == [line for line in lines[5:] if line.startswith("  warning: ")] and len(lines) == 6
    assert "care-order-counts created" in lines[3]


def test_a_faulty_extract_exits_1_with_each_fault_by_file_row_and_column(app, running, key_file, tmp_path):
    faulty = _written(tmp_path, *files([child("A", sex=3)],
                                       [episode("A", date(2019, 6, 2), "C1", "P1", date(2019, 5, 1), "E4A")]))
    result = _submit(running.url, key_file, faulty)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("HTTP 422: 2 problems found in the episodes and header files")
    assert lines[1].split() == ["file", "row", "column", "problem"]
    assert [line.split()[:3] for line in lines[2:]] == [["header", "2", "SEX"], ["episodes", "2", "DEC"]]
    assert _extracts_stored(app) == []


def test_a_dry_run_reports_the_years_and_stores_nothing(app, running, key_file, extract):
    result = _submit(running.url, key_file, extract, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"dry run: collection years {YEARS} would give ")
    assert "nothing was stored" in result.output
    assert _extracts_stored(app) == []


class AnswerLostOnce(httpx.BaseTransport):
    """The network between job and service: the first answer is lost after the service has stored the files."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.keys: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.keys.append(request.headers["idempotency-key"])
        if len(self.keys) == 1:
            response.read()
            response.close()
            raise httpx.ReadError("connection reset before the answer arrived", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_a_retry_after_a_lost_answer_is_replayed_with_the_same_key_and_stores_once(app, running, key_file,
                                                                                    extract):
    network = AnswerLostOnce()
    submission = Ssda903Submission(running.url, key_file.read_text().strip(), LIVERPOOL, YEARS, *extract)
    answer = send(submission, wait=lambda _: None, transport=network)
    assert len(network.keys) == 2 and len(set(network.keys)) == 1
    assert _extracts_stored(app) == [answer["id"]]
    assert "by an earlier attempt of this run" in extract_outcome(answer).splitlines()[0]


def test_the_key_of_a_run_changes_with_the_years_and_with_either_file(tmp_path):
    submission = Ssda903Submission("http://datapack.test", "k", LIVERPOOL, YEARS, Path("h"), Path("e"))
    header, episodes = files(CHILDREN, EPISODES)
    other_years = Ssda903Submission("http://datapack.test", "k", LIVERPOOL, "2021", Path("h"), Path("e"))
    keys = {submission.idempotency_key(header, episodes, "run"), other_years.idempotency_key(header, episodes, "run"),
            submission.idempotency_key(header + b"B,1,2015-01-01,WBRI\r\n", episodes, "run"),
            submission.idempotency_key(header, episodes + b"\r\n", "run")}
    assert len(keys) == 4


def test_an_extract_with_a_file_argument_is_refused_before_anything_is_sent(key_file, extract):
    result = _submit("http://127.0.0.1:9", key_file, extract, str(extract[0]))
    assert result.exit_code == 2 and "name no FILE" in result.output
