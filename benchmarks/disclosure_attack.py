"""How much an attacker can narrow the hidden counts of a suppressed reader's packs, on the demo data.

Written apart from the code that hides cells: it reads packs through the HTTP API as a North West
portal would, writes down the relations any reader knows (a row's parts add up to its total, LAs add
up to the area, months to the range, regions to England, a cross-table's rows and columns to its
margins), takes every shown figure as known and every hidden one as an unknown of at least 1 (zero is
shown), and asks a linear programme (HiGHS) for the least and the greatest value of each hidden count
whose true value (read by an admin) is 1..threshold. The contract asks that at least `threshold`
values stay possible. Prints, per pack: cells hidden, hidden counts of 1..5, how many are narrowed to
fewer possible values, and how many are pinned exactly. One pack at a time: it does not yet combine
several requests.

    python -m benchmarks.disclosure_attack        (needs the bench extra: pip install -e '.[bench]')
"""

import asyncio
import math
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from benchmarks.demo_db import demo_app

THRESHOLD = 5
AREA = "E12000002"
RANGE = {"from": "2016-04-01", "to": "2021-03-31"}
Cells = dict[str, tuple[Any, bool]]   # path -> (value, hidden)


def flatten(values: dict[str, Any], prefix: str = "") -> Cells:
    """A row's numbers by dotted path, each with whether it is marked "c" (marks sit beside their fields)."""
    marks = values.get("suppressed") or {}
    cells: Cells = {}
    for key, value in values.items():
        if key == "suppressed":
            continue
        if isinstance(value, dict):
            for path, (inner, hidden) in flatten(value).items():
                cells[f"{prefix}{key}.{path}"] = (inner, hidden or f"{key}.{path}" in marks)
        elif isinstance(value, int | float) and not isinstance(value, bool) or value is None:
            cells[f"{prefix}{key}"] = (value, key in marks)
    return cells


class Model:
    """Unknowns (hidden cells) and the equations a reader can write between cells."""

    def __init__(self) -> None:
        self.unknowns: dict[tuple[str, str], int] = {}
        self.equations: list[tuple[dict[int, float], float]] = []

    def equation(self, terms: list[tuple[Cells, str, tuple[str, str], int]]) -> None:
        """Σ sign × cell = 0 over cells that were returned (a null that is not "c" takes no part)."""
        coefficients: dict[int, float] = {}
        constant = 0.0
        for cells, path, key, sign in terms:
            value, hidden = cells.get(path, (None, False))
            if hidden:
                index = self.unknowns.setdefault(key, len(self.unknowns))
                coefficients[index] = coefficients.get(index, 0) + sign
            elif value is not None:
                constant -= sign * value
        if coefficients:
            self.equations.append((coefficients, constant))

    def ranges(self) -> Iterator[tuple[tuple[str, str], float, float]]:
        n = len(self.unknowns)
        a = lil_matrix((len(self.equations), n))
        b = np.zeros(len(self.equations))
        for row, (coefficients, constant) in enumerate(self.equations):
            for column, value in coefficients.items():
                a[row, column] = value
            b[row] = constant
        a = a.tocsr()
        for key, index in self.unknowns.items():
            bounds = []
            for sign in (1, -1):
                objective = np.zeros(n)
                objective[index] = sign
                result = linprog(objective, A_eq=a, b_eq=b, bounds=[(1, None)] * n, method="highs")
                bounds.append(sign * result.fun if result.status == 0 else (math.inf if sign < 0 else -math.inf))
            yield key, bounds[0], bounds[1]


def sums(model: Model, parts: list[tuple[Cells, str]], whole: tuple[Cells, str], path: str) -> None:
    model.equation([(cells, path, (row, path), 1) for cells, row in parts] + [(whole[0], path, (whole[1], path), -1)])


def care_orders(pack: dict[str, Any], model: Model) -> None:
    counts = ("full_care_orders_at_home", "interim_care_orders_at_home", "total_at_home", "cla_total",
              "placed_with_parents", "orders_made_in_year", "discharges_total", "interim_orders_from_private_law",
              "interim_orders_for_parent_assessment", "interim_orders_for_parent_assessment_child_remained",
              "interim_orders_became_full_orders")
    for at in pack["dates"]:
        day = at["snapshot_date"]
        rows = [(flatten(r), f"{day}/{r['la']}") for r in at["las"]]
        regions = [(flatten(r), f"{day}/cmp/{r['area']}") for r in at["comparators"]]
        named = rows + regions + ([(flatten(at["total"]), f"{day}/area")] if at["total"] else [])
        for cells, row in named:
            model.equation([(cells, "full_care_orders_at_home", (row, "full_care_orders_at_home"), 1),
                            (cells, "interim_care_orders_at_home", (row, "interim_care_orders_at_home"), 1),
                            (cells, "total_at_home", (row, "total_at_home"), -1)])
            parts = [p for p in cells if p.startswith("discharges_to_")]
            model.equation([(cells, p, (row, p), 1) for p in parts]
                           + [(cells, "discharges_total", (row, "discharges_total"), -1)])
        if at["total"]:
            for path in counts:
                sums(model, rows, (flatten(at["total"]), f"{day}/area"), path)
        england = [r for r in regions if r[1].endswith("E92000001")]
        for path in counts:
            if england:
                sums(model, [r for r in regions if r not in england], england[0], path)
            own = [r for r in regions if r[1].endswith(f"/cmp/{pack['area']['code']}")]
            if own and at["total"]:
                sums(model, [(flatten(at["total"]), f"{day}/area")], own[0], path)


def _distributions(cells: Cells) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in cells:
        if ".counts." in path:
            found.setdefault(path.split(".counts.")[0], []).append(path)
    return found


def _rows_add_up(model: Model, parts: list[tuple[Cells, str]], whole: tuple[Cells, str]) -> None:
    for path in whole[0]:
        if not path.startswith(("pct", "shares", "care_order_at_home_when", "las_")) and ".shares." not in path \
                and not path.split(".")[-1].startswith(("pct", "return_rate")):
            sums(model, parts, whole, path)


def outcomes_or_audits(pack: dict[str, Any], model: Model) -> None:
    rows = [(flatten(r), r["code"]) for r in pack["las"]]
    total = (flatten(pack["total"]), "area")
    for cells, row in [*rows, total, *((flatten(m), f"month/{m['month']}") for m in pack.get("months", []))]:
        for name, counts in _distributions(cells).items():
            model.equation([(cells, p, (row, p), 1) for p in counts] + [(cells, f"{name}.total", (row, f"{name}.total"), -1)])
        pairs = [p for p in cells if p.startswith("plan_vs_outcome.counts.")]
        for margin, position in (("plans", 0), ("court_outcomes", 1)):
            for category in {p.split(".")[-1].split("|")[position] for p in pairs}:
                model.equation([(cells, p, (row, p), 1) for p in pairs if p.split(".")[-1].split("|")[position] == category]
                               + [(cells, f"{margin}.counts.{category}", (row, f"{margin}.counts.{category}"), -1)])
        if "programme.planned" in cells:
            model.equation([(cells, "programme.scheduled", (row, "programme.scheduled"), 1),
                            (cells, "programme.exempted", (row, "programme.exempted"), 1),
                            (cells, "programme.planned", (row, "programme.planned"), -1)])
        if "moderation.moderated" in cells:
            model.equation([(cells, f"moderation.{p}", (row, f"moderation.{p}"), 1)
                            for p in ("supported", "downgraded", "upgraded")]
                           + [(cells, "moderation.moderated", (row, "moderation.moderated"), -1)])
    _rows_add_up(model, rows, total)
    months = [(flatten(m), f"month/{m['month']}") for m in pack.get("months", [])]
    if months:
        for path in [p for p in months[0][0] if p.startswith(("grades.counts", "grades.total", "programme."))]:
            if not path.endswith("return_rate"):
                sums(model, months, total, path)


def truth_of(pack: dict[str, Any], kind: str) -> dict[tuple[str, str], Any]:
    """The admin's figures, keyed as the attacker keys cells."""
    truth: dict[tuple[str, str], Any] = {}
    if kind == "care-orders-at-home":
        for at in pack["dates"]:
            day = at["snapshot_date"]
            for r in at["las"]:
                truth |= {(f"{day}/{r['la']}", p): v for p, (v, _) in flatten(r).items()}
            for r in at["comparators"]:
                truth |= {(f"{day}/cmp/{r['area']}", p): v for p, (v, _) in flatten(r).items()}
            if at["total"]:
                truth |= {(f"{day}/area", p): v for p, (v, _) in flatten(at["total"]).items()}
        return truth
    for r in pack["las"]:
        truth |= {(r["code"], p): v for p, (v, _) in flatten(r).items()}
    truth |= {("area", p): v for p, (v, _) in flatten(pack["total"]).items()}
    for m in pack.get("months", []):
        truth |= {(f"month/{m['month']}", p): v for p, (v, _) in flatten(m).items()}
    return truth


async def attack(name: str, portal: httpx.AsyncClient, admin: httpx.AsyncClient) -> str:
    seen = (await portal.get(f"/api/v1/packs/{name}", params={"area": AREA, **RANGE})).json()
    truth = truth_of((await admin.get(f"/api/v1/packs/{name}", params={"area": AREA, **RANGE})).json(), name)
    model = Model()
    (care_orders if name == "care-orders-at-home" else outcomes_or_audits)(seen, model)
    started = time.perf_counter()
    small = narrowed = pinned = 0
    for key, low, high in model.ranges():
        value = truth.get(key)
        if not isinstance(value, int) or not 1 <= value <= THRESHOLD:
            continue
        small += 1
        possible = math.inf if math.isinf(high) else math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1
        narrowed += possible < THRESHOLD
        pinned += possible == 1
    return (f"{name:<22} hidden {seen['suppression']['cells_hidden']:>5}  unknowns {len(model.unknowns):>5}  "
            f"hidden counts of 1..{THRESHOLD} {small:>5}  narrowed below {THRESHOLD} values {narrowed:>5}  "
            f"pinned {pinned:>4}  ({time.perf_counter() - started:.1f} s)")


async def main() -> None:
    with demo_app("attack") as demo:
        with demo.app.state.sessionmaker() as session, session.begin():
            _, portal_key = create_client(session, ClientCreate(name=f"attacker-{uuid.uuid4().hex[:6]}", role="portal",
                                                                area=AREA), demo.secret)
        transport = httpx.ASGITransport(app=demo.app)

        def client(key: str) -> httpx.AsyncClient:
            return httpx.AsyncClient(transport=transport, base_url="http://attack",
                                     headers={"Authorization": f"Bearer {key}"}, timeout=120)

        print(f"North West portal, {RANGE['from']} to {RANGE['to']}, demo data; one pack at a time")
        for name in ("care-orders-at-home", "outcomes", "audits"):
            print(await attack(name, client(portal_key), client(demo.admin_key)))


if __name__ == "__main__":
    asyncio.run(main())
