"""What one period's published table is decided from, short of building it: its *data state*.

A table is kept under its data state, and decided again only when that changes. The state was once the count of
every write to any return the pack reads: under LAs' steady returns each made a new state for every year, and every
round rebuilt every year's figures over every area only to find most tables unchanged (on the demo data 14 s of
CPU a round; in the load test, first publications waited 90–113 s). A period's state is now what its figures can
depend on:

- the versions of returns that carry a date on or before the period's last day (any of the record's dates: an
  order counted in a year was made, issued or heard by its end; a Cafcass dip sample whatever its date where
  an LA audit of its order is dated in time, the two being paired in that audit's month): how many there are,
  and how many of them are superseded. Versions are only ever added, and superseded once, so both counts only
  grow: a record added or revised in the year adds a version, one moved out of it has its version there
  superseded. (The highest id would not do: on PostgreSQL a transaction may commit an id below
  one already seen, and a revision's superseded version and its new one would leave the count as it was.);
- every deletion (retention, `ReturnChange.rewrites_history`), which lowers the counts;
- how many LAs return each dataset at all: an LA's first return, whatever its dates, turns its earlier years from
  "not returned" into zeros;
- the population estimates whole (rates read them across years), the areas and their LAs, the pack's reference
  data, and which database.

A table kept for figures that had changed would hide cells chosen for other values: a leak, not a slow read. So the
state errs wide: any date of a record counts, and a dataset it does not know is taken whole.
"""

import hashlib
import json
import threading
import uuid
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Date, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.audit_programme.models import AuditProgrammeMonth
from app.audits.counting import CAFCASS
from app.audits.models import Audit
from app.care_order_characteristics.models import CareOrderCharacteristic
from app.care_order_counts.models import CareOrderCount
from app.orders.models import CareOrder
from app.population.models import PopulationEstimate
from app.records.models import ReturnChange
from app.reference.models import Area, GroupMember, LocalAuthority

# Each dataset a pack reads, and its records' table. Population estimates are taken whole: not dated by the period.
RECORDS: dict[str, Any] = {
    "care-order-counts": CareOrderCount, "care-order-characteristics": CareOrderCharacteristic,
    "orders": CareOrder, "audits": Audit, "audit-programme": AuditProgrammeMonth, "population": PopulationEstimate,
}
UNDATED = frozenset({"population"})


def data_state(session: Session, reads: tuple[str, ...], last_day: date, reference: list[Any] | None) -> str:
    """The state of a table over a period ending `last_day`, for a pack reading `reads` (see the module)."""
    rows = [[dataset, *_records_state(session, dataset, last_day)] for dataset in sorted(reads)]
    deletions = session.execute(select(func.count(), func.max(ReturnChange.id))
                                .where(ReturnChange.dataset.in_(reads), ReturnChange.rewrites_history)).one()
    identity = {"records": rows, "deletions": list(deletions), "areas": areas_state(session),
                "reference": reference, "database": database_of(session)}
    return hashlib.sha256(json.dumps(identity, default=str).encode()).hexdigest()


def _records_state(session: Session, dataset: str, last_day: date) -> list[Any]:
    model = RECORDS.get(dataset)
    if model is None:  # a dataset this does not know: every write to it is a new state
        return list(session.execute(select(func.count(), func.max(ReturnChange.id))
                                    .where(ReturnChange.dataset == dataset)).one())
    statement = select(func.count(), func.count(model.superseded_at))
    dated = _on_or_before(model, last_day) if dataset not in UNDATED else None
    if dated is not None:
        statement = statement.where(dated)
    # Whether an LA returns the dataset at all, whatever the dates: outcomes and compare show an LA with no record
    # in a year as 0 if it has returned records since, as not returned if it has none.
    returning = select(func.count(func.distinct(model.la_code))).where(model.superseded_at.is_(None))
    return [*session.execute(statement).one(), session.scalar(returning)]


def _on_or_before(model: Any, last_day: date) -> Any:
    """Any of the record's dates on or before `last_day` (a month, "2021-03", by its text)."""
    conditions = [column <= last_day for column in model.__table__.columns if isinstance(column.type, Date)]
    if model is AuditProgrammeMonth:
        conditions.append(model.month <= last_day.strftime("%Y-%m"))
    if model is Audit:
        # A Cafcass dip sample is paired with the LA's audit of its order in the LA audit's month, whatever its own
        # date (`app.audits.summary`): one dated after the period can change the period's agreement.
        # Any version of an LA audit of the order dated in time: a sample revised, or moved to or from such an
        # order, adds or supersedes a version counted here.
        paired = aliased(Audit)
        conditions.append(and_(model.audit_type == CAFCASS, model.order_ref.is_not(None), exists().where(
            paired.la_code == model.la_code, paired.order_ref == model.order_ref, paired.audit_type != CAFCASS,
            paired.audit_date <= last_day)))
    return or_(*conditions) if conditions else None


def areas_state(session: Session) -> list[Any]:
    """Which areas there are and which LAs each is made of (groups by their members, regions by the LAs placed in
    them, each LA with its operational days): what the tables are decided over. Not their names: a group renamed
    has no table decided again (`area_names_state` gives the packs that name it a new ETag)."""
    members = session.execute(select(Area.code, GroupMember.la_code)
                              .outerjoin(GroupMember, GroupMember.area_code == Area.code)
                              .order_by(Area.code, GroupMember.la_code)).all()
    las = session.execute(select(LocalAuthority.code, LocalAuthority.region_code, LocalAuthority.operational_from,
                                 LocalAuthority.operational_to).order_by(LocalAuthority.code)).all()
    shape = repr(([tuple(m) for m in members], [tuple(la) for la in las]))
    return [len(members), hashlib.blake2b(shape.encode(), digest_size=16).hexdigest()]


def area_names_state(session: Session) -> list[Any]:
    """Every change to a group (members, name) stamps its updated_at; a group removed lowers the count. A pack
    names groups beside its LAs (their benchmarks): renamed, they are other packs."""
    return list(session.execute(select(func.count(), func.max(Area.updated_at)).select_from(Area)).one())


_databases: WeakKeyDictionary[object, str] = WeakKeyDictionary()
_lock = threading.Lock()


def database_of(session: Session) -> str:
    """Which database the records were counted in: two databases (tests, one app per test) can hold the same
    counts with the same ids, and a table decided on one must never be used for the other."""
    engine = session.get_bind()
    with _lock:
        return _databases.setdefault(engine, uuid.uuid4().hex)
