"""Fixtures of the parse-stage tests: embedded MongoDB, a loopback replay host, Prefect."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from standins.replay_cdn import ReplayCdn
from tasks.config import settings
from tasks.replay.config import replay_settings
from tasks.storage import embedded, mongo

REPLAYS = Path(__file__).resolve().parents[3] / "shared" / "data" / "replays"
GOOD_MATCH_ID, GOOD_SALT = 3223722713, 1234
BROKEN_MATCH_ID, BROKEN_SALT = 282443202, 99


@pytest.fixture(scope="session")
def replays_dir() -> Path:
    """The shared real replay files (read-only)."""
    return REPLAYS


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One embedded MongoDB-wire server for the session; its URL."""
    server = embedded.server_start(tmp_path_factory.mktemp("mongo-home"))
    yield server.url
    server.stop()


@pytest.fixture
def db(mongo_server: str, monkeypatch: pytest.MonkeyPatch):
    """A fresh, empty database on the session's server, used by `database()` too."""
    monkeypatch.setenv("YASP_MONGO_URL", mongo_server)
    monkeypatch.setenv("YASP_MONGO_DB", f"parse_{uuid.uuid4().hex[:10]}")
    settings.cache_clear()
    mongo.server_stop()
    yield mongo.database()
    mongo.server_stop()
    settings.cache_clear()


@pytest.fixture
def replay_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Lets a test set YASP_ replay settings; the cache is cleared around it."""
    replay_settings.cache_clear()
    yield monkeypatch
    replay_settings.cache_clear()


@pytest.fixture
def cdn(tmp_path: Path, replay_config: pytest.MonkeyPatch) -> Iterator[ReplayCdn]:
    """A loopback replay host serving a good and a Source 1 replay, configured as the host."""
    root = tmp_path / "cdn"
    root.mkdir()
    shutil.copy(
        REPLAYS / "client-bot-lobby-2024.server-path.dem.bz2",
        root / f"{GOOD_MATCH_ID}_{GOOD_SALT}.dem.bz2",
    )
    shutil.copy(REPLAYS / "source1-2013.dem.bz2", root / f"{BROKEN_MATCH_ID}_{BROKEN_SALT}.dem.bz2")
    server = ReplayCdn(root).start()
    replay_config.setenv("YASP_REPLAY_BASE_URL", server.base_url)
    replay_settings.cache_clear()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API for the whole session (slow to start, so shared)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
