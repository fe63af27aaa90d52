"""Rebuild `dota.json` from a dotaconstants `build/` folder (npm package or a JSON copy).

Usage: python site/yasp_web/constants/vendor.py [DOTACONSTANTS_BUILD_DIR]
The default source is the read-only copy under the shared data folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parents[4] / "shared/data/constants/dotaconstants"
TARGET = Path(__file__).with_name("dota.json")


def _label(localisation_key: str, prefix: str) -> str:
    return localisation_key.removeprefix(prefix).replace("_", " ").title()


def constants_vendor(*, source: Path, target: Path = TARGET) -> None:
    """Write the subset of dotaconstants the site shows into `target`."""

    def load(name: str) -> dict:
        return json.loads((source / name).read_text(encoding="utf-8"))

    heroes = load("heroes.json")
    items = load("items.json")
    tables = {
        "heroes": {k: {"localized_name": v["localized_name"]} for k, v in heroes.items()},
        "hero_ids_by_unit": {v["name"]: int(k) for k, v in heroes.items()},
        "item_keys_by_id": load("item_ids.json"),
        "item_names": {k: v["dname"] for k, v in items.items() if v.get("dname")},
        "game_modes": {
            k: _label(v["name"], "game_mode_") for k, v in load("game_mode.json").items()
        },
        "lobby_types": {
            k: _label(v["name"], "lobby_type_") for k, v in load("lobby_type.json").items()
        },
        "chat_wheel": {
            k: v["message"] for k, v in load("chat_wheel.json").items() if v.get("message")
        },
    }
    target.write_text(json.dumps(tables, sort_keys=True, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    constants_vendor(source=Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
