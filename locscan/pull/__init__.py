"""Pull layers from their official online sources into a region folder, with provenance.

A region's ``sources.yaml`` (``sources``) says, per layer, where it comes from: an OGC API
Features collection or a WFS feature type (``service``), a downloadable file (``download``), the
download links of an Atom feed (``atom``) or OpenStreetMap (``osm``), with the attribute
mapping, licence and attribution. ``staging`` fetches part by part and swaps a layer in only
when it is complete; ``status`` says what a region folder holds.
"""

from locscan.errors import PullError
from locscan.pull.atom import atom_links
from locscan.pull.sources import Source, Sources, load_sources
from locscan.pull.staging import pull, pull_layer
from locscan.pull.status import STATUS_COLUMNS, report, status, status_table

__all__ = [
    "STATUS_COLUMNS",
    "PullError",
    "Source",
    "Sources",
    "atom_links",
    "load_sources",
    "pull",
    "pull_layer",
    "report",
    "status",
    "status_table",
]
