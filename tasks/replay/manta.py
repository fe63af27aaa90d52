"""A thin binding to python-manta's Go library, called directly to control memory and input.

python-manta's `Parser.parse` reads the first bytes of the path itself (breaking pipes),
validates into models that reject replays without a player list, and never frees the
returned string; calling the exported `Parse` function avoids all three.
"""

from __future__ import annotations

import ctypes
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

# Combat-log types the parsed document reads (values of DOTA_COMBATLOG_TYPES).
COMBAT_LOG_TYPES = [0, 1, 4, 5, 6, 8, 9, 10, 11, 12, 15, 16]

PARSE_CONFIG: dict[str, Any] = {
    "header": {"enabled": True},
    "game_info": {"enabled": True},
    "combat_log": {"types": COMBAT_LOG_TYPES},
    "messages": {"filter": "CDOTAUserMsg_Chat"},
    "wards": {},
    # One snapshot per second of game clock (30 ticks); per-minute values are picked later.
    "entities": {"interval_ticks": 30},
}


@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    import python_manta

    library = ctypes.CDLL(str(Path(python_manta.__file__).parent / "libmanta_wrapper.so"))
    library.Parse.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    library.Parse.restype = ctypes.c_void_p
    library.FreeString.argtypes = [ctypes.c_void_p]
    library.FreeString.restype = None
    return library


def manta_version() -> str:
    """The installed python-manta version."""
    from importlib.metadata import version

    return version("python-manta")


def manta_parse(path: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run one single-pass parse of the .dem at `path`; the result as manta's JSON dict."""
    library = _library()
    pointer = library.Parse(path.encode(), json.dumps(config or PARSE_CONFIG).encode())
    if not pointer:
        return {"success": False, "error": "parser returned nothing"}
    try:
        return json.loads(ctypes.string_at(pointer))
    finally:
        library.FreeString(pointer)
