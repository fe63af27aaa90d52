"""The live sequence scan as a Prefect flow: a bounded run of pages, one task per page."""

from __future__ import annotations

import os
import socket
import time
from collections import Counter
from dataclasses import dataclass, field

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from tasks.config import settings
from tasks.scan.page import PageReport, TrackedSet, page_scan
from tasks.scan.store import cursor_init, cursor_seq, lease_acquire, lease_holder, lease_release
from tasks.steam_webapi.client import SteamWebApi
from tasks.steam_webapi.errors import SteamApiError
from tasks.storage.mongo import database

_tracked = TrackedSet()
_api: SteamWebApi | None = None


def steam_api() -> SteamWebApi:
    """This process's Web API client (one connection pool), rebuilt when settings change."""
    global _api
    if _api is None or _api.config is not settings():
        _api = SteamWebApi(settings())
    return _api


def retry_if_transient(task, task_run, state) -> bool:  # noqa: ANN001 (Prefect's callback)
    """Retry a Web API task only when Valve's side failed; a refused request stays failed."""
    error = state.result(raise_on_failure=False)
    return not isinstance(error, SteamApiError) or error.retryable


# Retries default to 3 (10 s, 60 s, 300 s); `YASP_SCAN_PAGE_RETRY_DELAYS` changes them per run.
@task(
    name="scan-page",
    task_run_name="scan-page-{start_seq}",
    retries=3,
    retry_delay_seconds=[10, 60, 300],
    retry_condition_fn=retry_if_transient,
    cache_policy=NO_CACHE,
)
def scan_page(start_seq: int) -> PageReport:
    """Fetch one sequence page, save its tracked matches, move the cursor past it."""
    report = page_scan(database(), steam_api(), settings(), start_seq, _tracked)
    get_run_logger().info(report.line())
    return report


@dataclass
class ScanSummary:
    """What one bounded scan run did."""

    cursor_from: int | None = None
    cursor_to: int | None = None
    pages: int = 0
    matches: int = 0
    kept: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    matches_new: int = 0
    caught_up: bool = False
    stopped_because: str = ""

    def add(self, report: PageReport) -> None:
        self.pages += 1
        self.matches += report.matches
        self.kept.update(report.kept)
        self.dropped.update(report.dropped)
        self.matches_new += report.matches_new
        self.caught_up = report.caught_up
        self.cursor_to = report.next_seq

    def rows(self) -> list[dict[str, object]]:
        """The summary as table rows for a Prefect artifact."""
        rows: list[dict[str, object]] = [
            {"what": "pages read", "count": self.pages},
            {"what": "matches seen", "count": self.matches},
            {"what": "matches kept", "count": sum(self.kept.values())},
            {"what": "matches new", "count": self.matches_new},
        ]
        rows += [{"what": f"kept: {k}", "count": v} for k, v in sorted(self.kept.items())]
        rows += [{"what": f"dropped: {k}", "count": v} for k, v in sorted(self.dropped.items())]
        rows += [
            {"what": "cursor from", "count": self.cursor_from},
            {"what": "cursor to", "count": self.cursor_to},
        ]
        return rows


@flow(name="sequence-scan", flow_run_name="sequence-scan-{max_pages}p")
def sequence_scan(
    max_pages: int = 50,
    max_minutes: float = 5.0,
    start_seq: int | None = None,
    stop_when_caught_up: bool = False,
) -> ScanSummary:
    """Read sequence pages from the cursor until a bound is reached, keeping tracked matches.

    Args:
        max_pages: pages to read at most in this run.
        max_minutes: wall time after which the run ends (the next scheduled run continues).
        start_seq: where to start when no cursor is stored yet.
        stop_when_caught_up: end at the first short page instead of waiting for more.
    """
    logger = get_run_logger()
    config = settings()
    db = database()
    owner = f"{socket.gethostname()}:{os.getpid()}:{flow_run.get_id() or 'local'}"
    summary = ScanSummary()
    if cursor_seq(db) is None:
        if start_seq is None:
            raise ValueError("no sequence cursor is stored yet: give start_seq for the first run")
        cursor_init(db, start_seq)
    if not lease_acquire(db, owner=owner, seconds=config.scan_lease_seconds, now=time.time()):
        holder, until = lease_holder(db)
        summary.stopped_because = f"another scan holds the lease ({holder}, until {until:.0f})"
        logger.warning("not scanning: %s", summary.stopped_because)
        return summary

    _tracked.clear()
    delays = config.scan_page_retry_delays
    page_task = scan_page.with_options(retries=len(delays), retry_delay_seconds=delays)
    deadline = time.monotonic() + max_minutes * 60
    summary.cursor_from = summary.cursor_to = cursor_seq(db)
    try:
        while True:
            page_started = time.monotonic()
            report = page_task(summary.cursor_to)
            summary.add(report)
            if not report.cursor_moved:
                summary.stopped_because = "the cursor was moved by another scan"
                logger.warning("stopping: %s", summary.stopped_because)
                break
            wait = config.scan_page_interval - (time.monotonic() - page_started)
            if report.caught_up:
                if stop_when_caught_up:
                    summary.stopped_because = "caught up"
                    break
                wait = config.scan_caught_up_wait
            if summary.pages >= max_pages:
                summary.stopped_because = f"read {max_pages} pages"
                break
            if time.monotonic() + max(wait, 0) >= deadline:
                summary.stopped_because = f"ran {max_minutes} minutes"
                break
            if wait > 0:
                time.sleep(wait)
            if not lease_acquire(
                db, owner=owner, seconds=config.scan_lease_seconds, now=time.time()
            ):
                summary.stopped_because = "the scan lease expired and was taken over"
                logger.warning("stopping: %s", summary.stopped_because)
                break
    finally:
        lease_release(db, owner=owner)

    logger.info(
        "scan run done (%s): %d pages, %d matches, %d kept, %d dropped, cursor %s -> %s",
        summary.stopped_because, summary.pages, summary.matches, sum(summary.kept.values()),
        sum(summary.dropped.values()), summary.cursor_from, summary.cursor_to,
    )  # fmt: skip
    create_table_artifact(
        key="sequence-scan-summary",
        table=summary.rows(),
        description=f"Sequence scan run: {summary.stopped_because}",
    )
    return summary
