from __future__ import annotations

import numpy as np
import pytest

from locscan.nl.numbers import format_number, format_value


@pytest.mark.parametrize(("value", "text"), [
    (15.3, "15,3"), (15.0, "15"), (1250.0, "1.250"), (1_234_567.8, "1.234.568"),
    (0.456, "0,46"), (-2.5, "-2,5"), (np.float64(3.0), "3"), (float("nan"), "onbekend"),
])
def test_dutch_numbers(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(("value", "unit", "measure_unit", "text"), [
    (15_300.0, "km", "m", "15,3 km"), (2_500.0, "m2", None, "2.500 m²"),
    (25_000.0, "ha", "m2", "2,5 ha"), (0.125, "fraction", None, "12,5%"),
    (0.5, "percent", "fraction", "50%"), (np.int64(12), None, None, "12"),
    ("Wonen", None, None, "Wonen"), (None, "m", None, "onbekend"),
])
def test_format_value_with_units(value, unit, measure_unit, text):
    assert format_value(value, unit, measure_unit) == text
