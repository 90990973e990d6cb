"""Dutch formatting of numbers and measured values with their unit ("15,3 km", "35%")."""

from __future__ import annotations

import math
import numbers

from locscan.units import UNITS

__all__ = ["distinct_digits", "format_distinct", "format_number", "format_value"]


def format_number(value: float, min_digits: int = 0) -> str:
    """
    Format a number the Dutch way: thousands with a dot, decimals with a comma.

    Digits after the comma follow the size (none from 100, one from 10, else two), at least
    `min_digits`; trailing zeros are dropped.

    Examples
    --------
    >>> format_number(15.3), format_number(1250), format_number(0.456), format_number(15.0)
    ('15,3', '1.250', '0,46', '15')
    >>> format_number(15.004), format_number(15.004, min_digits=3)
    ('15', '15,004')
    """
    if math.isnan(value):
        return "onbekend"
    digits = max(min_digits, 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2)
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_value(value: object, unit: str | None, measure_unit: str | None = None,
                 min_digits: int = 0) -> str:
    """
    Format a measured `value` (in `measure_unit`) in `unit`, in Dutch, with the unit's symbol.

    Fractions are shown as percentages; text values are shown as they are.

    Examples
    --------
    >>> format_value(15300.0, "km", "m")
    '15,3 km'
    >>> format_value(0.35, "fraction")
    '35%'
    >>> format_value("Wonen", None)
    'Wonen'
    >>> format_value(float("nan"), "m")
    'onbekend'
    """
    if value is None or (isinstance(value, numbers.Real) and math.isnan(value)):
        return "onbekend"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    measure_unit = measure_unit or unit
    if unit is None:
        return format_number(value, min_digits)
    shown = value * UNITS[measure_unit][1] / UNITS[unit][1] if measure_unit else value
    if unit == "fraction":
        return f"{format_number(shown * 100, min_digits)}%"
    symbol = UNITS[unit][2]
    if unit == "percent":
        return f"{format_number(shown, min_digits)}%"
    return f"{format_number(shown, min_digits)} {symbol}".rstrip()


def distinct_digits(value: object, threshold: object, unit: str | None,
                    measure_unit: str | None = None) -> int:
    """
    The fewest extra digits at which `value` and `threshold` (in `unit`) read differently.

    0 when they are equal, not numbers, or already differ on screen.

    Examples
    --------
    >>> distinct_digits(15_099.0, 15.1, "km", "m"), distinct_digits(15_040.0, 15, "km", "m")
    (3, 2)
    >>> distinct_digits(15_000.0, 15, "km", "m")
    0
    """
    if not isinstance(value, numbers.Real) or not isinstance(threshold, numbers.Real):
        return 0
    native = threshold * UNITS[unit][1] / UNITS[measure_unit or unit][1] if unit else threshold
    if value == native:
        return 0
    for digits in range(7):
        if format_value(value, unit, measure_unit, digits) != format_value(threshold, unit,
                                                                           None, digits):
            return digits
    return 6


def format_distinct(value: object, threshold: object, unit: str | None,
                    measure_unit: str | None = None) -> tuple[str, str]:
    """
    `value` and `threshold` as shown side by side: with the digits it takes to tell them apart.

    So a failing value never reads as its norm ("15 km" against "max. 15 km").

    Examples
    --------
    >>> format_distinct(15_004.0, 15, "km", "m")
    ('15,004 km', '15 km')
    >>> format_distinct(15_100.0, 15.099, "km", "m")
    ('15,1 km', '15,099 km')
    >>> format_distinct(0.1004, 10, "percent", "fraction")
    ('10,04%', '10%')
    """
    digits = distinct_digits(value, threshold, unit, measure_unit)
    return (format_value(value, unit, measure_unit, digits),
            format_value(threshold, unit, None, digits))
