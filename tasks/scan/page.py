"""Scan one sequence page: fetch, select, save, then move the cursor."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from pymongo.database import Database

from tasks.config import Settings
from tasks.failpoints import failpoint
from tasks.players.tracking import tracked_account_ids
from tasks.scan.selection import page_select
from tasks.scan.store import cursor_advance, matches_save
from tasks.steam_webapi.client import SteamWebApi
from tasks.steam_webapi.sequence import sequence_page

log = logging.getLogger(__name__)

TRACKED_REFRESH_S = 60.0


@dataclass
class PageReport:
    """What scanning one page did, for logs, artifacts and the next step of the loop."""

    start_seq: int
    next_seq: int
    matches: int
    kept: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    matches_new: int = 0
    caught_up: bool = False
    cursor_moved: bool = False
    fetch_s: float = 0.0
    process_s: float = 0.0

    def line(self) -> str:
        """One log line an operator can read."""
        span = (
            f"seq={self.start_seq}-{self.next_seq - 1}" if self.matches else f"seq={self.start_seq}"
        )
        return (
            f"scanned page {span}: {self.matches} matches, {sum(self.kept.values())} kept "
            f"({self.matches_new} new), {sum(self.dropped.values())} dropped, "
            f"fetch {self.fetch_s:.2f} s, process {self.process_s * 1000:.1f} ms"
            + (", caught up" if self.caught_up else "")
        )


class TrackedSet:
    """The tracked account ids, re-read from the database at most once a minute."""

    def __init__(self) -> None:
        self._ids: frozenset[int] = frozenset()
        self._read_at = -float("inf")
        self._lock = threading.Lock()

    def get(self, db: Database, days: int) -> frozenset[int]:
        with self._lock:
            if time.monotonic() - self._read_at > TRACKED_REFRESH_S:
                self._ids = frozenset(tracked_account_ids(db, days=days))
                self._read_at = time.monotonic()
            return self._ids

    def clear(self) -> None:
        with self._lock:
            self._read_at = -float("inf")


def page_process(
    db: Database, config: Settings, start_seq: int, matches: list[dict], tracked: frozenset[int]
) -> PageReport:
    """Select and save a fetched page, then move the cursor past its last match."""
    started = time.perf_counter()
    selection = page_select(matches, tracked=tracked, keep_leagues=config.keep_league_matches)
    now = time.time()
    saved = matches_save(db, selection.kept, now=now)
    failpoint("scan.after_save")
    next_seq = matches[-1]["match_seq_num"] + 1 if matches else start_seq
    counts = {"pages": 1, "matches_seen": len(matches), "matches_kept": len(selection.kept)}
    moved = next_seq == start_seq or cursor_advance(
        db,
        expected_seq=start_seq,
        next_seq=next_seq,
        counts=counts,
        last_start_time=matches[-1]["start_time"] if matches else None,
        now=now,
    )
    return PageReport(
        start_seq=start_seq,
        next_seq=next_seq,
        matches=len(matches),
        kept=selection.kept_by_reason,
        dropped=selection.dropped,
        matches_new=saved.matches_new,
        caught_up=len(matches) < config.scan_page_size,
        cursor_moved=moved,
        process_s=time.perf_counter() - started,
    )


def page_scan(
    db: Database, api: SteamWebApi, config: Settings, start_seq: int, tracked: TrackedSet
) -> PageReport:
    """Fetch the page at `start_seq` and process it."""
    started = time.perf_counter()
    matches = sequence_page(api, start_seq, config.scan_page_size)
    fetch_s = time.perf_counter() - started
    report = page_process(db, config, start_seq, matches, tracked.get(db, config.tracked_days))
    report.fetch_s = fetch_s
    return report
