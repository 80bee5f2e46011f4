"""An LA's SSDA903 extract in, its care-order returns out: checked whole, derived, stored as ordinary versions."""

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session

from app.care_order_characteristics.service import SPEC as CHARACTERISTICS
from app.care_order_counts.service import SPEC as CARE_ORDER_COUNTS
from app.clients.models import ApiClient
from app.core import messages
from app.core.db import utcnow
from app.core.errors import FieldError, validation_failed
from app.records import store
from app.records.checks import check_record
from app.records.spec import DatasetSpec, RuleContext
from app.reference.models import LocalAuthority
from app.ssda903 import derive as derivation
from app.ssda903.extract import Extract, ExtractProblem, read_extract
from app.ssda903.schemas import DerivedCharacteristic, DerivedYear, Ssda903SubmissionRead
from app.submissions import idempotency
from app.submissions.models import Submission, SubmissionFile
from app.submissions.schemas import SubmittedFile

DATASET = "ssda903"
# A collection year's snapshot is 31 March; its year runs from the day after the previous one.
SNAPSHOT_MONTH, SNAPSHOT_DAY = 3, 31
MAX_YEARS = 25
MAX_REPORTED_PROBLEMS = 10_000


@dataclass(frozen=True)
class ExtractPart:
    """One file of the extract as received: its bytes only while the request lasts."""

    name: str
    content: bytes

    @cached_property
    def checksum(self) -> str:
        # Read by the Idempotency-Key's fingerprint and again by the submission: a 16 MiB part is hashed once.
        return "sha256:" + hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Years:
    first: int
    last: int

    def __str__(self) -> str:
        return f"{self.first}:{self.last}"

    def __iter__(self):
        return iter(range(self.first, self.last + 1))


def snapshot_of(year: int) -> date:
    return date(year, SNAPSHOT_MONTH, SNAPSHOT_DAY)


def start_of(year: int) -> date:
    return date(year - 1, SNAPSHOT_MONTH + 1, 1)


def parse_years(text: str, la: LocalAuthority, today: date) -> Years:
    """`FROM:TO` (or one year), each a collection year whose 31 March has passed and on which the LA existed."""
    first_text, _, last_text = text.partition(":")
    last_text = last_text or first_text
    if not (first_text.strip().isdigit() and last_text.strip().isdigit()):
        raise _years_refused(messages.not_matching(text, "FROM:TO, e.g. 2017:2021 (collection years)"))
    years = Years(int(first_text), int(last_text))
    if years.first > years.last:
        raise _years_refused(f"{years.first} is after {years.last}: name the years earliest first, e.g. "
                             f"{years.last}:{years.first}")
    if years.last - years.first + 1 > MAX_YEARS:
        raise _years_refused(f"{years} names {years.last - years.first + 1} years; at most {MAX_YEARS} at once")
    problems = []
    unfinished = [year for year in years if snapshot_of(year) > today]
    if unfinished:
        problems.append(f"collection {_listed(unfinished)} {'ends' if len(unfinished) == 1 else 'end'} on 31 March "
                        "after today: name only years the extract covers completely")
    absent = [year for year in years if year not in unfinished and not la.operational_on(snapshot_of(year))]
    if absent:
        problems.append(f"{la.name} ({la.code}) was not a local authority on 31 March {', '.join(map(str, absent))}")
    if problems:
        raise validation_failed([FieldError(loc=["query", "years"], row=None, field="years", message=message)
                                 for message in problems], "The years asked for are not valid; nothing was stored.")
    return years


def _listed(years: list[int]) -> str:
    return f"year {years[0]}" if len(years) == 1 else f"years {', '.join(map(str, years))}"


def years_not_reached(extract: Extract, years: Years) -> list[str]:
    """Named years in which no episode starts or ends. Derived anyway (a small LA's children may all stay put a
    whole year), but most often the extract stops short of them, and a year past its end would be stored as the
    last year's children frozen in place (stocks kept, flows of 0): said in the answer, for the LA to check."""
    if not extract.episodes:
        return []
    earliest = min(episode.decom for episode in extract.episodes)
    latest = max(max(episode.decom, episode.dec or episode.decom) for episode in extract.episodes)
    before = [year for year in years if snapshot_of(year) < earliest]
    after = [year for year in years if start_of(year) > latest]
    warnings = []
    if before:
        warnings.append(f"the first episode starts on {earliest:%d/%m/%Y}, after collection {_listed(before)} ended: "
                        "every count of it is 0; check the extract goes back that far")
    if after:
        warnings.append(f"the last episode starts or ends on {latest:%d/%m/%Y}, before collection {_listed(after)} "
                        "began: its figures are the children still looked after then, with no one entering or "
                        "leaving; check the extract reaches that far")
    return warnings


def _years_refused(message: str):
    return validation_failed([FieldError(loc=["query", "years"], row=None, field="years", message=message)],
                             "The years asked for are not valid; nothing was stored.")


def fingerprint_material(years: Years, parts: list[ExtractPart]) -> str:
    """What makes two 903 requests the same: the years and each file's bytes (not the multipart boundary)."""
    return hashlib.sha256(f"{years}|{'|'.join(part.checksum for part in parts)}".encode()).hexdigest()


def _as_field_error(problem: ExtractProblem) -> FieldError:
    loc: list[str | int] = [problem.file]
    if problem.row is not None:
        loc.append(problem.row)
    if problem.column is not None:
        loc.append(problem.column)
    return FieldError(loc=loc, row=problem.row, field=problem.column, message=problem.message)


def _refuse_extract(problems: list[ExtractProblem]) -> None:
    files = sorted({problem.file for problem in problems})
    cut = (f" Reading stopped at the first {len(problems):,}; the rest of the files was not checked."
           if len(problems) >= MAX_REPORTED_PROBLEMS else "")
    raise validation_failed([_as_field_error(problem) for problem in problems],
                            f"{messages.plural(len(problems), 'problem')} found in the {' and '.join(files)} "
                            f"{'files' if len(files) > 1 else 'file'}; nothing was stored.{cut}")


def _checked(spec: DatasetSpec, items: list[tuple[Any, dict[str, Any]]], ctx: RuleContext,
             year: int) -> list[tuple[Any, Any]]:
    """Each derived record through its dataset's own checks, as a record sent by hand would go."""
    checked = []
    for key, values in items:
        _, payload, errors = check_record(spec, values, ctx, key=key, prefix=("derived", year))
        if errors or payload is None:
            # Derived records satisfy every rule by construction: a breach is a fault here, not in the files.
            raise validation_failed(errors, f"The records derived for {year} break the {spec.name} rules; "
                                            "nothing was stored.")
        checked.append((key, payload))
    return checked


def submit(session: Session, *, la: LocalAuthority, years: Years, parts: list[ExtractPart], client: ApiClient,
           dry_run: bool, max_rows: int, claim_id: int | None = None) -> tuple[int, dict[str, Any]]:
    """Check both files whole, derive each year named, store every record in the caller's transaction."""
    header, episodes = parts
    extract, problems = read_extract(header.content, episodes.content, max_rows=max_rows,
                                     max_problems=MAX_REPORTED_PROBLEMS)
    if problems or extract is None:
        _refuse_extract(problems)
    assert extract is not None
    now = utcnow()
    files = [SubmittedFile(part="header", rows=extract.header_rows, checksum=header.checksum),
             SubmittedFile(part="episodes", rows=extract.episode_rows, checksum=episodes.checksum)]
    submission = None if dry_run else _new_submission(session, la, client, files, now)
    source = None if submission is None else f"{DATASET}:{submission.id}"
    ctx = RuleContext(session, la, date.today())
    years_derived = derivation.derive(extract, years)
    counts, characteristics = [], []
    for year in years_derived:
        counts += _checked(CARE_ORDER_COUNTS, [(year.snapshot_date, year.counts)], ctx, year.year)
        characteristics += _checked(CHARACTERISTICS, [
            ((year.snapshot_date, dimension, category),
             {"full_care_orders_at_home": full, "interim_care_orders_at_home": interim})
            for (dimension, category), (full, interim) in year.characteristics.items()], ctx, year.year)
    write = {"client": client, "now": now, "submission_id": submission and submission.id, "source": source,
             "dry_run": dry_run}
    counts_written = store.write_records(session, CARE_ORDER_COUNTS, la.code, counts, **write)
    characteristics_written = store.write_records(session, CHARACTERISTICS, la.code, characteristics, **write)
    derived = [_derived_year(year, counts_written[index],
                             [item for item in characteristics_written if item.key[0] == year.snapshot_date])
               for index, year in enumerate(years_derived)]

    outcomes = [year.care_order_counts_outcome for year in derived] + \
               [item.outcome for year in derived for item in year.characteristics]
    totals = {outcome: outcomes.count(outcome) for outcome in ("created", "revised", "unchanged")}
    if submission is not None:
        submission.created, submission.revised, submission.unchanged = (totals["created"], totals["revised"],
                                                                        totals["unchanged"])
    read = Ssda903SubmissionRead(
        id=submission.id if submission else None, la=la.code, years=str(years), dry_run=dry_run, files=files,
        **totals, source=source, submitted_at=now, submitted_by=client.name, derived=derived,
        warnings=years_not_reached(extract, years),
    ).model_dump(mode="json")
    status = 200 if dry_run else 201
    idempotency.complete(session, claim_id, status, read)
    session.flush()
    return status, read


def _new_submission(session: Session, la: LocalAuthority, client: ApiClient, files: list[SubmittedFile],
                    now) -> Submission:
    # The submission's own checksum covers both files in order; each file's is kept beside it.
    combined = "sha256:" + hashlib.sha256("|".join(f.checksum for f in files).encode()).hexdigest()
    submission = Submission(la_code=la.code, dataset=DATASET, format="csv", rows=sum(f.rows for f in files),
                            created=0, revised=0, unchanged=0, checksum=combined, submitted_at=now,
                            submitted_by_id=client.id)
    session.add(submission)
    session.flush()
    session.add_all(SubmissionFile(submission_id=submission.id, part=f.part, rows=f.rows, checksum=f.checksum)
                    for f in files)
    return submission


def _derived_year(year: "derivation.DerivedYear", counts: store.Written,
                  characteristics: list[store.Written]) -> DerivedYear:
    return DerivedYear(
        year=year.year, snapshot_date=year.snapshot_date, care_order_counts=counts.record,
        care_order_counts_outcome=counts.outcome,
        characteristics=[DerivedCharacteristic(dimension=item.key[1], category=item.key[2],
                                               full_care_orders_at_home=item.record.full_care_orders_at_home,
                                               interim_care_orders_at_home=item.record.interim_care_orders_at_home,
                                               outcome=item.outcome)
                         for item in characteristics])
