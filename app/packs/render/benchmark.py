"""Benchmarking on the HTML page: a table a measure, each LA's figure with its rank ("7 of 150"), its quartile band
and the region, groups and England beside it."""

from collections.abc import Iterable
from typing import Any

from app.packs.benchmark import Benchmark
from app.packs.render.page import HtmlTable, Section

TEXT = ("Rank among England's LAs with the figure (1 = highest; equal figures share a rank), and quartile band "
        "A–D as in the DfE's LA interactive tool (A = the quarter with the highest values).")


def benchmark_table(measure_label: str, rows: Iterable[tuple[str, Benchmark | None, str]],
                    groups: dict[str, str]) -> HtmlTable:
    """`rows`: (label, the row's benchmark of the measure, row class); the groups named in the pack, by code."""
    rows = [(name, b, css) for name, b, css in rows if b is not None]
    used = [code for code in groups if any(code in b.groups for _, b, _ in rows)]
    table = HtmlTable(["Area", measure_label, "Rank", "Band", "Region", *(groups[c] for c in used), "England"])
    names: list[str | None] = [None, "value", "rank", "quartile", "region_value", *(f"groups.{c}" for c in used),
                               "england"]
    for name, b, css in rows:
        rank = None if b.rank is None else f"{b.rank} of {b.ranked}"
        values: list[Any] = [name, b.value, rank if b.rank is not None or "rank" in b.suppressed else "",
                             b.quartile or "", b.region_value,
                             *(b.groups.get(c, "") for c in used), b.england]
        table.add(values, b.suppressed, names, css)
    return table


def benchmark_section(heading: str, tables: list[HtmlTable]) -> Section:
    section = Section(heading, TEXT)
    section.tables.extend(tables)
    return section
