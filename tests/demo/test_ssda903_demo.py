"""The demo's 903 extract and its generated care-order characteristics, checked without a database."""

from functools import cache

from app.demo import generator
from app.reference.shipped import shipped_las


@cache
def _nw_las_counts() -> dict[str, list[dict]]:
    las = [generator.DemoLa(la.code, la.operational_from, la.operational_to) for la in shipped_las()
           if la.region_code == generator.NORTH_WEST]
    return {la.code: counts for la in las if (counts := generator.care_order_counts(la))}


def test_each_dimension_of_the_generated_characteristics_adds_up_to_its_counts():
    for la, counts_records in _nw_las_counts().items():
        records = generator.characteristics(counts_records)
        for counts in counts_records:
            for dimension, (categories, _, _) in generator.CHARACTERISTICS.items():
                parts = [r for r in records if r["snapshot_date"] == counts["snapshot_date"]
                         and r["dimension"] == dimension]
                assert [r["category"] for r in parts] == list(categories), (la, dimension)
                for field in ("full_care_orders_at_home", "interim_care_orders_at_home"):
                    assert sum(r[field] for r in parts) == counts[field], (la, counts["snapshot_date"], dimension)


def test_the_generated_characteristics_are_the_same_every_time():
    counts = _nw_las_counts()["341"]
    assert generator.characteristics(counts) == generator.characteristics(list(counts))
