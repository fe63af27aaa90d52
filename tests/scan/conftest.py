"""Fixtures for the scan tests: the Steam Web API stand-in and the recorded pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from standins.steam_webapi import SteamWebApiStandIn
from tasks.config import settings

SEQUENCE_DIR = Path("steam-webapi") / "GetMatchHistoryBySequenceNum"
PAGE_2019 = SEQUENCE_DIR / "godoto_seq_page_100_2019.json"
PAGE_2025 = SEQUENCE_DIR / "odota_core_sequence_api.json"


@pytest.fixture
def page_2019(data_dir: Path) -> list[dict]:
    """The real full 100-match sequence page from 2019."""
    return json.loads((data_dir / PAGE_2019).read_text())["result"]["matches"]


def _standin(files: list[Path] | None, monkeypatch: pytest.MonkeyPatch) -> SteamWebApiStandIn:
    server = SteamWebApiStandIn(files).start()
    monkeypatch.setenv("YASP_STEAM_API_URL", server.url)
    monkeypatch.setenv("YASP_STEAM_API_KEYS", "test-key-1,test-key-2")
    monkeypatch.setenv("YASP_SCAN_PAGE_INTERVAL", "0")
    settings.cache_clear()
    return server


@pytest.fixture
def steam_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[SteamWebApiStandIn]:
    """The stand-in serving every recorded sequence page (101 matches)."""
    server = _standin(None, monkeypatch)
    yield server
    server.stop()
    settings.cache_clear()


@pytest.fixture
def steam_api_2019(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SteamWebApiStandIn]:
    """The stand-in serving only the 2019 page, so a request past its start is a short page."""
    server = _standin([data_dir / PAGE_2019], monkeypatch)
    yield server
    server.stop()
    settings.cache_clear()
