"""The OpenDota importer on the real files: documents, rows, provenance, idempotence."""

from __future__ import annotations

from conftest import DATA, PARSED_MATCH_ID, UNPARSED_MATCH_ID

from tasks.opendota.import_cli import main
from tasks.opendota.importer import file_import
from tasks.storage.schema import MATCHES, PARSED_MATCHES, PLAYER_MATCHES, player_match_id


def test_imported_parsed_match_is_marked_parsed_with_opendota_provenance(db):
    assert db[MATCHES].find_one({"_id": PARSED_MATCH_ID})["stage"] == "parsed"
    parsed = db[PARSED_MATCHES].find_one({"_id": PARSED_MATCH_ID})
    assert parsed["source"] == "opendota" and parsed["version"] == 21
    assert [p["player_slot"] for p in parsed["players"]] == [0, 1, 2, 3, 4, 128, 129, 130, 131, 132]
    assert len(parsed["players"][0]["gold_t"]) == 46


def test_player_rows_carry_the_match_fields_and_the_result(db):
    row = db[PLAYER_MATCHES].find_one({"_id": player_match_id(PARSED_MATCH_ID, 128)})
    assert row["account_id"] and row["win"] is False and row["game_mode"] == 2
    assert row["leaver_status"] == 0 and row["duration"] == 2846


def test_opendota_match_document_keeps_valve_fields_only(db):
    match = db[MATCHES].find_one({"_id": UNPARSED_MATCH_ID})
    assert "od_data" not in match and "benchmarks" not in match["players"][0]
    assert match["replay_salt"] == 416769358 and match["stage"] == "parse_wait"
    assert isinstance(match["radiant_logo"], str)  # beyond 64-bit ints, kept as text


def test_importing_twice_changes_nothing(db):
    before = db[PLAYER_MATCHES].count_documents({})
    for name in ("opendota/7490235544_parsed.json", "opendota/gem-dota/8821954344.opendota.json"):
        file_import(db=db, path=DATA / name)
    assert db[PLAYER_MATCHES].count_documents({}) == before
    assert db[PARSED_MATCHES].count_documents({"_id": PARSED_MATCH_ID}) == 1


def test_import_cli_reports_files_that_are_not_matches(db):
    assert main([str(DATA / "opendota/gem-dota/manifest.json")]) == 1
