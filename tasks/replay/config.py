"""Settings of the replay stage, read from `YASP_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class ReplaySettings(BaseSettings):
    """Where replays come from and the limits a parse runs under."""

    model_config = SettingsConfigDict(env_prefix="YASP_", extra="ignore")

    # When set, every replay is fetched from this base URL instead of Valve's cluster hosts,
    # keeping the `/570/<match_id>_<replay_salt>.dem.bz2` path (a mirror or a local copy).
    replay_base_url: str | None = None
    replay_connect_timeout: float = 10.0
    replay_read_timeout: float = 30.0
    # Valve answers 404 both before a replay is ready and after it expired (~10 days).
    replay_missing_window: float = 9000.0
    replay_missing_retry_delay: float = 180.0
    # Transient download failures (dropped connection, 5xx) are retried this many times.
    replay_download_attempts: int = 3
    replay_download_retry_delay: float = 10.0
    replay_max_compressed_bytes: int = 400 * 1024 * 1024
    replay_max_dem_bytes: int = 1500 * 1024 * 1024
    replay_decompressor: Literal["indexed_bzip2", "stdlib"] = "indexed_bzip2"
    replay_decompress_threads: int = 1
    # The parser runs in a child process so a crash or a hang costs one match, not the worker.
    parse_timeout: float = 600.0
    parse_python: Path | None = None


@lru_cache(maxsize=1)
def replay_settings() -> ReplaySettings:
    """The process-wide replay settings, read once."""
    return ReplaySettings()
