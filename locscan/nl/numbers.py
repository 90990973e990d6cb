"""Dutch formatting of numbers and measured values with their unit ("15,3 km", "35%")."""

from __future__ import annotations

import math
import numbers

from locscan.units import UNITS

__all__ = ["format_number", "format_value"]


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
