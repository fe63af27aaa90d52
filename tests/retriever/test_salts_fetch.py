"""The salt-fetch flow against a real retriever process: answers land on the match."""

from __future__ import annotations

import threading
import time

from flows.salts import salts_fetch
from tasks.storage.schema import MATCHES
from tests.retriever.conftest import matches_insert


def test_a_batch_records_salts_and_never_retries_final_answers(
    db, prefect_api, retriever_start, salt_settings
) -> None:
    retriever = retriever_start(
        script={
            "matches": {
                "101": {"answer": "result:15"},
                "102": {"answer": "result:2"},
                "103": {"answer": "no_salt"},
                "104": {"answer": "like:8821954344"},
            }
        }
    )
    salt_settings(retriever_hosts=f"alpha={retriever.url}")
    ids = [7490235544, 1781962623, 101, 102, 103, 104]
    matches_insert(db, ids)

    counts = salts_fetch("alpha", ids)

    docs = {d["_id"]: d for d in db[MATCHES].find({})}
    assert docs[7490235544]["stage"] == "parse_wait"
    assert (docs[7490235544]["cluster"], docs[7490235544]["replay_salt"]) == (153, 447089001)
    assert docs[104]["stage"] == "parse_wait"
    assert (docs[104]["cluster"], docs[104]["replay_salt"]) == (272, 416769358)
    assert docs[1781962623]["stage_reason"] == "replay_expired"
    assert docs[1781962623]["replay_state"] == "REPLAY_EXPIRED"
    assert {docs[m]["stage_reason"] for m in (101, 102, 103)} == {
        "gc_blocked",
        "gc_not_found",
        "no_salt",
    }
    assert all(docs[m]["failed_stage"] == "salt" for m in (101, 102, 103, 1781962623))
    assert retriever.stats()["counts"]["sent"] == len(ids)
    assert counts == {
        "salted": 2,
        "replay_expired": 1,
        "gc_blocked": 1,
        "gc_not_found": 1,
        "no_salt": 1,
    }


def test_a_gc_timeout_is_retried_then_left_waiting(
    db, prefect_api, retriever_start, salt_settings
) -> None:
    retriever = retriever_start(script={"matches": {"201": {"answer": "timeout"}}})
    salt_settings(retriever_hosts=f"alpha={retriever.url}", salt_retries=2)
    matches_insert(db, [201])

    counts = salts_fetch("alpha", [201])

    doc = db[MATCHES].find_one({"_id": 201})
    assert counts == {"retry_later": 1}
    assert doc["stage"] == "salt_wait"
    assert "salt_lease_until" not in doc
    assert "gc_timeout" in doc["salt_last_error"]
    assert retriever.stats()["counts"]["timeouts"] == 3


def test_a_retriever_killed_mid_request_leaves_the_match_retryable(
    db, prefect_api, retriever_start, salt_settings
) -> None:
    retriever = retriever_start(script={"matches": {"301": {"answer": "recorded", "delay": 0.9}}})
    retriever.script_set({"matches": {"301": {"answer": "like:7490235544", "delay": 0.9}}})
    salt_settings(retriever_hosts=f"alpha={retriever.url}", salt_retries=0)
    matches_insert(db, [301])
    result: dict = {}
    run = threading.Thread(target=lambda: result.update(salts_fetch("alpha", [301])))
    run.start()
    deadline = time.monotonic() + 30
    while retriever.stats()["counts"]["sent"] < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    retriever.kill()
    run.join(timeout=60)

    doc = db[MATCHES].find_one({"_id": 301})
    assert result == {"retry_later": 1}
    assert doc["stage"] == "salt_wait"
    assert "replay_salt" not in doc
    assert "unreachable" in doc["salt_last_error"]

    retriever.script_set({"matches": {"301": {"answer": "like:7490235544"}}})
    retriever.start()
    assert salts_fetch("alpha", [301]) == {"salted": 1}
    assert db[MATCHES].find_one({"_id": 301})["stage"] == "parse_wait"
