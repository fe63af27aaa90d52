"""The status page."""

from __future__ import annotations


def test_status_page_shows_scanner_lag_stages_rates_and_no_retriever(client):
    response = client.get("/status/")
    assert response.status_code == 200
    assert 90 <= response.context["scanner"]["lag_s"] <= 200
    stages = {s["stage"]: s["count"] for s in response.context["stages"]}
    assert stages["parsed"] >= 1 and stages["failed"] == 1
    assert set(response.context["rates"]) == {
        "parsed_hour",
        "parsed_day",
        "salts_hour",
        "salts_day",
    }
    assert b"No retriever reported." in response.content


def test_status_page_lists_what_retriever_hosts_report(client, db):
    db["retriever_hosts"].replace_one(
        {"_id": "retriever-1"},
        {"_id": "retriever-1", "quota_left": 412, "accounts": 5},
        upsert=True,
    )
    try:
        response = client.get("/status/")
        assert response.context["hosts"] == [
            {"host": "retriever-1", "fields": [("accounts", "5"), ("quota_left", "412")]}
        ]
    finally:
        db.drop_collection("retriever_hosts")
