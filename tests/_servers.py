"""A small local OGC API Features server for tests; it listens on 127.0.0.1 only.

It serves generated GeoJSON features in pages with ``next`` links, can fail a given number of
times first (HTTP 503, to test retries) and can die after a given number of pages (to test
that a failed pull leaves the existing layer intact and resumes later). It runs in its own
process: GDAL holds the GIL while it fetches, so a server thread in the test process would
never get to answer. Requests are logged to a file, one per line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse


class Behaviour:
    def __init__(self, features: list[dict], *, fail_first: int = 0,
                 die_after_pages: int | None = None, log: Path | None = None) -> None:
        self.features = features
        self.fail_first = fail_first
        self.die_after_pages = die_after_pages
        self.pages_served = 0
        self.log = log
        self.lock = threading.Lock()


def _bbox_filter(features: list[dict], bbox: str | None) -> list[dict]:
    if not bbox:
        return features
    x0, y0, x1, y1 = map(float, bbox.split(",")[:4])

    def inside(f):
        coords = f["geometry"]["coordinates"]
        while isinstance(coords[0], list):
            coords = coords[0]
        return x0 <= coords[0] <= x1 and y0 <= coords[1] <= y1

    return [f for f in features if inside(f)]


def _oapif_handler(b: Behaviour, collection: str):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

        def _json(self, payload: dict, status: int = 200, ctype: str = "application/json"):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            query = parse_qs(url.query)
            base = f"http://{self.headers['Host']}"
            with b.lock:
                if b.log:
                    with b.log.open("a") as handle:
                        handle.write(self.path + "\n")
                if b.fail_first > 0:
                    b.fail_first -= 1
                    self.send_error(503, "busy")
                    return
            if url.path in ("", "/"):
                self._json({"links": [
                    {"href": f"{base}/conformance", "rel": "conformance",
                     "type": "application/json"},
                    {"href": f"{base}/collections", "rel": "data", "type": "application/json"},
                ]})
            elif url.path == "/conformance":
                self._json({"conformsTo": [
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"]})
            elif url.path == "/collections":
                self._json({"collections": [self._collection(base)], "links": []})
            elif url.path == f"/collections/{collection}":
                self._json(self._collection(base))
            elif url.path == f"/collections/{collection}/items":
                self._items(base, query)
            else:
                self.send_error(404)

        def _collection(self, base):
            return {"id": collection, "title": collection,
                    "extent": {"spatial": {"bbox": [[3.0, 50.0, 8.0, 54.0]]}},
                    "links": [{"href": f"{base}/collections/{collection}/items",
                               "rel": "items", "type": "application/geo+json"}]}

        def _items(self, base, query):
            limit = int(query.get("limit", ["10"])[0])
            offset = int(query.get("offset", ["0"])[0])
            with b.lock:
                if b.die_after_pages is not None and b.pages_served >= b.die_after_pages:
                    self.send_error(500, "server died")
                    return
                b.pages_served += 1
            features = _bbox_filter(b.features, query.get("bbox", [None])[0])
            page = features[offset:offset + limit]
            links = []
            if offset + limit < len(features):
                nxt = f"{base}/collections/{collection}/items?limit={limit}&offset={offset + limit}"
                if "bbox" in query:
                    nxt += f"&bbox={query['bbox'][0]}"
                links.append({"href": nxt, "rel": "next", "type": "application/geo+json"})
            self._json({"type": "FeatureCollection", "features": page,
                        "numberMatched": len(features), "numberReturned": len(page),
                        "links": links}, ctype="application/geo+json")

    return Handler


@contextmanager
def _child_server(script: str, prefix: str, args: list[str], path: str = ""):
    """Run `script` as a server in a child process; yields (base URL + path, request log)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    port_file, log = folder / "port", folder / "requests.log"
    log.touch()
    proc = subprocess.Popen([sys.executable, script, *args, "--port-file", str(port_file),
                             "--log", str(log)])
    try:
        deadline = time.monotonic() + 20
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("test server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text().strip()}{path}", log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def oapif_server(n_features: int, collection: str = "perceel", *, fail_first: int = 0,
                 die_after_pages: int | None = None):
    """An OGC API Features server in a child process; yields (base URL, request log path)."""
    args = ["--features", str(n_features), "--collection", collection,
            "--fail-first", str(fail_first)]
    if die_after_pages is not None:
        args += ["--die-after-pages", str(die_after_pages)]
    with _child_server(__file__, "oapif-", args) as served:
        yield served


def _serve() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", type=int)
    parser.add_argument("--collection")
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--die-after-pages", type=int, default=None)
    parser.add_argument("--port-file", type=Path)
    parser.add_argument("--log", type=Path)
    args = parser.parse_args()
    b = Behaviour(point_features(args.features), fail_first=args.fail_first,
                  die_after_pages=args.die_after_pages, log=args.log)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _oapif_handler(b, args.collection))
    args.port_file.write_text(str(server.server_address[1]))
    server.serve_forever()


def point_features(n: int, x0: float = 5.9, y0: float = 51.9) -> list[dict]:
    """`n` point features in WGS84 near Arnhem with id and a value."""
    return [{"type": "Feature", "id": f"f{i}",
             "properties": {"identificatie": f"f{i}", "waarde": i},
             "geometry": {"type": "Point", "coordinates": [x0 + i * 1e-3, y0 + i * 1e-3]}}
            for i in range(n)]


@contextmanager
def wfs_server(n_features: int, page: int = 10):
    """The WFS of ``_wfs.py`` in a child process; yields (endpoint URL, request log path)."""
    args = ["--features", str(n_features), "--page", str(page)]
    with _child_server(str(Path(__file__).with_name("_wfs.py")), "wfs-", args, "/wfs") as served:
        yield served


if __name__ == "__main__":
    _serve()
