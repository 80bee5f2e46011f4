"""Case-file audits, benchmarked over the pack's period: each LA's rank and quartile band among England's LAs with
the figure (% good or better after moderation; the programme's return rate), with its region, its groups and
England beside it; the area's own row beside its region, its groups and England.

Rules and conventions: `app/packs/benchmark.py`. Each LA's counts are summed in SQL from the month summaries (the
pack's own query, over every LA of England operational in the period); a region's, a group's and England's are
those LAs' sums added up (some 150 rows), as their own packs add up their LAs' rows."""

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.packs.audits.queries import SummaryAuditQuery
from app.packs.benchmark import Shown, benchmark, ranks_of
from app.packs.cells import Cell, Row
from app.packs.disclosure import Hidden
from app.packs.render.benchmark import benchmark_section, benchmark_table
from app.packs.render.page import Section
from app.packs.request import PackRequest
from app.packs.rounding import percentage
from app.packs.spec import PackSpec
from app.reference.models import Area, GroupMember, LocalAuthority
from app.reference.shipped import ENGLAND_CODE

# Each measure: the cell that names it, and the counts it is computed from.
MEASURES = {"pct_good_or_better": "pct_good_or_better", "return_rate": "programme.return_rate"}
Counts = list[int]   # good or better, graded, returned, scheduled (None: not returned)


def _value(measure: str, counts: list[int | None]) -> float | None:
    top, graded, returned, scheduled = counts
    return percentage(top, graded) if measure == "pct_good_or_better" else percentage(returned, scheduled)


def _add(total: list[int | None], part: list[int | None]) -> list[int | None]:
    """Not returned (None) takes no part, as in the area's own total."""
    return [t if p is None else (p if t is None else t + p) for t, p in zip(total, part, strict=True)]


@dataclass
class _England:
    counts: dict[str, list[int | None]]      # each LA's, over the period
    region: dict[str, str]
    groups: dict[str, set[str]]              # the groups of the area's LAs: their members
    group_names: dict[str, str]

    def sum(self, las: Any) -> list[int | None]:
        total: list[int | None] = [None] * 4
        for la in las:
            if la in self.counts:
                total = _add(total, self.counts[la])
        return total


def _england(session: Session, req: PackRequest) -> _England:
    every = tuple(la.code for la in session.scalars(select(LocalAuthority))
                  if la.operational_during(req.date_from, req.date_to))
    q = SummaryAuditQuery(session, replace(req, la_codes=every))
    grades, programme = q.grades(by_month=False), q.programme(by_month=False)
    counts: dict[str, list[int | None]] = {}
    for la in every:
        g, p = grades.get(la), programme.get(la)
        counts[la] = [None if g is None else g["outstanding"] + g["good"], None if g is None else sum(g.values()),
                      None if p is None else p["returned"], None if p is None else p["scheduled"]]
    region = dict(session.execute(select(LocalAuthority.code, LocalAuthority.region_code)).all())
    G = GroupMember
    groups: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    codes = select(G.area_code).where(G.la_code.in_(list(req.area.la_codes)))
    for group, la, name in session.execute(select(G.area_code, G.la_code, Area.name)
                                           .join(Area, Area.code == G.area_code).where(G.area_code.in_(codes))):
        groups[group].add(la)
        names[group] = name
    return _England(counts, region, groups, names)


def _area_region(req: PackRequest, england: _England) -> str | None:
    if req.area.kind not in ("la", "group"):
        return None
    regions = {england.region[la] for la in req.area.la_codes}
    return regions.pop() if len(regions) == 1 else None


def _own(row: Any, measure: str) -> tuple[float | None, bool]:
    if measure == "return_rate":
        return row.programme.return_rate, "return_rate" in row.programme.suppressed
    return row.pct_good_or_better, "pct_good_or_better" in row.suppressed


def finish(spec: PackSpec, session: Session, req: PackRequest, f: Any, hidden: Hidden, pack: Any) -> Any:
    shown = Shown(spec, session, req)
    england = _england(session, req)
    in_region: dict[str, list[str]] = defaultdict(list)
    for la in england.counts:
        in_region[england.region[la]].append(la)

    def area(code: str | None, las: Any, measure: str) -> tuple[float | None, bool]:
        """An area's figure, and whether its own pack hides it from this reader."""
        if code is None:
            return None, False
        value = _value(measure, england.sum(las))
        return value, value is not None and not shown(Cell(Row("area", code), MEASURES[measure]))

    def groups(codes: list[str], measure: str) -> list[tuple[str, float | None, bool]]:
        return [(g, *area(g, england.groups[g], measure)) for g in codes]

    def visible(cell: Cell) -> bool:
        # A cell the request hides is never ranked, whatever the tables say: the row shows it hidden.
        return cell not in hidden and shown(cell)

    region = _area_region(req, england)
    area_groups = sorted(g for g, members in england.groups.items()
                         if g != req.area.code and set(req.area.la_codes) <= members)
    for measure, cell in MEASURES.items():
        values = {la: _value(measure, counts) for la, counts in england.counts.items()}
        ranks = ranks_of(values, lambda la, cell=cell: Cell(Row("las", la), cell), visible)  # type: ignore[misc]
        country = area(ENGLAND_CODE, england.counts, measure)
        for row in pack.las:
            own_region = england.region.get(row.code)
            of_la = sorted(g for g, members in england.groups.items() if row.code in members)
            row.benchmark[measure] = benchmark(
                *_own(row, measure), ranks, row.code, region=own_region,
                region_value=area(own_region, in_region.get(own_region or "", []), measure), england=country,
                groups=groups(of_la, measure))
        pack.total.benchmark[measure] = benchmark(
            *_own(pack.total, measure), None, None, region=region,
            region_value=area(region, in_region.get(region or "", []), measure), england=country,
            groups=groups(area_groups, measure))
    pack.groups = {g: england.group_names[g] for g in sorted(england.group_names)}
    return pack


LABELS = {"pct_good_or_better": "% good or better", "return_rate": "Return rate (%)"}


def html_section(pack: Any) -> Section:
    """Each LA's benchmarks on the page, then the area's own row."""
    tables = []
    for measure, label in LABELS.items():
        rows = [(r.name, r.benchmark.get(measure), "") for r in pack.las]
        rows.append((pack.total.name, pack.total.benchmark.get(measure), "total"))
        tables.append(benchmark_table(label, rows, pack.groups))
    return benchmark_section("Benchmarking", tables)
