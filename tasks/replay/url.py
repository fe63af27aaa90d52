"""Replay download addresses."""

from __future__ import annotations

from tasks.replay.config import replay_settings

# Replays of matches played on the Perfect World (China) clusters live on a separate CDN.
CHINA_CLUSTERS = frozenset({413, 415, 417})


def replay_path(match_id: int, replay_salt: int) -> str:
    """The path of a replay on any replay host."""
    return f"/570/{match_id}_{replay_salt}.dem.bz2"


def replay_url(match_id: int, cluster: int, replay_salt: int) -> str:
    """The URL of a match's compressed replay."""
    base = replay_settings().replay_base_url
    if base:
        return base.rstrip("/") + replay_path(match_id, replay_salt)
    domain = "dota2.com.cn" if cluster in CHINA_CLUSTERS else "valve.net"
    return f"http://replay{cluster}.{domain}" + replay_path(match_id, replay_salt)
