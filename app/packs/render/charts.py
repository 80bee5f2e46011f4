"""Charts drawn as inline SVG on the server, so a pack prints and works with no network and no script.

Every chart names everything it draws: each line, bar or share carries `data-key`, and the text that
names it (a key entry, an axis label, a panel's name) `data-label` with the same value; the browser
tests hold every chart to it. A figure hidden from the reader is drawn "c", one not returned "–", as in
the tables; a partial total (fewer LAs than the area has) is drawn hollow or faded and named in the key."""

import math
from collections.abc import Collection, Mapping, Sequence
from html import escape
from typing import Any

from app.packs.render import svg
from app.packs.render.svg import WIDTH, KeyEntry

PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#912b88", "#28a197", "#6f72af",
           "#85994b", "#801650", "#5694ca", "#003078", "#ffdd00")
GRADE_COLOURS = {"outstanding": "#00703c", "good": "#85994b", "requires_improvement": "#f47738", "inadequate": "#d4351c"}
# More lines than this in one plot cannot be told apart: each series is then drawn in a panel of its own.
MAX_LINES = 8
PLOT_HEIGHT = 200
PANEL_TOP = 24  # a small multiple's plot starts below its name and its top tick's label
SUPPRESSED_NOTE = "suppressed"
NOT_RETURNED_NOTE = "not returned"
PARTIAL_NOTE = "partial total: fewer LAs returned than the area has"


class Suppressed:
    """A figure hidden from this reader (not a figure that was not returned)."""


SUPPRESSED = Suppressed()
Value = float | None | Suppressed


def shown(values: Mapping[str, float | None], suppressed: Mapping[str, str], prefix: str = "") -> dict[str, Value]:
    """A row's figures for a chart, each one the row marks hidden (`prefix` + name) as SUPPRESSED."""
    return {name: SUPPRESSED if f"{prefix}{name}" in suppressed else value for name, value in values.items()}


def shares_of(distribution: Any) -> dict[str, Value]:
    """A distribution's shares for a chart: a hidden one drawn as suppressed (c), not as not returned."""
    return shown(distribution.shares, distribution.suppressed, "shares.")


def value_of(row: Any, measure: str) -> Value:
    """A row's figure as a chart draws it: hidden ("c") kept apart from not returned (None, as is a missing row)."""
    if row is None:
        return None
    return SUPPRESSED if measure in row.suppressed else getattr(row, measure)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _mark(text: str, x: float, y: float, hint: str, colour: str | None = None) -> str:
    fill = f' fill="{colour}"' if colour else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" class="mark"{fill}><title>{escape(hint)}</title>'
            f'{text}</text>')


def _swatch_text(text: str) -> str:
    return f'<text x="7" y="9.5" text-anchor="middle" class="mark">{text}</text>'


def _notes(suppressed: bool, not_returned: bool, partial: bool, partial_swatch: str) -> list[KeyEntry]:
    return ([KeyEntry(SUPPRESSED_NOTE, _swatch_text("c"))] if suppressed else []) + \
           ([KeyEntry(NOT_RETURNED_NOTE, _swatch_text("–"))] if not_returned else []) + \
           ([KeyEntry(PARTIAL_NOTE, partial_swatch)] if partial else [])


def line_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[Value]], *, unit: str = "",
               partial: Collection[int] = (), small_multiples: bool | None = None) -> str:
    """One line per series across the labels (dates), each named in the key; more than MAX_LINES series are drawn
    as small multiples on one scale. A value not returned leaves a gap; a SUPPRESSED one a gap marked "c".
    `partial`: the positions of the labels at which the values are partial totals, drawn as hollow points."""
    values = [v for points in series.values() for v in points if _is_number(v)]
    if len(series) > MAX_LINES if small_multiples is None else small_multiples:
        return _panels(title, labels, series, svg.nice_ticks(max(values, default=0), 2), unit, set(partial))
    ticks = svg.nice_ticks(max(values, default=0))
    head, top = svg.title(title)
    top += 8
    left, right = 10 + svg.tick_width(ticks, unit) + 6, WIDTH - 20.0
    ends = [svg.text_width(labels[0]), svg.text_width(labels[-1])] if labels else [0.0, 0.0]
    x0 = left + max(10.0, ends[0] / 2 + 4 - left)
    x1 = right - max(10.0, ends[1] / 2 + 4 - (WIDTH - right))
    step = (x1 - x0) / max(1, len(labels) - 1)
    layout = svg.x_labels(labels, step if len(labels) > 1 else x1 - x0, turn=False)
    bottom = top + PLOT_HEIGHT
    parts = [head, svg.y_axis(ticks, left, right, top, PLOT_HEIGHT, unit)]
    for i, label in enumerate(labels):
        x = x0 + i * step
        parts.append(f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" class="axis"/>')
        if i % layout.every == 0:
            parts.append(svg.x_label(label, x, bottom + 20, False))
    entries, stacked = [], {}
    hidden = False
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % MAX_LINES]
        drawn = _line(name, labels, colour, [(x0 + i * step, v) for i, v in enumerate(points)],
                      lambda v: bottom - v / ticks[-1] * PLOT_HEIGHT, bottom, partial, stacked)
        parts.append(drawn)
        hidden = hidden or any(isinstance(v, Suppressed) for v in points)
        entries.append(KeyEntry(name, svg.swatch_line(colour), labels=name))
    marked_partial = any(i in partial for i in range(len(labels)))
    entries += _notes(hidden, False, marked_partial, svg.swatch_line("#505a5f", hollow=True))
    drawn_key, end = svg.key(entries, bottom + layout.depth + 8)
    return svg.svg(title, [*parts, drawn_key], end + 4)


def _line(name: str, labels: Sequence[str], colour: str, points: Sequence[tuple[float, Value]], y_of, baseline: float,
          partial: Collection[int], stacked: dict[int, int]) -> str:
    """A series: its line through runs of figures, a point at each (hollow where partial) and "c" where hidden.
    `stacked` counts the "c"s already drawn at each position, so that several series' stand one above another."""
    parts, run = [f'<g class="series" data-key="{escape(name)}">'], []
    for i, (x, value) in enumerate([*points, (0.0, None)]):
        if _is_number(value):
            run.append((x, y_of(value)))
            continue
        if len(run) > 1:
            parts.append(f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" '
                         f'points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in run)}"/>')
        run = []
        if isinstance(value, Suppressed):
            level = stacked.get(i, 0)
            stacked[i] = level + 1
            parts.append(_mark("c", x, baseline - 4 - 13 * level, f"{name}, {labels[i]}: suppressed", colour))
    for i, (x, value) in enumerate(points):
        if _is_number(value):
            fill = "#ffffff" if i in partial else colour
            hint = f"{name}, {labels[i]}: {_number(value)}" + (" (partial)" if i in partial else "")
            parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y_of(value):.1f}" r="3" fill="{fill}" '
                         f'stroke="{colour}" stroke-width="1.5"><title>{escape(hint)}</title></circle>')
    return "".join(parts) + "</g>"


def _panels(title: str, labels: Sequence[str], series: dict[str, Sequence[Value]], ticks: list[float], unit: str,
            partial: set[int]) -> str:
    """Small multiples: a panel per series, named above it, all on one scale so that panels compare."""
    head, top = svg.title(title)
    parts = [head, f'<text x="10" y="{top + 8:.1f}" class="legend">One panel for each, all on the same scale.</text>']
    top += 20
    columns, gap, plot_h = 4, 14.0, 56.0
    panel_w = (WIDTH - 20 - gap * (columns - 1)) / columns
    inner = svg.tick_width(ticks, unit) + 8
    plot_w = panel_w - inner - 4
    x0, x1 = inner + 4, inner + plot_w - 4
    step = (x1 - x0) / max(1, len(labels) - 1)
    ends = [svg.text_width(labels[0]), svg.text_width(labels[-1])] if labels else [0.0, 0.0]
    both_ends = len(labels) > 1 and ends[0] + ends[1] + 8 <= x1 - x0 + (ends[1] / 2)
    panel_h, bottom = PANEL_TOP + plot_h + 22 + 8, PANEL_TOP + plot_h
    hidden = False
    for k, (name, points) in enumerate(series.items()):
        px, py = 10 + (k % columns) * (panel_w + gap), top + (k // columns) * panel_h
        shown_name = svg.fit(name, panel_w)
        hint = f"<title>{escape(name)}</title>" if shown_name != name else ""
        panel = [f'<g class="panel" transform="translate({px:.1f} {py:.1f})">',
                 f'<text x="0" y="11" class="legend panel-name" data-label="{escape(name)}">{escape(shown_name)}{hint}</text>',
                 svg.y_axis(ticks, inner, inner + plot_w, PANEL_TOP, plot_h, unit)]
        if labels:
            panel.append(svg.x_label(labels[0], x0 - 3, bottom + 17, False, anchor="start"))
        if both_ends:
            panel.append(svg.x_label(labels[-1], x1 + 3, bottom + 17, False, anchor="end"))
        panel.append(_line(name, labels, PALETTE[0], [(x0 + i * step, v) for i, v in enumerate(points)],
                           lambda v: bottom - v / ticks[-1] * plot_h, bottom, partial, {}))
        parts.append("".join(panel) + "</g>")
        hidden = hidden or any(isinstance(v, Suppressed) for v in points)
    end = top + math.ceil(len(series) / columns) * panel_h
    drawn_key, end = svg.key(_notes(hidden, False, bool(partial), svg.swatch_line(PALETTE[0], hollow=True)), end)
    return svg.svg(title, [*parts, drawn_key], end + 4)


def bar_chart(title: str, bars: Sequence[tuple[str, Value, bool]], unit: str = "",
              marked: tuple[float, str] | None = None, *, partial: Collection[str] = ()) -> str:
    """A bar per label; `True` marks the bar of the pack's own area. A bar whose figure is hidden says "c", as the
    tables do; "–" is kept for a figure not returned. `marked`: a value drawn as a dashed line across the bars,
    with its name in the key (a limit the figures are judged against). `partial`: the labels of bars that are
    partial totals, drawn faded with a dashed outline."""
    numbers = [v for _, v, _ in bars if _is_number(v)]
    texts = [_number(v) + unit for v in numbers]
    head, top = svg.title(title)
    top += 8
    right, labels = WIDTH - 20.0, [label for label, _, _ in bars]
    rough = svg.nice_ticks(max([*numbers, marked[0] if marked else 0], default=0))
    left = 10 + svg.tick_width(rough, unit) + 6
    for _ in range(2):  # a label turned under the first bar may need room to its left
        step = (right - left) / max(1, len(bars))
        layout = svg.x_labels(labels, step, turn=True)
        left = max(left, 10 + svg.tick_width(rough, unit) + 6, layout.reach_left - step / 2 + 2 if layout.rotated else 0)
    step = (right - left) / max(1, len(bars))
    widest = max((svg.text_width(t) for t in texts), default=0)
    level = widest + 4 <= step
    room = 16 if level else widest + 8
    highest = max([*numbers, 0])
    ticks = svg.nice_ticks(max(highest * PLOT_HEIGHT / (PLOT_HEIGHT - room), marked[0] if marked else 0))
    bottom = top + PLOT_HEIGHT
    parts = [head, svg.y_axis(ticks, left, right, top, PLOT_HEIGHT, unit)]
    kinds = set()
    for i, (label, value, own) in enumerate(bars):
        centre = left + (i + 0.5) * step
        parts.append(_bar(label, value, own, label in partial, centre, step, bottom, ticks[-1], unit, level, kinds))
        if i % layout.every == 0:
            parts.append(svg.x_label(label, centre + (4 if layout.rotated else 0), bottom + (12 if layout.rotated else 18),
                                     layout.rotated, names=label, wrap=layout.wrap))
    if marked:
        y = bottom - marked[0] / ticks[-1] * PLOT_HEIGHT
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" class="limit" stroke="#d4351c" '
                     f'stroke-width="2" stroke-dasharray="6 4"/>')
    entries = [KeyEntry(marked[1], svg.swatch_line("#d4351c", dashed=True))] if marked else []
    entries += _notes("c" in kinds, "–" in kinds, "partial" in kinds,
                      '<rect x="0.5" y="0.5" width="12" height="9" fill="#1d70b8" fill-opacity="0.4" stroke="#1d70b8" '
                      'stroke-dasharray="3 2"/>')
    drawn_key, end = svg.key(entries, bottom + layout.depth + 8)
    return svg.svg(title, [*parts, drawn_key], end + 4)


def _bar(label: str, value: Value, own: bool, partial: bool, centre: float, step: float, bottom: float, top: float,
         unit: str, level: bool, kinds: set[str]) -> str:
    if isinstance(value, Suppressed):
        kinds.add("c")
        return _mark("c", centre, bottom - 4, f"{label}: suppressed")
    if value is None:
        kinds.add("–")
        return _mark("–", centre, bottom - 4, f"{label}: not returned")
    colour = "#d4351c" if own else "#1d70b8"
    h = value / top * PLOT_HEIGHT
    y, width = bottom - h, step * 0.7
    look = f'fill="{colour}"'
    if partial:
        kinds.add("partial")
        look += f' fill-opacity="0.4" stroke="{colour}" stroke-dasharray="4 3"'
    hint = f"{label}: {_number(value)}{unit}" + (" (partial)" if partial else "")
    parts = [f'<rect class="bar" data-key="{escape(label)}" x="{centre - width / 2:.1f}" y="{y:.1f}" width="{width:.1f}" '
             f'height="{h:.1f}" {look}><title>{escape(hint)}</title></rect>']
    text = escape(_number(value) + unit)
    if level:
        parts.append(f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="value">{text}</text>')
    elif step >= 14:
        parts.append(f'<text x="{centre + 4:.1f}" y="{y - 4:.1f}" class="value" '
                     f'transform="rotate(-90 {centre + 4:.1f} {y - 4:.1f})">{text}</text>')
    return "".join(parts)


def stacked_bars(title: str, rows: Sequence[tuple[str, Mapping[str, Value]]], categories: Sequence[str],
                 colours: dict[str, str] | None = None, *, partial: Collection[str] = ()) -> str:
    """One 100% bar per row (e.g. a domain), split into the shares of each category (e.g. grade). A SUPPRESSED
    share, or the rest of a bar whose shown shares fall short of 100%, is drawn grey with "c"; a row with no share
    at all says "–" (not returned). `partial`: the labels of rows that are partial totals, labelled so."""
    colours = colours or {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    head, top = svg.title(title)
    top += 8
    label_w = min(230.0, max((svg.text_width(label + (" (partial)" if label in partial else "")) for label, _ in rows),
                             default=40) + 12)
    bar_w, row_h = WIDTH - 20 - label_w, 22
    parts, kinds = [head], set()
    for i, (label, shares) in enumerate(rows):
        y = top + i * row_h
        shown_label = svg.fit(label + (" (partial)" if label in partial else ""), label_w - 12)
        hint = f"<title>{escape(label)}</title>" if not shown_label.startswith(label) else ""
        parts.append(f'<g class="row" data-key="{escape(label)}"><text x="{label_w - 6:.1f}" y="{y + 15}" '
                     f'text-anchor="end" class="tick" data-label="{escape(label)}">{escape(shown_label)}{hint}</text>')
        parts.append(_shares(label, shares, categories, colours, label_w, bar_w, y, row_h, kinds) + "</g>")
    end = top + len(rows) * row_h + 10
    entries = [KeyEntry(c.replace("_", " "), svg.swatch_box(colours[c]), labels=c) for c in categories]
    entries += _notes("c" in kinds, "–" in kinds, False, "")
    drawn_key, end = svg.key(entries, end)
    return svg.svg(title, [*parts, drawn_key], end + 4)


def _shares(label: str, shares: Mapping[str, Value], categories: Sequence[str], colours: dict[str, str], x: float,
            bar_w: float, y: float, row_h: int, kinds: set[str]) -> str:
    known = sum(v for v in shares.values() if _is_number(v))
    # A share left None beside shown ones is hidden too (as callers drew them before SUPPRESSED).
    hidden = any(isinstance(v, Suppressed) or (known and v is None) for v in shares.values())
    if not known and not hidden:
        kinds.add("–")
        return _mark("–", x + 8, y + 15, f"{label}: not returned")
    parts, start = [], x
    for category in categories:
        share = shares.get(category)
        if not _is_number(share) or not share:
            continue
        # Shares rounded to one place add up to about 100: drawn as parts of the bar when none is hidden.
        w = share / (100.0 if hidden else known) * bar_w
        parts.append(f'<rect class="bar" data-key="{escape(category)}" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" '
                     f'height="{row_h - 6}" fill="{colours[category]}"><title>{escape(label)} – '
                     f'{escape(category.replace("_", " "))}: {_number(share)}%</title></rect>')
        x += w
    if hidden:
        # Suppressed shares are not drawn as if they were zero: the rest of the bar says "c".
        kinds.add("c")
        w = start + bar_w - x
        parts.append(f'<rect class="bar hidden-share" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                     f'fill="#dddddd"><title>{escape(label)} – suppressed</title></rect>'
                     + _mark("c", x + w / 2, y + 15, f"{label}: suppressed"))
    return "".join(parts)
