"""The process-wide MongoDB connection: a configured server, or the embedded default."""

from __future__ import annotations

import atexit
import fcntl
import logging
import threading

import pymongo
from pymongo.database import Database

from tasks.config import settings
from tasks.storage import embedded
from tasks.storage.schema import indexes_ensure

log = logging.getLogger(__name__)

_lock = threading.Lock()
_client: pymongo.MongoClient | None = None
_started: embedded.EmbeddedServer | None = None


def mongo_url() -> str:
    """The configured MongoDB URL, or that of the embedded server (started on demand)."""
    global _started
    if settings().mongo_url:
        return settings().mongo_url
    home = settings().home
    (home / "mongo").mkdir(parents=True, exist_ok=True)
    with open(home / "mongo" / "start.lock", "w") as lock_file:
        # One server per data directory, even when several processes start at once.
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        server = embedded.running_server(home)
        if server is None:
            server = embedded.server_start(home)
            _started = server
            atexit.register(server_stop)
    return server.url


def database() -> Database:
    """The yasp database, with its indexes in place."""
    global _client
    with _lock:
        if _client is None:
            url = mongo_url()
            _client = pymongo.MongoClient(url, serverSelectionTimeoutMS=10_000, tz_aware=True)
            indexes_ensure(_client[settings().mongo_db])
        return _client[settings().mongo_db]


def server_stop() -> None:
    """Close the connection and stop the embedded server if this process started it."""
    global _client, _started
    with _lock:
        if _client is not None:
            _client.close()
            _client = None
        if _started is not None:
            # No log line here: at interpreter exit the log streams may already be closed.
            _started.stop()
            _started = None
