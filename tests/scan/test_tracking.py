"""The tracked set: N-day visit window, permanent tracking, account and Steam ids."""

from __future__ import annotations

import time

import pytest

from tasks.players.ids import account_id_from, steamid64_from
from tasks.players.tracking import player_track, player_untrack, tracked_account_ids

DAY = 86400


def test_a_visit_within_the_window_tracks_and_an_older_one_does_not(db):
    now = time.time()
    player_track(db, account_id=1, now=now - 6 * DAY)
    player_track(db, account_id=2, now=now - 8 * DAY)
    assert tracked_account_ids(db, days=7, now=now) == {1}
    assert tracked_account_ids(db, days=10, now=now) == {1, 2}
    assert tracked_account_ids(db, days=5, now=now) == set()


def test_permanent_tracking_ignores_the_window_until_ended(db):
    now = time.time()
    player_track(db, account_id=3, permanent=True, now=now - 100 * DAY)
    assert tracked_account_ids(db, days=7, now=now) == {3}
    player_untrack(db, account_id=3)
    assert tracked_account_ids(db, days=7, now=now) == set()


def test_a_new_visit_extends_the_window(db):
    now = time.time()
    player_track(db, account_id=4, now=now - 30 * DAY)
    player_track(db, account_id=4, now=now - DAY)
    assert tracked_account_ids(db, days=7, now=now) == {4}


def test_a_steamid64_becomes_its_account_id():
    assert account_id_from("76561198080534862") == 120269134
    assert account_id_from(120269134) == 120269134
    assert steamid64_from(120269134) == 76561198080534862


@pytest.mark.parametrize("text", ["4294967295", "0", "-5", "abc", "1e9", ""])
def test_anonymous_zero_and_junk_are_not_account_ids(text):
    with pytest.raises(ValueError):
        account_id_from(text)
