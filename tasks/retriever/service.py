"""The retriever: keeps a host's Steam accounts logged in and spends their GC quota."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from tasks.retriever.answers import match_details_read, profile_card_read
from tasks.retriever.quota import QuotaExceeded, QuotaLedger
from tasks.retriever.session import GCSession, GCTimeout, GCUnavailable

log = logging.getLogger(__name__)


class NoReadyAccount(Exception):
    """No account of this host holds a GC session right now."""


class Retriever:
    """Spreads GC requests over ready accounts, within quota and a minimum gap."""

    def __init__(
        self,
        host: str,
        sessions: list[GCSession],
        ledger: QuotaLedger,
        *,
        request_gap: float,
        gc_timeout: float,
        relogin_delay: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self.sessions = sessions
        self.ledger = ledger
        self.request_gap = request_gap
        self.gc_timeout = gc_timeout
        self.relogin_delay = relogin_delay
        self.monotonic = monotonic
        self.started_at = time.time()
        self.counts = {"sent": 0, "answered": 0, "timeouts": 0, "refused": 0, "errors": 0}
        self._pick_lock = threading.Lock()
        self._gap_lock = threading.Lock()
        self._last_sent = float("-inf")
        self._stop = threading.Event()
        self._keepers: list[threading.Thread] = []

    def start(self) -> None:
        """Log every account in and keep each session alive in its own thread."""
        for session in self.sessions:
            keeper = threading.Thread(
                target=self._keep_alive, args=(session,), name=f"gc-{session.account}", daemon=True
            )
            keeper.start()
            self._keepers.append(keeper)

    def stop(self) -> None:
        """Stop the keepers and close every session."""
        self._stop.set()
        for session in self.sessions:
            session.close()
        self.ledger.close()

    def match_details(self, match_id: int) -> dict[str, Any]:
        """Result, cluster, replay_salt and replay_state of a match, from the GC."""
        response, account = self._request("match_details", match_id)
        return {**match_details_read(match_id, response), "account": account}

    def profile_card(self, account_id: int) -> dict[str, Any]:
        """Rank tier and leaderboard rank of a player, from the GC."""
        response, account = self._request("profile_card", account_id)
        return {**profile_card_read(account_id, response), "account": account}

    def stats(self) -> dict[str, Any]:
        """Accounts ready, requests in the window per account, and quota left."""
        names = [session.account.username for session in self.sessions]
        usage = self.ledger.usage(names)
        ready = [s for s in self.sessions if s.ready]
        usable_left = sum(usage.account_left(s.account.username) for s in ready)
        return {
            "host": self.host,
            "accounts_total": len(self.sessions),
            "accounts_ready": len(ready),
            "accounts": [
                {
                    "account": name,
                    "ready": session.ready,
                    "requests_in_window": usage.account_used[name],
                    "quota_left": usage.account_left(name),
                }
                for name, session in zip(names, self.sessions, strict=True)
            ],
            "host_requests_in_window": usage.host_used,
            "host_limit": usage.host_limit,
            "account_limit": usage.account_limit,
            "window_seconds": self.ledger.window_seconds,
            "quota_left": min(usage.host_left, usable_left),
            "counts": dict(self.counts),
            "uptime_seconds": round(time.time() - self.started_at, 1),
        }

    def _request(self, kind: str, key: int) -> tuple[dict[str, Any], str]:
        session, reservation = self._session_reserve(kind)
        self._gap_wait()
        if not session.ready:
            self.ledger.release(reservation)
            raise NoReadyAccount(f"account {session.account} lost its GC session")
        self.counts["sent"] += 1
        send = session.match_details if kind == "match_details" else session.profile_card
        try:
            response = send(key, self.gc_timeout)
        except GCTimeout:
            self.counts["timeouts"] += 1
            log.warning("GC timeout on %s %s via %s", kind, key, session.account)
            raise
        except GCUnavailable:
            self.counts["errors"] += 1
            raise
        self.counts["answered"] += 1
        return response, session.account.username

    def _session_reserve(self, kind: str) -> tuple[GCSession, int]:
        with self._pick_lock:
            ready = [s for s in self.sessions if s.ready]
            if not ready:
                raise NoReadyAccount(f"none of {len(self.sessions)} accounts has a GC session")
            usage = self.ledger.usage([s.account.username for s in ready])
            # The account with the most quota left goes first, which spreads the load.
            ready.sort(key=lambda s: usage.account_used[s.account.username])
            refused: QuotaExceeded | None = None
            for session in ready:
                try:
                    return session, self.ledger.reserve(session.account.username, kind)
                except QuotaExceeded as exceeded:
                    refused = exceeded
                    if exceeded.scope == "host":
                        break
            self.counts["refused"] += 1
            assert refused is not None
            raise refused

    def _gap_wait(self) -> None:
        with self._gap_lock:
            wait = self._last_sent + self.request_gap - self.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_sent = self.monotonic()

    def _keep_alive(self, session: GCSession) -> None:
        was_ready = False
        while not self._stop.is_set():
            if session.ready:
                was_ready = True
                self._stop.wait(1.0)
                continue
            if was_ready:
                log.warning("account %s lost its GC session; logging in again", session.account)
            try:
                session.login()
                log.info("account %s ready", session.account)
                continue
            except GCUnavailable as error:
                log.warning("%s; next try in %.0f s", error, self.relogin_delay)
            except Exception as error:  # noqa: BLE001 - a keeper must outlive any login error
                log.warning(
                    "login of %s failed (%s); next try in %.0f s",
                    session.account,
                    type(error).__name__,
                    self.relogin_delay,
                )
            self._stop.wait(self.relogin_delay)
