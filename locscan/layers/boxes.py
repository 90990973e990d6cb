"""Boxes: a part of a layer by its extent, in the source's CRS, and the files that may meet it."""

from __future__ import annotations

import functools

from pyproj import CRS, Transformer

from locscan import settings
from locscan.layers.catalogue import LayerEntry
from locscan.layers.read import file_extent

__all__ = ["may_meet", "source_bbox"]


def source_bbox(bbox: tuple[float, float, float, float] | None, crs: object
                 ) -> tuple[float, float, float, float] | None:
    """
    A box in EPSG:28992 as a box in the source's CRS that holds it.

    Edges densified, and 100 m wider first: locscan's own RD transformation
    (:mod:`locscan.rdnap`) and PROJ's may differ by a metre or two.

    Examples
    --------
    >>> source_bbox((0, 0, 1, 1), "EPSG:28992")
    (0, 0, 1, 1)
    >>> x0, y0, x1, y1 = source_bbox((155000, 463000, 156000, 464000), "EPSG:4326")
    >>> round(x0, 3), round(y1, 3)
    (5.386, 52.165)
    """
    if bbox is None or crs is None:
        return bbox
    to_source = _from_rd(crs if isinstance(crs, str) else CRS.from_user_input(crs).to_wkt())
    if to_source is None:
        return bbox
    x0, y0, x1, y1 = bbox
    return to_source.transform_bounds(x0 - 100, y0 - 100, x1 + 100, y1 + 100, densify_pts=21)


@functools.lru_cache(maxsize=64)
def _from_rd(crs: str) -> Transformer | None:
    """
    The transformation from RD New into a source's CRS (None when it is RD New).

    Made once per CRS: parsing a CRS takes a fraction of a millisecond, and a scan in parts
    asks for every file of every layer of every part.
    """
    source = CRS.from_user_input(crs)
    rd = CRS.from_user_input(settings.crs)
    return None if source.equals(rd) else Transformer.from_crs(rd, source, always_xy=True)


def may_meet(path: str, entry: LayerEntry, bbox: tuple[float, float, float, float]) -> bool:
    """Whether a file's extent (from its header) may meet `bbox`; True when it does not say."""
    bounds, crs = file_extent(path, entry.layer)
    if bounds is None:
        return True
    box = source_bbox(bbox, crs or entry.crs)
    return (bounds[0] <= box[2] and bounds[2] >= box[0] and bounds[1] <= box[3]
            and bounds[3] >= box[1])
