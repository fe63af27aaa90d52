"""Which matches of a real page are kept: tracked players, leagues, never anonymous or bots."""

from __future__ import annotations

import copy

from tasks.scan.selection import (
    DROPPED_ANONYMOUS,
    DROPPED_UNTRACKED,
    KEPT_LEAGUE,
    KEPT_TRACKED,
    page_select,
)
from tasks.storage.schema import ANONYMOUS_ACCOUNT_ID, PRIORITY_LEAGUE, PRIORITY_TRACKED


def test_a_match_with_a_tracked_player_is_kept(page_2019):
    match, account_id = next(
        (m, p["account_id"])
        for m in page_2019
        for p in m["players"]
        if p["account_id"] != ANONYMOUS_ACCOUNT_ID
    )
    selection = page_select(page_2019, tracked={account_id}, keep_leagues=False)
    kept_ids = [item.match["match_id"] for item in selection.kept]
    assert kept_ids == [match["match_id"]]
    assert all(item.reason == KEPT_TRACKED for item in selection.kept)
    assert selection.kept[0].priority == PRIORITY_TRACKED


def test_the_anonymous_account_id_never_matches_even_if_someone_tracked_it(page_2019):
    selection = page_select(page_2019, tracked={ANONYMOUS_ACCOUNT_ID}, keep_leagues=False)
    assert selection.kept == []
    # 5 matches of the real page are fully anonymous; the other 95 have a known player.
    assert selection.dropped == {DROPPED_ANONYMOUS: 5, DROPPED_UNTRACKED: 95}


def test_a_bot_without_an_account_id_never_matches(page_2019):
    match = copy.deepcopy(page_2019[0])
    for player in match["players"]:
        player.pop("account_id", None)
    selection = page_select([match], tracked={0, ANONYMOUS_ACCOUNT_ID}, keep_leagues=False)
    assert selection.kept == []
    assert selection.dropped == {DROPPED_ANONYMOUS: 1}


def test_league_matches_are_kept_only_when_asked(data_dir):
    import json

    page = json.loads(
        (
            data_dir / "steam-webapi/GetMatchHistoryBySequenceNum/odota_core_sequence_api.json"
        ).read_text()
    )["result"]["matches"]
    assert page_select(page, tracked=set(), keep_leagues=False).kept == []
    kept = page_select(page, tracked=set(), keep_leagues=True).kept
    assert [(k.reason, k.priority) for k in kept] == [(KEPT_LEAGUE, PRIORITY_LEAGUE)]


def test_every_match_is_either_kept_or_counted_as_dropped(page_2019):
    tracked = {p["account_id"] for m in page_2019[::10] for p in m["players"]}
    selection = page_select(page_2019, tracked=tracked, keep_leagues=True)
    assert len(selection.kept) + sum(selection.dropped.values()) == len(page_2019)
