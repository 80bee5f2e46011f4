"""A share of nothing (its count a shown 0) is shown beside a hidden total: it is 0.0 whatever the total.

A hidden total is never 0 (zero is shown), so the 0.0 says nothing the zero does not. A share of a hidden count, or
of a shown one over a hidden total, stays hidden (`Relations.of_nothing`)."""

from tests.packs.helpers import pack, put_counts
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

DAY = "2021-03-31"
RANGE = {"from": "2020-04-01", "to": DAY}


def discharges(to_no_order: int) -> dict:
    """Every discharge to no order, none to a supervision order or anything else."""
    return {"discharges": {"total": to_no_order, "to_no_order": to_no_order, "to_supervision_order": 0,
                           "to_family_assistance_order": 0, "to_special_guardianship_order": 0,
                           "to_child_arrangements_order": 0}}


async def _liverpool_as_portal(api) -> dict:
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await put_counts(admin, LIVERPOOL, DAY, **discharges(3))
    await put_counts(admin, KNOWSLEY, DAY, **discharges(40))
    body = await pack(portal, "care-orders-at-home", area=NORTH_WEST, **RANGE)
    return next(r for r in body["dates"][0]["las"] if r["la"] == LIVERPOOL)


async def test_a_share_of_a_shown_zero_is_shown_as_0_beside_its_hidden_total(api):
    liverpool = await _liverpool_as_portal(api)
    assert liverpool["discharges_total"] is None and liverpool["suppressed"]["discharges_total"] == "c"
    assert liverpool["discharges_to_supervision_order"] == 0
    assert liverpool["pct_discharges_to_supervision_order"] == 0.0
    assert "pct_discharges_to_supervision_order" not in liverpool["suppressed"]


async def test_the_share_of_the_hidden_count_beside_it_stays_hidden(api):
    liverpool = await _liverpool_as_portal(api)
    assert liverpool["pct_discharges_to_no_order"] is None
    assert liverpool["suppressed"]["pct_discharges_to_no_order"] == "c"
