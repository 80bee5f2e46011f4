"""Small-number suppression: which cells a reader may not see. Knows nothing of packs.

`hidden_cells(figures, relations, reader)` is a pure function. Primary: a count from 1 to the
reader's threshold is hidden (zero is shown). Secondary: wherever a hidden cell could be worked back
from the other cells of an additive line (parts that sum to a total), another visible cell of that line
is hidden too (one that protects another line as well where there is one, then one that takes no share
of several counts with it, then the smallest); then every hidden
cell is checked against all the lines at once (exact linear algebra), and against the bound every
hidden cell is at least 1, and more is hidden until none can be recovered; then no hidden small count
may keep fewer than `threshold` possible values when each is minimised and maximised by linear
programming over the lines (`bounds.py`). Figures derived from a hidden count are hidden with it, but
for a share of nothing (`Relations.of_nothing`). A median or quartile over fewer than
`FEWEST_FOR_STATISTIC` records is hidden whatever the counts: it is close to one record's own value.
"""

import math
from dataclasses import dataclass

from app.access.reader import Reader
from app.packs import bounds
from app.packs.bounds import Bound
from app.packs.cells import Cell, Figures, Relations

# A median or quartile over fewer records than this is not shown to a suppressed reader.
FEWEST_FOR_STATISTIC = 10


@dataclass(frozen=True)
class Hidden:
    cells: frozenset[Cell]
    # The bound ran out of work (`bounds.BOUND_WORK`), or a group was too large for what was left
    # (`bounds.BEYOND_BUDGET`): whole lines were hidden, then checked with no box. Safe, but more. (Or a line was
    # false of the figures, `programme.NoPoint`: its group's whole lines hidden, unchecked.)
    fallback: bool = False

    def __contains__(self, cell: Cell) -> bool:
        return cell in self.cells


NOTHING_HIDDEN = Hidden(frozenset())


def hidden_cells(figures: Figures, relations: Relations, reader: Reader, *, settled: frozenset[Cell] = frozenset(),
                 settled_hidden: frozenset[Cell] = frozenset(), bound_work: float | None = None) -> Hidden:
    """`settled`: cells another table already published, as shown (or, in `settled_hidden`, hidden); they are
    never chosen to protect this table's cells, since hiding them here would not take them from the reader.
    `bound_work`: the budget for the bound (`bounds.BOUND_WORK` by default)."""
    if reader.sees_everything:
        return NOTHING_HIDDEN
    figures, relations, rests = as_lines(figures, relations)
    protected = {cell: reader.protects_figure(about) for cell, about in figures.about.items()}
    for cell in (settled - settled_hidden) | rests:
        protected[cell] = False
    # Another LA may read what this reader reads (a board's pack goes round the table): protect each line
    # against whoever knows its own cells too. The reader's own cells are known to it anyway.
    insiders = {cell: about for cell, about in figures.about.items() if isinstance(about, str) and protected.get(cell)}
    search = _Search(figures.values, relations, protected, reader.threshold, insiders, rests)
    bound = Bound(search, bounds.BOUND_WORK if bound_work is None else bound_work)
    # A rest of 0 is taken as known, one over 0 as hidden: either way the reader is taken to know more than it does.
    unknown_rests = {cell for cell in rests if figures.values[cell]}
    hidden = with_what_follows(search.run((settled_hidden & set(figures.values)) | unknown_rests, bound) - rests,
                               figures, relations, reader)
    return Hidden(hidden, bound.fallback)


def with_what_follows(counts: set[Cell] | frozenset[Cell], figures: Figures, relations: Relations,
                      reader: Reader) -> frozenset[Cell]:
    """Hidden counts with what hides with them: figures derived from one, and statistics over few records."""
    derived = {c for c, inputs in relations.derived.items()
               if any(i in counts for i in inputs) and not relations.of_nothing(c, figures.values, counts)}
    return frozenset(counts | derived | few_records(figures, relations, reader))


def as_lines(figures: Figures, relations: Relations) -> tuple[Figures, Relations, frozenset[Cell]]:
    """An inequality (`Relations.at_most`) as a line: the total is its parts and a *rest* that no pack shows. A
    reader knows the rest is at least 0; the search takes it as known where it is 0 and as a hidden count (at
    least 1) where it is more, and never hides a cell to protect it.

    So is a line whose parts returned fall short of its total (an LA that returned its discharges but not each
    kind, and every area it is in): they add up to at most the total. Declared as a line, it was false of the
    data, its group's programme had no point, and the bound took every count in it to have no end. (A line
    whose parts exceed its total stays false: its group falls back, `programme.NoPoint`.)"""
    values, bounded = figures.values, list(relations.bounded)
    partial = [(parts, total) for parts, total in relations.lines if _short_of_total(values, parts, total)]
    if not bounded and not partial:
        return figures, relations, frozenset()
    figures = Figures(dict(values), dict(figures.about), set(figures.shown))
    dropped = set(partial)
    relations = Relations([line for line in relations.lines if line not in dropped], relations.derived,
                          relations.hide_last, relations.statistics, numerators=relations.numerators)
    rests = set()
    returned = [(tuple(p for p in parts if values.get(p) is not None), total) for parts, total in partial]
    for parts, total in [*bounded, *returned]:
        whole, counted = values.get(total), [values.get(p) for p in parts]
        if not parts or whole is None or any(v is None for v in counted) or whole < sum(counted):
            continue
        rest = Cell(total.row, f"{total.measure}\x00beyond\x00{'+'.join(p.measure for p in parts)}")
        figures.count(rest, whole - sum(counted), figures.about[total])  # type: ignore[arg-type]
        relations.adds_up([*parts, rest], total)
        rests.add(rest)
    return figures, relations, frozenset(rests)


def _short_of_total(values: dict[Cell, int | None], parts: tuple[Cell, ...], total: Cell) -> bool:
    """A line whose parts returned fall short of its total: a part not returned, or (an area's row) parts each
    summed over the LAs that returned it beside a total over every LA that returned the total."""
    whole = values.get(total)
    return whole is not None and sum(values.get(p) or 0 for p in parts) < whole


def few_records(figures: Figures, relations: Relations, reader: Reader) -> set[Cell]:
    """Statistics over fewer than `FEWEST_FOR_STATISTIC` records this reader may not see one by one (not its own)."""
    if reader.sees_everything:
        return set()
    few = set()
    for cell, over in relations.statistics.items():
        n, about = figures.values.get(over), figures.about.get(over)
        # Over no record there is no statistic to hide: shown as not there (–), not as suppressed (c).
        if n is not None and 0 < n < FEWEST_FOR_STATISTIC and about is not None and reader.protects_figure(about):
            few.add(cell)
    return few


class _Search:
    """One call's working state: which cells are hidden so far, and the lines each cell is in."""

    def __init__(self, values: dict[Cell, int | None], relations: Relations, protected: dict[Cell, bool],
                 threshold: int, insiders: dict[Cell, str], rests: frozenset[Cell] = frozenset()) -> None:
        self.values, self.relations, self.protected, self.threshold = values, relations, protected, threshold
        self.insiders = insiders  # the LA that knows each cell: its own
        self.rests = rests  # hidden only to stand for what an inequality leaves: worked out, they give nothing away
        self.solved: dict[frozenset[Cell], list[Cell]] = {}
        self.order = {cell: i for i, cell in enumerate(values)}
        # Shares of several counts by each of their inputs, the counts they add and their total (`figures_lost`).
        # Not every derived figure: nearly every count has a share of its own, lost with it whichever count is
        # hidden; counted, they steered the search to cells of no share in other lines (docs/disclosure.md).
        self.shares_of_several: dict[Cell, list[Cell]] = {}
        for figure, inputs in relations.derived.items():
            if len(relations.numerators.get(figure, ())) > 1:
                for cell in dict.fromkeys(inputs):
                    self.shares_of_several.setdefault(cell, []).append(figure)
        self.present = [self._members(parts, total) for parts, total in relations.lines]
        self.lines_of: dict[Cell, list[int]] = {}
        for i, (members, total) in enumerate(self.present):
            for member in (*members, *([total] if total is not None else [])):
                self.lines_of.setdefault(member, []).append(i)
        # Of the lines with a total: each cell's lines with its sign in each (+1 a part, −1 the total, once per time
        # it appears), and each line's signed sum of all its cells. The equations and the bound's programmes are
        # built from their unknowns' own lines, so a total over many shown LAs costs no more than its hidden ones.
        self.signed_lines: dict[Cell, list[tuple[int, int]]] = {}
        self.line_sums: dict[int, int] = {}
        for i, (members, total) in enumerate(self.present):
            if total is not None:
                self.line_sums[i] = 0
                for member, sign in [(p, 1) for p in members] + [(total, -1)]:
                    self.signed_lines.setdefault(member, []).append((i, sign))
                    self.line_sums[i] += sign * (values[member] or 0)

    def run(self, already_hidden: set[Cell], bound: Bound) -> set[Cell]:
        self._release_own_totals()
        hidden = {c for c, v in self.values.items() if self.protected.get(c) and v is not None and 1 <= v <= self.threshold}
        hidden |= already_hidden
        # Nothing fixed first (cheap, and most of the work), then the bound over the groups left.
        while (self._protect_lines(hidden) or self._protect_against_combinations(hidden)
               or bound.widen(hidden, self._linked_unknowns(hidden))):
            pass
        return hidden

    def _members(self, parts: tuple[Cell, ...], total: Cell) -> tuple[list[Cell], Cell | None]:
        present = [p for p in parts if self.values.get(p) is not None]
        return present, total if self.values.get(total) is not None else None

    def _release_own_totals(self) -> None:
        """A total made only of the reader's own figures and zeros tells the reader nothing new: not protected."""
        changed = True
        while changed:
            changed = False
            for present, total in self.present:
                if total is None or not self.protected.get(total) or not present:
                    continue
                # A rest is unprotected only because no pack shows it: the reader does not know it.
                if all((not self.protected.get(p) and p not in self.rests) or self.values[p] == 0 for p in present):
                    self.protected[total] = False
                    changed = True

    def _exposed(self, hidden: set[Cell], parts: list[Cell], total: Cell | None) -> bool:
        members = parts + ([total] if total is not None else [])
        concealed = [m for m in members if m in hidden]
        if all(m in self.rests for m in concealed):
            return False
        if len(concealed) == 1 and total is not None:
            return True
        if total is None or total in hidden or not concealed:
            return False
        # The reader knows the hidden parts' sum, and that each is at least 1: each lies in 1..sum - (n - 1).
        # A hidden small count must keep `threshold` possible values (1..5 is all the "c" already says).
        whole = _Concealed()
        by_insider: dict[str, _Concealed] = {}
        for m in concealed:
            value, small = self.values[m] or 0, self._is_small(m)
            whole.add(value, small)
            if m in self.insiders:
                by_insider.setdefault(self.insiders[m], _Concealed()).add(value, small)
        if whole.narrowed(self.threshold):
            return True
        # An LA that knows its own hidden cells of the line knows the others' sum: the same test without them. A rest
        # left alone it works out, and learns nothing: what its own figures leave of its own total (the assessed whose
        # child did not remain), or a sum no pack shows. Hiding a cell for it hid an LA's assessed, then what that
        # took (care orders: 77–88 cells a year more than with this rule, docs/disclosure.md). What a rest
        # gives away together with other lines is the bound's to check (step 6), out of work too.
        rests = sum(1 for m in concealed if m in self.rests)  # never an LA's own: all of them are left
        return any((rest := whole.without(own)).count > rests and (rest.count == 1 or rest.narrowed(self.threshold))
                   for own in by_insider.values())

    def _is_small(self, cell: Cell) -> bool:
        return bool(self.protected.get(cell)) and 1 <= (self.values[cell] or 0) <= self.threshold

    def _hide_another(self, hidden: set[Cell], members: list[Cell], line: int | None = None) -> Cell | None:
        candidates = [m for m in members if m not in hidden and self.protected.get(m) and (self.values[m] or 0) > 0]
        if not candidates:
            return None

        def closes_another(member: Cell) -> bool:
            # A cell that also closes another exposed line protects two at once: fewer cells hidden.
            return any(i != line and self._exposed(hidden, *self.present[i]) for i in self.lines_of.get(member, ()))

        choice = min(candidates, key=lambda m: (m in self.relations.hide_last, not closes_another(m),
                                                self.figures_lost(hidden, m), self.values[m] or 0))
        hidden.add(choice)
        return choice

    def figures_lost(self, hidden: set[Cell], cell: Cell) -> int:
        """How many shown shares of several counts hiding `cell` would hide too (`pct_good_or_better`, of the
        outstanding and the good over the graded): of two cells that protect a line alike, the one that takes none
        with it. A figure is a figure to the reader, and this one is what the audits pack is read for. A total
        hidden under a share of nothing (its numerators shown zeros) leaves the share shown."""
        return sum(1 for figure in self.shares_of_several.get(cell, ())
                   if not any(i in hidden for i in self.relations.derived[figure])
                   and not self.relations.of_nothing(figure, self.values, hidden))

    def _whole_line(self, i: int) -> list[Cell]:
        members, total = self.present[i]
        return members + ([total] if total is not None else [])

    def _protect_lines(self, hidden: set[Cell]) -> bool:
        changed = False
        pending = list(range(len(self.present)))
        while pending:
            i = pending.pop()
            if not self._exposed(hidden, *self.present[i]):
                continue
            choice = self._hide_another(hidden, self._whole_line(i), i)
            if choice is None:
                continue  # nothing left to hide in this line: the reader knows every other cell
            changed = True
            pending.append(i)
            pending.extend(self.lines_of.get(choice, ()))
        return changed

    def _protect_against_combinations(self, hidden: set[Cell]) -> bool:
        """Lines taken together can pin a cell no single line does (e.g. a row and a column).

        Solved per group of lines that share hidden cells, so the algebra stays small. Every pinned cell of a
        pass gets a neighbour at once: protected one at a time, England's outcomes for one year took 258
        passes over one group of thousands of unknowns (140 s); at once, a neighbour that would have freed
        two pinned cells is sometimes hidden beside another that was not needed."""
        changed = False
        for unknowns in self._linked_unknowns(hidden):
            # A group no hidden cell has joined or left since it was last solved fixes what it fixed then.
            group = frozenset(unknowns)
            if group not in self.solved:
                self.solved[group] = determined(self._equations(unknowns), unknowns)
            for cell in self.solved[group]:
                if cell not in self.rests:
                    changed |= self._protect_pinned(hidden, cell, unknowns)
        return changed

    def _protect_pinned(self, hidden: set[Cell], cell: Cell, unknowns: list[Cell]) -> bool:
        # Its own lines first; where they have nothing left to hide (every other cell hidden, zero or the
        # reader's own), a line of a cell it is pinned through, which adds an unknown to the same equations.
        # A line that had nothing to hide has nothing the next time it comes up: each is tried once (England's
        # unknowns share most of their lines, and trying them again was a third of deciding a year's outcomes).
        tried: set[int] = set()
        for member in (cell, *unknowns):
            for i in self.lines_of.get(member, ()):
                if i in tried:
                    continue
                tried.add(i)
                if self._hide_another(hidden, self._whole_line(i), i) is not None:
                    return True
        return False

    def _linked_unknowns(self, hidden: set[Cell]) -> list[list[Cell]]:
        parent: dict[Cell, Cell] = {}

        def root(cell: Cell) -> Cell:
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        # Only the lines with a hidden cell can link two: England's tables have tens of thousands of lines.
        for i in sorted({i for cell in hidden for i in self.lines_of.get(cell, ())}):
            concealed = [m for m in self._whole_line(i) if m in hidden]
            for cell in concealed:
                parent.setdefault(cell, cell)
            for cell in concealed[1:]:
                parent[root(cell)] = root(concealed[0])
        groups: dict[Cell, list[Cell]] = {}
        for cell in parent:
            groups.setdefault(root(cell), []).append(cell)
        return [sorted(group, key=self.order.__getitem__) for group in groups.values()]

    def _equations(self, unknowns: list[Cell]) -> list[dict[int, int]]:
        """The coefficients of the unknowns in each line they are in (which are fixed depends on these alone)."""
        return [terms for _, terms in self.terms_by_line(unknowns)]

    def terms_by_line(self, unknowns: list[Cell]) -> list[tuple[int, dict[int, int]]]:
        """Each line (with a total) that `unknowns` are in, in line order, with their coefficients in it by their
        place in `unknowns`; lines where they cancel out are left out."""
        terms_of: dict[int, dict[int, int]] = {}
        for column, cell in enumerate(unknowns):
            for i, sign in self.signed_lines.get(cell, ()):
                terms = terms_of.setdefault(i, {})
                terms[column] = terms.get(column, 0) + sign
        found = []
        for i in sorted(terms_of):
            terms = {column: sign for column, sign in terms_of[i].items() if sign}
            if terms:
                found.append((i, terms))
        return found


@dataclass
class _Concealed:
    """The hidden cells of a line as a reader sees them: how many, their sum, how many are small counts."""

    count: int = 0
    total: int = 0
    small: int = 0

    def add(self, value: int, small: bool) -> None:
        self.count, self.total, self.small = self.count + 1, self.total + value, self.small + small

    def without(self, other: "_Concealed") -> "_Concealed":
        return _Concealed(self.count - other.count, self.total - other.total, self.small - other.small)

    def narrowed(self, threshold: int) -> bool:
        """Each is at least 1, so each lies in 1..total - (count - 1); all 1s when total == count."""
        return self.total == self.count or (self.small > 0 and self.total - self.count + 1 < threshold)


def determined(rows: list[dict[int, int]], unknowns: list[Cell]) -> list[Cell]:
    """Unknowns whose value the equations fix, whatever the other unknowns are.

    Exact Gauss–Jordan elimination on sparse rows ({column: coefficient}; each line touches few cells), in
    integers: each row is kept as a whole multiple of its rational reduced form, divided by its greatest common
    divisor, so that no row's coefficients grow and Python's integers do the arithmetic rather than its
    fractions (a third of deciding a year's outcomes, in fractions). Scaling a row changes none of the columns
    it holds, so the pivots, and which unknowns end alone in a row, are those of the rational form. An unknown
    is fixed when a reduced row holds it alone. The constants do not matter to which. Every coefficient given is
    non-zero (`terms_by_line` leaves out cancelled ones): a row holds the columns it names."""
    reduced: dict[int, dict[int, int]] = {}  # pivot column -> row, kept fully reduced
    # Column -> the pivots whose rows hold it: a new pivot is cancelled from those rows alone. (Scanning every
    # row for it was about an eighth of the elimination's time in a year's outcomes.)
    holding: dict[int, set[int]] = {}
    for row in rows:
        for column in [c for c in row if c in reduced]:
            if row.get(column):
                row = _eliminated(row, reduced[column], column)
        if not row:
            continue
        pivot = min(row)
        row = _signed(row, pivot)
        for key in sorted(holding.get(pivot, ())):
            before = reduced[key]
            # Stays positive: `row` holds no other pivot, so `key`'s coefficient is only scaled by `row`'s pivot.
            reduced[key] = after = _eliminated(before, row, pivot)
            for column in before.keys() - after.keys():
                holding[column].discard(key)
            for column in after.keys() - before.keys():
                holding.setdefault(column, set()).add(key)
        reduced[pivot] = row
        for column in row:
            holding.setdefault(column, set()).add(pivot)
    return [unknowns[pivot] for pivot, row in reduced.items() if len(row) == 1]


def _eliminated(row: dict[int, int], pivot_row: dict[int, int], column: int) -> dict[int, int]:
    """`row` with `column` cancelled by `pivot_row`, as integers divided by their greatest common divisor."""
    keep, take = pivot_row[column], row[column]
    # Pivots are kept positive (`_signed`), most of them 1: then `row` needs no scaling.
    combined = dict(row) if keep == 1 else {c: keep * v for c, v in row.items()}
    for c, v in pivot_row.items():
        value = combined.get(c, 0) - take * v
        if value:
            combined[c] = value
        else:  # held by both, so present
            del combined[c]
    divisor = math.gcd(*combined.values()) if combined else 1
    return {c: v // divisor for c, v in combined.items()} if divisor > 1 else combined


def _signed(row: dict[int, int], pivot: int) -> dict[int, int]:
    """`row` with its pivot's coefficient positive: which columns a row holds, all the elimination reads, is the
    same either way."""
    return row if row[pivot] > 0 else {c: -v for c, v in row.items()}
