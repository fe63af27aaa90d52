"""The document builder credits combat-log events to players by OpenDota's rules.

The only Source 2 replay on hand ends before the horn, so these events are written here
in manta's output shape to pin down the attribution rules.
"""

from __future__ import annotations

from tasks.replay.document import document_build

AXE, LINA = "npc_dota_hero_axe", "npc_dota_hero_lina"


def _raw(entries: list[dict]) -> dict:
    players = [{"hero_name": AXE, "game_team": 2}, {"hero_name": LINA, "game_team": 3}]
    return {
        "header": {"build_num": 1}, "game_info": {"match_id": 9, "player_info": players},
        "combat_log": {"game_start_tick": 300, "entries": entries},
    }  # fmt: skip


def _entry(kind: int, tick: int, **fields) -> dict:
    base = {"type": kind, "tick": tick, "attacker_name": "", "damage_source_name": "",
            "target_name": "", "inflictor_name": "dota_unknown", "value": 0}  # fmt: skip
    return base | fields


def test_players_get_slots_and_player_slots_radiant_first() -> None:
    document = document_build(_raw([]))
    assert [p["player_slot"] for p in document["players"]] == [0, 128]


def test_hero_damage_kills_and_purchases_are_credited() -> None:
    entries = [
        _entry(0, 330, attacker_name=AXE, damage_source_name=AXE, target_name=LINA,
               is_target_hero=True, value=120),
        _entry(4, 360, attacker_name=AXE, damage_source_name=AXE, target_name=LINA,
               is_target_hero=True),
        _entry(11, 270, target_name=LINA, value_name="item_tango"),
    ]  # fmt: skip
    axe, lina = document_build(_raw(entries))["players"]
    assert axe["damage"] == {LINA: 120} and axe["hero_hits"] == {"null": 1}
    assert lina["damage_taken"] == {AXE: 120}
    assert axe["kills_log"] == [{"time": 2, "key": LINA}]
    assert lina["killed_by"] == {AXE: 1}
    assert lina["purchase_log"] == [{"time": -1, "key": "tango"}]


def test_three_close_deaths_make_a_teamfight() -> None:
    deaths = [
        _entry(4, 300 + 30 * t, damage_source_name=AXE, attacker_name=AXE, target_name=LINA,
               is_target_hero=True)
        for t in (100, 105, 110, 200)
    ]  # fmt: skip
    (fight,) = document_build(_raw(deaths))["teamfights"]
    assert (fight["start"], fight["end"], fight["last_death"], fight["deaths"]) == (85, 125, 110, 3)
    assert fight["players"][0]["killed"] == {LINA: 3}
