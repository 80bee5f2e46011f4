"""Rounding and ratios exactly as published reports state them."""

from fractions import Fraction


def _one_decimal_half_up(numerator: int, denominator: int) -> float:
    """numerator / denominator to one decimal place, halves rounded up, in exact integer arithmetic
    (Decimal gives the same and costs several times more; a pack computes thousands)."""
    if numerator < 0 or denominator < 0:
        sign = -1 if (numerator < 0) != (denominator < 0) else 1
        return sign * _one_decimal_half_up(abs(numerator), abs(denominator))
    tenths = (20 * numerator + denominator) // (2 * denominator)  # floor(10·n/d + ½)
    return tenths / 10  # int / int is correctly rounded: the same double as float("53.3")


def percentage(numerator: int | None, denominator: int | None) -> float | None:
    """One decimal place, halves rounded up (53.25 -> 53.3), null when an input is missing or zero."""
    if numerator is None or not denominator:
        return None
    return _one_decimal_half_up(numerator * 100, denominator)


def rate_per_10k(numerator: int | None, population: int | None) -> float | None:
    if numerator is None or not population:
        return None
    return _one_decimal_half_up(numerator * 10_000, population)


def one_decimal(value: Fraction) -> float:
    """An exact ratio (a mean, a change of means) to one decimal place, halves rounded up (away from zero)."""
    return _one_decimal_half_up(value.numerator, value.denominator)
