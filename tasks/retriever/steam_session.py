"""The live GC session: a Steam account logged in with the `steam` and `dota2` packages.

Imported only by a retriever started without YASP_RETRIEVER_OFFLINE, in a process that
applied gevent's monkey patches first (see `tasks.retriever.serve`).
"""

from __future__ import annotations

import logging
from typing import Any

from dota2.client import Dota2Client
from dota2.enums import EDOTAGCMsg
from google.protobuf.json_format import MessageToDict
from steam.client import SteamClient
from steam.enums import EResult

from tasks.retriever.session import GCTimeout, GCUnavailable, SteamAccount

log = logging.getLogger(__name__)

LOGIN_TIMEOUT_S = 60.0


class SteamGCSession:
    """One Steam account with a Dota 2 GC session."""

    def __init__(self, account: SteamAccount) -> None:
        self.account = account
        self._steam = SteamClient()
        self._dota = Dota2Client(self._steam)

    @property
    def ready(self) -> bool:
        """True while Steam is logged on and the GC session is open."""
        return bool(self._steam.logged_on and self._dota.ready)

    def login(self) -> None:
        """Log in to Steam and launch Dota 2 until the GC says it is ready."""
        if not self._steam.logged_on:
            result = self._steam.login(self.account.username, self.account.password)
            if result != EResult.OK:
                raise GCUnavailable(f"Steam login of {self.account} failed: {result!r}")
        if not self._dota.ready:
            self._dota.launch()
            if self._dota.wait_event("ready", timeout=LOGIN_TIMEOUT_S) is None:
                raise GCUnavailable(f"GC session of {self.account} did not open")
        log.info("account %s logged in, GC session ready", self.account)

    def match_details(self, match_id: int, timeout: float) -> dict[str, Any]:
        """Ask the GC for a match's details (salt, cluster, replay state)."""
        return self._job(EDOTAGCMsg.EMsgGCMatchDetailsRequest, {"match_id": match_id}, timeout)

    def profile_card(self, account_id: int, timeout: float) -> dict[str, Any]:
        """Ask the GC for a player's profile card (rank tier, leaderboard rank)."""
        message = {"account_id": account_id}
        return self._job(EDOTAGCMsg.EMsgClientToGCGetProfileCard, message, timeout)

    def close(self) -> None:
        """Leave the GC and log out of Steam."""
        try:
            self._dota.exit()
            self._steam.logout()
        except Exception:  # noqa: BLE001 - closing a dead connection is not an error
            log.debug("account %s closed with the connection already gone", self.account)

    def _job(self, emsg: Any, body: dict[str, Any], timeout: float) -> dict[str, Any]:
        if not self.ready:
            raise GCUnavailable(f"account {self.account} has no GC session")
        job_id = self._dota.send_job(emsg, body)
        answer = self._dota.wait_event(job_id, timeout=timeout)
        if answer is None:
            raise GCTimeout(f"no GC answer in {timeout:.0f} s")
        return MessageToDict(answer[0], preserving_proto_field_name=True)
