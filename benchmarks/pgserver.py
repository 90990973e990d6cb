"""A throw-away local PostgreSQL server, for the benchmark's PostGIS peer and the tests.

Needs the Debian ``postgresql`` package (``make bench`` and ``.ci/run`` install it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["available", "postgres_server"]

PG_BIN = Path("/usr/lib/postgresql")


def _pg_bin() -> Path:
    versions = sorted(PG_BIN.glob("*/bin/initdb"))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql postgis)")
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def available() -> bool:
    """Whether a PostgreSQL server is installed."""
    return bool(sorted(PG_BIN.glob("*/bin/initdb")))


@contextlib.contextmanager
def postgres_server(extensions: tuple[str, ...] = ()):
    """
    A throw-away PostgreSQL on 127.0.0.1, in a temporary data directory.

    Yields an autocommit ``psycopg`` connection to the ``postgres`` database (with
    `extensions` created) and the port; the server and its folder are removed afterwards.
    """
    import psycopg

    bin_dir = _pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="locscan-pg-"))
    data = folder / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust",
                    "-U", "postgres"], **run)
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB "
               "-c max_connections=200 -c work_mem=256MB -c max_parallel_workers_per_gather=2 "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
                    "-l", str(folder / "log"), "-w", "start"], **run)
    try:
        conn = psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                               autocommit=True)
        for extension in extensions:
            conn.execute(f"CREATE EXTENSION {extension}")
        yield conn, port
        conn.close()
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                        "stop"], **run)
        shutil.rmtree(folder, ignore_errors=True)
