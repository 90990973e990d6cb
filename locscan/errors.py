"""Exception classes of locscan, one per scope of what went wrong.

Every message names the place (file, layer, field, criterion) and says what is wrong, what was
found against what was expected, and the fix when it is known.
"""


class LocscanError(ValueError):
    """Base class of every error locscan raises on bad input."""


class LayerError(LocscanError):
    """A layer or its catalogue entry is wrong: file, layer, CRS, field or geometry."""


class CriteriaError(LocscanError):
    """A criteria file is wrong: a criterion, a key, a value or a measure."""


class RegionError(LocscanError):
    """A region folder or its metadata (``region.yaml``) is wrong or incomplete."""


class MeasureError(LocscanError):
    """A measure specification cannot be computed on the layers it names."""
