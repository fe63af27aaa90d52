"""Settings of every yasp process, read from `YASP_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def _split_keys(value: object) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value or [])


def _split_floats(value: object) -> list[float]:
    return [float(part) for part in _split_keys(value)]


class Settings(BaseSettings):
    """Configuration shared by the flows, the CLI and the site."""

    model_config = SettingsConfigDict(env_prefix="YASP_", extra="ignore")

    # Storage: a URL selects a real MongoDB; without one an embedded server is started.
    mongo_url: str | None = None
    mongo_db: str = "yasp"
    home: Path = Field(default=REPO_ROOT / ".yasp", description="local state directory")

    # Recorded Valve data used by the offline demo and the tests.
    data_dir: Path = REPO_ROOT.parent / "shared" / "data"

    # Steam Web API.
    steam_api_url: str = "https://api.steampowered.com"
    steam_api_keys: Annotated[list[str], NoDecode, BeforeValidator(_split_keys)] = Field(
        default_factory=list, description="comma-separated Web API keys, used in turn"
    )
    steam_api_timeout: float = 20.0
    steam_api_attempts: int = 5
    steam_api_backoff: float = 2.0
    steam_api_backoff_max: float = 120.0

    # Sequence scan.
    scan_page_size: int = 100
    scan_page_interval: float = 5.0
    scan_caught_up_wait: float = 30.0
    scan_lease_seconds: float = 120.0
    scan_page_retry_delays: Annotated[list[float], NoDecode, BeforeValidator(_split_floats)] = (
        Field(default_factory=lambda: [10.0, 60.0, 300.0], description="seconds, one per retry")
    )
    tracked_days: int = 7
    keep_league_matches: bool = True


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
