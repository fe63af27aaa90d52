"""Fixtures every test package shares: the embedded MongoDB, a fresh database, Prefect."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo.database import Database

from tasks.config import settings
from tasks.storage import embedded, mongo

DATA_DIR = settings().data_dir

# Tests never wait for production backoff delays.
os.environ.setdefault("YASP_STEAM_API_BACKOFF", "0.01")
os.environ.setdefault("YASP_SCAN_PAGE_RETRY_DELAYS", "0,0")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The recorded real Valve data (read-only)."""
    if not DATA_DIR.is_dir():
        pytest.fail(f"recorded data not found at {DATA_DIR}; set YASP_DATA_DIR")
    return DATA_DIR


@pytest.fixture(scope="session")
def mongo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A MongoDB URL for the session: YASP_TEST_MONGO_URL, or an embedded server."""
    if os.environ.get("YASP_TEST_MONGO_URL"):
        yield os.environ["YASP_TEST_MONGO_URL"]
        return
    server = embedded.server_start(tmp_path_factory.mktemp("mongo-home"))
    yield server.url
    server.stop()


@pytest.fixture
def db(mongo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A fresh, empty database for one test, also what `database()` returns inside it."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("YASP_MONGO_URL", mongo_url)
    monkeypatch.setenv("YASP_MONGO_DB", name)
    settings.cache_clear()
    mongo.server_stop()
    database = mongo.database()
    yield database
    database.client.drop_database(name)
    mongo.server_stop()
    settings.cache_clear()


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A real Prefect server for the session (SQLite in a temporary directory)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield PREFECT_API_URL.value()
