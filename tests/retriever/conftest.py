"""Fixtures for the retriever tests: an embedded MongoDB, Prefect, and real retriever processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {"alice": "pw-Zx81-alice-secret", "bob": "pw-Qm27-bob-secret"}


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def mongo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A MongoDB-wire server for the whole session: the configured one, or an embedded one."""
    from tasks.config import settings
    from tasks.storage import embedded, mongo

    if os.environ.get("YASP_MONGO_URL"):
        yield os.environ["YASP_MONGO_URL"]
        return
    home = tmp_path_factory.mktemp("yasp-home")
    server = embedded.server_start(home)
    os.environ["YASP_MONGO_URL"] = server.url
    os.environ["YASP_MONGO_DB"] = "yasp_retriever_tests"
    settings.cache_clear()
    mongo.server_stop()
    yield server.url
    mongo.server_stop()
    server.stop()
    del os.environ["YASP_MONGO_URL"]
    settings.cache_clear()


@pytest.fixture
def db(mongo_url: str):
    """The yasp database, with an empty `matches` collection."""
    from tasks.storage.mongo import database
    from tasks.storage.schema import MATCHES

    database()[MATCHES].delete_many({})
    return database()


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A temporary Prefect server for the session; returns its API URL."""
    from prefect.settings import get_current_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(get_current_settings().api.url)


@pytest.fixture
def salt_settings(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Set YASP_* variables for the flows in this process and re-read the settings."""
    from tasks.retriever.config import retriever_settings

    def apply(**values: object) -> None:
        for key, value in values.items():
            monkeypatch.setenv(f"YASP_{key.upper()}", str(value))
        retriever_settings.cache_clear()

    monkeypatch.setenv("YASP_SALT_RETRY_DELAYS", "[0, 0, 0]")
    retriever_settings.cache_clear()
    yield apply
    retriever_settings.cache_clear()


@dataclass
class RetrieverProcess:
    """A retriever started as `python -m tasks.retriever.serve` on loopback."""

    host: str
    port: int
    state_dir: Path
    script: Path
    log_path: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None
    logs: list[Path] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Base URL of its HTTP API."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, min_ready: int | None = None) -> RetrieverProcess:
        """Start the process and wait until `min_ready` (default: all) accounts are ready."""
        log_file = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tasks.retriever.serve"],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        log_file.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"retriever exited: {self.log_path.read_text()}")
            try:
                stats = self.stats()
                wanted = stats["accounts_total"] if min_ready is None else min_ready
                if stats["accounts_ready"] >= wanted:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"retriever {self.host} did not become ready")

    def stats(self) -> dict:
        """Its /health answer."""
        return httpx.get(f"{self.url}/health", timeout=5).json()

    def script_set(self, script: dict) -> None:
        """Change what the recorded GC stand-in answers (read on each request)."""
        self.script.write_text(json.dumps(script))

    def stop(self) -> None:
        """Stop it with SIGTERM and wait."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)

    def kill(self) -> None:
        """Kill it with SIGKILL, as a crash would."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=15)


@pytest.fixture
def retriever_start(tmp_path: Path, mongo_url: str) -> Iterator[Callable[..., RetrieverProcess]]:
    """Start real retriever processes answering from the recorded GC; stops them after."""
    started: list[RetrieverProcess] = []

    def start(
        host: str = "alpha",
        accounts: dict[str, str] | None = None,
        script: dict | None = None,
        min_ready: int | None = None,
        **settings: object,
    ) -> RetrieverProcess:
        accounts = PASSWORDS if accounts is None else accounts
        base = tmp_path / host
        base.mkdir(exist_ok=True)
        accounts_file = base / "accounts.txt"
        accounts_file.write_text("".join(f"{u}:{p}\n" for u, p in accounts.items()))
        script_path = base / "gc-script.json"
        script_path.write_text(json.dumps(script or {"default": "recorded"}))
        env = {k: v for k, v in os.environ.items() if not k.startswith("YASP_RETRIEVER")}
        env.update(
            YASP_RETRIEVER_OFFLINE="1",
            YASP_RETRIEVER_HOST_NAME=host,
            YASP_RETRIEVER_PORT=str(settings.pop("port", free_port())),
            YASP_RETRIEVER_ACCOUNTS_FILE=str(accounts_file),
            YASP_RETRIEVER_STATE_DIR=str(base / "state"),
            YASP_RETRIEVER_STANDIN_SCRIPT=str(script_path),
            YASP_RETRIEVER_REQUEST_GAP="0",
            YASP_RETRIEVER_GC_TIMEOUT="1",
            YASP_RETRIEVER_RELOGIN_DELAY="0.5",
        )
        for key, value in settings.items():
            env[f"YASP_RETRIEVER_{key.upper()}"] = str(value)
        process = RetrieverProcess(
            host=host,
            port=int(env["YASP_RETRIEVER_PORT"]),
            state_dir=base / "state",
            script=script_path,
            log_path=base / "retriever.log",
            env=env,
        )
        started.append(process)
        return process.start(min_ready)

    yield start
    for process in started:
        process.stop()


def matches_insert(db, match_ids: list[int], priority: int = 2) -> None:
    """Put matches in salt_wait, as the scan stage leaves them."""
    from tasks.storage.schema import MATCHES, STAGE_SALT_WAIT

    db[MATCHES].insert_many(
        [
            {"_id": m, "match_id": m, "stage": STAGE_SALT_WAIT, "priority": priority}
            for m in match_ids
        ]
    )
