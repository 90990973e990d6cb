"""Measures: one value per candidate, declared as data, computed vectorised, then cached.

A measure is a :class:`MeasureSpec` (``spec``): a name (the column it fills, with its unit in
the name by convention: ``dist_work_site_m``), a kind, the layer it reads and the kind's
parameters. A kind is a small pure function by family (``distance``, ``overlap``,
``attribute``) that takes the candidates and one layer and returns a frame indexed like the
candidates; missing values mean "unknown" and are never filled in. The ``engine`` computes the
specs for a region, side by side, and caches each on disk.
"""

from locscan.measures.attribute import area, attribute
from locscan.measures.distance import count_within, distance_to, network_distance_to, sum_within
from locscan.measures.engine import (
    MEASURES_VERSION,
    as_categories,
    check_specs,
    compute,
    compute_for_region,
    compute_one,
)
from locscan.measures.overlap import dominant_attribute, overlap_fraction
from locscan.measures.parts import Part
from locscan.measures.runner import compute_in_parts, compute_measures
from locscan.measures.spec import KINDS, Kind, MeasureSpec

__all__ = [
    "KINDS",
    "MEASURES_VERSION",
    "Kind",
    "MeasureSpec",
    "Part",
    "area",
    "as_categories",
    "attribute",
    "check_specs",
    "compute",
    "compute_for_region",
    "compute_in_parts",
    "compute_measures",
    "compute_one",
    "count_within",
    "distance_to",
    "dominant_attribute",
    "network_distance_to",
    "overlap_fraction",
    "sum_within",
]
