"""An LA knows the aggregates made only of its own children: a region's count where every other LA shows 0, and
that count's parts, such as the region's count of one month. A group of hidden aggregates with no figure of that
LA's is checked against it too (`bounds.Bound._insiders_of`); checked only against LAs with figures in the group,
an LA narrowed another LA's share of a month in 5 of 110 of these tables.

The tables: regions of two or three LAs, each with a + b = t, the regions' totals, and each region's counts by
month (three months, a + b = t in each). The attacker is written apart from `app/packs/bounds.py`: scipy's
`linprog` over the lines, every shown cell known, every hidden one at least 1, and an insider's own cells known
too (its figures, the totals made only of them and zeros, and those totals' parts).
"""

import random

import pytest

from app.access.reader import Reader
from app.access.roles import Role
from app.packs.cells import Cell, Figures, Relations, Row
from app.packs.disclosure import hidden_cells
from tests.packs.lp_attacker import narrowed

PORTAL = Reader(Role.PORTAL, None, "R0", 5)
MEASURES = ("a", "b", "t")
MONTHS = 3
# Seeds whose tables leaked to an LA before groups of aggregates alone were checked against the LAs owning them.
LEAKED = (4, 38, 86, 90, 102)
Key = tuple[str, str]
Line = tuple[list[Key], Key]


def _table(seed: int) -> tuple[dict[str, list[str]], dict[Key, int]]:
    rng = random.Random(seed)
    regions = {f"R{r}": [f"L{r}{i}" for i in range(rng.randint(2, 3))] for r in range(rng.randint(1, 2))}
    values: dict[Key, int] = {}
    by_month: dict[Key, list[int]] = {}
    for las in regions.values():
        for la in las:
            for measure in ("a", "b"):
                values[la, measure] = rng.choice([0, 0, 0, 1, 2, 3, 4, 6, 9, 14])
                months = [0] * MONTHS
                for _ in range(values[la, measure]):
                    months[rng.randrange(MONTHS)] += 1
                by_month[la, measure] = months
            values[la, "t"] = values[la, "a"] + values[la, "b"]
            by_month[la, "t"] = [a + b for a, b in zip(by_month[la, "a"], by_month[la, "b"], strict=True)]
    for region, las in regions.items():
        for measure in MEASURES:
            values[region, measure] = sum(values[la, measure] for la in las)
            for month in range(MONTHS):
                values[f"{region}.{month}", measure] = sum(by_month[la, measure][month] for la in las)
    return regions, values


def _lines(regions: dict[str, list[str]]) -> list[Line]:
    codes = [*regions, *(f"{r}.{m}" for r in regions for m in range(MONTHS)), *(la for las in regions.values() for la in las)]
    lines: list[Line] = [([(code, "a"), (code, "b")], (code, "t")) for code in codes]
    for region, las in regions.items():
        for measure in MEASURES:
            lines.append(([(la, measure) for la in las], (region, measure)))
            lines.append(([(f"{region}.{m}", measure) for m in range(MONTHS)], (region, measure)))
    return lines


def _cell(key: Key) -> Cell:
    return Cell(Row("t", key[0]), key[1])


def _decided(regions: dict[str, list[str]], values: dict[Key, int], work: float | None) -> frozenset[Cell]:
    figures, relations = Figures(), Relations()
    for (code, measure), value in values.items():
        about = code if code.startswith("L") else tuple(regions[code.split(".")[0]])
        figures.count(_cell((code, measure)), value, about)
        figures.show(Row("t", code))
    for parts, total in _lines(regions):
        relations.adds_up([_cell(p) for p in parts], _cell(total))
    return hidden_cells(figures, relations, PORTAL, bound_work=work).cells


def _own(regions: dict[str, list[str]], values: dict[Key, int], la: str) -> set[Key]:
    own = {(la, measure) for measure in MEASURES}
    grown = True
    while grown:
        grown = False
        for parts, total in _lines(regions):
            if total not in own and all(p in own or values[p] == 0 for p in parts):
                own.add(total)
                grown = True
            if total in own:
                for part in parts:
                    if part not in own and not (part[0].startswith("L") and part[0] != la):
                        own.add(part)
                        grown = True
    return own


def _narrowed(regions: dict[str, list[str]], values: dict[Key, int], hidden: frozenset[Cell], known: set[Key]) \
        -> dict[Key, tuple[float, float]]:
    return narrowed(_lines(regions), values, sorted(k for k in values if _cell(k) in hidden and k not in known))


def _leaks(seed: int, work: float | None) -> dict[str, dict[Key, tuple[float, float]]]:
    regions, values = _table(seed)
    hidden = _decided(regions, values, work)
    leaks = {"portal": _narrowed(regions, values, hidden, set())}
    for la in (la for las in regions.values() for la in las):
        own = _own(regions, values, la)
        leaks[la] = {key: ends for key, ends in _narrowed(regions, values, hidden, own).items() if key not in own}
    return {reader: found for reader, found in leaks.items() if found}


@pytest.mark.parametrize("work", [None, 0.0])
@pytest.mark.parametrize("seed", [*LEAKED, *range(200, 215)])
def test_an_la_owning_a_months_count_narrows_no_other_las_hidden_count(seed, work):
    assert _leaks(seed, work) == {}
