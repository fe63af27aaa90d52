"""Start this host's retriever: `python -m tasks.retriever.serve`.

Live, it logs in the configured Steam accounts with the `steam`/`dota2` packages (which
need gevent's monkey patches before anything else is imported); with
YASP_RETRIEVER_OFFLINE=1 the GC session answers from the recordings instead.
"""

from __future__ import annotations

import os

if os.environ.get("YASP_RETRIEVER_OFFLINE", "").lower() not in ("1", "true", "yes"):
    from gevent import monkey

    monkey.patch_all()

import logging  # noqa: E402 - after the monkey patches, as gevent requires
import signal  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from tasks.retriever.config import RetrieverSettings, retriever_settings  # noqa: E402
from tasks.retriever.http_api import RetrieverHTTPServer  # noqa: E402
from tasks.retriever.quota import QuotaLedger  # noqa: E402
from tasks.retriever.service import Retriever  # noqa: E402
from tasks.retriever.session import GCSession, steam_accounts_read  # noqa: E402

log = logging.getLogger("tasks.retriever")


def sessions_build(config: RetrieverSettings) -> list[GCSession]:
    """One GC session per configured account: live, or the recorded stand-in offline."""
    accounts = steam_accounts_read(config.retriever_accounts_file, config.retriever_accounts)
    if not accounts:
        raise SystemExit(
            "no Steam accounts configured: set YASP_RETRIEVER_ACCOUNTS_FILE "
            "(username:password per line) or YASP_RETRIEVER_ACCOUNTS"
        )
    if config.retriever_offline:
        from standins.gc import RecordedGCSession
        from tasks.config import settings

        data_dir = Path(settings().data_dir)
        script = config.retriever_standin_script
        return [RecordedGCSession(account, data_dir, script) for account in accounts]
    from tasks.retriever.steam_session import SteamGCSession

    return [SteamGCSession(account) for account in accounts]


def retriever_build(config: RetrieverSettings) -> Retriever:
    """The retriever of this host, with its persisted quota ledger."""
    ledger = QuotaLedger(
        config.retriever_state_dir / f"quota-{config.retriever_host_name}.sqlite",
        account_limit=config.retriever_account_daily_limit,
        host_limit=config.retriever_host_daily_limit,
        window_seconds=config.retriever_window_seconds,
    )
    return Retriever(
        config.retriever_host_name,
        sessions_build(config),
        ledger,
        request_gap=config.retriever_request_gap,
        gc_timeout=config.retriever_gc_timeout,
        relogin_delay=config.retriever_relogin_delay,
    )


def main() -> None:
    """Run the retriever until SIGTERM or SIGINT."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config = retriever_settings()
    retriever = retriever_build(config)
    server = RetrieverHTTPServer((config.retriever_bind, config.retriever_port), retriever)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    retriever.start()
    mode = "offline (recorded GC)" if config.retriever_offline else "live"
    log.info(
        "retriever %s listening on http://%s:%d, %d accounts, %s, limits %d/account %d/host",
        config.retriever_host_name,
        *server.server_address[:2],
        len(retriever.sessions),
        mode,
        config.retriever_account_daily_limit,
        config.retriever_host_daily_limit,
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except (KeyboardInterrupt, SystemExit):
        log.info("retriever %s stopping", config.retriever_host_name)
    finally:
        server.server_close()
        retriever.stop()


if __name__ == "__main__":
    main()
