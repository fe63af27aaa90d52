"""The embedded MongoDB-wire-compatible server (nx-27017) used when no URL is configured.

The first process that needs it starts it on a free loopback port and records the URL
in `<home>/mongo/server.json`; later processes on the host reuse that server.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pymongo

log = logging.getLogger(__name__)

STARTUP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class EmbeddedServer:
    """A running nx-27017 process and how to reach it."""

    url: str
    pid: int
    data_dir: Path

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        _terminate(self.pid)
        (self.data_dir.parent / "server.json").unlink(missing_ok=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _terminate(pid: int, timeout: float = 10.0) -> None:
    if not _alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # Reap it if it is our child, so it does not linger as a zombie.
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            if not _alive(pid):
                return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def _answers(url: str, timeout_ms: int = 500) -> bool:
    client = pymongo.MongoClient(url, serverSelectionTimeoutMS=timeout_ms, connect=True)
    try:
        client.admin.command("ping")
        return True
    except pymongo.errors.PyMongoError:
        return False
    finally:
        client.close()


def _server_program() -> Path:
    beside_python = Path(sys.executable).parent / "nx-27017"
    if beside_python.exists():
        return beside_python
    found = shutil.which("nx-27017")
    if not found:
        raise RuntimeError("the nx-27017 package is not installed; run `pip install nx-27017`")
    return Path(found)


def running_server(home: Path) -> EmbeddedServer | None:
    """The embedded server recorded under `home`, if it is still answering."""
    state_file = home / "mongo" / "server.json"
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return None
    server = EmbeddedServer(state["url"], int(state["pid"]), Path(state["data_dir"]))
    if _alive(server.pid) and _answers(server.url):
        return server
    return None


def server_start(home: Path) -> EmbeddedServer:
    """Start an nx-27017 server keeping its data under `home`/mongo, on loopback only."""
    mongo_home = home / "mongo"
    data_dir = mongo_home / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"mongodb://127.0.0.1:{port}/"
    command = [
        str(_server_program()),
        "--host", "127.0.0.1", "--port", str(port),
        "--data-dir", str(data_dir),
        "--log-file", str(mongo_home / "server.log"),
        "--pid-file", str(mongo_home / "server.pid"),
    ]  # fmt: skip
    with open(mongo_home / "stdout.log", "ab") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not _answers(url, timeout_ms=200):
        if process.poll() is not None:
            raise RuntimeError(
                f"embedded MongoDB server exited with code {process.returncode}; "
                f"see {mongo_home / 'server.log'}"
            )
        if time.monotonic() > deadline:
            _terminate(process.pid)
            raise RuntimeError(f"embedded MongoDB server did not answer on {url}")
        time.sleep(0.1)
    server = EmbeddedServer(url, process.pid, data_dir)
    (mongo_home / "server.json").write_text(
        json.dumps({"url": url, "pid": process.pid, "data_dir": str(data_dir)})
    )
    log.info("started embedded MongoDB (nx-27017) at %s, data in %s", url, data_dir)
    return server
