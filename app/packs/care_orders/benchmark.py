"""Care orders at home, benchmarked: on each snapshot date, each LA's rank and quartile band among England's LAs
that returned that date (rate per 10,000 children, % of CLA, share of discharges to a supervision order), with its
region, its groups and England beside it; the area's own row beside its region, its groups and England.

Rules and conventions: `app/packs/benchmark.py`. The regions' and England's figures are the pack's comparators,
hidden as they are; each LA's and each group's figure is looked up in the published tables, as its own pack
would show it."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.orm import Session

from app.care_order_counts.models import CareOrderCount as M
from app.packs.benchmark import Shown, benchmark, ranks_of
from app.packs.cells import Cell, Row
from app.packs.disclosure import Hidden
from app.packs.render.benchmark import benchmark_section, benchmark_table
from app.packs.render.page import Section
from app.packs.request import PackRequest
from app.packs.rounding import percentage, rate_per_10k
from app.packs.spec import PackSpec
from app.population.models import PopulationEstimate
from app.records.state import in_force
from app.reference.models import Area, GroupMember, LocalAuthority
from app.reference.shipped import ENGLAND_CODE

MEASURES = ("rate_per_10k", "pct_of_cla", "pct_discharges_to_supervision_order")
AT_HOME = M.full_care_orders_at_home + M.interim_care_orders_at_home
Values = dict[str, float | None]   # one measure's value by LA (or group)


def _population(as_of: Any) -> Any:
    P = PopulationEstimate
    return select(P.la_code, P.year, P.children_0_17).where(in_force(P, as_of)).subquery()


def _measures(at_home: int | None, with_population: int | None, population: int | None, cla: int | None,
              discharges: int | None, to_supervision: int | None) -> dict[str, float | None]:
    """As the pack's rows compute them (an area's rate over the LAs with a population estimate)."""
    return {"rate_per_10k": rate_per_10k(at_home if with_population is None else with_population, population),
            "pct_of_cla": percentage(at_home, cla),
            "pct_discharges_to_supervision_order": percentage(to_supervision, discharges)}


@dataclass
class _England:
    """Every LA's figures on the pack's dates, and its region."""

    values: dict[tuple[date, str], Values] = field(default_factory=lambda: defaultdict(dict))
    region: dict[str, str] = field(default_factory=dict)


def _every_la(session: Session, req: PackRequest, dates: list[date]) -> _England:
    pop = _population(req.as_of)
    rows = session.execute(
        select(M.la_code, M.snapshot_date, LocalAuthority.region_code, AT_HOME.label("at_home"), M.cla_total,
               M.discharges_total, M.discharges_to_supervision_order, pop.c.children_0_17)
        .join(LocalAuthority, LocalAuthority.code == M.la_code)
        .outerjoin(pop, and_(pop.c.la_code == M.la_code, pop.c.year == extract("year", M.snapshot_date)))
        .where(in_force(M, req.as_of), M.snapshot_date.in_(dates)))
    england = _England()
    for r in rows:
        england.region[r.la_code] = r.region_code
        for measure, value in _measures(r.at_home, None, r.children_0_17, r.cla_total, r.discharges_total,
                                        r.discharges_to_supervision_order).items():
            england.values[(r.snapshot_date, measure)][r.la_code] = value
    return england


@dataclass
class _Groups:
    """The groups of the area's LAs: who belongs to which, their names, and their figures by date."""

    of_la: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    names: dict[str, str] = field(default_factory=dict)
    values: dict[tuple[date, str], Values] = field(default_factory=lambda: defaultdict(dict))


def _groups(session: Session, req: PackRequest, dates: list[date]) -> _Groups:
    G = GroupMember
    groups = _Groups()
    codes = select(G.area_code).where(G.la_code.in_(list(req.area.la_codes)))
    for group, la, name in session.execute(select(G.area_code, G.la_code, Area.name).join(Area, Area.code == G.area_code)
                                           .where(G.area_code.in_(codes)).order_by(G.area_code, G.la_code)):
        groups.members[group].add(la)
        groups.names[group] = name
        if la in req.area.la_codes:
            groups.of_la[la].append(group)
    if not groups.names:
        return groups
    pop = _population(req.as_of)
    # The same sums as the group's own pack: what its area row shows.
    sums = session.execute(
        select(G.area_code, M.snapshot_date, func.sum(AT_HOME), func.sum(case((pop.c.children_0_17.is_not(None), AT_HOME))),
               func.sum(pop.c.children_0_17), func.sum(M.cla_total), func.sum(M.discharges_total),
               func.sum(M.discharges_to_supervision_order))
        .join(G, G.la_code == M.la_code)
        .outerjoin(pop, and_(pop.c.la_code == M.la_code, pop.c.year == extract("year", M.snapshot_date)))
        .where(G.area_code.in_(list(groups.names)), in_force(M, req.as_of), M.snapshot_date.in_(dates))
        .group_by(G.area_code, M.snapshot_date))
    for group, day, *figures in sums:
        for measure, value in _measures(*figures).items():
            groups.values[(day, measure)][group] = value
    return groups


def _area_region(session: Session, req: PackRequest) -> str | None:
    """The region beside the area's own row: an LA's, or a group's whose LAs are all in one region."""
    if req.area.kind not in ("la", "group"):
        return None
    regions = set(session.scalars(select(LocalAuthority.region_code)
                                  .where(LocalAuthority.code.in_(list(req.area.la_codes)))))
    return regions.pop() if len(regions) == 1 else None


@dataclass
class _AtDate:
    """One snapshot date's benchmarks, for one reader."""

    day: date
    comparators: dict[str, Any]
    shown: Any
    groups: _Groups

    def beside(self, code: str | None, measure: str) -> tuple[float | None, bool]:
        row = self.comparators.get(code or "")
        return (None, False) if row is None else (getattr(row, measure), measure in row.suppressed)

    def of_groups(self, codes: list[str], measure: str) -> list[tuple[str, float | None, bool]]:
        values = self.groups.values[(self.day, measure)]
        # A group with no figure (none of its LAs returned it) is not returned, not hidden.
        return [(g, values.get(g), values.get(g) is not None and not self.shown(Cell(Row("area", g, self.day), measure)))
                for g in codes]

    def la_cell(self, measure: str) -> Any:
        return lambda la: Cell(Row("las", la, self.day), measure)


def finish(spec: PackSpec, session: Session, req: PackRequest, f: Any, hidden: Hidden, pack: Any) -> Any:
    dates = [at.snapshot_date for at in pack.dates]
    if not dates:
        return pack
    shown = Shown(spec, session, req)
    england, groups = _every_la(session, req, dates), _groups(session, req, dates)
    region = _area_region(session, req)
    # Groups beside the area's own row: those holding all its LAs (an LA's own groups), not the area itself.
    area_groups = [g for g, members in groups.members.items()
                   if g != req.area.code and set(req.area.la_codes) <= members]

    def visible(cell: Cell) -> bool:
        # A cell the request hides is never ranked, whatever the tables say: the row shows it hidden.
        return cell not in hidden and shown(cell)

    for at in pack.dates:
        on = _AtDate(at.snapshot_date, {c.area: c for c in at.comparators}, shown, groups)
        for measure in MEASURES:
            ranks = ranks_of(england.values[(on.day, measure)], on.la_cell(measure), visible)
            for row in at.las:
                own_region = england.region.get(row.la)
                row.benchmark[measure] = benchmark(
                    getattr(row, measure), measure in row.suppressed, ranks, row.la, region=own_region,
                    region_value=on.beside(own_region, measure), england=on.beside(ENGLAND_CODE, measure),
                    groups=on.of_groups(groups.of_la.get(row.la, []), measure))
            if at.total is not None:
                at.total.benchmark[measure] = benchmark(
                    getattr(at.total, measure), measure in at.total.suppressed, None, None, region=region,
                    region_value=on.beside(region, measure), england=on.beside(ENGLAND_CODE, measure),
                    groups=on.of_groups(area_groups, measure))
    pack.groups = {g: groups.names[g] for g in sorted(groups.names)}
    return pack

LABELS = {"rate_per_10k": "Rate per 10,000 children", "pct_of_cla": "% of CLA",
          "pct_discharges_to_supervision_order": "% of discharges to a supervision order"}


def html_section(pack: Any) -> Section:
    """The latest date's benchmarks on the page: each LA, then the area's own row."""
    at = pack.dates[-1]
    tables = []
    for measure, label in LABELS.items():
        rows = [(r.name, r.benchmark.get(measure), "") for r in at.las]
        if at.total is not None:
            rows.append((at.total.name, at.total.benchmark.get(measure), "total"))
        tables.append(benchmark_table(label, rows, pack.groups))
    return benchmark_section(f"Benchmarking at {at.snapshot_date.strftime('%-d %B %Y')}", tables)
