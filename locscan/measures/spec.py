"""A measure declared as data (:class:`MeasureSpec`) and the kinds it may name (:data:`KINDS`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from locscan.measures.attribute import area, attribute
from locscan.measures.distance import count_within, distance_to, network_distance_to, sum_within
from locscan.measures.overlap import dominant_attribute, overlap_fraction

__all__ = ["KINDS", "Kind", "MeasureSpec"]


@dataclass(frozen=True)
class Kind:
    """A measure kind: its function, whether it reads a layer, and its unit."""

    func: Callable[..., pd.DataFrame]
    needs_layer: bool
    unit: str | None


KINDS: dict[str, Kind] = {
    "distance_to": Kind(distance_to, True, "m"),
    "network_distance_to": Kind(network_distance_to, True, "m"),
    "count_within": Kind(count_within, True, "count"),
    "sum_within": Kind(sum_within, True, "count"),
    "overlap_fraction": Kind(overlap_fraction, True, "fraction"),
    "dominant_attribute": Kind(dominant_attribute, True, None),
    "attribute": Kind(attribute, False, None),
    "area": Kind(area, False, "m2"),
}


class MeasureSpec(BaseModel):
    """
    A measure declared as data.

    Attributes
    ----------
    name
        Column name of the measure, with its unit by convention (``dist_work_site_m``).
    kind
        One of :data:`KINDS`.
    layer
        Layer (catalogue name) the kind reads; ``None`` for kinds that read the candidate.
    params
        Keyword arguments of the kind (``distance``, ``field``, ...).
    unit
        Unit of the value; defaults to the kind's unit (``m``, ``m2``, ``fraction``, ``count``).
    label
        Dutch label for the UI and exports.
    if_missing
        What a missing layer (not in the region's catalogue) or candidate attribute means:
        ``error`` (default) or ``unknown``, for data that regions may not have (ownership is
        not open data): every value is then unknown, with a warning.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: str
    layer: str | None = None
    params: dict[str, Any] = {}
    unit: str | None = None
    label: str = ""
    if_missing: Literal["error", "unknown"] = "error"

    @property
    def value_unit(self) -> str | None:
        """The unit of the measure's value."""
        return self.unit or (KINDS[self.kind].unit if self.kind in KINDS else None)

    def problems(self) -> list[str]:
        """Return what is wrong with this spec on its own (kind, layer, parameters)."""
        where = f"measure {self.name!r}"
        if self.kind not in KINDS:
            return [f"{where}: unknown kind {self.kind!r}; known kinds: {', '.join(KINDS)}"]
        kind = KINDS[self.kind]
        out = []
        if kind.needs_layer and not self.layer:
            out.append(f"{where}: kind {self.kind!r} needs a 'layer'")
        if not kind.needs_layer and self.layer:
            out.append(f"{where}: kind {self.kind!r} reads the candidate itself, not a layer")
        sig = inspect.signature(kind.func).parameters
        allowed = [p for p, v in sig.items() if v.kind is inspect.Parameter.KEYWORD_ONLY]
        required = [p for p in allowed if sig[p].default is inspect.Parameter.empty]
        unknown = sorted(set(self.params) - set(allowed))
        if unknown:
            out.append(
                f"{where}: unknown parameter(s) {', '.join(unknown)} for kind {self.kind!r}; "
                f"allowed: {', '.join(allowed) or 'none'}"
            )
        missing = [p for p in required if p not in self.params]
        if missing:
            out.append(f"{where}: kind {self.kind!r} needs parameter(s) {', '.join(missing)}")
        return out
