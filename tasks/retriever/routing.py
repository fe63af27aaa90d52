"""Choosing which host's retriever gets each batch of matches, by the quota it has left."""

from __future__ import annotations

from typing import Any


def quota_left_by_host(stats_by_host: dict[str, dict[str, Any] | None]) -> dict[str, int]:
    """Requests each host may still send; 0 for a host that is down or has no ready account."""
    left = {}
    for host, stats in stats_by_host.items():
        if not stats or not stats.get("accounts_ready"):
            left[host] = 0
        else:
            left[host] = max(0, int(stats.get("quota_left", 0)))
    return left


def batches_plan(
    match_ids: list[int], quota_left: dict[str, int], batch_size: int
) -> list[tuple[str, list[int]]]:
    """Split matches into batches for the hosts with the most quota left, never beyond it."""
    left = dict(quota_left)
    plan: list[tuple[str, list[int]]] = []
    position = 0
    while position < len(match_ids):
        host = max(left, key=lambda name: left[name], default=None)
        if host is None or left[host] <= 0:
            break
        size = min(batch_size, left[host], len(match_ids) - position)
        plan.append((host, match_ids[position : position + size]))
        left[host] -= size
        position += size
    return plan
