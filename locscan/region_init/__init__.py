"""Start a region from a folder of files: propose a layer catalogue and a region file to fill in.

Every vector file GDAL reads (GeoPackage, GeoJSON, Shapefile, FlatGeobuf, GML …) and every table
with coordinate columns (CSV, XLSX), in the folder and its subfolders, is inspected: its
geometry, fields and name are matched against the conventions of the Dutch open data a region
works with (BRK parcels, BAG, IMRO zoning, CBS municipalities, OSM parking, shops and stops, IBIS
business parks) to propose a role and a field mapping (:mod:`.propose`). The proposal is written
as a commented ``layers.yaml``, and a ``region.yaml`` whose municipalities come from the
municipalities layer when there is one; what a criteria file still needs is listed
(:mod:`.write`). Existing files are never overwritten: the proposal then goes next to them.
"""

from locscan.region_init.propose import Found, Proposal, inspect, propose
from locscan.region_init.write import catalogue_text, missing_for, region_text, write

__all__ = ["Found", "Proposal", "catalogue_text", "inspect", "missing_for", "propose",
           "region_text", "write"]
