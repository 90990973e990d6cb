"""The task: international workers per subregio and the temporary workers of each work site."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from locscan.capacity.norms import _resolved
from locscan.criteria import Assumptions
from locscan.errors import PlanError
from locscan.region import RegionMeta

__all__ = [
    "task_table",
    "work_demand",
]


def task_table(meta: RegionMeta, assumptions: Assumptions) -> pd.DataFrame:
    """
    The task per subregio: international workers working there and the temporary share.

    Columns ``workers_2020`` (international workers working in the subregio) and ``task_2020``,
    ``task_2030_low``, ``task_2030_high`` (temporary workers to house), all in persons.

    The 2030 scenarios add the region's expected growth pro rata to each subregio's share.

    Examples
    --------
    >>> meta = RegionMeta.model_validate({"name": "r", "label": "R", "municipalities": [],
    ...     "subregios": {"A": {"short_stay": 1, "mid_stay": 1, "long_stay": 2,
    ...                         "total_working": 4, "living_there": 1}},
    ...     "growth_2030": {"extra_low": 2, "extra_high": 4}})
    >>> a = Assumptions(built_share=0.4, storeys=2, max_per_location=200,
    ...                 parking_measure=None, parking_per_resident=0.3, temporary_share=0.75)
    >>> task_table(meta, a).loc["A"].tolist()
    [4.0, 3.0, 4.5, 6.0]
    """
    total = pd.Series({k: t.total_working for k, t in meta.subregios.items()}, dtype=float)
    share = total / total.sum() if total.sum() else total
    (temp,) = _resolved(assumptions, "temporary_share")
    growth = meta.growth_2030
    out = pd.DataFrame({
        "workers_2020": total,
        "task_2020": total * temp,
        "task_2030_low": (total + share * growth.get("extra_low", 0)) * temp,
        "task_2030_high": (total + share * growth.get("extra_high", 0)) * temp,
    })
    out.index.name = "subregio"
    return out


def work_demand(
    work_sites: gpd.GeoDataFrame, gemeente_code: pd.Series, meta: RegionMeta,
    assumptions: Assumptions,
) -> gpd.GeoDataFrame:
    """
    Temporary workers to house per work site (workers × temporary_share), with gemeente.

    Raises
    ------
    LocscanError
        When the work sites carry no number of workers.
    """
    if "workers" not in work_sites:
        raise PlanError("work_sites: no 'workers' attribute; map the number of "
                           "international workers in the layer catalogue (fields: workers:)")
    sub = {m.code: m.subregio for m in meta.municipalities}
    out = work_sites[["workers", work_sites.geometry.name]].copy()
    out["gemeente_code"] = gemeente_code.to_numpy()
    out["subregio"] = out["gemeente_code"].map(sub)
    (temp,) = _resolved(assumptions, "temporary_share")
    out["demand"] = out["workers"].fillna(0).to_numpy() * temp
    return out[out["subregio"].notna()]
