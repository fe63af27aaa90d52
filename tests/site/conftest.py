"""Fixtures of the site tests: the real embedded MongoDB loaded with real matches, and Django."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "site"), str(REPO)]

_TMP = Path(tempfile.mkdtemp(prefix="yasp-site-tests-"))
os.environ.setdefault("YASP_HOME", str(_TMP / "home"))
os.environ["YASP_MONGO_DB"] = "yasp_site_tests"
os.environ["YASP_SITE_SQLITE"] = str(_TMP / "site.sqlite3")
os.environ["YASP_SITE_SECRET_KEY"] = "site-tests-only"
os.environ["YASP_SITE_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ["YASP_SITE_STATIC_ROOT"] = str(_TMP / "static")
os.environ["DJANGO_SETTINGS_MODULE"] = "yasp_web.settings"

from tasks.config import settings as yasp_settings  # noqa: E402

yasp_settings.cache_clear()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tasks.opendota.importer import file_import  # noqa: E402
from tasks.storage.mongo import database  # noqa: E402
from tasks.storage.schema import MATCHES, PARSED_MATCHES, PLAYERS, SCANNER  # noqa: E402

DATA = yasp_settings().data_dir
PARSED_MATCH_ID = 7490235544
UNPARSED_MATCH_ID = 8821954344  # OpenDota never parsed it; it carries its replay salt
EXPIRED_MATCH_ID = 3254426673  # 2017, never parsed: its replay is long gone
FAILED_MATCH_ID = 6638511907
HOSTILE_NAME = '<script>alert("name")</script>'
HOSTILE_CHAT = "<script>alert('chat')</script>"
HERO_PLAYER = 124801257  # slot 0 of the parsed match, Lifestealer

setup_test_environment()
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)


def _import(*relative: str) -> None:
    for path in relative:
        file_import(db=database(), path=DATA / path)


@pytest.fixture(scope="session")
def db():
    """The yasp test database with real matches imported once for the whole run."""
    mongo = database()
    for name in mongo.list_collection_names():
        mongo.drop_collection(name)
    _import(
        "opendota/7490235544_parsed.json",
        "steam-webapi/GetMatchDetails/odota_core_7490235544_api.json",
        "opendota/gem-dota/8821954344.opendota.json",
        "steam-webapi/GetMatchDetails/odota_core_details_api_pro_3254426673.json",
        "steam-webapi/GetMatchDetails/dotastater_2022_details_6638511907.json",
    )
    mongo[MATCHES].update_one(
        {"_id": FAILED_MATCH_ID},
        {"$set": {"stage": "failed", "failed_stage": "parse",
                  "stage_reason": "replay corrupt: <truncated bzip2 stream>"}},
    )  # fmt: skip
    # A hostile player name and chat line, to prove pages escape what players write.
    mongo[PLAYERS].update_one(
        {"_id": HERO_PLAYER},
        {"$set": {"personaname": HOSTILE_NAME, "rank_tier": 75, "leaderboard_rank": None,
                  "rank_history": [{"at": "2023-12-01", "rank_tier": 74},
                                   {"at": "2023-12-16", "rank_tier": 75}]}},
        upsert=True,
    )  # fmt: skip
    parsed = mongo[PARSED_MATCHES].find_one({"_id": PARSED_MATCH_ID})
    parsed["chat"].append({"time": 2000, "type": "chat", "key": HOSTILE_CHAT, "slot": 0,
                           "player_slot": 0, "unit": HOSTILE_NAME})  # fmt: skip
    mongo[PARSED_MATCHES].replace_one({"_id": PARSED_MATCH_ID}, parsed)
    mongo[SCANNER].replace_one(
        {"_id": "sequence"},
        {"_id": "sequence", "next_seq": 6303575075, "updated_at": time.time(),
         "last_match_start_time": int(time.time()) - 95},
        upsert=True,
    )  # fmt: skip
    return mongo


@pytest.fixture
def client(db) -> Client:
    """A Django test client over the loaded database."""
    return Client()
