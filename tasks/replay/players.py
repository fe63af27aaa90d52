"""Which hero is which player, and the replay's clock, for one parse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TICKS_PER_SECOND = 30
RADIANT, DIRE = 2, 3


@dataclass
class Roster:
    """Slots (0-9, Radiant first) with their player_slot and hero unit name."""

    player_slots: list[int] = field(default_factory=list)
    hero_slots: dict[str, int] = field(default_factory=dict)
    horn_tick: int = 0

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> Roster:
        """Read the player list from the replay's file-info footer (or hero snapshots)."""
        game_info = raw.get("game_info") or {}
        listed = [p for p in game_info.get("player_info") or [] if p.get("game_team") in (2, 3)]
        radiant = [p for p in listed if p.get("game_team") == RADIANT]
        dire = [p for p in listed if p.get("game_team") == DIRE]
        roster = cls(horn_tick=int((raw.get("combat_log") or {}).get("game_start_tick") or 0))
        for index, player in enumerate(radiant + dire):
            on_radiant = index < len(radiant)
            team_slot = index if on_radiant else index - len(radiant)
            roster.player_slots.append(team_slot if on_radiant else 128 + team_slot)
            if player.get("hero_name"):
                roster.hero_slots[player["hero_name"]] = index
        if not listed:
            roster._from_snapshots(raw)
        return roster

    def _from_snapshots(self, raw: dict[str, Any]) -> None:
        heroes: dict[int, tuple[int, str]] = {}
        for snapshot in (raw.get("entities") or {}).get("snapshots") or []:
            for hero in snapshot.get("heroes") or []:
                heroes.setdefault(
                    hero.get("player_id", 0), (hero.get("team", 0), hero["hero_name"])
                )
        ordered = sorted(heroes.items(), key=lambda item: (item[1][0], item[0]))
        radiant_count = sum(1 for _, (team, _) in ordered if team == RADIANT)
        for index, (_, (team, hero_name)) in enumerate(ordered):
            team_slot = index if team == RADIANT else index - radiant_count
            self.player_slots.append(team_slot if team == RADIANT else 128 + team_slot)
            self.hero_slots[hero_name] = index

    def slot_of(self, unit_name: str) -> int | None:
        """The slot whose hero has this unit name, or None for any other unit."""
        return self.hero_slots.get(unit_name)

    def clock(self, entry: dict[str, Any]) -> int:
        """Whole seconds from the horn for a combat-log entry."""
        return self.tick_clock(int(entry.get("tick") or 0))

    def tick_clock(self, tick: int) -> int:
        """Whole seconds from the horn for a tick (paused time included)."""
        return round((tick - self.horn_tick) / TICKS_PER_SECOND)

    @staticmethod
    def cell(world: float) -> float:
        """A world coordinate in OpenDota's cell units (the map spans about 64-192)."""
        return round(world / 128 + 128, 1)
