"""The audits pack's figures, two ways that must agree: from the month summaries kept as audits are
written (what the pack serves: a row per LA-month, however many audits there are), and from the raw
audits (the reference the tests and the benchmark hold the summaries to)."""

import hashlib
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import Session, aliased

from app.audit_programme.models import AuditProgrammeMonth
from app.audits.counting import CAFCASS, GRADED, GRADES, MODERATION_RESULTS, count_if, domain_grades_of, month_of
from app.audits.items import ITEM_COUNTS, item_rows
from app.audits.models import Audit, AuditDomainMonthSummary, AuditItemMonthSummary, AuditMonthSummary
from app.packs.distribution import grouped
from app.packs.request import PackRequest
from app.packs.schemas import Source
from app.records.state import in_force, valid_between
from app.reference.models import AuditFramework, FrameworkDomain

MODERATION = ("moderated", *MODERATION_RESULTS)
Counts = dict[str, int]
# Per LA, item (type, theme, role, outcome, moderated, agreement) and category: records, grades, agreed.
Items = dict[str, dict[str, dict[str, Counts]]]
SUMMED_PER_LA = ("audited", *GRADES, *MODERATION, "pairs", "agreed")


def _months(req: PackRequest) -> tuple[str, str]:
    return req.date_from.strftime("%Y-%m"), req.date_to.strftime("%Y-%m")


def _la_digest(month_digests: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for month, month_digest in month_digests:
        digest.update(f"{month}\t{month_digest}\n".encode())
    return "sha256:" + digest.hexdigest()


def frameworks_state(session: Session) -> list[Any]:
    """Every change to a framework (its domains, their order) stamps its updated_at; one removed lowers the count."""
    return list(session.execute(select(func.count(), func.max(AuditFramework.updated_at))).one())


def _domain_codes(session: Session, frameworks: set[str]) -> list[str]:
    rows = session.execute(select(FrameworkDomain.code).where(FrameworkDomain.framework_code.in_(frameworks))
                           .order_by(FrameworkDomain.framework_code, FrameworkDomain.position))
    return list(dict.fromkeys(code for (code,) in rows))


def _items(rows: Iterable[Sequence[Any]]) -> Items:
    items: Items = {}
    for la, item, category, *counts in rows:
        items.setdefault(la, {}).setdefault(item, {})[category] = dict(zip(ITEM_COUNTS, map(int, counts), strict=True))
    return items


def _every_grade(rows: Iterable[Sequence[Any]]) -> dict[Any, Counts]:
    """(group, grade, count) rows with every grade present, as the summaries hold them."""
    return {group: dict.fromkeys(GRADES, 0) | counts for group, counts in grouped(rows).items()}


class AuditQuery(ABC):
    """Figures for the pack; `programme` reads the programme months, which are already one row per LA-month."""

    def __init__(self, session: Session, req: PackRequest) -> None:
        self.session, self.req = session, req
        P = AuditProgrammeMonth
        first, last = _months(req)
        self.programme_scope = [P.la_code.in_(list(req.la_codes)), in_force(P, req.as_of), P.month >= first,
                                P.month <= last]

    def returned_by_month(self) -> dict[str, set[str]]:
        """Per month, the LAs that returned its programme or any LA audit dated in it."""
        P = AuditProgrammeMonth
        found: dict[str, set[str]] = defaultdict(set)
        for month, la in self.session.execute(select(P.month, P.la_code).where(*self.programme_scope).distinct()):
            found[month].add(la)
        for month, la in self._audited_months():
            found[month].add(la)
        return found

    @abstractmethod
    def items(self) -> Items:
        """Per LA, the audits by type, theme and role, the outcome and moderated grades, agreement per domain."""

    @abstractmethod
    def _audited_months(self) -> Iterable[tuple[str, str]]:
        """(month, LA) of every LA audit in the scope."""

    def programme(self, by_month: bool) -> dict[str, Counts]:
        P = AuditProgrammeMonth
        group = P.month if by_month else P.la_code
        rows = self.session.execute(select(group, func.sum(P.planned), func.sum(P.exempted), func.sum(P.returned))
                                    .where(*self.programme_scope).group_by(group))
        return {g: {"planned": p, "exempted": e, "scheduled": p - e, "returned": r} for g, p, e, r in rows}


class SummaryAuditQuery(AuditQuery):
    def __init__(self, session: Session, req: PackRequest) -> None:
        super().__init__(session, req)
        first, last = _months(req)
        self.scope = {model: [model.la_code.in_(list(req.la_codes)), valid_between(model.valid_from, model.valid_to, req.as_of),
                              model.month >= first, model.month <= last]
                      for model in (AuditMonthSummary, AuditDomainMonthSummary, AuditItemMonthSummary)}

    def _sums(self, by_month: bool) -> dict[str, dict[str, Any]]:
        S = AuditMonthSummary
        group = S.month if by_month else S.la_code
        columns = ("audited", *GRADES) if by_month else SUMMED_PER_LA
        # Per LA, what its source needs too: one row each instead of one a month, read and converted.
        extra = () if by_month else (func.sum(S.records).label("records"),
                                     func.max(S.last_submitted_at).label("last_submitted_at"))
        rows = self.session.execute(select(group, *(func.sum(getattr(S, c)) for c in columns), *extra)
                                    .where(*self.scope[S]).group_by(group))
        sums = {}
        for row in rows:
            sums[row[0]] = dict(zip(columns, map(int, row[1:1 + len(columns)]), strict=True))
            if not by_month:
                sums[row[0]] |= {"records": int(row.records), "last_submitted_at": row.last_submitted_at}
        return sums

    @cached_property
    def _per_la(self) -> dict[str, dict[str, Any]]:
        return self._sums(by_month=False)

    def grades(self, by_month: bool) -> dict[str, Counts]:
        sums = self._sums(by_month=True) if by_month else self._per_la
        return {g: {grade: v[grade] for grade in GRADES} for g, v in sums.items() if v["audited"]}

    def moderation(self) -> dict[str, Counts]:
        return {la: {name: v[name] for name in MODERATION} for la, v in self._per_la.items() if v["audited"]}

    def agreement(self) -> dict[str, Counts]:
        return {la: {"pairs": v["pairs"], "agreed": v["agreed"]} for la, v in self._per_la.items() if v["pairs"]}

    def domains(self) -> dict[tuple[str, str], Counts]:
        D = AuditDomainMonthSummary
        rows = self.session.execute(select(D.la_code, D.domain_code, *(func.sum(getattr(D, g)) for g in GRADES))
                                    .where(*self.scope[D]).group_by(D.la_code, D.domain_code))
        return {(la, code): dict(zip(GRADES, map(int, counts), strict=True)) for la, code, *counts in rows}

    def items(self) -> Items:
        S = AuditItemMonthSummary
        return _items(self.session.execute(
            select(S.la_code, S.item, S.category, *(func.sum(getattr(S, c)) for c in ITEM_COUNTS))
            .where(*self.scope[S]).group_by(S.la_code, S.item, S.category)))

    def _audited_months(self) -> Iterable[tuple[str, str]]:
        S = AuditMonthSummary
        return self.session.execute(select(S.month, S.la_code).where(*self.scope[S], S.audited > 0).distinct())

    def domain_codes(self) -> list[str]:
        S = AuditMonthSummary
        used = self.session.scalars(select(S.frameworks).where(*self.scope[S]).distinct())
        return _domain_codes(self.session, {f for frameworks in used for f in frameworks.split()})

    def sources(self) -> list[Source]:
        S = AuditMonthSummary
        rows = self.session.execute(select(S.la_code, S.month, S.digest).where(*self.scope[S])
                                    .order_by(S.la_code, S.month))
        per_la: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for la, month, digest in rows:
            per_la[la].append((month, digest))
        return [Source(la=la, dataset="audits", records=self._per_la[la]["records"], digest=_la_digest(months),
                       last_submitted_at=self._per_la[la]["last_submitted_at"]) for la, months in per_la.items()]


class RawAuditQuery(AuditQuery):
    """The same figures by plain GROUP BYs over every audit in range: correct, and slow at scale."""

    def __init__(self, session: Session, req: PackRequest) -> None:
        super().__init__(session, req)
        self.scope = [Audit.la_code.in_(list(req.la_codes)), in_force(Audit, req.as_of),
                      Audit.audit_date >= req.date_from, Audit.audit_date <= req.date_to]
        self.month = month_of(session, Audit.audit_date)

    def grades(self, by_month: bool) -> dict[str, Counts]:
        group = self.month if by_month else Audit.la_code
        return _every_grade(self.session.execute(select(group, GRADED, func.count())
                                                 .where(*self.scope, Audit.audit_type != CAFCASS).group_by(group, GRADED)))

    def moderation(self) -> dict[str, Counts]:
        rows = self.session.execute(
            select(Audit.la_code, func.count(Audit.moderated_grade),
                   *(count_if(Audit.moderation_result == r) for r in MODERATION_RESULTS))
            .where(*self.scope, Audit.audit_type != CAFCASS).group_by(Audit.la_code))
        return {la: dict(zip(MODERATION, map(int, values), strict=True)) for la, *values in rows}

    def agreement(self) -> dict[str, Counts]:
        cafcass = aliased(Audit)
        rows = self.session.execute(
            select(Audit.la_code, func.count(), count_if(cafcass.overall_grade == GRADED))
            .join(cafcass, and_(cafcass.la_code == Audit.la_code, cafcass.order_ref == Audit.order_ref,
                                cafcass.audit_type == CAFCASS, cafcass.order_ref.is_not(None), in_force(cafcass, self.req.as_of)))
            .where(*self.scope, Audit.audit_type != CAFCASS, Audit.order_ref.is_not(None))
            .group_by(Audit.la_code))
        return {la: {"pairs": pairs, "agreed": int(agreed)} for la, pairs, agreed in rows}

    def domains(self) -> dict[tuple[str, str], Counts]:
        grades = domain_grades_of(self.session)
        rows = self.session.execute(
            select(Audit.la_code, grades.c.key, grades.c.value, func.count())
            .select_from(Audit).join(grades, true())
            .where(*self.scope, Audit.audit_type != CAFCASS)
            .group_by(Audit.la_code, grades.c.key, grades.c.value))
        return _every_grade(((la, domain), grade, n) for la, domain, grade, n in rows)

    def items(self) -> Items:
        return _items(item_rows(self.session, Audit.la_code, self.scope, self.req.as_of))

    def _audited_months(self) -> Iterable[tuple[str, str]]:
        return self.session.execute(select(self.month, Audit.la_code)
                                    .where(*self.scope, Audit.audit_type != CAFCASS).distinct())

    def domain_codes(self) -> list[str]:
        return _domain_codes(self.session, set(self.session.scalars(select(Audit.framework).where(*self.scope).distinct())))

    def sources(self) -> list[Source]:
        rows = self.session.execute(select(Audit.la_code, self.month, Audit.audit_ref, Audit.version,
                                           Audit.submitted_at).where(*self.scope)
                                    .order_by(Audit.la_code, self.month, Audit.audit_ref))
        months: dict[str, dict[str, Any]] = defaultdict(dict)
        counts: dict[str, int] = defaultdict(int)
        last: dict[str, Any] = {}
        for la, month, ref, version, submitted_at in rows:
            months[la].setdefault(month, hashlib.sha256()).update(f"{ref}\t{version}\n".encode())
            counts[la] += 1
            last[la] = max(last.get(la, submitted_at), submitted_at)
        return [Source(la=la, dataset="audits", records=counts[la],
                       digest=_la_digest([(m, d.hexdigest()) for m, d in per_month.items()]),
                       last_submitted_at=last[la]) for la, per_month in months.items()]
