"""What every chart is laid out with: text measured before it is drawn, round ticks, keys that wrap.

The page has no script, so no text can be measured in the browser: widths are worked out here from
Arial's advance widths (the page's font; Liberation Sans, its stand-in on Linux, has the same), with a
margin, so that labels are thinned, rotated or moved before they could run into each other."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
FONT = 11          # ticks, values, keys
TITLE_FONT = 14
LINE = 16          # one line of keys or wrapped title
LABEL_WIDTH = 200  # a longer label under an axis is cut, whole in its tooltip
# Arial's advance widths in thousandths of an em (the AFM metrics Helvetica and Arial share).
_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *(556,) * 10, 278, 278, 584, 584,
     584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611,
     722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
     222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584), strict=True))
_BOLD = 1.1        # Arial Bold runs about this much wider
_MARGIN = 1.06     # rendering differences between fonts and platforms


def text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    ems = sum(_WIDTHS.get(ch, 600) for ch in text) / 1000
    return ems * size * _MARGIN * (_BOLD if bold else 1.0)


def fit(text: str, width: float, size: float = FONT) -> str:
    """The text, cut with an ellipsis if it is wider than `width` (its whole is kept in a <title>)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def nice_ticks(maximum: float, intervals: int = 4) -> list[float]:
    """Ticks from 0 at a round step (1, 2 or 5 × 10^k), the last at or above `maximum`."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    count = math.ceil(maximum / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def tick_text(value: float, ticks: Sequence[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    return f"{value:,.{decimals}f}"


def title(text: str, width: float = WIDTH) -> tuple[str, float]:
    """The chart's title, wrapped to the chart's width: (SVG, the y below it)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", TITLE_FONT, bold=True) <= width - 20:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    svg = "".join(f'<text x="{width / 2:.0f}" y="{18 + i * 18}" text-anchor="middle" class="title">{escape(line)}</text>'
                  for i, line in enumerate(lines or [""]))
    return svg, 18 + (len(lines) - 1) * 18 + 12


@dataclass
class KeyEntry:
    """One entry of a chart's key: a swatch (`swatch` is SVG drawn with its top left at 0,0, 14 × 10) and a name."""

    name: str
    swatch: str
    labels: str | None = None  # the `data-key` of the marks this entry names


def swatch_box(colour: str) -> str:
    return f'<rect x="0" y="0" width="10" height="10" fill="{colour}"/>'


def swatch_line(colour: str, dashed: bool = False, hollow: bool = False) -> str:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    point = (f'<circle cx="7" cy="5" r="3" fill="{"#ffffff" if hollow else colour}" stroke="{colour}" '
             f'stroke-width="1.5"/>') if not dashed else ""
    return f'<line x1="0" y1="5" x2="14" y2="5" stroke="{colour}" stroke-width="2"{dash}/>{point}'


def key(entries: Sequence[KeyEntry], top: float, left: float = 10, width: float = WIDTH - 20) -> tuple[str, float]:
    """Every entry, left to right, wrapping onto more lines as needed: (SVG, the y below it). None is left out."""
    parts, x, y = [], left, top
    for entry in entries:
        name = fit(entry.name, width - 20)
        span = 18 + text_width(name) + 16
        if x > left and x + span > left + width:
            x, y = left, y + LINE
        names = f' data-label="{escape(entry.labels)}"' if entry.labels is not None else ""
        hint = f"<title>{escape(entry.name)}</title>" if name != entry.name else ""
        parts.append(f'<g class="key" transform="translate({x:.1f} {y:.1f})">{entry.swatch}'
                     f'<text x="18" y="9.5" class="legend"{names}>{escape(name)}{hint}</text></g>')
        x += span
    return "".join(parts), (y + LINE if entries else top)


def svg(label: str, parts: Sequence[str], height: float, width: float = WIDTH) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height:.0f}" '
            f'width="{width}" height="{height:.0f}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')


@dataclass
class XLabels:
    """How a run of category labels fits under a plot: every `every`th shown, level or turned 45°."""

    every: int
    rotated: bool
    depth: float       # how far below the axis the labels reach
    reach_left: float  # how far left of the first anchor the first label reaches
    wrap: float = 0    # the width to wrap each label to, on two lines at most (0: one line)


def wrapped(text: str, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def x_labels(labels: Sequence[str], step: float, turn: bool) -> XLabels:
    """Level if every label fits its place; else dates (`turn` False) are thinned, names turned 45° (so each
    needs only a line's height across) and thinned only if even that is too much."""
    widest = max((min(LABEL_WIDTH, text_width(label)) for label in labels), default=0)
    if widest + 8 <= step:
        return XLabels(1, False, 22, widest / 2)
    if not turn:
        return XLabels(math.ceil((widest + 8) / step), False, 22, widest / 2)
    if all(len(lines) <= 2 and max(map(text_width, lines)) + 8 <= step for lines in (wrapped(x, step - 8) for x in labels)):
        return XLabels(1, False, 36, step / 2, wrap=step - 8)
    every = math.ceil(18 / (step * math.sin(math.pi / 4)))
    first = min(LABEL_WIDTH, text_width(labels[0])) if labels else 0
    return XLabels(every, True, 18 + widest * math.sin(math.pi / 4), first * math.cos(math.pi / 4) + 4)


def x_label(text: str, x: float, y: float, rotated: bool, names: str | None = None, anchor: str = "middle",
            wrap: float = 0) -> str:
    """A label under the axis; `names`: the `data-key` of the mark it names (its whole text, if cut, in a <title>)."""
    shown = fit(text, LABEL_WIDTH)
    hint = f"<title>{escape(text)}</title>" if shown != text else ""
    attributes = f' data-label="{escape(names)}"' if names is not None else ""
    if wrap:
        lines = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 13}">{escape(line)}</tspan>'
                        for i, line in enumerate(wrapped(text, wrap)))
        return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="tick"{attributes}>{lines}</text>'
    if rotated:
        return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end" class="tick"{attributes} '
                f'transform="rotate(-45 {x:.1f} {y:.1f})">{escape(shown)}{hint}</text>')
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="tick"{attributes}>{escape(shown)}{hint}</text>'


def y_axis(ticks: Sequence[float], left: float, right: float, top: float, height: float, unit: str = "") -> str:
    """Grid lines at each tick, labelled at the left, and the axes."""
    high = ticks[-1] or 1
    parts = []
    for value in ticks:
        y = top + height - value / high * height
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
                     f'{tick_text(value, ticks)}{escape(unit)}</text>')
    parts.append(f'<line x1="{left:.1f}" y1="{top + height:.1f}" x2="{right:.1f}" y2="{top + height:.1f}" class="axis"/>'
                 f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{top + height:.1f}" class="axis"/>')
    return "".join(parts)


def tick_width(ticks: Sequence[float], unit: str = "") -> float:
    return max(text_width(tick_text(t, ticks) + unit) for t in ticks)
