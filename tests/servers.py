"""Real SPARQL servers for the tests, on loopback: Oxigraph (``pip install oxigraph``) and
Virtuoso (Debian's ``virtuoso-opensource``, which ``.ci/run`` installs), each started in a
temporary folder on a free port and stopped after the session. Without the server a test skips;
with ``CI`` set it fails instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(program: str, how: str) -> str:
    """The path of ``program``; skip without it (fail when CI is set)."""
    found = shutil.which(program) or shutil.which(program, path=str(Path(sys.executable).parent))
    if found is None:
        message = f"{program} is not installed: {how}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def wait_until_up(url: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped at once (exit {process.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    process.terminate()
    pytest.fail(f"the server did not answer {url} within {seconds} s: {log.read_text()[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Server:
    """A running server's URLs (and the user the tests publish as)."""

    query_url: str
    store_url: str  # the Graph Store Protocol URL
    user: str | None = None
    password: str | None = None


def start_oxigraph(folder: Path):
    """``oxigraph serve --location FOLDER``; yields a :class:`Server`."""
    program = require("oxigraph", "pip install oxigraph (the test extra has it)")
    port = free_port()
    log = folder / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [program, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", process, 30, log)
        yield Server(f"{base}/query", f"{base}/store")
    finally:
        stop(process)


def start_virtuoso(folder: Path):
    """Virtuoso with its own database in FOLDER (user dba, password dba: a fresh database's)."""
    program = require("virtuoso-t", "apt-get install virtuoso-opensource (.ci/run does)")
    if not VIRTUOSO_INI.is_file():
        pytest.fail(f"{VIRTUOSO_INI} is missing: reinstall virtuoso-opensource")
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    ini = ini.replace("ServerPort               = 1111", f"ServerPort = {sql_port}")
    ini = ini.replace("ServerPort                  = 8890", f"ServerPort = {http_port}")
    (folder / "virtuoso.ini").write_text(ini)
    log = folder / "virtuoso.out"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [program, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_up(f"{base}/sparql?query=ASK%7B%7D", process, 120, log)
        yield Server(f"{base}/sparql", f"{base}/sparql-graph-crud-auth", "dba", "dba")
    finally:
        stop(process)


class CuttingProxy:
    """A loopback TCP proxy that passes each connection's first ``limit`` bytes from the client to
    the server, then drops both ends: an upload interrupted half-way."""

    def __init__(self, upstream_port: int, limit: int):
        self.upstream_port, self.limit = upstream_port, limit
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        server = socket.create_connection(("127.0.0.1", self.upstream_port))
        threading.Thread(target=self._back, args=(server, client), daemon=True).start()
        passed = 0
        try:
            while data := client.recv(65536):
                if passed + len(data) > self.limit:
                    server.sendall(data[: self.limit - passed])
                    self.cut += 1
                    break
                server.sendall(data)
                passed += len(data)
        except OSError:
            pass
        finally:
            for end in (client, server):
                end.close()

    @staticmethod
    def _back(server: socket.socket, client: socket.socket) -> None:
        try:
            while data := server.recv(65536):
                client.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()
