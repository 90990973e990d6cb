"""Exception classes of locscan, one per scope of what went wrong, all in this module.

Every message names the place (file, line, layer, field, criterion) and says what is wrong,
what was found against what was expected, and the fix when it is known. Every class is a
:class:`LocscanError`, so the app and the command line catch one class and show one line.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConflictError",
    "CriteriaError",
    "ExportError",
    "LayerError",
    "LocscanError",
    "MeasureError",
    "PlanError",
    "PullError",
    "RegionError",
    "ShortlistError",
    "SourcesError",
]


class LocscanError(ValueError):
    """Base class of every error locscan raises on bad input."""


class LayerError(LocscanError):
    """A layer or its catalogue entry is wrong: file, layer, CRS, field or geometry."""


class RegionError(LocscanError):
    """A region folder or its metadata (``region.yaml``) is wrong or incomplete."""


class MeasureError(LocscanError):
    """A measure specification cannot be computed on the layers it names."""


class CriteriaError(LocscanError):
    """A criteria file is wrong: a criterion, a key, a value or a measure."""


class PlanError(LocscanError):
    """Capacity or a plan cannot be computed: missing inputs, or the solver found no plan."""


class ShortlistError(LocscanError):
    """A change to the shortlist is not valid (no name, unknown status, unknown site)."""


class ConflictError(ShortlistError):
    """
    Somebody else changed the site since it was read; nothing was overwritten.

    Attributes
    ----------
    current : dict
        The site's row as it is now in the database.
    """

    def __init__(self, message: str, current: dict[str, Any]) -> None:
        super().__init__(message)
        self.current = current


class ExportError(LocscanError):
    """An export cannot be written (unknown format)."""


class SourcesError(LocscanError):
    """A region's ``sources.yaml`` is wrong, or names a layer that cannot be pulled."""


class PullError(LocscanError):
    """
    A layer could not be fetched; what was there before is untouched.

    Attributes
    ----------
    done : dict
        Provenance records of the layers that were pulled in the same run before or after the
        failing ones (a pull goes on with the other layers).
    """

    def __init__(self, message: str, done: dict | None = None) -> None:
        super().__init__(message)
        self.done = done or {}
