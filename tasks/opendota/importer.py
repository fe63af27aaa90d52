"""Save OpenDota-format match JSON into yasp's collections, idempotently."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymongo import ReplaceOne, UpdateOne
from pymongo.database import Database

from tasks.matches.documents import player_rows
from tasks.opendota.documents import Imported, documents_from_json
from tasks.storage.schema import (
    MATCHES,
    PARSED_MATCHES,
    PLAYER_MATCHES,
    PLAYERS,
    PRIORITY_TRACKED,
    STAGE_PARSE_WAIT,
    STAGE_PARSED,
    STAGE_SALT_WAIT,
)

log = logging.getLogger(__name__)

SOURCE = "opendota"


@dataclass(frozen=True)
class ImportResult:
    """What one file contributed."""

    match_id: int
    match_saved: bool
    player_rows: int
    parsed_saved: bool


def match_import(*, db: Database, body: dict[str, Any]) -> ImportResult:
    """Save the match, its player rows and its parsed data found in `body`; safe to repeat."""
    imported = documents_from_json(body)
    now = time.time()
    parsed_saved = _parsed_save(db=db, imported=imported, now=now)
    rows = 0
    if imported.match is not None:
        rows = _match_save(db=db, imported=imported, now=now)
    if parsed_saved or db[PARSED_MATCHES].count_documents({"_id": imported.match_id}, limit=1):
        # Data from any source that holds the parsed fields ends the match's pipeline.
        db[MATCHES].update_one(
            {"_id": imported.match_id}, {"$set": {"stage": STAGE_PARSED, "updated_at": now}}
        )
    return ImportResult(imported.match_id, imported.match is not None, rows, parsed_saved)


def file_import(*, db: Database, path: Path) -> ImportResult:
    """Import one JSON file."""
    with open(path, encoding="utf-8") as handle:
        body = json.load(handle)
    return match_import(db=db, body=body)


def _match_save(*, db: Database, imported: Imported, now: float) -> int:
    match = dict(imported.match or {})
    match_id = imported.match_id
    match.pop("_id", None)
    stage = STAGE_PARSE_WAIT if match.get("replay_salt") else STAGE_SALT_WAIT
    # A match we already hold (from Valve's own API) keeps its document; only a new one is
    # created from the import, marked with where it came from.
    db[MATCHES].update_one(
        {"_id": match_id},
        {
            "$setOnInsert": {
                **match, "source": SOURCE, "stage": stage,
                "priority": PRIORITY_TRACKED, "created_at": now,
            },
        },
        upsert=True,
    )  # fmt: skip
    rows = player_rows(match | {"match_id": match_id})
    if rows:
        db[PLAYER_MATCHES].bulk_write([ReplaceOne({"_id": r["_id"]}, r, upsert=True) for r in rows])
    names = [
        UpdateOne({"_id": account_id}, {"$setOnInsert": {"personaname": name}}, upsert=True)
        for account_id, name in imported.personanames.items()
    ]
    if names:
        db[PLAYERS].bulk_write(names, ordered=False)
    return len(rows)


def _parsed_save(*, db: Database, imported: Imported, now: float) -> bool:
    if imported.parsed is None:
        return False
    existing = db[PARSED_MATCHES].find_one({"_id": imported.match_id}, {"source": 1})
    if existing and existing.get("source") == "replay":
        # Our own replay parse is authoritative; an imported copy never replaces it.
        log.info("match %s already parsed from its replay; import skipped", imported.match_id)
        return False
    document = {**imported.parsed, "source": SOURCE, "imported_at": now}
    db[PARSED_MATCHES].replace_one({"_id": imported.match_id}, document, upsert=True)
    return True
