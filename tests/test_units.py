from __future__ import annotations

import numpy as np

from locscan.units import compatible, to_native


def test_conversion_and_compatibility():
    assert to_native(2, "ha", "m2") == 20_000
    assert to_native(np.array([1.0, 2.0]), "km", "m").tolist() == [1000.0, 2000.0]
    assert compatible("percent", "fraction")
    assert not compatible("km", "m2")
    assert not compatible("km", None)
