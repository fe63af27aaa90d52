"""Dota `account_id` (32-bit) and Steam `steamid64` conversions."""

from __future__ import annotations

STEAMID64_BASE = 76561197960265728
ACCOUNT_ID_MAX = 2**32 - 2  # 2**32 - 1 is the anonymous placeholder, never a real account


def account_id_from(text: str | int) -> int:
    """An account id from an account id or a steamid64, or ValueError saying why not."""
    value = int(str(text).strip())
    if value >= STEAMID64_BASE:
        value -= STEAMID64_BASE
    if not 0 < value <= ACCOUNT_ID_MAX:
        raise ValueError(f"{text!r} is neither a Dota account id nor a Steam id")
    return value


def steamid64_from(account_id: int) -> int:
    """The steamid64 of an account id."""
    return account_id + STEAMID64_BASE
