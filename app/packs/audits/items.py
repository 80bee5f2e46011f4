"""What the audits pack publishes beside the overall grade, per LA and for the area: the outcome grades, the
grades moderation gave, the audits by type (Cafcass's own grades among them), themed audits by theme, the
auditor's role, and LA–Cafcass agreement per domain. Each count is a cell in the same relations as the rest
of the pack (a part of a total, a total of its LAs), so disclosure hides the same cells in every format."""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, get_args

from app.audits.schemas import AuditType
from app.packs.audits.schemas import Agreement
from app.packs.cells import About, Figures, Relations, Row
from app.packs.disclosure import Hidden
from app.packs.distribution import DistributionCells, add_counts
from app.packs.rounding import percentage
from app.records.schemas import Grade

GRADES = get_args(Grade)
TYPES = get_args(AuditType)
LA_TYPES = tuple(t for t in TYPES if t != "cafcass_dip_sample")
FREE_TEXT = {"themes": "theme", "auditor_roles": "role"}   # the pack's field: the summaries' item
FIELDS = ("outcome_grades", "pct_outcome_good_or_better", "moderated_grades", "audit_types", "type_grades",
          "themes", "auditor_roles", "domain_agreement")


@dataclass
class ItemCategories:
    """The themes and auditor's roles each row counts: an LA's own, the area's every LA's."""

    by_row: dict[Row, dict[str, list[str]]] = field(default_factory=dict)


# Each distribution's cells are named many times a table (recorded, related, summed, presented): built once a row.
@lru_cache(maxsize=65_536)
def outcome(row: Row) -> DistributionCells:
    return DistributionCells(row, "outcome_grades", GRADES, implied_shares=True)


@lru_cache(maxsize=65_536)
def moderated(row: Row) -> DistributionCells:
    # Among moderated audits: the moderation section's count is its total.
    return DistributionCells(row, "moderated_grades", GRADES, total_measure="moderation.moderated", implied_shares=True)


@lru_cache(maxsize=65_536)
def types(row: Row) -> DistributionCells:
    return DistributionCells(row, "audit_types", TYPES, implied_shares=True)


@lru_cache(maxsize=262_144)
def type_grades(row: Row, kind: str) -> DistributionCells:
    return DistributionCells(row, f"type_grades.{kind}", GRADES, total_measure=f"audit_types.counts.{kind}",
                             implied_shares=True)


def free_text(row: Row, name: str, categories: list[str]) -> DistributionCells:
    # Themes are of themed audits; every LA audit has an auditor's role, stated or not.
    total = "audit_types.counts.themed" if name == "themes" else "grades.total"
    return DistributionCells(row, name, categories, total_measure=total, implied_shares=True)


def _distributions(row: Row, categories: ItemCategories) -> list[DistributionCells]:
    return [outcome(row), moderated(row), types(row), *(type_grades(row, kind) for kind in TYPES),
            *(free_text(row, name, categories.by_row[row][name]) for name in FREE_TEXT)]


def _graded(counts: dict[str, dict[str, int]] | None, category: str) -> dict[str, int] | None:
    return None if counts is None else {g: v for g, v in counts.get(category, {}).items() if g in GRADES}


def record(cells: Figures, row: Row, items: dict[str, dict[str, dict[str, int]]] | None, domains: list[str],
           about: About, categories: ItemCategories) -> None:
    """`items` None: the LA returned no audits, so every figure is null."""
    def of(item: str) -> dict[str, dict[str, int]] | None:
        return None if items is None else items.get(item, {})

    outcome(row).record(cells, _graded(of("outcome"), ""), about)
    for grade in GRADES:  # the total is the moderation section's
        cells.count(moderated(row).count(grade), None if items is None else of("moderated").get("", {}).get(grade, 0),
                    about)
    kinds = of("type")
    types(row).record(cells, None if kinds is None else {t: kinds.get(t, {}).get("records", 0) for t in TYPES}, about)
    for kind in TYPES:
        for grade in GRADES:
            cells.count(type_grades(row, kind).count(grade), None if kinds is None else kinds.get(kind, {}).get(grade, 0),
                        about)
    own = categories.by_row.setdefault(row, {})
    for name, item in FREE_TEXT.items():
        found = of(item)
        own[name] = sorted(found or {})
        for category in own[name]:
            cells.count(free_text(row, name, own[name]).count(category), found[category]["records"], about)  # type: ignore[index]
    agreement = of("agreement")
    for domain in domains:
        pair = None if agreement is None else agreement.get(domain, {})
        for name, key in (("pairs", "records"), ("agreed", "agreed")):
            cells.count(row.cell(f"domain_agreement.{domain}.{name}"), None if pair is None else pair.get(key, 0), about)


def relate(relations: Relations, row: Row, domains: list[str], categories: ItemCategories) -> None:
    out = outcome(row)
    out.relate(relations)
    relations.shares_of(row.cell("pct_outcome_good_or_better"), [out.count(g) for g in GRADES[:2]], out.total)
    moderated(row).relate(relations)
    kinds = types(row)
    kinds.relate(relations)
    # The audits returned and all audits: headline counts the items' every line leans on, hidden only where
    # nothing else of a line can be (else hiding one small role or theme took them, and then the area's).
    relations.prefer_shown([row.cell("grades.total"), kinds.total])
    # An LA audit is of one LA type: the LA types add up to the audits returned, grade by grade too.
    relations.adds_up([kinds.count(t) for t in LA_TYPES], row.cell("grades.total"))
    for grade in GRADES:
        relations.adds_up([type_grades(row, t).count(grade) for t in LA_TYPES], row.cell(f"grades.counts.{grade}"))
    for kind in TYPES:
        type_grades(row, kind).relate(relations)
    for name in FREE_TEXT:
        free_text(row, name, categories.by_row[row][name]).relate(relations)
    for domain in domains:
        relations.shares_of(row.cell(f"domain_agreement.{domain}.pct_agreed"),
                            [row.cell(f"domain_agreement.{domain}.agreed")], row.cell(f"domain_agreement.{domain}.pairs"))


def sum_of(relations: Relations, parts: list[Row], whole: Row, domains: list[str], categories: ItemCategories) -> None:
    """The area's figures are its LAs' added up (totals shared with other sections are summed there)."""
    outcome(whole).sum_of(relations, [outcome(p) for p in parts])
    for grade in GRADES:
        relations.adds_up([moderated(p).count(grade) for p in parts], moderated(whole).count(grade))
    types(whole).sum_of(relations, [types(p) for p in parts])
    for kind in TYPES:
        for grade in GRADES:
            relations.adds_up([type_grades(p, kind).count(grade) for p in parts], type_grades(whole, kind).count(grade))
    for name in FREE_TEXT:
        for category in categories.by_row[whole][name]:
            having = [p for p in parts if category in categories.by_row[p][name]]
            relations.adds_up([p.cell(f"{name}.counts.{category}") for p in having], whole.cell(f"{name}.counts.{category}"))
    for domain in domains:
        for name in ("pairs", "agreed"):
            relations.adds_up([p.cell(f"domain_agreement.{domain}.{name}") for p in parts],
                              whole.cell(f"domain_agreement.{domain}.{name}"))


def summed(rows: list[dict[str, dict[str, dict[str, int]]] | None]) -> dict[str, dict[str, dict[str, int]]] | None:
    """The area's items: its LAs' added up, category by category (None: no LA returned audits)."""
    total: dict[str, dict[str, dict[str, int]]] | None = None
    for items in rows:
        if items is None:
            continue
        total = total or {}
        for item, by_category in items.items():
            for category, counts in by_category.items():
                into = total.setdefault(item, {})
                into[category] = add_counts(into.get(category), counts)
    return total


def present(cells: Figures, hidden: Hidden, row: Row, domains: list[str], categories: ItemCategories) -> dict[str, Any]:
    out = outcome(row)
    top = [cells[out.count(g)] for g in GRADES[:2]]
    pct_cell = row.cell("pct_outcome_good_or_better")
    pct = None if pct_cell in hidden or None in top else percentage(sum(top), cells[out.total])  # type: ignore[arg-type]
    agreement = {}
    for domain in domains:
        values: dict[str, Any] = {"suppressed": {}}
        for name in ("pairs", "agreed"):
            cell = row.cell(f"domain_agreement.{domain}.{name}")
            values[name] = None if cell in hidden else cells[cell]
            if cell in hidden:
                values["suppressed"][name] = "c"
        pct_agreed = row.cell(f"domain_agreement.{domain}.pct_agreed")
        values["pct_agreed"] = None if pct_agreed in hidden else percentage(
            cells[row.cell(f"domain_agreement.{domain}.agreed")], cells[row.cell(f"domain_agreement.{domain}.pairs")])
        if pct_agreed in hidden:
            values["suppressed"]["pct_agreed"] = "c"
        agreement[domain] = Agreement.model_construct(**values)
    return {"outcome_grades": out.present(cells, hidden), "pct_outcome_good_or_better": pct,
            "moderated_grades": moderated(row).present(cells, hidden), "audit_types": types(row).present(cells, hidden),
            "type_grades": {kind: type_grades(row, kind).present(cells, hidden) for kind in TYPES},
            **{name: free_text(row, name, categories.by_row[row][name]).present(cells, hidden) for name in FREE_TEXT},
            "domain_agreement": agreement,
            "suppressed": {"pct_outcome_good_or_better": "c"} if pct_cell in hidden else {}}
