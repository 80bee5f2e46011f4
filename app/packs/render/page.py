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


def to_html(spec: PackSpec, pack: PackBase) -> str:
    return _environment().get_template("pack.html").render(pack=pack, title=spec.title, style=STYLE,
                                                           sections=spec.html_sections(pack),
                                                           fewest_for_statistic=FEWEST_FOR_STATISTIC)
