"""After the load test: every file an LA had acknowledged is stored exactly once, row by row, and a file that
was never acknowledged is stored whole or not at all (its last answer may have been lost, not its commit)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.audits.models import Audit
from app.orders.models import CareOrder
from app.submissions.models import Submission
from benchmarks.traffic import SentFile

MODELS: dict[str, tuple[Any, str]] = {"audits": (Audit, "audit_ref"), "orders": (CareOrder, "order_ref")}
# CSV columns that name a part of a column rather than a column.
NESTED = {"moderation.moderated_grade": "moderated_grade", "moderation.result": "moderation_result"}


@dataclass
class Findings:
    files_checked: int = 0
    rows_checked: int = 0
    stored_unacknowledged: int = 0  # files whose commit happened but whose 201 the LA never saw
    problems: list[str] = field(default_factory=list)


def _as_sent(value: Any) -> str:
    """A stored value as the CSV spelled it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _stored(record: Any, column: str) -> str:
    if column.startswith("domain_grades."):
        return _as_sent((record.domain_grades or {}).get(column.split(".", 1)[1]))
    return _as_sent(getattr(record, NESTED.get(column, column)))


def _versions(session: Session, sent: SentFile) -> tuple[list[dict[str, str]], dict[str, list[Any]]]:
    model, key = MODELS[sent.dataset]
    rows = sent.rows()
    found: dict[str, list[Any]] = defaultdict(list)
    for record in session.scalars(select(model).where(model.la_code == sent.la,
                                                      getattr(model, key).in_([row[key] for row in rows]))):
        found[getattr(record, key)].append(record)
    return rows, found


def _check_acknowledged(session: Session, sent: SentFile, findings: Findings) -> None:
    assert sent.acknowledged is not None
    submission_id = sent.acknowledged["id"]
    key = MODELS[sent.dataset][1]
    rows, found = _versions(session, sent)
    for row in rows:
        versions = found.get(row[key], [])
        if len(versions) != 1:
            findings.problems.append(f"{sent.la} {sent.key}: {row[key]} stored {len(versions)} times")
        elif versions[0].submission_id != submission_id:
            findings.problems.append(f"{sent.la} {sent.key}: {row[key]} stored by submission "
                                     f"{versions[0].submission_id}, acknowledged as {submission_id}")
        else:
            wrong = [c for c, v in row.items() if _stored(versions[0], c) != v]
            if wrong:
                findings.problems.append(f"{sent.la} {sent.key}: {row[key]} stored with other {', '.join(wrong)}")
    stored = session.get(Submission, submission_id)
    if stored is None or (stored.la_code, stored.dataset, stored.rows) != (sent.la, sent.dataset, len(rows)):
        findings.problems.append(f"{sent.la} {sent.key}: submission {submission_id} is not this file's")
    findings.rows_checked += len(rows)


def _check_unacknowledged(session: Session, sent: SentFile, findings: Findings) -> set[int]:
    """The submission ids this file's rows were stored by, if they were."""
    key = MODELS[sent.dataset][1]
    rows, found = _versions(session, sent)
    if not found:
        return set()
    counts = {len(found.get(row[key], [])) for row in rows}
    by = {record.submission_id for versions in found.values() for record in versions}
    if counts != {1} or len(by) != 1:
        findings.problems.append(f"{sent.la} {sent.key}: never acknowledged, and stored in part or more than "
                                 f"once ({sorted(counts)} versions a row, by submissions {sorted(by)})")
    findings.stored_unacknowledged += 1
    return by


def check(engine: Engine, ledger: list[SentFile], la_client_ids: list[int]) -> Findings:
    findings = Findings()
    accounted: set[int] = set()
    with Session(engine) as session:
        for sent in ledger:
            findings.files_checked += 1
            if sent.acknowledged is not None:
                _check_acknowledged(session, sent, findings)
                accounted.add(sent.acknowledged["id"])
            else:
                accounted |= _check_unacknowledged(session, sent, findings)
        # A file stored twice under one key shows as a second submission whose rows were all "unchanged".
        extra = set(session.scalars(select(Submission.id).where(Submission.submitted_by_id.in_(la_client_ids)))) - accounted
    if extra:
        findings.problems.append(f"submissions no file accounts for (a file stored twice?): {sorted(extra)[:20]}")
    return findings
