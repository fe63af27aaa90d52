"""Writes from the match pages: a player's request to parse a match."""

from __future__ import annotations

import logging
import os
import time

from django.conf import settings

from tasks.matches.requests import match_request
from yasp_web.mongo import mongo

log = logging.getLogger(__name__)

PARSE_REQUESTS = "parse_requests"


class RateLimited(Exception):
    """The requester has used up this hour's parse requests."""


def parse_requests_recent(*, requester: str, now: float) -> int:
    """How many parse requests `requester` made in the hour before `now` (unix time)."""
    since = now - 3600
    return mongo()[PARSE_REQUESTS].count_documents(
        {"requester": requester, "requested_at": {"$gte": since}}
    )


def parse_request_create(*, match_id: int, requester: str, ip: str) -> bool:
    """Record a request to parse `match_id` and queue the match first.

    The match goes to priority 0; an unknown match is created waiting for its replay salt.
    Returns whether a Prefect run was triggered. Raises RateLimited when over the hourly limit.
    """
    now = time.time()
    if parse_requests_recent(requester=requester, now=now) >= settings.PARSE_REQUESTS_PER_HOUR:
        raise RateLimited(requester)
    mongo()[PARSE_REQUESTS].insert_one(
        {"match_id": match_id, "requester": requester, "ip": ip, "requested_at": now}
    )
    match_request(mongo(), match_id=match_id, now=now)
    return parse_run_trigger(match_id=match_id)


def parse_run_trigger(*, match_id: int) -> bool:
    """Start the configured dispatcher deployment for a new request, when Prefect is configured."""
    if not settings.PARSE_DEPLOYMENT or not os.environ.get("PREFECT_API_URL"):
        return False
    try:
        from prefect.deployments import run_deployment

        # The dispatcher takes requested matches first; the parse follows the salt by itself.
        run_deployment(name=settings.PARSE_DEPLOYMENT, timeout=0)
    except Exception as error:  # noqa: BLE001 - the request is recorded; the scan picks it up
        log.warning("parse request for match %s: Prefect run not started: %s", match_id, error)
        return False
    log.info("parse request for match %s: started %s", match_id, settings.PARSE_DEPLOYMENT)
    return True
