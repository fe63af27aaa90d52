"""Settings of the retriever process and of the salt flows, read from `YASP_*` variables."""

from __future__ import annotations

import socket
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def _split_pairs(value: object) -> dict[str, str]:
    """Read `name=url,name=url` (or a mapping) into a dict."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    pairs: dict[str, str] = {}
    for part in str(value or "").split(","):
        if part.strip():
            name, _, url = part.partition("=")
            pairs[name.strip()] = url.strip()
    return pairs


class RetrieverSettings(BaseSettings):
    """Configuration of one host's retriever and of the flows that route to retrievers."""

    model_config = SettingsConfigDict(env_prefix="YASP_", extra="ignore")

    # The retriever process on this host.
    retriever_host_name: str = Field(default_factory=socket.gethostname)
    retriever_bind: str = "127.0.0.1"
    retriever_port: int = 5100
    retriever_accounts_file: Path | None = None
    retriever_accounts: str | None = Field(
        default=None, repr=False, description="user:password pairs, comma-separated"
    )
    retriever_state_dir: Path = REPO_ROOT / ".yasp" / "retriever"
    retriever_account_daily_limit: int = 100
    retriever_host_daily_limit: int = 500
    retriever_window_seconds: float = 24 * 3600.0
    retriever_request_gap: float = 1.0
    retriever_gc_timeout: float = 10.0
    retriever_relogin_delay: float = 30.0
    retriever_offline: bool = False
    retriever_standin_script: Path | None = None

    # The salt flows: where each host's retriever answers, and how much to send at once.
    retriever_hosts: Annotated[dict[str, str], NoDecode, BeforeValidator(_split_pairs)] = Field(
        default_factory=dict, description="host=url pairs, comma-separated"
    )
    salt_batch_size: int = 20
    salt_lease_seconds: float = 900.0
    salt_http_timeout: float = 30.0
    salt_retries: int = 3
    salt_retry_delays: list[float] = Field(default_factory=lambda: [30.0, 120.0, 600.0])


@lru_cache(maxsize=1)
def retriever_settings() -> RetrieverSettings:
    """The process-wide retriever settings, read once."""
    return RetrieverSettings()


def work_pool_name(host: str) -> str:
    """The Prefect work pool that runs salt fetches on `host`."""
    return f"retriever-{host}"
