"""Capacity assumptions filled from the region's norms; no policy number comes from code."""

from __future__ import annotations

from pydantic import ValidationError

from locscan import config
from locscan.criteria import Assumptions
from locscan.errors import CriteriaError, PlanError
from locscan.region import RegionMeta

__all__ = [
    "assumptions_of",
    "resolve",
]


_FROM_NORMS = {  # assumption -> region norm it takes when the criteria leave it open
    "m2_per_worker": "m2_per_worker",
    "manager_above": "manager_above_residents",
    "reach_m": "max_distance_to_work_m",
    "temporary_share": "temporary_share",
    "min_share_own_gemeente": "live_in_work_municipality_min",
    "max_share_elsewhere_in_subregio": "live_elsewhere_in_subregio_max",
    "max_share_elsewhere": "live_elsewhere_max",
}


def resolve(assumptions: Assumptions, meta: RegionMeta, reach_m: float | None = None
            ) -> Assumptions:
    """
    Fill the policy numbers the assumptions leave open from the region's norms.

    ``reach_m`` is, in this order, the criteria file's ``capacity.reach_m``, the given
    `reach_m` (from the criterion on the distance to the work sites) and the region's norm.

    Raises
    ------
    RegionError
        When a number is left open and ``region.yaml`` has no norms.

    Examples
    --------
    >>> meta = RegionMeta.model_validate({"name": "r", "label": "R", "subregios": {},
    ...     "municipalities": [], "norms": {"m2_per_worker": 15, "manager_above_residents": 100,
    ...     "max_distance_to_work_m": 15000, "temporary_share": 0.75,
    ...     "bedroom_m2_per_worker": 5.5, "live_in_work_municipality_min": 0.8,
    ...     "live_elsewhere_in_subregio_max": 0.1, "live_elsewhere_max": 0.1}})
    >>> own = Assumptions(built_share=0.4, storeys=2, max_per_location=200,
    ...                   parking_measure=None, parking_per_resident=0.3, m2_per_worker=20)
    >>> a = resolve(own, meta)
    >>> a.m2_per_worker, a.manager_above, a.reach_m, a.temporary_share, a.min_share_own_gemeente
    (20.0, 100, 15000.0, 0.75, 0.8)
    """
    filled: dict = {}
    if assumptions.max_per_location_by_gemeente:
        try:
            filled["max_per_location_by_gemeente"] = {
                meta.municipality(key).code: value
                for key, value in assumptions.max_per_location_by_gemeente.items()}
        except Exception as exc:
            raise CriteriaError(f"capacity.max_per_location_by_gemeente: {exc}") from exc
    if assumptions.reach_m is None and reach_m is not None:
        filled["reach_m"] = float(reach_m)
    open_ = [k for k in _FROM_NORMS if getattr(assumptions, k) is None and k not in filled]
    if open_:
        norms = meta.required_norms("capacity and the suggested plan")
        filled |= {k: getattr(norms, _FROM_NORMS[k]) for k in open_}
    return assumptions.model_copy(update=filled)


def _resolved(assumptions: Assumptions, *keys: str) -> list:
    """The values of `keys`; an assumption still open is an error (call :func:`resolve`)."""
    missing = [k for k in keys if getattr(assumptions, k) is None]
    if missing:
        raise PlanError(f"capacity assumptions {', '.join(missing)} are not set; take them "
                        "from the region's norms with capacity.resolve")
    return [getattr(assumptions, k) for k in keys]


def assumptions_of(criteria_capacity: Assumptions | dict | None, meta: RegionMeta,
                   reach_m: float | None) -> Assumptions:
    """
    The ``capacity:`` section of a criteria file, validated and filled from the region's norms.

    Raises
    ------
    CriteriaError
        When the section is missing, or naming the key that is wrong.
    RegionError
        When a policy number is left open and the region has no norms.
    """
    if criteria_capacity is None:
        required = [k for k, f in Assumptions.model_fields.items() if f.is_required()]
        raise CriteriaError("criteria: no 'capacity:' section; capacity and the suggested plan "
                            f"need its assumptions {', '.join(required)}")
    if isinstance(criteria_capacity, Assumptions):
        return resolve(criteria_capacity, meta, reach_m)
    try:
        parsed = Assumptions.model_validate(criteria_capacity)
    except ValidationError as exc:
        raw = {"capacity": criteria_capacity}
        raise CriteriaError("criteria, capacity assumptions: " + "; ".join(
            config.problems(exc, raw, Assumptions, prefix=("capacity",)))) from exc
    return resolve(parsed, meta, reach_m)
