"""Decide which matches of a sequence page to keep, without touching the database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tasks.matches.documents import known_account_id
from tasks.storage.schema import PRIORITY_LEAGUE, PRIORITY_TRACKED

KEPT_TRACKED = "tracked"
KEPT_LEAGUE = "league"
DROPPED_UNTRACKED = "untracked"
DROPPED_ANONYMOUS = "anonymous_only"


@dataclass
class KeptMatch:
    """A match worth saving, why, and how urgently to process it."""

    match: dict[str, Any]
    reason: str
    priority: int


@dataclass
class PageSelection:
    """What the filter made of one page."""

    kept: list[KeptMatch] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)

    @property
    def kept_by_reason(self) -> Counter:
        return Counter(item.reason for item in self.kept)


def page_select(
    matches: list[dict[str, Any]], *, tracked: set[int] | frozenset[int], keep_leagues: bool
) -> PageSelection:
    """Keep matches with a tracked player (or league matches when asked); count the rest."""
    selection = PageSelection()
    for match in matches:
        known = [known_account_id(p) for p in match.get("players", [])]
        league = keep_leagues and bool(match.get("leagueid"))
        if any(account_id in tracked for account_id in known if account_id is not None):
            priority = PRIORITY_LEAGUE if league else PRIORITY_TRACKED
            selection.kept.append(KeptMatch(match, KEPT_TRACKED, priority))
        elif league:
            selection.kept.append(KeptMatch(match, KEPT_LEAGUE, PRIORITY_LEAGUE))
        elif all(account_id is None for account_id in known):
            selection.dropped[DROPPED_ANONYMOUS] += 1
        else:
            selection.dropped[DROPPED_UNTRACKED] += 1
    return selection
