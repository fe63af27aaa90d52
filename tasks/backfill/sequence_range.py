"""Re-read a range of sequence numbers and save the kept matches the live scan missed."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from pymongo.database import Database

from tasks.backfill.progress import backfill_progress_save
from tasks.config import Settings
from tasks.scan.selection import page_select
from tasks.scan.store import matches_save
from tasks.steam_webapi.client import SteamWebApi
from tasks.steam_webapi.sequence import sequence_page


def range_key(from_seq: int, to_seq: int) -> str:
    """The progress key of a range backfill."""
    return f"sequence-range:{from_seq}-{to_seq}"


@dataclass
class RangeStep:
    """What one page of a range backfill did."""

    next_seq: int
    done: bool
    counts: Counter = field(default_factory=Counter)


def range_page_backfill(
    db: Database,
    api: SteamWebApi,
    config: Settings,
    *,
    from_seq: int,
    to_seq: int,
    next_seq: int,
    tracked: frozenset[int],
) -> RangeStep:
    """Read the page at `next_seq` (matches below `to_seq` only) and insert what is missing."""
    page = [
        m
        for m in sequence_page(api, next_seq, config.scan_page_size)
        if m["match_seq_num"] < to_seq
    ]
    selection = page_select(page, tracked=tracked, keep_leagues=config.keep_league_matches)
    saved = matches_save(db, selection.kept, now=time.time())
    reached_end = len(page) < config.scan_page_size
    step = RangeStep(
        next_seq=page[-1]["match_seq_num"] + 1 if page else next_seq,
        done=reached_end,
    )
    step.counts.update(
        pages=1, matches_seen=len(page), kept=len(selection.kept),
        inserted=saved.matches_new, already_stored=saved.matches_existing,
    )  # fmt: skip
    backfill_progress_save(
        db,
        range_key(from_seq, to_seq),
        fields={"next_seq": step.next_seq, "done": step.done},
        counts=dict(step.counts),
    )
    return step
