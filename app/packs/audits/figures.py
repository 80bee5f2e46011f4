"""The audits pack's figures: grades after moderation, per domain, return rates, moderation, LA–Cafcass
agreement, per LA, for the area and per month."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_programme.models import AuditProgrammeMonth
from app.packs.audits import items
from app.packs.audits.items import ItemCategories
from app.packs.audits.queries import MODERATION, RawAuditQuery, SummaryAuditQuery
from app.packs.audits.schemas import (
    Agreement,
    AuditRow,
    AuditsPack,
    AuditTotal,
    ModerationSummary,
    MonthRow,
    Programme,
)
from app.packs.cells import About, Cell, Figures, Relations, Row
from app.packs.disclosure import Hidden
from app.packs.distribution import DistributionCells, add_counts
from app.packs.periods import month_end
from app.packs.request import PackRequest
from app.packs.rounding import percentage
from app.packs.schemas import Source
from app.packs.sources import keyed_sources
from app.records.schemas import Grade
from app.reference.models import LocalAuthority

GRADES = get_args(Grade)
PROGRAMME = ("planned", "exempted", "scheduled", "returned")
AGREEMENT = ("pairs", "agreed")
SECTIONS = ("grades", "programme", "moderation", "agreement")


@dataclass
class AuditsFigures:
    cells: Figures
    sources: list[Source]
    domains: list[str]
    las: list[tuple[Row, str]]      # each LA's row and name
    area: tuple[Row, str]
    months: list[Row]
    coverage: dict[Row, dict[str, int]]   # the area's and each month's las_returned and las_expected
    categories: ItemCategories = field(default_factory=ItemCategories)


def whole_months(req: PackRequest) -> PackRequest:
    """The pack counts whole months, as LAs return their programme and as it is summarised."""
    first = req.date_from.replace(day=1)
    return replace(req, date_from=first, date_to=month_end(req.date_to))


def _grades(row: Row) -> DistributionCells:
    return DistributionCells(row, "grades", GRADES)


def _domain(row: Row, domain: str) -> DistributionCells:
    return DistributionCells(row, f"domains.{domain}", GRADES)


def _flat(cells: Figures, row: Row, section: str, names: Iterable[str], values: dict[str, int] | None,
          about: About) -> None:
    for name in names:
        cells.count(row.cell(f"{section}.{name}"), None if values is None else values.get(name, 0), about)


def _record(cells: Figures, row: Row, data: dict[str, Any], domains: list[str], about: About,
            categories: ItemCategories) -> None:
    cells.show(row)
    _grades(row).record(cells, data["grades"], about)
    _flat(cells, row, "programme", PROGRAMME, data["programme"], about)
    if row.table == "months":
        return
    for domain in domains:
        _domain(row, domain).record(cells, data["domains"].get(domain, {}), about)
    _flat(cells, row, "moderation", MODERATION, data["moderation"], about)
    _flat(cells, row, "agreement", AGREEMENT, data["agreement"], about)
    items.record(cells, row, data["items"], domains, about, categories)


def figures(session: Session, req: PackRequest, *, from_summaries: bool = True) -> AuditsFigures:
    """From the month summaries; from_summaries=False computes the same from the raw audits instead."""
    q = (SummaryAuditQuery if from_summaries else RawAuditQuery)(session, req)
    cells = Figures()
    domains = q.domain_codes()
    la_codes = sorted(req.la_codes)
    names = dict(session.execute(select(LocalAuthority.code, LocalAuthority.name)
                                 .where(LocalAuthority.code.in_(la_codes))).all())
    grades, programme, moderation, agreement = q.grades(by_month=False), q.programme(by_month=False), \
        q.moderation(), q.agreement()
    domain_grades = q.domains()
    per_la_items = q.items()
    categories = ItemCategories()
    # An LA with no audits (or no programme months) in the range has not returned them: null, not zero.
    audited = set(moderation)
    per_la = {code: {"grades": grades.get(code, {}) if code in audited else None,
                     "programme": programme.get(code),
                     "moderation": moderation.get(code), "agreement": agreement.get(code, {}) if code in audited else None,
                     "domains": {dom: domain_grades.get((code, dom), {}) if code in audited else None for dom in domains},
                     "items": per_la_items.get(code, {}) if code in audited else None}
              for code in la_codes}
    for code in la_codes:
        _record(cells, Row("las", code), per_la[code], domains, code, categories)
    area = Row("area", req.area.code)
    _record(cells, area, _sum_rows(per_la.values(), domains) | {"items": items.summed([r["items"] for r in per_la.values()])},
            domains, req.area.la_codes, categories)

    month_grades = q.grades(by_month=True)
    month_programme = q.programme(by_month=True)
    months = [Row("months", req.area.code, m) for m in sorted(set(month_grades) | set(month_programme))]
    for month in months:
        _record(cells, month, {"grades": month_grades.get(month.period, {}),  # type: ignore[arg-type]
                               "programme": month_programme.get(month.period)}, domains, req.area.la_codes,  # type: ignore[arg-type]
                categories)
    coverage = _coverage(q.returned_by_month(), req, area, months)
    sources = sorted(q.sources(), key=lambda s: s.la)
    sources += keyed_sources(session, AuditProgrammeMonth, "audit-programme", "month", la_codes, req.as_of,
                             *q.programme_scope[2:])
    return AuditsFigures(cells, sources, domains, [(Row("las", code), names.get(code, code)) for code in la_codes],
                         (area, req.area.name), months, coverage, categories)


def _coverage(returned: dict[str, set[str]], req: PackRequest, area: Row, months: list[Row]) -> dict[Row, dict[str, int]]:
    def counted(returned: set[str], expected: tuple[str, ...]) -> dict[str, int]:
        return {"las_returned": len(returned & set(expected)), "las_expected": len(expected)}

    coverage = {area: counted(set().union(*returned.values()), req.la_codes)}
    for month in months:
        first = date.fromisoformat(f"{month.period}-01")
        coverage[month] = counted(returned.get(str(month.period), set()),
                                  req.area.operational_during(first, month_end(first)))
    return coverage


def _row_relations(relations: Relations, row: Row, domains: list[str], categories: ItemCategories) -> None:
    grades = _grades(row)
    grades.relate(relations)
    relations.shares_of(row.cell("pct_good_or_better"), [grades.count(g) for g in GRADES[:2]], grades.total)
    relations.adds_up([row.cell("programme.scheduled"), row.cell("programme.exempted")], row.cell("programme.planned"))
    relations.shares_of(row.cell("programme.return_rate"), [row.cell("programme.returned")], row.cell("programme.scheduled"))
    if row.table == "months":
        return
    for domain in domains:
        _domain(row, domain).relate(relations)
    relations.adds_up([row.cell(f"moderation.{r}") for r in MODERATION[1:]], row.cell("moderation.moderated"))
    relations.shares_of(row.cell("moderation.pct_moderated"), [row.cell("moderation.moderated")], grades.total)
    relations.shares_of(row.cell("moderation.pct_downgraded"),
                        [row.cell("moderation.downgraded")], row.cell("moderation.moderated"))
    relations.shares_of(row.cell("agreement.pct_agreed"), [row.cell("agreement.agreed")], row.cell("agreement.pairs"))
    items.relate(relations, row, domains, categories)


def _same_counts(relations: Relations, values: dict[Cell, int | None], row: Row, domains: list[str]) -> None:
    """Figures of other names that equal the audits returned in this data, declared as that: a reader who sees
    the programme's `returned` (equal wherever the completeness pack warns of nothing) or a domain every audit
    graded knew a hidden audits-returned total, and through it the Cafcass dip samples beside the LA's types."""
    relations.same_where_equal(values, _grades(row).total,
                               [row.cell("programme.returned"), *(_domain(row, d).total for d in domains)])


def _sum_relations(relations: Relations, parts: list[Row], whole: Row, domains: list[str], *, with_domains: bool,
                   categories: ItemCategories) -> None:
    _grades(whole).sum_of(relations, [_grades(p) for p in parts])
    for name in PROGRAMME:
        relations.adds_up([p.cell(f"programme.{name}") for p in parts], whole.cell(f"programme.{name}"))
    if not with_domains:
        return
    for domain in domains:
        _domain(whole, domain).sum_of(relations, [_domain(p, domain) for p in parts])
    for section, names in (("moderation", MODERATION), ("agreement", AGREEMENT)):
        for name in names:
            relations.adds_up([p.cell(f"{section}.{name}") for p in parts], whole.cell(f"{section}.{name}"))
    items.sum_of(relations, parts, whole, domains, categories)


def relations(f: AuditsFigures, req: PackRequest) -> Relations:
    relations = Relations()
    area = f.area[0]
    for row, _ in f.las:
        _row_relations(relations, row, f.domains, f.categories)
        _same_counts(relations, f.cells.values, row, f.domains)
    _row_relations(relations, area, f.domains, f.categories)
    _same_counts(relations, f.cells.values, area, f.domains)
    _sum_relations(relations, [row for row, _ in f.las], area, f.domains, with_domains=True, categories=f.categories)
    for month in f.months:
        _row_relations(relations, month, f.domains, f.categories)
    _sum_relations(relations, f.months, area, f.domains, with_domains=False, categories=f.categories)
    return relations


class _Presenter:
    def __init__(self, f: AuditsFigures, hidden: Hidden) -> None:
        self.f, self.hidden = f, hidden

    def value(self, cell: Cell) -> int | None:
        return self.f.cells[cell]

    def ratio(self, cell: Cell, numerator: int | None, denominator: int | None) -> float | None:
        return None if cell in self.hidden else percentage(numerator, denominator)

    def section(self, row: Row, section: str, names: Iterable[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        marks: dict[str, Any] = {}
        for name in names:
            cell = row.cell(f"{section}.{name}")
            values[name] = None if cell in self.hidden else self.value(cell)
            if cell in self.hidden:
                marks[name] = "c"
        return values | {"suppressed": marks}

    def derived(self, values: dict[str, Any], row: Row, section: str, name: str, numerator: Cell,
                denominator: Cell) -> None:
        cell = row.cell(f"{section}.{name}")
        values[name] = self.ratio(cell, self.value(numerator), self.value(denominator))
        if cell in self.hidden:
            values["suppressed"][name] = "c"

    def common(self, row: Row) -> dict[str, Any]:
        grades = _grades(row)
        top = [self.value(grades.count(g)) for g in GRADES[:2]]
        good_cell = row.cell("pct_good_or_better")
        good = self.ratio(good_cell, None if None in top else sum(top), self.value(grades.total))  # type: ignore[arg-type]
        programme = self.section(row, "programme", PROGRAMME)
        self.derived(programme, row, "programme", "return_rate", row.cell("programme.returned"),
                     row.cell("programme.scheduled"))
        marks = {"pct_good_or_better": "c"} if good_cell in self.hidden else {}
        return {"grades": grades.present(self.f.cells, self.hidden), "pct_good_or_better": good,
                "programme": Programme(**programme), "suppressed": marks}

    def row(self, row: Row, name: str) -> AuditRow:
        total = _grades(row).total
        moderation = self.section(row, "moderation", MODERATION)
        moderation["audits_returned"] = None if total in self.hidden else self.value(total)
        if total in self.hidden:
            moderation["suppressed"]["audits_returned"] = "c"
        self.derived(moderation, row, "moderation", "pct_moderated", row.cell("moderation.moderated"), total)
        self.derived(moderation, row, "moderation", "pct_downgraded", row.cell("moderation.downgraded"),
                     row.cell("moderation.moderated"))
        agreement = self.section(row, "agreement", AGREEMENT)
        self.derived(agreement, row, "agreement", "pct_agreed", row.cell("agreement.agreed"), row.cell("agreement.pairs"))
        common = self.common(row)
        more = items.present(self.f.cells, self.hidden, row, self.f.domains, self.f.categories)
        common["suppressed"] |= more.pop("suppressed")
        return AuditRow(code=row.code, name=name, **common, **more,
                        domains={d: _domain(row, d).present(self.f.cells, self.hidden) for d in self.f.domains},
                        moderation=ModerationSummary(**moderation), agreement=Agreement(**agreement))


def rows(f: AuditsFigures, hidden: Hidden, header: dict[str, Any]) -> AuditsPack:
    present = _Presenter(f, hidden)
    total = present.row(*f.area)
    return AuditsPack(**header, domains=f.domains, las=[present.row(row, name) for row, name in f.las],
                      months=[MonthRow(month=str(m.period), **present.common(m), **f.coverage[m]) for m in f.months],
                      total=AuditTotal(**dict(total), **f.coverage[f.area[0]]))


def _sum_rows(rows: Iterable[dict[str, Any]], domains: list[str]) -> dict[str, Any]:
    total: dict[str, Any] = {section: None for section in SECTIONS} | {"domains": {dom: None for dom in domains}}
    for row in rows:
        for section in SECTIONS:
            if row[section] is not None:
                total[section] = add_counts(total[section], row[section])
        for dom in domains:
            if row["domains"][dom] is not None:
                total["domains"][dom] = add_counts(total["domains"][dom], row["domains"][dom])
    return total
