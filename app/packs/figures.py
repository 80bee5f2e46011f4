"""Rounding and ratios exactly as published reports state them."""

from decimal import ROUND_HALF_UP, Decimal


def percentage(numerator: int | None, denominator: int | None) -> float | None:
    """One decimal place, halves rounded up (53.25 -> 53.3), null when an input is missing or zero."""
    if numerator is None or not denominator:
        return None
    return float((Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def rate_per_10k(numerator: int | None, population: int | None) -> float | None:
    if numerator is None or not population:
        return None
    return float((Decimal(numerator) * 10_000 / Decimal(population)).quantize(Decimal("0.1"), ROUND_HALF_UP))
