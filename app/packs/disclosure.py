"""Small-number suppression for aggregates seen outside the LA that owns them.

Primary: a count from 1 to the threshold is hidden (zero is shown). Secondary: wherever a
hidden cell could be worked back from the other cells of an additive line (parts that sum to
a total), the next smallest visible cell of that line is hidden too; then every hidden cell is
checked against all the pack's lines at once (exact linear algebra), and against the bound every
hidden cell is at least 1, and more is hidden until none can be recovered. Percentages, rates
and changes computed from a hidden count are hidden with it.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

Key = Hashable


@dataclass
class Disclosure:
    threshold: int
    # Whether a cell is hidden from this reader at all: False for admins, and for an LA's own cells.
    applies_to: "dict[Key, bool]" = field(default_factory=dict)
    values: dict[Key, int | None] = field(default_factory=dict)
    lines: list[tuple[tuple[Key, ...], Key]] = field(default_factory=list)
    derived: dict[Key, tuple[Key, ...]] = field(default_factory=dict)
    enabled: bool = True

    def count(self, key: Key, value: int | None, *, protected: bool = True) -> Key:
        self.values[key] = value
        self.applies_to[key] = protected and self.enabled
        return key

    def line(self, parts: Iterable[Key], total: Key) -> None:
        """`parts` add up to `total` (cells not returned, None, take no part)."""
        if self.enabled:
            self.lines.append((tuple(parts), total))

    def derive(self, key: Key, inputs: Iterable[Key]) -> None:
        """`key` is computed from `inputs` (a share, a rate), so it is hidden whenever one of them is."""
        if self.enabled:
            self.derived[key] = tuple(inputs)

    def hidden(self) -> set[Key]:
        if not self.enabled:
            return set()
        self._index_lines()
        self._release_own_totals()
        hidden = {k for k, v in self.values.items()
                  if self.applies_to.get(k) and v is not None and 1 <= v <= self.threshold}
        while True:
            changed = self._protect_lines(hidden)
            if not changed:
                changed = self._protect_against_combinations(hidden)
            if not changed:
                break
        derived = {k for k, inputs in self.derived.items() if any(i in hidden for i in inputs)}
        return hidden | derived

    def _release_own_totals(self) -> None:
        """A total made only of the reader's own figures and zeros tells the reader nothing new: not protected."""
        changed = True
        while changed:
            changed = False
            for present, total in self._present:
                if total is None or not self.applies_to.get(total) or not present:
                    continue
                if all(not self.applies_to.get(p) or self.values[p] == 0 for p in present):
                    self.applies_to[total] = False
                    changed = True

    def _members(self, parts: tuple[Key, ...], total: Key) -> tuple[list[Key], Key | None]:
        present = [p for p in parts if self.values.get(p) is not None]
        return present, total if self.values.get(total) is not None else None

    def _exposed(self, hidden: set[Key], parts: list[Key], total: Key | None) -> bool:
        members = parts + ([total] if total is not None else [])
        concealed = [m for m in members if m in hidden]
        if len(concealed) == 1 and total is not None:
            return True
        if total is None or total in hidden or not concealed:
            return False
        # Every hidden cell is at least 1, so hidden parts summing to their own number are all 1s.
        return sum(self.values[m] or 0 for m in concealed) == len(concealed)

    def _hide_next_smallest(self, hidden: set[Key], members: list[Key], line: int | None = None) -> Key | None:
        candidates = [m for m in members if m not in hidden and self.applies_to.get(m) and (self.values[m] or 0) > 0]
        if not candidates:
            return None

        def closes_another(member: Key) -> bool:
            # A cell that also closes another exposed line protects two at once: fewer cells hidden.
            return any(i != line and self._exposed(hidden, *self._present[i]) for i in self._lines_of.get(member, ()))

        choice = min(candidates, key=lambda m: (not closes_another(m), self.values[m] or 0))
        hidden.add(choice)
        return choice

    def _index_lines(self) -> None:
        self._present = [self._members(parts, total) for parts, total in self.lines]
        self._lines_of: dict[Key, list[int]] = {}
        for i, (present, total) in enumerate(self._present):
            for member in (*present, *([total] if total is not None else [])):
                self._lines_of.setdefault(member, []).append(i)

    def _protect_lines(self, hidden: set[Key]) -> bool:
        changed = False
        pending = list(range(len(self.lines)))
        while pending:
            i = pending.pop()
            present, total = self._present[i]
            if not self._exposed(hidden, present, total):
                continue
            members = present + ([total] if total is not None else [])
            choice = self._hide_next_smallest(hidden, members, i)
            if choice is None:
                continue  # nothing left to hide in this line: the reader knows every other cell
            changed = True
            pending.append(i)
            pending.extend(self._lines_of.get(choice, ()))
        return changed

    def _protect_against_combinations(self, hidden: set[Key]) -> bool:
        """Lines taken together can pin a cell no single line does (e.g. a row and a column).

        Solved per group of lines that share hidden cells, so the algebra stays small."""
        for unknowns in self._linked_unknowns(hidden):
            for key in determined(self._equations(hidden, unknowns), unknowns):
                for i in self._lines_of.get(key, ()):
                    present, total = self._present[i]
                    if self._hide_next_smallest(hidden, present + ([total] if total is not None else []), i) is not None:
                        return True
        return False

    def _linked_unknowns(self, hidden: set[Key]) -> list[list[Key]]:
        parent: dict[Key, Key] = {}

        def root(key: Key) -> Key:
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for parts, total in self.lines:
            concealed = [m for m in (*parts, total) if m in hidden and self.values.get(m) is not None]
            for key in concealed:
                parent.setdefault(key, key)
            for key in concealed[1:]:
                parent[root(key)] = root(concealed[0])
        groups: dict[Key, list[Key]] = {}
        for key in parent:
            groups.setdefault(root(key), []).append(key)
        return [sorted(group, key=repr) for group in groups.values()]

    def _equations(self, hidden: set[Key], unknowns: list[Key]) -> list[list[Fraction]]:
        index = {k: i for i, k in enumerate(unknowns)}
        rows = []
        for parts, total in self.lines:
            present, total_present = self._members(parts, total)
            if total_present is None:
                continue
            row = [Fraction(0)] * (len(unknowns) + 1)
            if not any(m in index for m in (*present, total_present)):
                continue
            for member, sign in [(p, 1) for p in present] + [(total_present, -1)]:
                if member in index:
                    row[index[member]] += sign
                else:
                    row[-1] -= sign * (self.values[member] or 0)
            if any(row[:-1]):
                rows.append(row)
        return rows


def determined(rows: list[list[Fraction]], unknowns: list[Key]) -> list[Key]:
    """Unknowns whose value the equations fix, whatever the other unknowns are.

    Exact (rational) Gauss–Jordan elimination on sparse rows: each line touches few cells, so rows are
    kept as {column: coefficient}. An unknown is fixed when a reduced row holds it alone."""
    reduced: dict[int, dict[int, Fraction]] = {}  # pivot column -> row, kept fully reduced
    for dense in rows:
        row = {c: v for c, v in enumerate(dense[:-1]) if v}
        for column in [c for c in row if c in reduced]:
            factor = row.get(column)
            if factor:
                _subtract(row, reduced[column], factor)
        if not row:
            continue
        pivot = min(row)
        lead = row[pivot]
        row = {c: v / lead for c, v in row.items()}
        for other in reduced.values():
            factor = other.get(pivot)
            if factor:
                _subtract(other, row, factor)
        reduced[pivot] = row
    return [unknowns[pivot] for pivot, row in reduced.items() if len(row) == 1]


def _subtract(row: dict[int, Fraction], pivot_row: dict[int, Fraction], factor: Fraction) -> None:
    for column, value in pivot_row.items():
        updated = row.get(column, 0) - factor * value
        if updated:
            row[column] = updated
        else:
            row.pop(column, None)
