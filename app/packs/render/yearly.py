"""Yearly series drawn as bars: one bar a financial year, for an area, and a table of bars for many LAs.

Kept apart from `charts.py` (whose shared look is reworked on its own): these two chart kinds name every
bar in data attributes and in its accessible title, so that a reader, a screen reader or a test can read
each year's figure from the page itself. A hidden figure is drawn as "c", a figure not returned as "–",
as in the tables."""

from collections.abc import Sequence
from html import escape

from app.packs.render import svg
from app.packs.render.charts import Suppressed

Value = float | int | None | Suppressed
WIDTH, TOP, BAR_AREA, LABEL_H = 720, 50, 200, 40
OWN, OTHER, TRACK = "#1d70b8", "#5694ca", "#f3f2f1"
SIDE_COLOURS = ("#f47738", "#1d70b8")  # "after", "before" in sorted order: the later period stands out
NAME_W, ROW_H = 170, 20


def financial_year(day: object) -> str:
    """The financial year a 31 March snapshot ends (2021-03-31: 2020-21); any other date as itself."""
    text = str(day)
    year, month_day = int(text[:4]), text[5:10]
    return f"{year - 1}-{year % 100:02d}" if month_day == "03-31" else text


def _shown(value: Value, unit: str) -> str:
    if isinstance(value, Suppressed):
        return "c"
    if value is None:
        return "–"
    return f"{value:,.1f}{unit}" if isinstance(value, float) else f"{value:,}{unit}"


def _data(label: str, value: Value, unit: str) -> str:
    state = "suppressed" if isinstance(value, Suppressed) else "not-returned" if value is None else "shown"
    return (f'data-label="{escape(label)}" data-value="{escape(_shown(value, ""))}" data-state="{state}" '
            f'aria-label="{escape(label)}: {escape(_shown(value, unit))}"')


def _round_top(maximum: float) -> float:
    """The axis's top: the next round number above the largest bar (1, 2 or 5 times a power of ten), at least 1:
    one interval of the shared ticks, so the yearly charts round as every other chart does."""
    return float(max(1, svg.nice_ticks(maximum, 1)[-1]))


def year_bars(title: str, bars: Sequence[tuple[str, Value]], unit: str = "", sides: Sequence[str] | None = None) -> str:
    """One bar a year, each labelled below with its year and above with its value. `sides` (one a bar, e.g.
    "before" and "after"): each run of bars of one side is named above it, in its own colour, and a dashed
    line divides the runs."""
    numbers = [v for _, v in bars if isinstance(v, int | float)]
    top = _round_top(max(numbers, default=0))
    left, height = 56, TOP + BAR_AREA + LABEL_H
    width = (WIDTH - left - 20) / max(1, len(bars))
    base = TOP + BAR_AREA
    parts = [f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" class="title">{escape(title)}</text>',
             f'<line x1="{left}" y1="{base}" x2="{WIDTH - 20}" y2="{base}" class="axis"/>']
    for k in range(5):
        y = base - BAR_AREA * k / 4
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{top * k / 4:,g}{unit}</text>'
                     f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 20}" y2="{y:.1f}" class="grid"/>')
    if sides:
        parts += _side_marks(sides, left, width, base)
    for i, (label, value) in enumerate(bars):
        x, middle = left + i * width + width * 0.15, left + i * width + width / 2
        h = value / top * BAR_AREA if isinstance(value, int | float) else 0
        side = f' data-side="{escape(sides[i])}"' if sides else ""
        colour = SIDE_COLOURS[sorted(set(sides)).index(sides[i]) % 2] if sides else OWN
        parts.append(f'<g class="year-bar" data-key="{escape(label)}" {_data(label, value, unit)}{side}><title>{escape(label)}'
                     f'{f" ({escape(sides[i])})" if sides else ""}: {escape(_shown(value, unit))}</title>'
                     f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{width * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{colour}"/>'
                     f'<text x="{middle:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" class="value">'
                     f'{escape(_shown(value, unit))}</text>'
                     f'<text x="{middle:.1f}" y="{base + 16}" text-anchor="middle" class="tick" '
                     f'data-label="{escape(label)}">{escape(label)}</text>'
                     f'</g>')
    return _svg(title, parts, height)


def _side_marks(sides: Sequence[str], left: float, width: float, base: float) -> list[str]:
    """Each run of one side named above its bars, and a dashed line where the side changes."""
    parts, start = [], 0
    for i in range(1, len(sides) + 1):
        if i < len(sides) and sides[i] == sides[start]:
            continue
        middle = left + (start + i) / 2 * width
        parts.append(f'<text x="{middle:.1f}" y="34" text-anchor="middle" class="legend side">'
                     f'{escape(sides[start].capitalize())}</text>')
        if i < len(sides):
            x = left + i * width
            parts.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{base}" class="divider" '
                         f'stroke="#0b0c0c" stroke-width="1.5" stroke-dasharray="5 4"/>')
        start = i
    return parts


def year_table(title: str, years: Sequence[str], rows: Sequence[tuple[str, Sequence[Value]]],
               total: tuple[str, Sequence[Value]] | None = None, unit: str = "") -> str:
    """A table of bars: a line per LA, a column per year, each cell a bar scaled to the LAs' largest figure
    with its value beside it, so that 23 LAs stay readable. The area's total, far larger, is a last line
    scaled to its own largest figure."""
    col_w = (WIDTH - NAME_W - 10) / max(1, len(years))
    lines = [*rows, *([total] if total else [])]
    height = TOP + 22 + len(lines) * ROW_H + (8 if total else 0) + 6
    parts = [f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" class="title">{escape(title)}</text>']
    for j, year in enumerate(years):
        parts.append(f'<text x="{NAME_W + j * col_w + col_w / 2:.1f}" y="{TOP + 10}" text-anchor="middle" '
                     f'class="tick">{escape(year)}</text>')
    la_top = _round_top(max((v for _, vs in rows for v in vs if isinstance(v, int | float)), default=0))
    for i, (name, values) in enumerate(lines):
        is_total = total is not None and i == len(lines) - 1
        y = TOP + 22 + i * ROW_H + (8 if is_total else 0)
        scale = _round_top(max((v for v in values if isinstance(v, int | float)), default=0)) if is_total else la_top
        if is_total:
            parts.append(f'<line x1="0" y1="{y - 4}" x2="{WIDTH}" y2="{y - 4}" class="axis"/>')
        parts.append(f'<text x="{NAME_W - 8}" y="{y + 13}" text-anchor="end" class="tick">{escape(name[:26])}</text>')
        for j, (year, value) in enumerate(zip(years, values, strict=True)):
            x = NAME_W + j * col_w + 4
            bar_w = (col_w - 8) * 0.62
            w = value / scale * bar_w if isinstance(value, int | float) else 0
            # Named by its line and year; the figure printed beside the bar is its visible label.
            key = escape(f"{name}, {year}")
            parts.append(f'<g class="year-cell" data-key="{key}" data-row="{escape(name)}" {_data(year, value, unit)}>'
                         f'<title>{escape(name)}, {escape(year)}: {escape(_shown(value, unit))}</title>'
                         f'<rect x="{x:.1f}" y="{y + 3}" width="{bar_w:.1f}" height="{ROW_H - 6}" fill="{TRACK}"/>'
                         f'<rect class="bar" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 6}" '
                         f'fill="{OWN if is_total else OTHER}"/>'
                         f'<text x="{x + bar_w + 4:.1f}" y="{y + 13}" class="value" data-label="{key}">'
                         f'{escape(_shown(value, unit))}</text>'
                         f'</g>')
    return _svg(title, parts, height)


def _svg(title: str, parts: list[str], height: float) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="{WIDTH}" height="{height:.0f}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')
