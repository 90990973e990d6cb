"""The WebGL map's data that follows the criteria: one byte per candidate per change.

The geometry goes to the browser once per region (:mod:`locscan.maps.regionfiles`); on every
change of a threshold only the class of each candidate (:func:`status_codes`) and its score
(:func:`scores`) change: one file named by its content (:func:`write_classes`), 0.8 MB per
400,000 candidates instead of ~60 MB of GeoJSON, fetched by the browser only when it changes.
The candidate's position in these arrays is its position in ``Scan.candidates``; a click in
the browser comes back as that position (:func:`clicked`).
No Streamlit here.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan import rdnap, settings
from locscan.maps.base import _SHORTLIST_COLOUR, SCORE_CLASSES, score_class
from locscan.maps.classfiles import write_classes
from locscan.maps.regionfiles import (
    CONTEXT_STYLE,
    MapFiles,
    context_geojson,
    reach_geojson,
    write_context,
    write_outlines,
    write_region,
)
from locscan.maps.sitearrays import TILE_M, tile_order
from locscan.nl.words import STATUS

__all__ = [
    "CLASSES",
    "CONTEXT_DRAW",
    "HIDDEN",
    "TILE_M",
    "MapFiles",
    "bounds",
    "clicked",
    "context_draw",
    "context_geojson",
    "legend",
    "reach_geojson",
    "scores",
    "status_codes",
    "tile_order",
    "write_classes",
    "write_context",
    "write_outlines",
    "write_region",
]

#: class code 0: outside the chosen subregio or gemeente (not drawn)
HIDDEN = 0
_FAIL, _CHECK, _FIRST_SCORE = 1, 2, 3

#: class code -> (RGBA colour, Dutch legend label); score classes follow SCORE_CLASSES
CLASSES: dict[int, tuple[tuple[int, int, int, int], str]] = {
    _FAIL: ((140, 140, 140, 150), STATUS["fail"]),
    _CHECK: ((230, 97, 1, 255), STATUS["check"]),
    **{
        _FIRST_SCORE + i: ((*bytes.fromhex(colour[1:]), 255), f"voldoet, score {label}")
        for i, (_, colour, label) in enumerate(SCORE_CLASSES)
    },
}

#: colours of the other layers in the legend (work sites must not look like the shortlist)
_WORK_SITE = "#6a3d9a"
_BORDER = "#555555"


def _rgba(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    """
    A ``#rrggbb`` colour with an alpha (0–255) as an RGBA tuple.

    Examples
    --------
    >>> _rgba("#b2182b", 26)
    (178, 24, 43, 26)
    """
    r, g, b = bytes.fromhex(colour[1:])
    return r, g, b, alpha


#: how the map draws each kind of context feature (:func:`context_geojson`): line colour,
#: line width in pixels and fill colour (RGBA); the one place these colours are set
CONTEXT_DRAW: dict[str, tuple[tuple[int, ...], int, tuple[int, ...]]] = {
    "gemeente": (_rgba(_BORDER), 1, (0, 0, 0, 0)),
    "subregio": (_rgba("#000000"), 3, (0, 0, 0, 0)),
    **{role: (_rgba(colour), 1, _rgba(colour, 38 if role == "exclusions" else 26))
       for role, (_, colour) in CONTEXT_STYLE.items()},
    "work_site": (_rgba("#ffffff"), 1, _rgba(_WORK_SITE, 230)),
}


def context_draw() -> dict[str, dict[str, object]]:
    """
    :data:`CONTEXT_DRAW` as the map component reads it.

    Examples
    --------
    >>> context_draw()["cores"]
    {'line': [178, 24, 43, 255], 'width': 1, 'fill': [178, 24, 43, 26]}
    """
    return {kind: {"line": list(line), "width": width, "fill": list(fill)}
            for kind, (line, width, fill) in CONTEXT_DRAW.items()}


def status_codes(status: pd.Series, score: pd.Series, shown: pd.Series | None = None
                 ) -> np.ndarray:
    """
    One class code per candidate (see :data:`CLASSES`), in the order of `status`.

    Parameters
    ----------
    status
        :attr:`locscan.longlist.Result.status` (``voldoet``, ``te controleren``, ``valt af``).
    score
        The score (0–100) per candidate, same index.
    shown
        Boolean per candidate: inside the chosen subregio or gemeente; others get :data:`HIDDEN`.

    Examples
    --------
    >>> s = pd.Series(["voldoet", "te controleren", "valt af", "voldoet"])
    >>> status_codes(s, pd.Series([85.0, 50, 90, 10]), pd.Series([True, True, True, False]))
    array([7, 2, 1, 0], dtype=uint8)
    """
    codes = np.full(len(status), _FAIL, dtype=np.uint8)
    labels = pd.Categorical(status)
    passing = _equals(labels, STATUS["pass"])
    # numpy's clip: pandas' takes 60 ms over 400,000 scores
    classes = np.clip(score_class(score.fillna(0)).to_numpy(), 0, len(SCORE_CLASSES) - 1)
    codes[passing] = _FIRST_SCORE + classes[passing]
    codes[_equals(labels, STATUS["check"])] = _CHECK
    if shown is not None:
        codes[~shown.to_numpy(dtype=bool)] = HIDDEN
    return codes


def _equals(labels: pd.Categorical, value: str) -> np.ndarray:
    """Where `labels` is `value`, by the category codes (fast for 400,000 statuses)."""
    where = labels.categories.get_indexer([value])[0]
    return labels.codes == where if where >= 0 else np.zeros(len(labels), dtype=bool)


def scores(score: pd.Series) -> np.ndarray:
    """
    The score rounded to a whole number per candidate as one byte; 255 where it is unknown.

    Examples
    --------
    >>> scores(pd.Series([0.4, 99.6, None]))
    array([  0, 100, 255], dtype=uint8)
    """
    values = score.to_numpy(dtype=float, na_value=np.nan)
    out = np.full(len(values), 255, dtype=np.uint8)
    known = np.isfinite(values)
    out[known] = np.clip(np.round(values[known]), 0, 100).astype(np.uint8)
    return out


def bounds(candidates: gpd.GeoDataFrame, shown: pd.Series | None = None
           ) -> list[float] | None:
    """
    The WGS84 bounds ``[west, south, east, north]`` of the shown candidates, or None.

    The map zooms to them when the subregio or gemeente changes.
    """
    chosen = candidates if shown is None else candidates[shown.to_numpy(dtype=bool)]
    if chosen.empty:
        return None
    x0, y0, x1, y1 = chosen.total_bounds
    box = gpd.GeoSeries([shapely.box(x0, y0, x1, y1)], crs=candidates.crs)
    return [round(float(v), 6) for v in rdnap.to_crs(box, settings.geojson_crs).total_bounds]


def clicked(value: object, index: pd.Index) -> str | None:
    """
    The candidate id of a click on the map, from the value the map component sends back.

    Parameters
    ----------
    value
        ``{"index": position, "key": files key, ...}`` or None.
    index
        ``Scan.candidates.index``, in the order the map files were written.

    Examples
    --------
    >>> clicked({"index": 1}, pd.Index(["perceel:7", "perceel:9"]))
    'perceel:9'
    >>> clicked({"index": 5}, pd.Index(["perceel:7"])) is None
    True
    """
    if not isinstance(value, dict):
        return None
    position = value.get("index")
    if not isinstance(position, int) or isinstance(position, bool):
        return None
    return str(index[position]) if 0 <= position < len(index) else None


def legend(with_context: dict[str, gpd.GeoDataFrame] | None = None) -> list[tuple[str, str, str]]:
    """
    The legend rows ``(colour, label, shape)`` of everything the map can show.

    Shapes are ``dot``, ``ring``, ``line`` or ``area``; context rows appear only for roles
    that have features.

    Examples
    --------
    >>> [label for _, label, _ in legend()][:3]
    ['voldoet, score 80–100', 'voldoet, score 60–80', 'voldoet, score 40–60']
    """
    rows = [(_hex(CLASSES[code][0]), CLASSES[code][1], "dot")
            for code in sorted(CLASSES, reverse=True)]
    rows += [(_SHORTLIST_COLOUR, "op de shortlist", "ring"),
             ("#000000", "gekozen locatie", "ring"),
             (_WORK_SITE, "werklocatie", "dot"),
             ("#08306b", "bereik rond werklocaties (als getoond)", "area"),
             (_BORDER, "gemeentegrens", "line"),
             ("#000000", "subregiogrens", "line")]
    for role, (label, colour) in CONTEXT_STYLE.items():
        layer = (with_context or {}).get(role)
        if layer is not None and len(layer):
            rows.append((colour, label, "area"))
    return rows


def _hex(rgba: tuple[int, ...]) -> str:
    return "#" + "".join(f"{v:02x}" for v in rgba[:3])
