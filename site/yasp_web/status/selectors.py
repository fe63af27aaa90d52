"""Reads behind the status page: scanner lag, queue by stage, rates, retriever quota."""

from __future__ import annotations

import time
from typing import Any

from tasks.storage.schema import MATCHES, PARSED_MATCHES, SCANNER
from yasp_web.mongo import mongo

RETRIEVER_HOSTS = "retriever_hosts"


def scanner_state(now: float | None = None) -> dict[str, Any] | None:
    """The sequence scanner's cursor and how far behind real time it is."""
    doc = mongo()[SCANNER].find_one({"_id": "sequence"})
    if doc is None:
        return None
    now = now or time.time()
    state = {k: doc.get(k) for k in ("next_seq", "updated_at", "last_match_start_time")}
    if isinstance(doc.get("last_match_start_time"), (int, float)):
        state["lag_s"] = int(now - doc["last_match_start_time"])
    if isinstance(doc.get("updated_at"), (int, float)):
        state["updated_ago_s"] = int(now - doc["updated_at"])
    return state


def matches_by_stage() -> list[dict[str, Any]]:
    """Number of matches in each pipeline stage."""
    pipeline = [{"$group": {"_id": "$stage", "n": {"$sum": 1}}}]
    groups = mongo()[MATCHES].aggregate(pipeline)
    return sorted(({"stage": g["_id"] or "none", "count": g["n"]} for g in groups),
                  key=lambda g: g["stage"])  # fmt: skip


def pipeline_rates(now: float | None = None) -> dict[str, int]:
    """Replays parsed and salts retrieved in the last hour and the last day.

    Reads `parsed_matches.parsed_at` and `matches.salt_fetched_at` (unix time).
    """
    now = time.time() if now is None else now
    rates = {}
    for window, delta in (("hour", 3600), ("day", 86400)):
        since = now - delta
        rates[f"parsed_{window}"] = mongo()[PARSED_MATCHES].count_documents(
            {"parsed_at": {"$gte": since}}
        )
        rates[f"salts_{window}"] = mongo()[MATCHES].count_documents(
            {"salt_fetched_at": {"$gte": since}}
        )
    return rates


def retriever_hosts() -> list[dict[str, Any]]:
    """Whatever each retriever host last reported (quota left, accounts, time)."""
    if RETRIEVER_HOSTS not in mongo().list_collection_names():
        return []
    hosts = []
    for doc in mongo()[RETRIEVER_HOSTS].find().limit(200):
        host = str(doc.pop("_id"))
        hosts.append({"host": host, "fields": sorted((k, str(v)) for k, v in doc.items())})
    return hosts
