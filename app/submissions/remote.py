"""`datapack submit`: a BI team's scheduled job sending one file, or an SSDA903 extract's header and episodes
files, to the API, safe to run again.

The Idempotency-Key is derived from what is sent (LA, dataset, the files' bytes, an extract's years) and the run,
so a retry after a dropped connection stores the files once (the service replays its first answer). A later run
is a new request: keyed by the files alone, files sent again after a correction would be answered with their
first reply and silently not stored; sent again, unchanged files store no new version of any record.
"""

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.core.messages import plural
from app.submissions.parsing import JSON_TYPE, XLSX_TYPE

MEDIA_TYPES = {".csv": "text/csv", ".txt": "text/csv", ".xlsx": XLSX_TYPE, ".json": JSON_TYPE}
# Worth sending again: the service was busy, briefly unavailable, or another run holds the key.
RETRIED = {409, 429, 502, 503, 504}
REPLAYED = " by an earlier attempt of this run, whose answer was lost on the way back"


class SubmitFailed(Exception):
    """The file was not stored; `exit_code` 1: the service refused it, 2: it could not be reached."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Outgoing:
    """One run's request, as each of its attempts sends it."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    content: bytes | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    # The parts an extract's faults name first in their `loc`, shown as the fault table's file column.
    parts: tuple[str, ...] = ()


def _headers(key: str, idempotency_key: str | None) -> dict[str, str]:
    # A dry run stores nothing, so it has nothing to keep from happening twice.
    return {"Authorization": f"Bearer {key}", **({"Idempotency-Key": idempotency_key} if idempotency_key else {})}


def _path(url: str, la: str, endpoint: str) -> str:
    return f"{url.rstrip('/')}/api/v1/local-authorities/{la}/{endpoint}"


@dataclass(frozen=True)
class Submission:
    url: str
    key: str
    la: str
    dataset: str
    file: Path
    dry_run: bool = False

    def media_type(self) -> str:
        media = MEDIA_TYPES.get(self.file.suffix.lower())
        if media is None:
            raise SubmitFailed(f"{self.file.name}: send a .csv, .xlsx or .json file", 1)
        return media

    def idempotency_key(self, body: bytes, run: str) -> str:
        digest = hashlib.sha256(f"{self.la}|{self.dataset}|{run}|".encode() + body).hexdigest()
        return f"datapack-submit-{digest[:40]}"

    def request(self, run: str) -> Outgoing:
        body = self.file.read_bytes()
        headers = _headers(self.key, None if self.dry_run else self.idempotency_key(body, run))
        params = {"dataset": self.dataset, **({"dry_run": "true"} if self.dry_run else {})}
        return Outgoing(_path(self.url, self.la, "submissions"), params,
                        {**headers, "Content-Type": self.media_type()}, content=body)


@dataclass(frozen=True)
class Ssda903Submission:
    """An LA's SSDA903 extract: its header and episodes files, for the collection years `years` (FROM:TO)."""

    url: str
    key: str
    la: str
    years: str
    header: Path
    episodes: Path
    dry_run: bool = False

    def idempotency_key(self, header: bytes, episodes: bytes, run: str) -> str:
        # Each file by its own digest: the two bodies run together could be split another way.
        files = "|".join(hashlib.sha256(body).hexdigest() for body in (header, episodes))
        digest = hashlib.sha256(f"{self.la}|ssda903|{self.years}|{run}|{files}".encode()).hexdigest()
        return f"datapack-submit-{digest[:40]}"

    def request(self, run: str) -> Outgoing:
        header, episodes = self.header.read_bytes(), self.episodes.read_bytes()
        headers = _headers(self.key, None if self.dry_run else self.idempotency_key(header, episodes, run))
        params = {"years": self.years, **({"dry_run": "true"} if self.dry_run else {})}
        files = {"header": (self.header.name, header, "text/csv"),
                 "episodes": (self.episodes.name, episodes, "text/csv")}
        return Outgoing(_path(self.url, self.la, "ssda903"), params, headers, files=files,
                        parts=("header", "episodes"))


def send(submission: Submission | Ssda903Submission, *, attempts: int = 5,
         wait: Callable[[float], None] = time.sleep, transport: httpx.BaseTransport | None = None) -> dict[str, Any]:
    """The service's answer to the files (200 dry run, 201 stored), retried while it is worth retrying."""
    outgoing = submission.request(secrets.token_hex(8))
    last = "no attempt made"
    with httpx.Client(timeout=httpx.Timeout(30, read=600), transport=transport) as client:
        for attempt in range(1, attempts + 1):
            try:
                response = client.post(outgoing.path, params=outgoing.params, headers=outgoing.headers,
                                       content=outgoing.content, files=outgoing.files)
            except httpx.TransportError as error:
                last, pause = f"could not reach {submission.url}: {error}", 2.0 ** attempt
            else:
                if response.status_code in (200, 201):
                    # Replayed: an earlier attempt of this run was stored, and its answer lost on the way back.
                    return {**response.json(), "replayed": response.headers.get("idempotent-replayed") == "true"}
                if response.status_code not in RETRIED:
                    # A 4xx is the files or the request refused; anything else is the service failing.
                    raise SubmitFailed(refusal(response, outgoing.parts), 1 if response.status_code < 500 else 2)
                last, pause = refusal(response, outgoing.parts), _retry_after(response, 2.0 ** attempt)
            if attempt < attempts:
                wait(pause)
    raise SubmitFailed(f"gave up after {attempts} attempts: {last}", 2)


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", default)))
    except ValueError:
        return default


def refusal(response: httpx.Response, parts: tuple[str, ...] = ()) -> str:
    """A problem+json answer as an analyst reads it: what is wrong, then a row per fault (and, for an extract,
    the file each is in)."""
    try:
        problem = response.json()
    except ValueError:
        problem = None
    if not isinstance(problem, dict):  # not the service's own answer (a proxy's page, say)
        return f"HTTP {response.status_code}: {response.text[:500]}"
    lines = [f"HTTP {response.status_code}: {problem.get('detail') or problem.get('title', '')}"]
    errors = problem.get("errors") or []
    if errors:
        lines.append(_fault_line("file", "row", "column", "problem", parts))
        for error in errors:
            loc = error.get("loc") or [""]
            lines.append(_fault_line(str(loc[0]) if loc[0] in parts else "",
                                     "" if error.get("row") is None else str(error["row"]),
                                     str(error.get("field") or ""), error.get("message", ""), parts))
    return "\n".join(lines)


def _fault_line(file: str, row: str, column: str, message: str, parts: tuple[str, ...]) -> str:
    cells = [f"{row:>6}", f"{column:<40}", message]
    width = max(map(len, parts), default=0)
    return "  ".join([f"{file:<{width}}", *cells] if parts else cells)


def outcome(answer: dict[str, Any]) -> str:
    if answer.get("dry_run"):
        head = (f"dry run: {answer['rows']} rows would be stored ({answer['created']} new, {answer['revised']} revised, "
                f"{answer['unchanged']} unchanged); nothing was stored")
    else:
        head = (f"stored: submission {answer['id']}, {answer['rows']} rows ({answer['created']} new, "
                f"{answer['revised']} revised, {answer['unchanged']} unchanged)")
        if answer.get("replayed"):
            head += REPLAYED
    return "\n".join([head, *_changes(answer)])


def extract_outcome(answer: dict[str, Any]) -> str:
    """What an SSDA903 extract stored: over both datasets, each file as received, then each year."""
    totals = f"{answer['created']} new records, {answer['revised']} revised, {answer['unchanged']} unchanged"
    if answer.get("dry_run"):
        head = f"dry run: collection years {answer['years']} would give {totals}; nothing was stored"
    else:
        head = (f"stored: submission {answer['id']} ({answer['source']}), collection years {answer['years']}: "
                f"{totals}")
        if answer.get("replayed"):
            head += REPLAYED
    files = [f"  {file['part']}: {plural(file['rows'], 'row')}, {file['checksum']}" for file in answer["files"]]
    warnings = [f"  warning: {warning}" for warning in answer.get("warnings", [])]
    return "\n".join([head, *files, *map(_year, answer["derived"]), *warnings])


def _year(year: dict[str, Any]) -> str:
    outcomes = [item["outcome"] for item in year["characteristics"]]
    return (f"  {year['snapshot_date']}: care-order-counts {year['care_order_counts_outcome']}; "
            f"care-order-characteristics {outcomes.count('created')} new, {outcomes.count('revised')} revised, "
            f"{outcomes.count('unchanged')} unchanged")


def _changes(answer: dict[str, Any]) -> list[str]:
    """A line a revised record, so a scheduled job's log shows what each run changed."""
    lines = []
    for change in answer.get("changes") or []:
        fields = "; ".join(f"{name} {_shown(values['from'])} -> {_shown(values['to'])}"
                           for name, values in change["fields"].items())
        lines.append(f"  {change['key']}: {fields}")
    if answer.get("changes_unlisted"):
        lines.append(f"  and {answer['changes_unlisted']} more revised records")
    return lines


def _shown(value: Any) -> str:
    return "(not returned)" if value is None else json.dumps(value)
