"""Charts drawn as inline SVG on the server, so a pack prints and works with no network and no script."""

from collections.abc import Sequence
from html import escape

PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#912b88", "#28a197", "#6f72af",
           "#85994b", "#801650", "#5694ca", "#003078", "#ffdd00")
GRADE_COLOURS = {"outstanding": "#00703c", "good": "#85994b", "requires_improvement": "#f47738", "inadequate": "#d4351c"}
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 320, 56, 84, 30


def _scale(maximum: float) -> float:
    return maximum * 1.1 if maximum > 0 else 1.0


def line_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]]) -> str:
    """One line per series across the labels; a missing (or suppressed) value leaves a gap."""
    values = [v for points in series.values() for v in points if v is not None]
    top = _scale(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - 160, HEIGHT - BOTTOM - TOP
    step = plot_w / max(1, len(labels) - 1)

    def xy(i: int, v: float) -> str:
        return f"{LEFT + i * step:.1f},{TOP + plot_h - v / top * plot_h:.1f}"

    parts = [_frame(title, top, plot_h)]
    for i, label in enumerate(labels):
        parts.append(f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                     f'class="tick">{escape(label)}</text>')
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        segment: list[str] = []
        segments = []
        for i, v in enumerate(points):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(xy(i, v))
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                parts.append(f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" '
                             f'points="{" ".join(seg)}"/>')
            parts.extend(f'<circle class="point" cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="2.5" fill="{colour}"/>'
                         for p in seg)
        if n < 14:
            y = TOP + 12 + n * 16
            parts.append(f'<rect x="{WIDTH - 150}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
                         f'<text x="{WIDTH - 135}" y="{y}" class="legend">{escape(name[:22])}</text>')
    return _svg(title, parts)


class Suppressed:
    """A bar whose figure is hidden from this reader (not a figure that was not returned)."""


SUPPRESSED = Suppressed()


def bar_chart(title: str, bars: Sequence[tuple[str, "float | None | Suppressed", bool]], unit: str = "",
              marked: tuple[float, str] | None = None) -> str:
    """Horizontal-label vertical bars; `True` marks the bar of the pack's own area. A bar whose figure is
    hidden says "c", as the tables do; "–" is kept for a figure not returned. `marked`: a value drawn as a
    dashed line across the bars, with its label (a limit the figures are judged against)."""
    values = [v for _, v, _ in bars if isinstance(v, int | float)] + ([marked[0]] if marked else [])
    top = _scale(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - 20, HEIGHT - BOTTOM - TOP
    width = plot_w / max(1, len(bars))
    parts = [_frame(title, top, plot_h)]
    for i, (label, value, own) in enumerate(bars):
        x = LEFT + i * width + width * 0.15
        if isinstance(value, Suppressed):
            parts.append(f'<text x="{x + width * 0.35:.1f}" y="{TOP + plot_h - 4}" text-anchor="middle" '
                         f'class="value"><title>{escape(label)}: suppressed</title>c</text>')
        elif value is not None:
            h = value / top * plot_h
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{width * 0.7:.1f}" '
                         f'height="{h:.1f}" fill="{"#d4351c" if own else "#1d70b8"}"><title>{escape(label)}: '
                         f'{value}{unit}</title></rect>')
            parts.append(f'<text x="{x + width * 0.35:.1f}" y="{TOP + plot_h - h - 4:.1f}" text-anchor="middle" '
                         f'class="value">{value:g}{unit}</text>')
        else:
            parts.append(f'<text x="{x + width * 0.35:.1f}" y="{TOP + plot_h - 4}" text-anchor="middle" class="value">–</text>')
        anchor = x + width * 0.35
        parts.append(f'<text x="{anchor:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="end" class="tick" '
                     f'transform="rotate(-30 {anchor:.1f} {HEIGHT - BOTTOM + 14})">{escape(label[:28])}</text>')
    if marked:
        parts.append(_limit(*marked, top, plot_h))
    return _svg(title, parts)


def _limit(value: float, name: str, top: float, plot_h: float) -> str:
    """Drawn over the bars, so no bar hides it; named in a key above the plot, where no bar can cover it."""
    y = TOP + plot_h - value / top * plot_h
    dash = 'stroke="#d4351c" stroke-width="2" stroke-dasharray="6 4"'
    return (f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 20}" y2="{y:.1f}" class="limit" {dash}/>'
            f'<line x1="{WIDTH - 130}" y1="{TOP - 12}" x2="{WIDTH - 106}" y2="{TOP - 12}" {dash}/>'
            f'<text x="{WIDTH - 100}" y="{TOP - 8}" class="legend">{escape(name)}</text>')


def stacked_bars(title: str, rows: Sequence[tuple[str, dict[str, float | None]]], categories: Sequence[str],
                 colours: dict[str, str] | None = None) -> str:
    """One 100% bar per row (e.g. a domain), split into the shares of each category (e.g. grade)."""
    colours = colours or {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    label_w, bar_w, row_h = 190, WIDTH - 190 - 20, 22
    height = TOP + len(rows) * row_h + 40
    parts = [f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" class="title">{escape(title)}</text>']
    for i, (label, shares) in enumerate(rows):
        y = TOP + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" class="tick">{escape(label[:30])}</text>')
        x = float(label_w)
        known = sum(v for v in shares.values() if v is not None)
        for category in categories:
            share = shares.get(category)
            if not share or not known:
                continue
            w = share / 100.0 * bar_w
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                         f'fill="{colours[category]}"><title>{escape(label)} – {escape(category)}: {share}%</title></rect>')
            x += w
        if known and known < 99.95:
            # Suppressed shares are not drawn as if they were zero: the rest of the bar says "c".
            w = label_w + bar_w - x
            parts.append(f'<rect class="bar hidden-share" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                         f'fill="#dddddd"><title>{escape(label)} – suppressed</title></rect>'
                         f'<text x="{x + w / 2:.1f}" y="{y + 15}" text-anchor="middle" class="tick">c</text>')
    for n, category in enumerate(categories):
        x = label_w + n * 130
        parts.append(f'<rect x="{x}" y="{height - 22}" width="10" height="10" fill="{colours[category]}"/>'
                     f'<text x="{x + 14}" y="{height - 13}" class="legend">{escape(category.replace("_", " "))}</text>')
    return _svg(title, parts, height)


def _frame(title: str, top: float, plot_h: float) -> str:
    lines = [f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" class="title">{escape(title)}</text>',
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 20}" y2="{TOP + plot_h}" class="axis"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" class="axis"/>']
    for k in range(5):
        value = top / 1.1 * k / 4
        y = TOP + plot_h - value / top * plot_h
        lines.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value:,.0f}</text>'
                     f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 20}" y2="{y:.1f}" class="grid"/>')
    return "".join(lines)


def _svg(title: str, parts: list[str], height: int = HEIGHT) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')
