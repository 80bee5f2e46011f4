"""Entering returns as an LA would, for pack tests."""

from typing import Any

import numpy as np

from app.packs import published

COUNTS_BASE = {"cla_total": 1000, "full_care_orders_at_home": 100, "interim_care_orders_at_home": 20}


async def put_counts(client, la: str, day: str, **values: Any) -> None:
    body = COUNTS_BASE | values
    body.setdefault("placed_with_parents", body["full_care_orders_at_home"] + body["interim_care_orders_at_home"])
    response = await client.put(f"/api/v1/local-authorities/{la}/care-order-counts/{day}", json=body)
    assert response.status_code in (200, 201), response.text


async def make_group(admin, code: str, members: list[str]) -> None:
    response = await admin.put(f"/api/v1/areas/{code}", json={"name": code.replace("-", " ").title(), "members": members})
    assert response.status_code in (200, 201), response.text


async def pack(client, name: str, **query: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/packs/{name}", params=query)
    assert response.status_code == 200, response.text
    return response.json()


async def submit(client, la: str, dataset: str, records: list[dict[str, Any]]) -> None:
    response = await client.post(f"/api/v1/local-authorities/{la}/submissions", params={"dataset": dataset},
                                 json={"records": records})
    assert response.status_code == 201, response.text


def order(ref: str, **values: Any) -> dict[str, Any]:
    record = {"order_ref": ref, "child_ref": f"C{ref}", "order_type": "full_care_order", "order_date": "2019-06-14",
              "age_at_order": 7, "current_status": "at_home_on_order", "status_date": "2020-01-10"}
    record.update(values)
    return record


def audit(ref: str, **values: Any) -> dict[str, Any]:
    record = {"audit_ref": ref, "audit_date": "2021-02-10", "audit_type": "individual", "overall_grade": "good"}
    record.update(values)
    return record


async def put_breakdown(client, la: str, day: str, breakdown: dict[str, dict[str, tuple[int, int]]]) -> None:
    """An LA's care-order-characteristics for a date: {dimension: {category: (full, interim)}}, in one submission."""
    await submit(client, la, "care-order-characteristics", [
        {"snapshot_date": day, "dimension": dimension, "category": category,
         "full_care_orders_at_home": full, "interim_care_orders_at_home": interim}
        for dimension, categories in breakdown.items() for category, (full, interim) in categories.items()])


def in_span(shown: np.ndarray, targets: np.ndarray) -> list[int]:
    """The rows of `targets` that are linear combinations of the rows of `shown`: what shown figures fix."""
    _, singular, vt = np.linalg.svd(shown, full_matrices=False)
    basis = vt[singular > 1e-9 * singular.max()]
    residual = targets - (targets @ basis.T) @ basis
    return [int(i) for i in np.flatnonzero(np.abs(residual).max(axis=1) < 1e-7)]


def weights(shown: np.ndarray, target: np.ndarray) -> np.ndarray:
    """How much each shown figure weighs in the combination that gives `target`."""
    combination, *_ = np.linalg.lstsq(shown.T, target, rcond=None)
    return combination


def count_decisions(monkeypatch) -> list[Any]:
    """The periods whose published tables are decided from here on (each `Publisher._decide`)."""
    decisions: list[Any] = []
    decide = published.Publisher._decide

    def counted(self, period):
        decisions.append(period)
        return decide(self, period)
    monkeypatch.setattr(published.Publisher, "_decide", counted)
    return decisions
