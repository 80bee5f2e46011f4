"""Ratios are rounded exactly as published reports state them, in integer arithmetic."""

import random
from decimal import ROUND_HALF_UP, Decimal

from app.packs.rounding import percentage, rate_per_10k


def published(numerator: int, denominator: int, scale: int) -> float:
    return float((Decimal(numerator) * scale / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def test_ratios_equal_decimal_half_up_rounding_on_random_counts():
    draw = random.Random(903)
    for _ in range(50_000):
        denominator = draw.randint(1, 10 ** draw.randint(1, 8))
        numerator = draw.randint(-denominator, 3 * denominator)
        assert percentage(numerator, denominator) == published(numerator, denominator, 100)
        assert rate_per_10k(numerator, denominator) == published(numerator, denominator, 10_000)


def test_exact_halves_round_up_and_missing_inputs_give_null():
    assert percentage(13, 400) == 3.3 and percentage(1, 8) == 12.5 and rate_per_10k(1, 20_000) == 0.5
    assert percentage(None, 4) is None and percentage(3, 0) is None and rate_per_10k(3, None) is None
