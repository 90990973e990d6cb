"""The ``capacity:`` and ``ahp:`` sections of a criteria file."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["AhpRecord", "Assumptions"]


class Assumptions(BaseModel):
    """
    The ``capacity:`` section of a criteria file: the assumptions behind capacity figures.

    Policy numbers left ``None`` (``m2_per_worker``, ``manager_above``, ``reach_m``,
    ``temporary_share`` and the three shares of where workers live) are taken from the
    region's norms (``region.yaml``) when capacity is computed, by
    :func:`locscan.capacity.resolve`. The assumptions of the criteria set itself have no
    default in code: a file that leaves one out is an error that names the key.

    Attributes
    ----------
    built_share
        Share of the plot that is built on.
    storeys
        Storeys of living space.
    max_per_location
        Most workers on one location.
    max_per_location_by_gemeente
        A gemeente's own maximum per location (gemeente name or CBS code -> workers), where
        it sets one; it replaces `max_per_location` for the sites in that gemeente.
    parking_measure, parking_per_resident
        The measure with parking places near a site (``null``: no parking check), and the
        places needed per resident.
    floor_area_field, floor_use_share
        Candidate attribute with an existing building's floor area (m²), used where present,
        and the share of it that becomes living area (required with the field).
    m2_per_worker, manager_above, reach_m, temporary_share
        Roemernorm area per worker, the residents above which a 24/7 manager is needed, the
        distance from work, the temporary share of the task: ``None`` takes the region's norm
        (``reach_m`` first from the criterion on the distance to the work sites).
    min_share_own_gemeente, max_share_elsewhere_in_subregio, max_share_elsewhere
        The norm for where workers live; ``None`` takes the region's norm.
    min_spacing_m
        Chosen sites lie at least this far apart (suggestion only; 0: no spacing).
    max_sites_per_gemeente
        At most this many chosen sites per gemeente (suggestion only; ``None``: no limit).
    site_cost_km
        Cost of opening a site, in worker-kilometres; above 0 the suggestion prefers fewer sites.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    built_share: float = Field(gt=0, le=1)
    storeys: float = Field(gt=0)
    m2_per_worker: float | None = Field(None, gt=0)
    floor_area_field: str | None = None
    floor_use_share: float | None = Field(None, gt=0, le=1)
    max_per_location: int = Field(gt=0)
    max_per_location_by_gemeente: dict[str, Annotated[int, Field(gt=0)]] = {}
    manager_above: int | None = Field(None, gt=0)
    parking_measure: str | None
    parking_per_resident: float = Field(ge=0)
    reach_m: float | None = Field(None, gt=0)
    temporary_share: float | None = Field(None, gt=0, le=1)
    min_share_own_gemeente: float | None = Field(None, ge=0, le=1)
    max_share_elsewhere_in_subregio: float | None = Field(None, ge=0, le=1)
    max_share_elsewhere: float | None = Field(None, ge=0, le=1)
    min_spacing_m: float = Field(0, ge=0)
    max_sites_per_gemeente: int | None = Field(None, gt=0)
    site_cost_km: float = Field(0, ge=0)

    @model_validator(mode="after")
    def _floor_share_with_field(self) -> Assumptions:
        if self.floor_area_field and self.floor_use_share is None:
            raise ValueError("'floor_area_field' needs 'floor_use_share' (the share of the floor "
                             "area that becomes living area)")
        return self


class AhpRecord(BaseModel):
    """
    Where a criteria set's weights came from when they were set by AHP (:mod:`locscan.ahp`).

    The soft criteria compared, the combined comparison matrix, the weights it gave, its
    consistency ratio and each party's consistency ratio.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    criteria: list[str]
    matrix: list[list[float]]
    weights: dict[str, float]
    consistency_ratio: float
    parties: dict[str, float] = {}
    method: str = ("principal eigenvector; parties combined by the geometric mean of their "
                   "judgements; Saaty's random index")
