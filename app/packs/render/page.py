"""A pack as a printable HTML page with charts, for a designated family judge or a board.

Each pack's folder says what its page shows (`sections.py`) with the building blocks here."""

import base64
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.access.reader import Reader
from app.access.roles import Role
from app.packs.disclosure import FEWEST_FOR_STATISTIC
from app.packs.schemas import PackBase
from app.packs.spec import PackSpec


@dataclass
class Cell:
    text: str
    css: str = ""


@dataclass
class HtmlTable:
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    caption: str = ""
    text_columns: int = 1

    def add(self, values: list[Any], hidden: dict[str, str] | None = None, names: list[str | None] | None = None,
            css: str = "") -> None:
        hidden = hidden or {}
        cells = []
        for i, value in enumerate(values):
            name = names[i] if names else None
            if name is not None and name in hidden:
                cells.append(Cell("c", "c"))
            else:
                cells.append(Cell(_text(value)))
        if "partial" in css.split() and cells and not any("partial" in cell.text for cell in cells):
            # Shading alone is lost on a page printed without backgrounds, and to a reader who cannot see it.
            cells[0].text += " (partial)"
        self.rows.append({"cells": cells, "css": css})


@dataclass
class Section:
    heading: str
    text: str = ""
    charts: list[str] = field(default_factory=list)
    tables: list[HtmlTable] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


LABELS = {"cla_total": "Children looked after", "pct_of_cla": "% of CLA", "rate_per_10k": "Rate per 10,000 children",
          "total_at_home": "Total at home", "full_care_orders_at_home": "Full (S.31) at home",
          "interim_care_orders_at_home": "Interim (S.38) at home", "change_on_previous": "Change on previous",
          "pct_placed_with_parents": "% of CLA placed with parents"}


def total_row(name: str, returned: int, expected: int) -> tuple[str, str]:
    """A total's label and row class: a total of fewer LAs than expected is never shown as if complete."""
    if returned < expected:
        return f"{name} ({returned} of {expected} LAs: partial)", "total partial"
    return f"{name} ({returned} of {expected} LAs)", "total"


def rows_with_total(pack: Any) -> list[tuple[Any, str, str]]:
    """A pack's LA rows, then its total labelled with how many LAs it covers: (row, label, row class)."""
    total = pack.total
    return [(row, row.name, "") for row in pack.las] + [(total, *total_row(total.name, total.las_returned,
                                                                           total.las_expected))]


_LA_WORD = re.compile(r"\b[Ll]a\b")  # "la_initial_plan" reads "LA initial plan"


def label(name: str) -> str:
    return LABELS.get(name) or _LA_WORD.sub("LA", name.replace("_", " ").replace("pct ", "% ").capitalize())


TEMPLATES = Path(__file__).parent / "templates"
# The page's one stylesheet, inline so a saved or printed page is whole; the policy allows exactly it.
STYLE = (TEMPLATES / "pack.css").read_text(encoding="utf-8")
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
# The page runs no script and fetches nothing (its charts are inline SVG drawn with attributes and the
# stylesheet's classes): should a name or label ever carry markup past the escaping, it can do nothing.
CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
                           "form-action 'none'; frame-ancestors 'none'")


@lru_cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def disclosure_note(spec: PackSpec, pack: PackBase, reader: Reader | None = None) -> list[str]:
    """What the page says of the figures it hides, to the reader it is for: a pack that counts no children says
    so to everyone, never that it is a copy with everything shown; an LA is told its own figures are whole."""
    threshold, hidden = pack.suppression.threshold, pack.suppression.cells_hidden
    if not spec.suppresses:
        return ["This pack counts returns, not children: it holds no small numbers to suppress, and every reader "
                "sees the same page."]
    if not pack.suppression.applied:
        if reader is not None and reader.role is not Role.ADMIN:
            return [f"Every figure is shown, counts from 1 to {threshold} included, under your organisation's "
                    "data-sharing agreement; each read of a pack at full disclosure is recorded."]
        return [f"Every figure is shown, counts from 1 to {threshold} included: this copy is for readers with full "
                "disclosure. An LA or a portal reading this pack without it sees those counts as c."]
    whose = "about other LAs " if reader is not None and reader.role is Role.LA else ""
    lines = [f"Counts from 1 to {threshold} {whose}are shown as c (suppressed), as in official children's social care "
             "statistics, together with any percentage, rate or change worked out from them (a share of 0 is shown as "
             "0.0), and other "
             "figures wherever a suppressed one could otherwise be worked back (secondary suppression). "
             f"{hidden:,} {'figure' if hidden == 1 else 'figures'} in this pack {'is' if hidden == 1 else 'are'} "
             "suppressed. Zero is shown as 0.",
             f"A median or quartile over fewer than {FEWEST_FOR_STATISTIC} records is shown as c too, and a figure over "
             "several years is whenever one of its years' figures is."]
    if whose:
        lines.append("Your own LA's figures are shown in full, and so is any total made of them alone.")
    return lines


def to_html(spec: PackSpec, pack: PackBase, reader: Reader | None = None) -> str:
    return _environment().get_template("pack.html").render(pack=pack, title=spec.title, style=STYLE,
                                                           note=disclosure_note(spec, pack, reader),
                                                           totals=spec.suppresses,
                                                           sections=spec.html_sections(pack))
