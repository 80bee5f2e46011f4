"""The audits pack: grades after moderation, per domain, return rates, moderation, LA–Cafcass agreement."""

from collections.abc import Hashable, Iterable
from dataclasses import replace
from datetime import timedelta
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_programme.models import AuditProgrammeMonth
from app.packs import distribution as dist
from app.packs.audit_queries import MODERATION, RawAuditQuery, SummaryAuditQuery
from app.packs.common import cells, header, keyed_sources, new_disclosure
from app.packs.disclosure import Disclosure
from app.packs.distribution import Distribution
from app.packs.figures import percentage
from app.packs.schemas import SUPPRESSED_DESCRIPTION, PackBase, Suppressed
from app.packs.scope import PackRequest
from app.records.schemas import Grade
from app.reference.models import LocalAuthority

GRADES = get_args(Grade)
PROGRAMME = ("planned", "exempted", "scheduled", "returned")
AGREEMENT = ("pairs", "agreed")


class Programme(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "planned": 40, "exempted": 4, "scheduled": 36, "returned": 15, "return_rate": 41.7, "suppressed": {}}]})

    planned: int | None
    exempted: int | None
    scheduled: int | None = Field(description="planned − exempted")
    returned: int | None
    return_rate: float | None = Field(description="returned / scheduled, as a percentage")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class Moderation(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "audits_returned": 60, "moderated": 12, "pct_moderated": 20.0, "supported": 9, "downgraded": None,
        "upgraded": None, "pct_downgraded": None, "suppressed": {"downgraded": "c", "upgraded": "c",
                                                                  "pct_downgraded": "c"}}]})

    audits_returned: int | None = Field(description="LA audits (not Cafcass dip samples) dated in the range.")
    moderated: int | None
    pct_moderated: float | None = Field(description="moderated / audits returned")
    supported: int | None
    downgraded: int | None
    upgraded: int | None
    pct_downgraded: float | None = Field(description="downgraded / moderated")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class Agreement(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"pairs": 14, "agreed": 10, "pct_agreed": 71.4,
                                                               "suppressed": {}}]})

    pairs: int | None = Field(description="LA audit and Cafcass dip sample of the same order_ref.")
    agreed: int | None = Field(description="Pairs where Cafcass's grade equals the LA's (after moderation).")
    pct_agreed: float | None
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class AuditFigures(BaseModel):
    grades: Distribution = Field(description="Overall grades after moderation, LA audits dated in the range.")
    pct_good_or_better: float | None
    domains: dict[str, Distribution] = Field(description="Grades per domain of the frameworks used.")
    programme: Programme
    moderation: Moderation
    agreement: Agreement
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class AuditRow(AuditFigures):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "341", "name": "Liverpool"}]})

    code: str
    name: str


class MonthRow(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"month": "2021-02"}]})

    month: str
    grades: Distribution
    pct_good_or_better: float | None
    programme: Programme
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class AuditsPack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "audits", "area": {"code": "E12000002", "name": "North West", "kind": "region"},
        "from": "2019-04-01", "to": "2021-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": True, "threshold": 5, "cells_hidden": 120}, "sources": [],
        "domains": ["response_to_risk"], "las": [], "months": [], "total": None}]})

    domains: list[str]
    las: list[AuditRow]
    months: list[MonthRow]
    total: AuditRow


def _register_flat(d: Disclosure, prefix: tuple[Hashable, ...], names: Iterable[str], values: dict[str, int] | None,
                   protected: bool) -> None:
    for name in names:
        d.count((*prefix, name), None if values is None else values.get(name, 0), protected=protected)


def _register_figures(d: Disclosure, key: tuple[Hashable, ...], data: dict[str, Any], domains: list[str],
                      protected: bool, *, with_domains: bool = True) -> None:
    dist.register(d, (*key, "grades"), data["grades"], GRADES, protected)
    d.derive((*key, "pct_good_or_better"), [(*key, "grades", "counts", g) for g in GRADES[:2]] + [(*key, "grades", "total")])
    _register_flat(d, (*key, "programme"), PROGRAMME, data["programme"], protected)
    d.line([(*key, "programme", "scheduled"), (*key, "programme", "exempted")], (*key, "programme", "planned"))
    d.derive((*key, "programme", "return_rate"), [(*key, "programme", "returned"), (*key, "programme", "scheduled")])
    if not with_domains:
        return
    for domain in domains:
        dist.register(d, (*key, "domains", domain), data["domains"].get(domain, {}), GRADES, protected)
    _register_flat(d, (*key, "moderation"), MODERATION, data["moderation"], protected)
    d.line([(*key, "moderation", r) for r in MODERATION[1:]], (*key, "moderation", "moderated"))
    d.derive((*key, "moderation", "pct_moderated"), [(*key, "moderation", "moderated"), (*key, "grades", "total")])
    d.derive((*key, "moderation", "pct_downgraded"), [(*key, "moderation", "downgraded"), (*key, "moderation", "moderated")])
    _register_flat(d, (*key, "agreement"), AGREEMENT, data["agreement"], protected)
    d.derive((*key, "agreement", "pct_agreed"), [(*key, "agreement", "agreed"), (*key, "agreement", "pairs")])


def _link(d: Disclosure, parts: list[tuple[Hashable, ...]], whole: tuple[Hashable, ...], domains: list[str],
          *, with_domains: bool = True) -> None:
    dist.link(d, [(*p, "grades") for p in parts], (*whole, "grades"), GRADES)
    for name in PROGRAMME:
        d.line([(*p, "programme", name) for p in parts], (*whole, "programme", name))
    if not with_domains:
        return
    for domain in domains:
        dist.link(d, [(*p, "domains", domain) for p in parts], (*whole, "domains", domain), GRADES)
    for section, names in (("moderation", MODERATION), ("agreement", AGREEMENT)):
        for name in names:
            d.line([(*p, section, name) for p in parts], (*whole, section, name))


def _value(d: Disclosure, key: tuple[Hashable, ...], hidden: set[Hashable], compute: Any) -> float | None:
    return None if key in hidden else compute()


def _present_common(d: Disclosure, key: tuple[Hashable, ...], hidden: set[Hashable]) -> dict[str, Any]:
    v = d.values
    grades = dist.present(d, (*key, "grades"), GRADES, hidden)
    top = [v[(*key, "grades", "counts", g)] for g in GRADES[:2]]
    good = _value(d, (*key, "pct_good_or_better"), hidden, lambda: percentage(
        None if None in top else sum(top), v[(*key, "grades", "total")]))
    programme = cells({n: v[(*key, "programme", n)] for n in PROGRAMME}, (*key, "programme"), hidden)
    programme["return_rate"] = _value(d, (*key, "programme", "return_rate"), hidden, lambda: percentage(
        v[(*key, "programme", "returned")], v[(*key, "programme", "scheduled")]))
    if (*key, "programme", "return_rate") in hidden:
        programme["suppressed"]["return_rate"] = "c"
    marks = {"pct_good_or_better": "c"} if (*key, "pct_good_or_better") in hidden else {}
    return {"grades": grades, "pct_good_or_better": good, "programme": Programme(**programme), "suppressed": marks}


def _present_row(d: Disclosure, key: tuple[Hashable, ...], code: str, name: str, domains: list[str],
                 hidden: set[Hashable]) -> AuditRow:
    v = d.values
    moderation = cells({n: v[(*key, "moderation", n)] for n in MODERATION}, (*key, "moderation"), hidden)
    moderation["audits_returned"] = None if (*key, "grades", "total") in hidden else v[(*key, "grades", "total")]
    for name_, inputs in (("pct_moderated", ("moderated", None)), ("pct_downgraded", ("downgraded", "moderated"))):
        numerator = v[(*key, "moderation", inputs[0])]
        denominator = v[(*key, "grades", "total")] if inputs[1] is None else v[(*key, "moderation", inputs[1])]
        moderation[name_] = _value(d, (*key, "moderation", name_), hidden, lambda n=numerator, m=denominator: percentage(n, m))
        if (*key, "moderation", name_) in hidden:
            moderation["suppressed"][name_] = "c"
    agreement = cells({n: v[(*key, "agreement", n)] for n in AGREEMENT}, (*key, "agreement"), hidden)
    agreement["pct_agreed"] = _value(d, (*key, "agreement", "pct_agreed"), hidden, lambda: percentage(
        v[(*key, "agreement", "agreed")], v[(*key, "agreement", "pairs")]))
    if (*key, "agreement", "pct_agreed") in hidden:
        agreement["suppressed"]["pct_agreed"] = "c"
    return AuditRow(code=code, name=name, **_present_common(d, key, hidden),
                    domains={dom: dist.present(d, (*key, "domains", dom), GRADES, hidden) for dom in domains},
                    moderation=Moderation(**moderation), agreement=Agreement(**agreement))


def whole_months(req: PackRequest) -> PackRequest:
    """The pack counts whole months, as LAs return their programme and as it is summarised."""
    first = req.date_from.replace(day=1)
    last = (req.date_to.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return replace(req, date_from=first, date_to=last)


def build(session: Session, req: PackRequest, *, from_summaries: bool = True) -> AuditsPack:
    """The pack from the month summaries; from_summaries=False computes it from the raw audits instead."""
    req = whole_months(req)
    q = (SummaryAuditQuery if from_summaries else RawAuditQuery)(session, req)
    d = new_disclosure(req)
    domains = q.domain_codes()
    la_codes = sorted(req.la_codes)
    names = dict(session.execute(select(LocalAuthority.code, LocalAuthority.name)
                                 .where(LocalAuthority.code.in_(la_codes))).all())
    grades, programme, moderation, agreement = q.grades(by_month=False), q.programme(by_month=False), \
        q.moderation(), q.agreement()
    domain_grades = q.domains()
    # An LA with no audits (or no programme months) in the range has not returned them: null, not zero.
    audited = set(moderation)
    per_la = {code: {"grades": grades.get(code, {}) if code in audited else None,
                     "programme": programme.get(code),
                     "moderation": moderation.get(code), "agreement": agreement.get(code, {}) if code in audited else None,
                     "domains": {dom: domain_grades.get((code, dom), {}) if code in audited else None for dom in domains}}
              for code in la_codes}
    for code in la_codes:
        _register_figures(d, (code,), per_la[code], domains, req.viewer.protects(code))
    area_key = ("area", req.area.code)
    _register_figures(d, area_key, _sum_rows(per_la.values(), domains), domains, req.viewer.protects(None, req.area))
    _link(d, [(code,) for code in la_codes], area_key, domains)

    month_grades = q.grades(by_month=True)
    month_programme = q.programme(by_month=True)
    months = sorted(set(month_grades) | set(month_programme))
    for month in months:
        _register_figures(d, ("month", month), {"grades": month_grades.get(month, {}),
                                                "programme": month_programme.get(month)},
                          domains, req.viewer.protects(None, req.area), with_domains=False)
    _link(d, [("month", m) for m in months], area_key, domains, with_domains=False)

    hidden = d.hidden()
    sources = sorted(q.sources(), key=lambda s: s.la)
    sources += keyed_sources(session, AuditProgrammeMonth, "audit-programme", "month", la_codes, req.as_of,
                             *q.programme_scope[2:])
    return AuditsPack(
        **header(req, "audits", d, hidden, sources), domains=domains,
        las=[_present_row(d, (code,), code, names.get(code, code), domains, hidden) for code in la_codes],
        months=[MonthRow(month=m, **_present_common(d, ("month", m), hidden)) for m in months],
        total=_present_row(d, area_key, req.area.code, req.area.name, domains, hidden),
    )


def _sum_rows(rows: Iterable[dict[str, Any]], domains: list[str]) -> dict[str, Any]:
    total: dict[str, Any] = {"grades": None, "programme": None, "moderation": None, "agreement": None,
                             "domains": {dom: None for dom in domains}}
    for row in rows:
        for section in ("grades", "programme", "moderation", "agreement"):
            if row[section] is not None:
                total[section] = _add(total[section], row[section])
        for dom in domains:
            if row["domains"][dom] is not None:
                total["domains"][dom] = _add(total["domains"][dom], row["domains"][dom])
    return total


def _add(total: dict[str, int] | None, part: dict[str, int]) -> dict[str, int]:
    total = dict(total or {})
    for name, n in part.items():
        total[name] = total.get(name, 0) + n
    return total
