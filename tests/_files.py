"""A local static file server for tests (127.0.0.1 only), with HTTP range requests.

GDAL's ``/vsicurl/`` reads zips and GeoPackages by byte ranges, which Python's own
``SimpleHTTPRequestHandler`` does not answer; this one does. It can fail the first requests
(HTTP 503, to test retries) and logs every request path. It runs in a child process (GDAL holds
the GIL while it fetches).
"""

from __future__ import annotations

import argparse
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from _servers import _child_server


def _handler(root: Path, fail_first: int, log: Path):
    state = {"failed": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _serve(self, body: bool) -> None:
            with lock, log.open("a") as f:
                f.write(f"{self.command} {self.path} {self.headers.get('Range', '')}\n")
                failing = state["failed"] < fail_first
                state["failed"] += failing
            if failing:
                self.send_error(503)
                return
            path = (root / self.path.lstrip("/").split("?")[0]).resolve()
            if root not in path.parents or not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            ctype = "application/atom+xml" if path.suffix == ".xml" else "application/octet-stream"
            match = re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
            if match:
                start = int(match[1])
                end = min(int(match[2]) if match[2] else len(data) - 1, len(data) - 1)
                chunk = data[start:end + 1]
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            else:
                chunk = data
                self.send_response(200)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(chunk)))
            self.end_headers()
            if body:
                self.wfile.write(chunk)

        def do_GET(self):
            self._serve(True)

        def do_HEAD(self):
            self._serve(False)

    return Handler


@contextmanager
def file_server(root: Path, *, fail_first: int = 0):
    """Serve the folder ``root``; yields (base URL, request log path)."""
    args = ["--root", str(root), "--fail-first", str(fail_first)]
    with _child_server(__file__, "files-", args) as served:
        yield served


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--port-file", type=Path)
    parser.add_argument("--log", type=Path)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 _handler(args.root.resolve(), args.fail_first, args.log))
    args.port_file.write_text(str(server.server_address[1]))
    server.serve_forever()
