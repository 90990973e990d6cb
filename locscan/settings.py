"""Technical defaults of locscan, read at call time so one assignment changes them everywhere.

Policy numbers (15 km, 400 m, 15 m² per worker) do not belong here: they are in the criteria
files (``criteria/*.yaml``) and the region metadata (``data/<region>/region.yaml``).

Attributes
----------
crs : str
    Internal coordinate reference system: RD New, metres.
geojson_crs : str
    CRS of GeoJSON exports (RFC 7946 demands WGS84 longitude/latitude).
cache_dirname : str
    Name of the folder inside a region folder where computed measures are cached.
default_region : str
    Region folder used when none is given (the built-in demo region).
region_file, catalogue_file : str
    File names of the region metadata and the layer catalogue inside a region folder.
use_cache : bool
    Whether measures and candidates are read from and written to the cache.
workers : int
    Threads that compute measures side by side (shapely releases the GIL).
shortlist_url : str
    SQLAlchemy URL of the shortlist database; ``$LOCSCAN_DB`` overrides it.
tiles : bool
    Whether maps load OpenStreetMap background tiles by default (``LOCSCAN_TILES=osm``); off
    by default, so the app works offline without a grey map and failed requests. Users can
    switch them on per map.
user_header : str
    HTTP header with the user name that an authenticating reverse proxy sets
    (``LOCSCAN_USER_HEADER``, e.g. ``X-Forwarded-User``); empty: not used. Only set it when
    the app is reachable through that proxy alone.
http_retries, http_retry_delay, http_timeout
    Retries (with doubling delay, in seconds) and timeout of GDAL's HTTP requests when
    pulling layers from online services.
"""

import os

crs: str = "EPSG:28992"
geojson_crs: str = "EPSG:4326"
cache_dirname: str = ".locscan-cache"
default_region: str = "data/demo"
region_file: str = "region.yaml"
catalogue_file: str = "layers.yaml"
use_cache: bool = True
workers: int = min(4, os.cpu_count() or 1)
shortlist_url: str = "sqlite:///data/shortlist.sqlite"
tiles: bool = os.environ.get("LOCSCAN_TILES", "none").lower() in {"osm", "on", "1"}
user_header: str = os.environ.get("LOCSCAN_USER_HEADER", "")
http_retries: int = 4
http_retry_delay: float = 1.0
http_timeout: int = 60
