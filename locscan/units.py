"""Units of measures and criteria, and Dutch formatting of numbers with their unit.

A criterion may state its threshold in another unit of the same dimension as its measure (km for
a measure in m, ha for m², percent for a fraction); values are converted once, when the
criteria are evaluated.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["UNITS", "compatible", "format_value", "to_native"]

#: unit -> (dimension, factor to the dimension's base unit, Dutch symbol)
UNITS: dict[str, tuple[str, float, str]] = {
    "m": ("length", 1.0, "m"),
    "km": ("length", 1000.0, "km"),
    "m2": ("area", 1.0, "m²"),
    "ha": ("area", 10_000.0, "ha"),
    "fraction": ("ratio", 1.0, ""),
    "percent": ("ratio", 0.01, "%"),
    "count": ("count", 1.0, ""),
}


def compatible(unit: str | None, measure_unit: str | None) -> bool:
    """
    Whether a value in `unit` can be compared with a measure in `measure_unit`.

    Examples
    --------
    >>> compatible("km", "m"), compatible("ha", "m"), compatible(None, None)
    (True, False, True)
    """
    if unit is None or measure_unit is None:
        return unit == measure_unit or unit is None
    return UNITS[unit][0] == UNITS[measure_unit][0]


def to_native(value: float, unit: str | None, measure_unit: str | None) -> float:
    """
    Convert `value` from `unit` to `measure_unit`.

    Examples
    --------
    >>> to_native(15, "km", "m")
    15000.0
    >>> to_native(50, "percent", "fraction")
    0.5
    """
    if unit is None or measure_unit is None or unit == measure_unit:
        return value
    return value * UNITS[unit][1] / UNITS[measure_unit][1]


def format_number(value: float) -> str:
    """
    Format a number the Dutch way: thousands with a dot, decimals with a comma.

    Examples
    --------
    >>> format_number(15.3), format_number(1250), format_number(0.456), format_number(15.0)
    ('15,3', '1.250', '0,46', '15')
    """
    if math.isnan(value):
        return "onbekend"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_value(value: object, unit: str | None, measure_unit: str | None = None) -> str:
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
        return format_number(value)
    shown = value * UNITS[measure_unit][1] / UNITS[unit][1] if measure_unit else value
    if unit == "fraction":
        return f"{format_number(shown * 100)}%"
    symbol = UNITS[unit][2]
    if unit == "percent":
        return f"{format_number(shown)}%"
    return f"{format_number(shown)} {symbol}".rstrip()
