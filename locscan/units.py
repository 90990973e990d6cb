"""Units of measures and criteria: dimensions, conversion factors and symbols.

A criterion may state its threshold in another unit of the same dimension as its measure (km for
a measure in m, ha for m², percent for a fraction); values are converted once, when the
criteria are evaluated.
"""

from __future__ import annotations

__all__ = ["UNITS", "compatible", "to_native"]

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
