"""Every pack the service serves. Adding a pack: a folder `app/packs/<pack>/` exporting `SPEC`, and a line here."""

from app.packs import audits, care_orders, compare, completeness, outcomes
from app.packs.spec import PackSpec

PACKS: dict[str, PackSpec] = {spec.name: spec for spec in (
    care_orders.SPEC,
    outcomes.SPEC,
    audits.SPEC,
    compare.SPEC,
    completeness.SPEC,
)}
