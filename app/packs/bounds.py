"""The bound: each hidden count of 1..threshold keeps at least `threshold` possible values against a reader
who minimises and maximises it by linear programming over the table's lines (HiGHS: `programme.py`).

The reader knows every shown cell and that every hidden count is at least 1 (zero is shown). Only the
hidden cells linked to a count through lines can move it, so each group of linked hidden cells is its own
linear programme. Two hidden cells in a row and two in a column, for instance, can leave each 1..4 although
no single line narrows them and nothing is fixed. A narrowed count gets one more cell hidden, from a line
that bounds it (a line whose dual value is not zero at the least or greatest value), the cheapest that
widens its range, and everything is checked again.

The search for the fewest cells is boxed per table, in work rather than seconds so that it decides alike on every
worker (`BOUND_WORK`: cells plus lines of each programme solved; see `programme.Budget`): a group it has not found
wide by then (or, by `BEYOND_BUDGET`, too large to search in the work left) has every line of its small counts
hidden whole, which hides more than needed and is reported (`Hidden.fallback`, a pack's
`suppression.bound_fallback`). From then on every group of the table has its small counts' lines hidden whole, and
each is then checked like any, with no box: whole lines alone let an LA that knows its own cells narrow another's
count in some tables, and the check is cheap once they are hidden, since a point that moves only the count's own
LA's cells and aggregates answers for every insider at once (`_against_every_insider`); a count found narrowed then
has every cell that may be hidden in its bounding lines hidden at once (`_hide_bounding_lines`). A group with a line false
of the figures (`programme.NoPoint`) has whole lines hidden and is not checked: no programme of it has a point.

Against insiders too (`AGAINST_INSIDERS`): a board's pack goes round the table, so an LA that knows its own cells
(the totals made only of them and zeros, and those totals' parts: `_own`) is an attacker of its own. Each group is
checked again with each such LA's cells fixed. Points that move few cells (`Programme.witness`) answer for every
insider whose cells they leave alone, and are sought first among the cells near a count (`NEAR`). Off, an LA
holding a North West portal's packs narrowed 17–37 other LAs' hidden counts (`tests/packs/test_attack_insider.py`);
on, deciding the demo data's default tables took 72 s instead of 42 s (docs/disclosure.md).
"""

import logging
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from app.packs.cells import Cell
from app.packs.programme import Budget, NoPoint, OutOfTime, Programme

if TYPE_CHECKING:
    from app.packs.disclosure import _Search

log = logging.getLogger(__name__)

# Work one table may spend searching for few cells before falling back to whole lines (checked after): cells plus lines of each
# programme solved (a region's audits year of the demo data spends some 1,600,000, most of it against insiders:
# docs/disclosure.md).
BOUND_WORK = 2_000_000.0
# A group whose reader's check could take more than this many times the work left falls back before it is started
# (`Bound._beyond_budget`): the points seen spare about half the solves, so one that may need more than twice the
# work left would run out of it, having spent it all.
BEYOND_BUDGET = 2.0
# Cells tried, cheapest first, when looking for one that widens a narrowed count.
TRIED_PER_WIDENING = 6
# How far from a count, in lines, an insider's point is sought before the whole group is (`Bound._witness`).
NEAR = (2, 4)
# Whether each LA that knows its own hidden cells is an attacker too (a board's pack goes round the table).
AGAINST_INSIDERS = True
_EPSILON = 1e-6
# Programmes of the cells near a count whose HiGHS models are kept built at once (`Bound._near`): its two ends are
# sought one after the other. All of them kept, a region's audits year held some 700 HiGHS models at once and a
# worker 1.5 GB. A model built again starts from no basis and may return another of equally good points: the same
# on every worker, but not always the point a kept one gave (docs/disclosure.md, "Memory and time of the check").
RECENT = 4


def possible_values(low: float, high: float) -> float:
    if math.isinf(low) or math.isinf(high):
        return math.inf
    return math.floor(high + _EPSILON) - math.ceil(low - _EPSILON) + 1


class Bound:
    """The bound for one table's search: checks the groups of linked hidden cells, widens what is narrowed."""

    def __init__(self, search: "_Search", work: float) -> None:
        self.search = search
        self.budget = Budget(work)
        # Groups found wide (unchanged, they stay wide), and groups with a line false of the figures, given up on.
        self.checked: set[frozenset[Cell]] = set()
        self.wide: set[tuple[Cell, str | None]] = set()  # counts found wide (for the reader, or an insider)
        # Feasible values seen for each small count, with the cells each point moved from their values.
        self.witnesses: dict[Cell, list[tuple[float, frozenset[Cell]]]] = {}
        self.fallback = False  # whole lines hidden somewhere: out of work, or a line false of the figures (reported)
        # Out of work: from then on every group's small counts have their lines hidden whole, and each group is then
        # checked with no box (docs/disclosure.md, "When the work runs out").
        self.unboxed = False
        self.lined: set[Cell] = set()  # small counts whose lines are hidden whole
        self.owned: dict[str, set[Cell]] = {}  # `_own`, an insider's
        self._cells_of: dict[str, list[Cell]] | None = None  # each insider's own figures, indexed once per table
        self._owners: dict[Cell, list[str]] | None = None  # `_aggregate_owners`

    def widen(self, hidden: set[Cell], groups: list[list[Cell]]) -> bool:
        """One pass: each narrowed count gets one more cell hidden. False when every count keeps the bound."""
        changed = False
        for unknowns in groups:
            group = frozenset(unknowns)
            if group in self.checked or not any(self.search._is_small(c) for c in unknowns):
                continue
            try:
                if self.unboxed:
                    unlined = [c for c in unknowns if self.search._is_small(c) and c not in self.lined]
                    if unlined:
                        self._hide_whole_lines(hidden, unlined)
                        changed = True  # the group has grown: checked in the next pass
                        continue
                elif self._beyond_budget(unknowns):
                    raise OutOfTime
                narrowed = self._narrowed(unknowns)
                if not narrowed:
                    self.checked.add(group)
                    continue
                added: set[Cell] = set()
                for cell, binding, insider in narrowed:
                    # One neighbour may widen several counts of a pass: a count whose bounding lines have just
                    # had a cell hidden is checked again in the next pass rather than given another.
                    if not any(m in added for i in binding for m in self.search._whole_line(i)):
                        if self.unboxed:
                            added.update(self._hide_bounding_lines(hidden, unknowns, cell, binding, insider))
                        else:
                            chosen = self._hide_one_more(hidden, unknowns, cell, binding, insider)
                            if chosen is not None:
                                added.add(chosen)
                if not added:  # nothing anyone could hide near them: every neighbour a zero, settled or hidden
                    log.warning({"event": "bound_counts_left_narrowed", "counts": len(narrowed), "cells": len(unknowns)})
                changed |= bool(added)
            # `NoPoint` is an `OutOfTime`: caught first.
            except NoPoint:
                # A line false of the figures: no programme of the group has a point to check it by.
                log.warning({"event": "bound_line_false_of_figures", "cells": len(unknowns)})
                self.fallback = True
                changed |= self._hide_whole_lines(hidden, [c for c in unknowns if self.search._is_small(c)])
                self.checked.add(group)
            except OutOfTime:
                # Whole lines alone, unchecked, let an LA that knows its own cells narrow another's count in some
                # tables: every group gets them in the next pass, then the check with no box.
                self.fallback = self.unboxed = True
                self.budget = Budget(math.inf)
                changed = True
        return changed

    def _beyond_budget(self, unknowns: list[Cell]) -> bool:
        """Whether the reader's own check of the group could take more than `BEYOND_BUDGET` times the work left:
        up to two solves of the whole group for each small count not yet shown wide (points seen spare some).
        Such a group is not started: a region's outcomes year of the demo data has one of 1,400–2,235 cells
        (5–10 million by this measure), whose check ran out of the table's work every year, after 6–13 s spent
        for nothing. A rule of thumb, not a proof that the work would run out: where it would not have, more
        is hidden than needed (whole lines), never less."""
        s = self.search
        unchecked = sum(1 for c in unknowns if s._is_small(c) and (c, None) not in self.wide
                        and self._span(c, frozenset()) < s.threshold)
        lines = len({i for c in unknowns for i in s.lines_of.get(c, ())})
        return 2 * unchecked * (len(unknowns) + lines) > BEYOND_BUDGET * self.budget.left

    def _programme(self, unknowns: Iterable[Cell]) -> Programme:
        """The linear programme of `unknowns`: a row for each line they are in, the line's shown cells moved to its
        right-hand side (the line's whole signed sum less its unknowns' part of it)."""
        s = self.search
        unknowns = list(unknowns)
        truth = [s.values[c] or 0 for c in unknowns]
        lines, rows, b = [], [], []
        for i, terms in s.terms_by_line(unknowns):
            lines.append(i)
            rows.append(terms)
            b.append(float(sum(sign * truth[column] for column, sign in terms.items()) - s.line_sums[i]))
        return Programme(unknowns, lines, rows, b, [float(v) for v in truth], self.budget)

    def _narrowed(self, unknowns: list[Cell]) -> list[tuple[Cell, set[int], str | None]]:
        """The hidden small counts left fewer than `threshold` values, with the lines that bound each: by the
        portal's view, then by each LA that knows its own hidden cells of the group."""
        programme = self._programme(unknowns)
        if self.unboxed and AGAINST_INSIDERS:
            self._against_every_insider(programme)
        found = [(cell, binding, None) for cell, binding in self._narrowed_in(programme, None, {})]
        if found or not AGAINST_INSIDERS:
            return found
        for la in self._insiders_of(unknowns):
            own = self._own(la)
            known = {cell: self.search.values[cell] or 0 for cell in unknowns if cell in own}
            found += [(cell, binding, la) for cell, binding in self._narrowed_in(programme, la, known)]
        return found

    def _insiders_of(self, unknowns: list[Cell]) -> list[str]:
        """The LAs that know some of the group's cells: those with figures in it, in the group's order, then those
        owning only aggregates of it (a region's count of one month, all one LA's children: `_own`), by code. A
        group of aggregates alone was checked against no LA: over random tables with a month breakdown of each
        region, an attacker written apart found an LA narrowing another's share of such a month in 5 of 110."""
        s = self.search
        las = dict.fromkeys(s.insiders[c] for c in unknowns if c in s.insiders)
        owners = self._aggregate_owners()
        for la in sorted({la for c in unknowns if c not in s.insiders for la in owners.get(c, ())}):
            las.setdefault(la)
        return list(las)

    def _aggregate_owners(self) -> dict[Cell, list[str]]:
        """Each aggregate cell some LA owns (`_own`), with those LAs; worked out once a table."""
        if self._owners is None:
            s = self.search
            self._owners = {}
            for la in sorted(set(s.insiders.values())):
                for cell in self._own(la):
                    if cell not in s.insiders:
                        self._owners.setdefault(cell, []).append(la)
        return self._owners

    def _against_every_insider(self, programme: Programme) -> None:
        """For each small count, a point that moves no other LA's cells (only its own LA's and aggregates; for an
        aggregate's count, no LA's): it answers for the reader and for every insider whose own totals it leaves
        alone, so that few counts need the reader's own solves or an insider's.

        Sought in the programme of those cells alone, the other LAs' at their values: the same points as the
        whole group's with theirs fixed, from a programme a quarter of its size (an outcomes year's group of 2,013
        cells: 403 aggregates and up to 87 of one LA's), and each solve no longer sets and resets the bounds of
        every other LA's cell."""
        s = self.search
        counts: dict[str | None, list[Cell]] = {}
        for cell in programme.unknowns:
            if s._is_small(cell):
                counts.setdefault(s.insiders.get(cell), []).append(cell)
        for owner, small in counts.items():
            free = [c for c in programme.unknowns if s.insiders.get(c, owner) == owner]
            known = frozenset(programme.unknowns) - frozenset(free)
            local: Programme | None = None
            for cell in small:
                for sign in (-1, 1):
                    if self._span(cell, known) >= s.threshold:
                        break
                    if local is None:
                        local = self._programme(free)
                    reach = local.truth[local.index[cell]] + s.threshold
                    self._seen(local, local.witness(cell, sign, {}, reach))

    def _own(self, insider: str) -> set[Cell]:
        """The cells an LA knows of its own: its figures, totals made only of them and zeros (a region's count
        where every other LA shows 0), and the parts of such a total that are no other LA's figures (that region's
        count in one month, the LA's own children too). Each is the LA's to know; it is not narrowed by knowing it.
        Without the parts, a group's count of one month, all of one LA's children, was found narrowed against that
        LA in the load test (`bound_counts_left_narrowed`), with nothing anyone could hide to widen it."""
        if insider not in self.owned:
            s = self.search
            if self._cells_of is None:
                self._cells_of = {}
                for cell, la in s.insiders.items():
                    self._cells_of.setdefault(la, []).append(cell)
            own = set(self._cells_of.get(insider, ()))
            pending = list(own)
            while pending:
                for i in s.lines_of.get(pending.pop(), ()):
                    members, total = s.present[i]
                    if total is not None and total not in own and all(m in own or s.values[m] == 0 for m in members):
                        own.add(total)
                        pending.append(total)
                    if total in own:
                        parts = [m for m in members if m not in own and s.insiders.get(m, insider) == insider]
                        own.update(parts)
                        pending.extend(parts)
            self.owned[insider] = own
        return self.owned[insider]

    def _narrowed_in(self, programme: Programme, insider: str | None, fixed: dict[Cell, int]) -> list[tuple[Cell, set[int]]]:
        s = self.search
        # Hiding more only adds unknowns, so what is possible only grows: a count once wide stays wide, and a
        # point found feasible stays feasible (the new unknowns at their values).
        small = [c for c in programme.unknowns if s._is_small(c) and c not in fixed and (c, insider) not in self.wide]
        known = frozenset(fixed)  # `_span` asks it of every point seen (a region's audits year: 100,000 times), set to set
        narrowed = []
        for cell in small:
            for sign in (-1, 1):
                if self._span(cell, known) >= s.threshold:
                    break
                if fixed:
                    self._witness(programme, cell, sign, fixed, known)
                else:  # the reader's own view: any point will do, and a vertex moves many counts at once
                    value, _, point = programme.solve(cell, sign, fixed)
                    if math.isinf(value):  # no end that way: valid for no insider, who might fix it
                        self.witnesses.setdefault(cell, []).append((value, frozenset(programme.unknowns)))
                    self._seen(programme, point)
            if self._span(cell, known) >= s.threshold:
                self.wide.add((cell, insider))
                continue
            binding: set[int] = set()
            for sign in (-1, 1):
                _, duals, _ = programme.solve(cell, sign, fixed)
                if duals is not None:
                    binding |= {programme.lines[r] for r, d in enumerate(duals) if abs(d) > _EPSILON}
            narrowed.append((cell, binding))
        return narrowed

    def _seen(self, programme: Programme, point: np.ndarray) -> None:
        """Keeps a feasible point as a witness for every small count it moves (with the cells it moved)."""
        truth = programme.truth
        moved = frozenset(c for c, i in programme.index.items() if abs(point[i] - truth[i]) > _EPSILON)
        for c in moved:
            if self.search._is_small(c):
                self.witnesses.setdefault(c, []).append((float(point[programme.index[c]]), moved))

    def _witness(self, programme: Programme, cell: Cell, sign: int, fixed: dict[Cell, int], known: frozenset[Cell]) -> None:
        """A point that moves `cell` as far as it goes (`Programme.witness`), leaving an insider's cells as they are.

        Sought first among the hidden cells near it, the rest held at their values: such a point is a point of
        the whole group too, and where it reaches the cell's end (its floor, or `threshold` above its value) no
        point of the whole group reaches further; nor is one needed once the points seen leave the cell wide.
        Over the whole group alone, a region's audits year (a group of some 1,000 cells) took 1,500 points at
        more than 2,000 of work each, and fell back."""
        reach = programme.truth[programme.index[cell]] + self.search.threshold
        for lines in NEAR:
            local = self._near(programme, cell, lines)
            if local is None:
                break
            point = local.witness(cell, sign, {c: v for c, v in fixed.items() if c in local.index}, reach)
            self._seen(local, point)
            column = local.index[cell]
            at_end = abs(point[column] - (local.lower[column] if sign == 1 else reach)) <= _EPSILON
            if at_end or self._span(cell, known) >= self.search.threshold:
                return
        self._seen(programme, programme.witness(cell, sign, fixed, reach))

    def _near(self, programme: Programme, cell: Cell, lines: int) -> Programme | None:
        """The programme of the group's cells within `lines` lines of `cell`, the others known at their values
        (None where that is most of the group anyway). Which cells, and the programme's lines, worked out once a
        cell and group; its HiGHS models are built again when it is not among the last `RECENT` asked for."""
        if (cell, lines) not in programme.near:
            s = self.search
            near, frontier, expanded = {cell}, {cell}, set[int]()
            for _ in range(lines):
                reached = set()
                for c in frontier:
                    # A line once expanded has put all its members in `near`: the region's and England's lines,
                    # met from every LA in them, were walked member by member each time (15% of a table's search).
                    for i in s.lines_of.get(c, ()):
                        if i not in expanded:
                            expanded.add(i)
                            reached.update(m for m in s._whole_line(i) if m in programme.index)
                frontier = reached - near
                near |= frontier
            # In the table's order, so that every worker solves the same programme alike.
            ordered = sorted(near, key=s.order.__getitem__)
            programme.near[cell, lines] = ordered if 2 * len(near) < programme.n else None
        cells = programme.near[cell, lines]
        if cells is None:
            return None
        key = (cell, lines)
        if key not in programme.near_programmes:
            programme.near_programmes[key] = self._programme(cells)
        if key not in programme.recent:
            if len(programme.recent) >= RECENT:
                programme.recent.pop(next(iter(programme.recent))).forget_models()
            programme.recent[key] = programme.near_programmes[key]
        return programme.recent[key]

    def _span(self, cell: Cell, known: frozenset[Cell]) -> float:
        """How many values the points seen allow `cell`, counting only points that leave `known` as they are."""
        values = [float(self.search.values[cell] or 0)]
        values += [v for v, moved in self.witnesses.get(cell, ()) if moved.isdisjoint(known)]
        return possible_values(min(values), max(values))

    def _candidates(self, hidden: set[Cell], unknowns: list[Cell], cell: Cell, binding: set[int],
                    insider: str | None) -> set[Cell]:
        """The cells that may be hidden in the lines that bound `cell`, else in its own, else (nothing left to hide
        in those) in any line of its group; none where every neighbour is shown as zero or settled."""
        s = self.search

        def hideable(lines: Iterable[int]) -> set[Cell]:
            return {m for i in lines for m in s._whole_line(i) if self._may_hide(m, hidden, insider)}

        # The group's lines gathered only when the first two leave nothing: out of work every narrowed count of a
        # group of 2,000 cells asks, and most are answered by their bounding lines.
        return (hideable(binding) or hideable(s.lines_of.get(cell, ()))
                or hideable({i for u in unknowns for i in s.lines_of.get(u, ())}))

    def _hide_bounding_lines(self, hidden: set[Cell], unknowns: list[Cell], cell: Cell, binding: set[int],
                             insider: str | None) -> list[Cell]:
        """Out of work, every cell that may be hidden in the lines that bound a narrowed count at once, rather than
        the cheapest that widens it, sought candidate by candidate: it hides more, as whole lines do, in fewer
        passes. A sparse audits year of the load test's data (1,837 hidden cells in one group, many of them small
        counts) took 148 passes and 102 s of CPU the other way under the profiler, 59 s of it trying candidates;
        11.9 s so, the same 3,304 cells. Where those cells together link the group to a line false of the
        figures, the one cell `_hide_one_more` picks instead."""
        s = self.search
        candidates = sorted(self._candidates(hidden, unknowns, cell, binding, insider), key=s.order.__getitem__)
        if not candidates:
            return []
        group = list(unknowns)
        for added in candidates:
            if added not in group:
                group += self._linked(hidden, set(group), added)
        try:
            self._programme(group).solve(cell, 1, {})
        except NoPoint:
            chosen = self._hide_one_more(hidden, unknowns, cell, binding, insider)
            return [chosen] if chosen is not None else []
        hidden.update(candidates)
        return candidates

    def _hide_one_more(self, hidden: set[Cell], unknowns: list[Cell], cell: Cell, binding: set[int],
                       insider: str | None) -> Cell | None:
        s = self.search
        candidates = self._candidates(hidden, unknowns, cell, binding, insider)
        if not candidates:
            return None  # nothing anyone could hide: every neighbour is shown as zero or settled
        ordered = sorted(candidates, key=lambda m: (m in s.relations.hide_last, s.figures_lost(hidden, m), s.values[m] or 0,
                                                    s.order[m]))
        best: Cell | None = None
        best_values = -1.0  # a candidate linking to a line false of the figures (`_range_with`) is never chosen
        for tried, candidate in enumerate(ordered, start=1):
            values = self._range_with(hidden, unknowns, candidate, cell, insider)
            if values >= s.threshold:
                best = candidate
                break
            if values > best_values:
                best, best_values = candidate, values
            if best is not None and tried >= TRIED_PER_WIDENING:
                break
        if best is not None:
            hidden.add(best)
        return best

    def _may_hide(self, cell: Cell, hidden: set[Cell], insider: str | None) -> bool:
        s = self.search
        return (cell not in hidden and bool(s.protected.get(cell)) and (s.values[cell] or 0) > 0
                and (insider is None or cell not in self._own(insider)))

    def _range_with(self, hidden: set[Cell], unknowns: list[Cell], added: Cell, cell: Cell, insider: str | None) -> float:
        group = unknowns + self._linked(hidden, set(unknowns), added)
        programme = self._programme(group)
        own = self._own(insider) if insider else set()
        fixed = {c: self.search.values[c] or 0 for c in group if c in own}
        try:
            low = programme.solve(cell, 1, fixed)[0]
            high = programme.solve(cell, -1, fixed)[0]
        except NoPoint:
            # A line false of the figures among the cells the candidate links to: judged no help, rather than the
            # group given up on (it is itself checked, and may be narrowed still).
            return -1.0
        return possible_values(low, high)

    def _linked(self, hidden: set[Cell], group: set[Cell], added: Cell) -> list[Cell]:
        """`added` and the hidden cells outside `group` (a whole group) that hiding it links to the group."""
        s = self.search
        found, pending = [added], [added]
        seen = group | {added}
        while pending:
            for i in s.lines_of.get(pending.pop(), ()):
                for member in s._whole_line(i):
                    if member in hidden and member not in seen:
                        seen.add(member)
                        found.append(member)
                        pending.append(member)
        return found

    def _hide_whole_lines(self, hidden: set[Cell], counts: list[Cell]) -> bool:
        """Every line of each of `counts` (small counts) hidden whole. Whether a cell was hidden."""
        s = self.search
        before = len(hidden)
        for cell in counts:
            self.lined.add(cell)
            for i in s.lines_of.get(cell, ()):
                hidden.update(m for m in s._whole_line(i) if self._may_hide(m, hidden, None))
        return len(hidden) > before

