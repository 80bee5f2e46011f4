"""`datapack submit`: a BI team's scheduled job sending one file to the API, safe to run again.

The Idempotency-Key is derived from what is sent (LA, dataset, the file's bytes) and the run, so a retry after a
dropped connection stores the file once (the service replays its first answer). A later run is a new request:
keyed by the file alone, a file sent again after a correction would be answered with its first reply and
silently not stored; sent again, an unchanged file stores no new version of any record.
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

from app.submissions.parsing import JSON_TYPE, XLSX_TYPE

MEDIA_TYPES = {".csv": "text/csv", ".txt": "text/csv", ".xlsx": XLSX_TYPE, ".json": JSON_TYPE}
# Worth sending again: the service was busy, briefly unavailable, or another run holds the key.
RETRIED = {409, 429, 502, 503, 504}


class SubmitFailed(Exception):
    """The file was not stored; `exit_code` 1: the service refused it, 2: it could not be reached."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Submission:
    url: str
    key: str
    la: str
    dataset: str
    file: Path
    dry_run: bool = False

    @property
    def body(self) -> bytes:
        return self.file.read_bytes()

    def media_type(self) -> str:
        media = MEDIA_TYPES.get(self.file.suffix.lower())
        if media is None:
            raise SubmitFailed(f"{self.file.name}: send a .csv, .xlsx or .json file", 1)
        return media

    def idempotency_key(self, body: bytes, run: str) -> str:
        digest = hashlib.sha256(f"{self.la}|{self.dataset}|{run}|".encode() + body).hexdigest()
        return f"datapack-submit-{digest[:40]}"


def send(submission: Submission, *, attempts: int = 5, wait: Callable[[float], None] = time.sleep,
         transport: httpx.BaseTransport | None = None) -> dict[str, Any]:
    """The service's answer to the file (200 dry run, 201 stored), retried while it is worth retrying."""
    body = submission.body
    headers = {"Authorization": f"Bearer {submission.key}", "Content-Type": submission.media_type()}
    if not submission.dry_run:
        headers["Idempotency-Key"] = submission.idempotency_key(body, secrets.token_hex(8))
    params = {"dataset": submission.dataset, **({"dry_run": "true"} if submission.dry_run else {})}
    path = f"{submission.url.rstrip('/')}/api/v1/local-authorities/{submission.la}/submissions"
    last = "no attempt made"
    with httpx.Client(timeout=httpx.Timeout(30, read=600), transport=transport) as client:
        for attempt in range(1, attempts + 1):
            try:
                response = client.post(path, params=params, content=body, headers=headers)
            except httpx.TransportError as error:
                last, pause = f"could not reach {submission.url}: {error}", 2.0 ** attempt
            else:
                if response.status_code in (200, 201):
                    # Replayed: an earlier attempt of this run was stored, and its answer lost on the way back.
                    return {**response.json(), "replayed": response.headers.get("idempotent-replayed") == "true"}
                if response.status_code not in RETRIED:
                    # A 4xx is the file or the request refused; anything else is the service failing.
                    raise SubmitFailed(refusal(response), 1 if response.status_code < 500 else 2)
                last, pause = refusal(response), _retry_after(response, 2.0 ** attempt)
            if attempt < attempts:
                wait(pause)
    raise SubmitFailed(f"gave up after {attempts} attempts: {last}", 2)


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", default)))
    except ValueError:
        return default


def refusal(response: httpx.Response) -> str:
    """A problem+json answer as an analyst reads it: what is wrong, then a row per fault."""
    try:
        problem = response.json()
    except ValueError:
        problem = None
    if not isinstance(problem, dict):  # not the service's own answer (a proxy's page, say)
        return f"HTTP {response.status_code}: {response.text[:500]}"
    lines = [f"HTTP {response.status_code}: {problem.get('detail') or problem.get('title', '')}"]
    errors = problem.get("errors") or []
    if errors:
        lines.append(f"{'row':>6}  {'column':<40}  problem")
        for error in errors:
            row = "" if error.get("row") is None else str(error["row"])
            lines.append(f"{row:>6}  {str(error.get('field') or ''):<40}  {error.get('message', '')}")
    return "\n".join(lines)


def outcome(answer: dict[str, Any]) -> str:
    if answer.get("dry_run"):
        head = (f"dry run: {answer['rows']} rows would be stored ({answer['created']} new, {answer['revised']} revised, "
                f"{answer['unchanged']} unchanged); nothing was stored")
    else:
        head = (f"stored: submission {answer['id']}, {answer['rows']} rows ({answer['created']} new, "
                f"{answer['revised']} revised, {answer['unchanged']} unchanged)")
        if answer.get("replayed"):
            head += " by an earlier attempt of this run, whose answer was lost on the way back"
    return "\n".join([head, *_changes(answer)])


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
