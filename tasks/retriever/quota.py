"""Rolling 24-hour request quotas per Steam account and per host, kept in a SQLite file."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class QuotaExceeded(Exception):
    """A GC request was refused before sending because a daily limit is reached."""

    def __init__(self, scope: str, used: int, limit: int) -> None:
        super().__init__(f"{scope} quota reached: {used} of {limit} requests in the window")
        self.scope = scope
        self.used = used
        self.limit = limit


@dataclass(frozen=True)
class QuotaUsage:
    """Requests counted in the current window for the host and for each account."""

    host_used: int
    host_limit: int
    account_used: dict[str, int]
    account_limit: int

    @property
    def host_left(self) -> int:
        """Requests this host may still send in the window."""
        return max(0, self.host_limit - self.host_used)

    def account_left(self, account: str) -> int:
        """Requests `account` may still send in the window."""
        return max(0, self.account_limit - self.account_used.get(account, 0))


class QuotaLedger:
    """Counts GC requests in a rolling window; a request is counted before it is sent."""

    def __init__(
        self,
        path: Path,
        *,
        account_limit: int,
        host_limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.account_limit = account_limit
        self.host_limit = host_limit
        self.window_seconds = window_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS gc_requests ("
            " id INTEGER PRIMARY KEY, account TEXT NOT NULL, sent_at REAL NOT NULL, kind TEXT)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS gc_requests_at ON gc_requests (sent_at)")

    def reserve(self, account: str, kind: str) -> int:
        """Count one request for `account`, or raise QuotaExceeded without counting it."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                since = self.clock() - self.window_seconds
                host_used = self._count("sent_at > ?", (since,))
                if host_used >= self.host_limit:
                    raise QuotaExceeded("host", host_used, self.host_limit)
                used = self._count("sent_at > ? AND account = ?", (since, account))
                if used >= self.account_limit:
                    raise QuotaExceeded("account", used, self.account_limit)
                cursor = self._db.execute(
                    "INSERT INTO gc_requests (account, sent_at, kind) VALUES (?, ?, ?)",
                    (account, self.clock(), kind),
                )
                self._db.execute("COMMIT")
                return int(cursor.lastrowid)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def release(self, reservation: int) -> None:
        """Give back a reservation whose request was never sent."""
        with self._lock:
            self._db.execute("DELETE FROM gc_requests WHERE id = ?", (reservation,))

    def usage(self, accounts: list[str]) -> QuotaUsage:
        """Requests counted in the current window."""
        with self._lock:
            since = self.clock() - self.window_seconds
            rows = self._db.execute(
                "SELECT account, COUNT(*) FROM gc_requests WHERE sent_at > ? GROUP BY account",
                (since,),
            ).fetchall()
        per_account = {account: 0 for account in accounts}
        per_account.update({account: count for account, count in rows})
        return QuotaUsage(
            host_used=sum(count for _, count in rows),
            host_limit=self.host_limit,
            account_used=per_account,
            account_limit=self.account_limit,
        )

    def prune(self) -> int:
        """Drop rows older than the window; returns how many were dropped."""
        with self._lock:
            since = self.clock() - self.window_seconds
            return self._db.execute("DELETE FROM gc_requests WHERE sent_at <= ?", (since,)).rowcount

    def close(self) -> None:
        """Close the SQLite file."""
        with self._lock:
            self._db.close()

    def _count(self, where: str, args: tuple) -> int:
        return int(
            self._db.execute(f"SELECT COUNT(*) FROM gc_requests WHERE {where}", args).fetchone()[0]
        )
