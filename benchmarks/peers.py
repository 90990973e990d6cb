"""The same scan without locscan: as a competent geopandas user and as a PostGIS user would.

Both peers read the demo region's GeoPackage, build the candidates (parcels and business parks
with their gemeente) and compute the measures of the criteria file, one measure at a time with
the best plain tools. The criteria are then evaluated by the same pandas code for all three, so
the comparison is about the expensive part: the spatial measures.
"""

from __future__ import annotations

import io
import re
import time
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml
from pgserver import postgres_server

# --- shared ---------------------------------------------------------------------------------


def _catalogue(folder: Path) -> dict:
    return yaml.safe_load((folder / "layers.yaml").read_text())["layers"]


def _read(folder: Path, name: str) -> gpd.GeoDataFrame:
    entry = _catalogue(folder)[name]
    frame = gpd.read_file(folder / entry["source"], layer=entry["layer"], engine="pyogrio",
                          use_arrow=True)
    return frame.rename(columns={v: k for k, v in entry.get("fields", {}).items()})


def _region_codes(folder: Path) -> list[str]:
    meta = yaml.safe_load((folder / "region.yaml").read_text())
    return [m["code"] for m in meta["municipalities"]]


# --- geopandas --------------------------------------------------------------------------------


def geopandas_candidates(folder: Path) -> gpd.GeoDataFrame:
    parcels = _read(folder, "parcels")
    parks = _read(folder, "business_parks")
    cands = pd.concat([
        parcels.assign(candidate_id="perceel:" + parcels["id"].astype(str)),
        parks.assign(candidate_id="bedrijventerrein:" + parks["id"].astype(str)),
    ], ignore_index=True)[["candidate_id", "ownership", "geometry"]]
    muni = _read(folder, "municipalities")[["code", "geometry"]]
    points = cands.set_geometry(cands.representative_point())
    joined = gpd.sjoin(points, muni, predicate="intersects", how="inner")
    joined = joined[~joined.index.duplicated()]
    joined = joined[joined["code"].isin(_region_codes(folder))]
    cands = cands.loc[joined.index].assign(gemeente_code=joined["code"])
    return cands.set_index("candidate_id")


def _nearest(cands: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, fields: list[str]) -> pd.DataFrame:
    joined = gpd.sjoin_nearest(cands[["geometry"]], layer[[*fields, "geometry"]],
                               distance_col="value")
    joined = joined[~joined.index.duplicated()]  # ties: keep one, as locscan does
    return joined[["value", *fields]]


def _overlap(cands: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> pd.Series:
    dissolved = layer[["geometry"]].dissolve().explode(index_parts=False)
    left = cands[["geometry"]].reset_index()
    pieces = gpd.overlay(left, dissolved, how="intersection", keep_geom_type=True)
    share = pieces.area.groupby(pieces["candidate_id"]).sum() / cands.area
    return share.reindex(cands.index).fillna(0).clip(0, 1)


def _dominant(cands: gpd.GeoDataFrame, zoning: gpd.GeoDataFrame) -> pd.DataFrame:
    left = cands[["geometry"]].reset_index()
    pieces = gpd.overlay(left, zoning[["class", "geometry"]], how="intersection",
                         keep_geom_type=True)
    pieces["a"] = pieces.area
    areas = pieces.groupby(["candidate_id", "class"])["a"].sum().reset_index()
    areas = areas[areas["a"] > 0].sort_values(["candidate_id", "a", "class"],
                                              ascending=[True, False, True])
    best = areas.drop_duplicates("candidate_id").set_index("candidate_id")
    out = pd.DataFrame(index=cands.index)
    out["value"] = best["class"]
    out["share"] = best["a"] / cands.area
    return out


def _sum_within(cands: gpd.GeoDataFrame, parking: gpd.GeoDataFrame, distance: float
                ) -> pd.DataFrame:
    joined = gpd.sjoin(cands[["geometry"]], parking[["capacity", "geometry"]],
                       predicate="dwithin", distance=distance)
    out = pd.DataFrame(index=cands.index)
    out["value"] = joined["capacity"].groupby(level=0).sum().reindex(cands.index).fillna(0)
    missing = joined["capacity"].isna().groupby(level=0).sum()
    out["unknown"] = missing.reindex(cands.index).fillna(0)
    return out


def geopandas_scan(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Candidates and measures as a geopandas script would compute them, with timings."""
    timings: dict[str, float] = {}

    def timed(name, func):
        start = time.perf_counter()
        out = func()
        timings[name] = time.perf_counter() - start
        return out

    cands = timed("candidates", lambda: geopandas_candidates(folder))
    layers = {n: timed(f"read {n}", lambda n=n: _read(folder, n))
              for n in ("work_sites", "cores", "zoning", "parking", "exclusions", "dwellings",
                        "stops", "shops")}
    work = timed("dist_work_site_m", lambda: _nearest(cands, layers["work_sites"],
                                                      ["id", "gemeente"]))
    zoning = timed("zoning_class", lambda: _dominant(cands, layers["zoning"]))
    parking = timed("parking_places_400m", lambda: _sum_within(cands, layers["parking"], 400))
    table = pd.DataFrame({
        "dist_work_site_m": work["value"],
        "dist_work_site_m__id": work["id"],
        "core_share": timed("core_share", lambda: _overlap(cands, layers["cores"])),
        "zoning_class": zoning["value"],
        "zoning_class__share": zoning["share"],
        "parking_places_400m": parking["value"],
        "parking_places_400m__unknown": parking["unknown"],
        "area_m2": cands.area,
        "nature_share": timed("nature_share", lambda: _overlap(cands, layers["exclusions"])),
        "dist_dwelling_m": timed("dist_dwelling_m",
                                 lambda: _nearest(cands, layers["dwellings"], [])["value"]),
        "dist_stop_m": timed("dist_stop_m", lambda: _nearest(cands, layers["stops"], [])["value"]),
        "dist_shop_m": timed("dist_shop_m", lambda: _nearest(cands, layers["shops"], [])["value"]),
        "ownership_class": cands["ownership"],
    }, index=cands.index)
    return cands, table, timings


# --- PostGIS ----------------------------------------------------------------------------------

postgis_server = partial(postgres_server, extensions=("postgis",))


def _copy(conn, table: str, frame: gpd.GeoDataFrame, columns: dict[str, str]) -> None:
    cols = "".join(f"{c} {t}, " for c, t in columns.items())
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(f"CREATE TABLE {table} ({cols}geom geometry(Geometry, 28992))")
    geoms = shapely.set_srid(frame.geometry.to_numpy(), 28992)
    wkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
    buffer = io.StringIO()
    out = pd.DataFrame({c: frame[c] for c in columns})
    out["geom"] = wkb
    out.to_csv(buffer, sep="\t", header=False, index=False, na_rep="\\N")
    buffer.seek(0)
    with conn.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join([*columns, 'geom'])}) FROM STDIN") as copy:
        copy.write(buffer.read())
    conn.execute(f"CREATE INDEX ON {table} USING gist (geom)")
    conn.execute(f"ANALYZE {table}")


def postgis_load(conn, folder: Path) -> float:
    """Load the layers with GiST indexes; returns the seconds it took."""
    start = time.perf_counter()
    layers = {
        "parcels": (_read(folder, "parcels"), {"id": "text", "ownership": "text"}),
        "parks": (_read(folder, "business_parks"), {"id": "text", "ownership": "text"}),
        "muni": (_read(folder, "municipalities"), {"code": "text"}),
        "work": (_read(folder, "work_sites"), {"id": "text", "gemeente": "text"}),
        "cores": (_read(folder, "cores"), {}),
        "zoning": (_read(folder, "zoning"), {"class": "text"}),
        "parking": (_read(folder, "parking"), {"capacity": "double precision"}),
        "nature": (_read(folder, "exclusions"), {}),
        "dwellings": (_read(folder, "dwellings"), {}),
        "stops": (_read(folder, "stops"), {}),
        "shops": (_read(folder, "shops"), {}),
    }
    for name, (frame, columns) in layers.items():
        _copy(conn, name, frame, columns)
    return time.perf_counter() - start


def postgis_scan(conn, folder: Path) -> tuple[pd.DataFrame, dict[str, float]]:
    """The measures as SQL a PostGIS user would write; with timings per query."""
    codes = _region_codes(folder)
    timings: dict[str, float] = {}

    def q(name: str, sql: str, params=None) -> pd.DataFrame:
        """Run a query; an overlay that GEOS refuses runs again through `safe_overlap`."""
        import psycopg

        start = time.perf_counter()
        try:
            cur = conn.execute(sql, params)
        except psycopg.errors.InternalError_ as exc:
            if "TopologyException" not in str(exc) or "ST_Intersects" not in sql:
                raise
            retried.append(f"{name}: {str(exc).splitlines()[0]}")
            robust = re.sub(r"ST_Intersects\((\w+)\.geom, (\w+)\.geom\)",
                            r"\1.geom && \2.geom AND safe_intersects(\1.geom, \2.geom)",
                            sql).replace("ST_Intersection(", "safe_overlap(")
            cur = conn.execute(robust, params)
        rows = cur.fetchall()
        cols = [d.name for d in cur.description] if cur.description else []
        timings[name] = time.perf_counter() - start
        return pd.DataFrame(rows, columns=cols)

    retried: list[str] = []
    conn.execute(_SAFE_OVERLAP)

    start = time.perf_counter()
    conn.execute("DROP TABLE IF EXISTS cands")
    conn.execute("""
        CREATE TABLE cands AS
        SELECT c.candidate_id, c.ownership, m.code AS gemeente_code, c.geom
        FROM (SELECT 'perceel:' || id AS candidate_id, ownership, geom FROM parcels
              UNION ALL
              SELECT 'bedrijventerrein:' || id, ownership, geom FROM parks) c
        CROSS JOIN LATERAL (SELECT code FROM muni
                            WHERE ST_Intersects(muni.geom, ST_PointOnSurface(c.geom))
                            LIMIT 1) m
        WHERE m.code = ANY(%s)""", (codes,))
    conn.execute("CREATE INDEX ON cands USING gist (geom)")
    conn.execute("ANALYZE cands")
    for layer in ("cores", "nature"):
        conn.execute(f"DROP TABLE IF EXISTS {layer}_u")
        conn.execute(f"CREATE TABLE {layer}_u AS SELECT (ST_Dump(ST_Union(geom))).geom AS geom "
                     f"FROM {layer}")
        conn.execute(f"CREATE INDEX ON {layer}_u USING gist (geom)")
    timings["candidates"] = time.perf_counter() - start

    def nearest(name: str, layer: str, fields: str = "") -> pd.DataFrame:
        extra = f", {fields}" if fields else ""
        return q(name, f"""
            SELECT c.candidate_id, n.d AS value{extra.replace(', ', ', n.')}
            FROM cands c CROSS JOIN LATERAL (
                SELECT ST_Distance(c.geom, l.geom) AS d{extra} FROM {layer} l
                ORDER BY c.geom <-> l.geom LIMIT 1) n""").set_index("candidate_id")

    def overlap(name: str, layer: str) -> pd.Series:
        frame = q(name, f"""
            SELECT c.candidate_id, COALESCE(sum(ST_Area(ST_Intersection(c.geom, u.geom)))
                   / ST_Area(c.geom), 0) AS value
            FROM cands c LEFT JOIN {layer}_u u ON ST_Intersects(c.geom, u.geom)
            GROUP BY c.candidate_id, c.geom""")
        return frame.set_index("candidate_id")["value"].clip(0, 1)

    work = nearest("dist_work_site_m", "work", "id, gemeente")
    zoning = q("zoning_class", """
        SELECT DISTINCT ON (candidate_id) candidate_id, class AS value, a / area AS share
        FROM (SELECT c.candidate_id, z.class, ST_Area(c.geom) AS area,
                     sum(ST_Area(ST_Intersection(c.geom, z.geom))) AS a
              FROM cands c JOIN zoning z ON ST_Intersects(c.geom, z.geom)
              WHERE z.class IS NOT NULL
              GROUP BY c.candidate_id, z.class, c.geom) t
        WHERE a > 0
        ORDER BY candidate_id, a DESC, class""").set_index("candidate_id")
    parking = q("parking_places_400m", """
        SELECT c.candidate_id, COALESCE(sum(p.capacity), 0) AS value,
               count(p.geom) - count(p.capacity) AS unknown
        FROM cands c LEFT JOIN parking p ON ST_DWithin(c.geom, p.geom, 400)
        GROUP BY c.candidate_id""").set_index("candidate_id")
    base = q("area_m2", "SELECT candidate_id, ST_Area(geom) AS area, ownership, gemeente_code "
                        "FROM cands").set_index("candidate_id")
    table = pd.DataFrame({
        "dist_work_site_m": work["value"],
        "dist_work_site_m__id": work["id"],
        "core_share": overlap("core_share", "cores"),
        "zoning_class": zoning["value"],
        "zoning_class__share": zoning["share"],
        "parking_places_400m": parking["value"].astype(float),
        "parking_places_400m__unknown": parking["unknown"].astype(float),
        "area_m2": base["area"],
        "nature_share": overlap("nature_share", "nature"),
        "dist_dwelling_m": nearest("dist_dwelling_m", "dwellings")["value"],
        "dist_stop_m": nearest("dist_stop_m", "stops")["value"],
        "dist_shop_m": nearest("dist_shop_m", "shops")["value"],
        "ownership_class": base["ownership"],
    }, index=base.index)
    table["gemeente_code"] = base["gemeente_code"]
    timings["retried"] = retried  # type: ignore[assignment]
    return table, timings


#: what a PostGIS user writes when GEOS throws a TopologyException on a valid polygon (seen on
#: the irregular demo with PostGIS 3.3 / GEOS 3.11): the test and the area per pair, with the
#: area as the polygon minus its difference when the intersection fails. An exception block is
#: a subtransaction, which parallel workers may not start: PARALLEL UNSAFE
_SAFE_OVERLAP = """
CREATE OR REPLACE FUNCTION safe_intersects(a geometry, b geometry) RETURNS boolean AS $$
BEGIN
  RETURN ST_Intersects(a, b);
EXCEPTION WHEN OTHERS THEN
  RETURN a && b;
END $$ LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE;
CREATE OR REPLACE FUNCTION safe_overlap(a geometry, b geometry) RETURNS geometry AS $$
BEGIN
  RETURN ST_Intersection(a, b);
EXCEPTION WHEN OTHERS THEN
  RETURN ST_Difference(a, ST_Difference(a, b));
END $$ LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE;
"""


def postgis_memory(port: int) -> int:
    """Resident memory (bytes) of the PostgreSQL server processes listening on `port`."""
    import psutil

    total = 0
    for proc in psutil.process_iter(["name", "cmdline", "memory_info"]):
        cmd = " ".join(proc.info.get("cmdline") or [])
        if proc.info.get("name", "").startswith("postgres") and (
                f"-p {port}" in cmd or "postgres:" in cmd):
            total += proc.info["memory_info"].rss
    return total


def differences(a: pd.DataFrame, b: pd.DataFrame, tolerance: dict[str, float]
                ) -> dict[str, pd.Index]:
    """Per column the candidates where `a` and `b` differ beyond `tolerance` (same index)."""
    b = b.loc[a.index]
    out = {}
    for col, tol in tolerance.items():
        x, y = a[col], b[col]
        if tol is None:  # categorical: equal or both missing
            bad = ~((x == y) | (x.isna() & y.isna())).to_numpy()
        else:
            xv, yv = x.to_numpy(float), y.to_numpy(float)
            bad = ~((np.abs(xv - yv) <= tol) | (np.isnan(xv) & np.isnan(yv)))
        if bad.any():
            out[col] = a.index[bad]
    return out


def compare(a: pd.DataFrame, b: pd.DataFrame, tolerance: dict[str, float]) -> list[str]:
    """Differences between two measures tables beyond `tolerance` (absolute, per column)."""
    if not a.index.sort_values().equals(b.index.sort_values()):
        only_a = a.index.difference(b.index)
        only_b = b.index.difference(a.index)
        return [f"candidates differ: {len(only_a)} only left ({list(only_a[:3])}), "
                f"{len(only_b)} only right ({list(only_b[:3])})"]
    b = b.loc[a.index]
    return [f"{col}: {len(ids)} differ, e.g. {ids[0]}: {a.at[ids[0], col]!r} vs "
            f"{b.at[ids[0], col]!r}" for col, ids in differences(a, b, tolerance).items()]


def referee_overlay(folder: Path, ids: pd.Index) -> pd.DataFrame:
    """
    The overlay measures of candidates `ids` computed a third way: the area of a candidate
    inside a polygon as its area minus the area of its difference with the polygon.

    Used where the engines disagree on an overlay: GEOS's intersection (which geopandas,
    PostGIS and DuckDB all call) can return an area larger than the candidate itself.
    """
    from locscan.candidates import candidates_for_region
    from locscan.region import Region

    region = Region(folder)
    cands = candidates_for_region(region).loc[ids]
    geoms = cands.geometry.to_numpy()
    area = shapely.area(geoms)
    out = pd.DataFrame(index=ids)
    for column, layer in (("core_share", "cores"), ("nature_share", "exclusions")):
        union = shapely.union_all(region.layer(layer).geometry.to_numpy())
        out[column] = 1.0 - shapely.area(shapely.difference(geoms, union)) / area
    zoning = region.layer("zoning")
    i, j = shapely.STRtree(zoning.geometry.to_numpy()).query(geoms, predicate="intersects")
    inside = area[i] - shapely.area(shapely.difference(geoms[i], zoning.geometry.to_numpy()[j]))
    pairs = pd.DataFrame({"c": ids[i], "cls": zoning["class"].to_numpy()[j], "a": inside})
    per_class = pairs[pairs["a"] > 1e-6].groupby(["c", "cls"])["a"].sum().reset_index()
    best = per_class.sort_values(["c", "a", "cls"], ascending=[True, False, True]
                                 ).drop_duplicates("c").set_index("c")
    out["zoning_class"] = best["cls"]
    out["zoning_class__share"] = best["a"] / pd.Series(area, index=ids)
    return out


# --- DuckDB spatial ---------------------------------------------------------------------------


def duckdb_connect():
    """An in-memory DuckDB with the spatial extension loaded from its pip package (no download)."""
    import duckdb
    import duckdb_extension_spatial

    extension = next(Path(duckdb_extension_spatial.__file__).parent.glob(
        "extensions/*/spatial.duckdb_extension"))
    conn = duckdb.connect()
    conn.execute(f"LOAD '{extension}'")
    return conn


def duckdb_load(conn, folder: Path) -> float:
    """Read every layer with ST_Read into a table, source fields under their catalogue names."""
    start = time.perf_counter()
    for name, entry in _catalogue(folder).items():
        if name not in _DUCKDB_TABLES:
            continue
        fields = "".join(f'"{src}" AS "{ours}", ' for ours, src in entry.get("fields", {}).items())
        keep_id = "id, " if name in ("parcels", "business_parks", "work_sites") else ""
        conn.execute(f"""
            CREATE OR REPLACE TABLE {_DUCKDB_TABLES[name]} AS
            SELECT {keep_id}{fields}geom
            FROM ST_Read('{folder / entry["source"]}', layer := '{entry["layer"]}')""")
    return time.perf_counter() - start


_DUCKDB_TABLES = {
    "parcels": "parcels", "business_parks": "parks", "municipalities": "muni",
    "work_sites": "work", "cores": "cores", "zoning": "zoning", "parking": "parking",
    "exclusions": "nature", "dwellings": "dwellings", "stops": "stops", "shops": "shops",
}


def duckdb_scan(conn, folder: Path) -> tuple[pd.DataFrame, dict[str, float]]:
    """The measures as DuckDB spatial SQL: spatial joins, nearest by growing radius."""
    codes = ", ".join(f"'{c}'" for c in _region_codes(folder))
    timings: dict[str, float] = {}

    def q(name: str, sql: str) -> pd.DataFrame:
        start = time.perf_counter()
        frame = conn.execute(sql).df()
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
        return frame

    start = time.perf_counter()
    conn.execute(f"""
        CREATE OR REPLACE TABLE cands AS
        WITH c AS (
            SELECT 'perceel:' || id AS candidate_id, ownership, geom,
                   ST_PointOnSurface(geom) AS pt FROM parcels
            UNION ALL
            SELECT 'bedrijventerrein:' || id, ownership, geom, ST_PointOnSurface(geom) FROM parks)
        SELECT c.candidate_id, any_value(c.ownership) AS ownership,
               min(m.code) AS gemeente_code, any_value(c.geom) AS geom
        FROM c JOIN muni m ON ST_Intersects(m.geom, c.pt)
        GROUP BY c.candidate_id
        HAVING min(m.code) IN ({codes})""")
    for layer in ("cores", "nature"):
        conn.execute(f"CREATE OR REPLACE TABLE {layer}_u AS "
                     f"SELECT unnest(ST_Dump(ST_Union_Agg(geom))).geom AS geom FROM {layer}")
    timings["candidates"] = time.perf_counter() - start

    def nearest(name: str, layer: str, fields: str = "") -> pd.DataFrame:
        """Nearest within a radius; candidates left without one try a radius four times larger."""
        extra = "".join(f", arg_min(l.{f}, ST_Distance(c.geom, l.geom)) AS {f}"
                        for f in fields.split(", ") if f)
        n, x0, y0, x1, y1 = conn.execute(
            f"SELECT count(*), min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), "
            f"max(ST_YMax(geom)) FROM {layer}").fetchone()
        radius = max(100.0, 2 * ((x1 - x0) * (y1 - y0) / max(n, 1)) ** 0.5)
        conn.execute("CREATE OR REPLACE TEMP TABLE todo AS SELECT candidate_id, geom FROM cands")
        found = []
        start = time.perf_counter()
        while conn.execute("SELECT count(*) FROM todo").fetchone()[0]:
            conn.execute(f"""
                CREATE OR REPLACE TEMP TABLE hit AS
                SELECT c.candidate_id, min(ST_Distance(c.geom, l.geom)) AS value{extra}
                FROM todo c JOIN {layer} l ON ST_DWithin(c.geom, l.geom, {radius})
                GROUP BY c.candidate_id""")
            found.append(conn.execute("SELECT * FROM hit").df())
            conn.execute("DELETE FROM todo WHERE candidate_id IN (SELECT candidate_id FROM hit)")
            radius *= 4
        timings[name] = time.perf_counter() - start
        return pd.concat(found).set_index("candidate_id")

    def overlap(name: str, layer: str) -> pd.Series:
        frame = q(name, f"""
            SELECT c.candidate_id,
                   sum(ST_Area(ST_Intersection(c.geom, u.geom))) / any_value(ST_Area(c.geom))
                   AS value
            FROM cands c JOIN {layer}_u u ON ST_Intersects(c.geom, u.geom)
            GROUP BY c.candidate_id""")
        return frame.set_index("candidate_id")["value"].clip(0, 1)

    base = q("area_m2", "SELECT candidate_id, ST_Area(geom) AS area, ownership, gemeente_code "
                        "FROM cands").set_index("candidate_id")
    work = nearest("dist_work_site_m", "work", "id, gemeente")
    zoning = q("zoning_class", """
        SELECT candidate_id, class AS value, a / area AS share
        FROM (SELECT c.candidate_id, z.class, any_value(ST_Area(c.geom)) AS area,
                     sum(ST_Area(ST_Intersection(c.geom, z.geom))) AS a
              FROM cands c JOIN zoning z ON ST_Intersects(c.geom, z.geom)
              WHERE z.class IS NOT NULL
              GROUP BY c.candidate_id, z.class)
        WHERE a > 0
        QUALIFY row_number() OVER (PARTITION BY candidate_id ORDER BY a DESC, class) = 1
        """).set_index("candidate_id")
    parking = q("parking_places_400m", """
        SELECT c.candidate_id, coalesce(sum(p.capacity), 0) AS value,
               count(*) - count(p.capacity) AS unknown
        FROM cands c JOIN parking p ON ST_DWithin(c.geom, p.geom, 400)
        GROUP BY c.candidate_id""").set_index("candidate_id")
    index = base.index
    table = pd.DataFrame({
        "dist_work_site_m": work["value"],
        "dist_work_site_m__id": work["id"],
        "core_share": overlap("core_share", "cores").reindex(index).fillna(0.0),
        "zoning_class": zoning["value"],
        "zoning_class__share": zoning["share"],
        "parking_places_400m": parking["value"].reindex(index).fillna(0).astype(float),
        "parking_places_400m__unknown": parking["unknown"].reindex(index).fillna(0)
        .astype(float),
        "area_m2": base["area"],
        "nature_share": overlap("nature_share", "nature").reindex(index).fillna(0.0),
        "dist_dwelling_m": nearest("dist_dwelling_m", "dwellings")["value"],
        "dist_stop_m": nearest("dist_stop_m", "stops")["value"],
        "dist_shop_m": nearest("dist_shop_m", "shops")["value"],
        "ownership_class": base["ownership"],
    }, index=index)
    table["gemeente_code"] = base["gemeente_code"]
    return table, timings
