"""Steam passwords never reach a log, an API answer, the quota file or a flow artifact."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from flows.salts import salts_fetch
from tasks.retriever.session import SteamAccount, steam_accounts_read
from tests.retriever.conftest import PASSWORDS, matches_insert


def test_an_account_prints_without_its_password() -> None:
    account = SteamAccount("alice", PASSWORDS["alice"])
    assert PASSWORDS["alice"] not in repr(account)
    assert PASSWORDS["alice"] not in str(account)


def test_a_malformed_accounts_file_is_reported_without_its_content(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.txt"
    accounts.write_text(f"alice:{PASSWORDS['alice']}\nbob{PASSWORDS['bob']}\n")
    with pytest.raises(ValueError) as error:
        steam_accounts_read(accounts, None)
    assert "entry 2" in str(error.value)
    assert PASSWORDS["bob"] not in str(error.value)


def test_no_password_appears_in_logs_answers_state_or_artifacts(
    db, prefect_api, retriever_start, salt_settings
) -> None:
    retriever = retriever_start(
        script={"login_fail": ["bob"], "default": "like:7490235544"}, min_ready=1
    )
    salt_settings(retriever_hosts=f"alpha={retriever.url}")
    matches_insert(db, [401, 402])
    salts_fetch("alpha", [401, 402])
    answers = [
        httpx.get(f"{retriever.url}{path}", timeout=10).text
        for path in ("/health", "/match/7490235544", "/profile/120269134", "/nowhere")
    ]
    retriever.stop()

    written = [retriever.log_path.read_bytes()]
    written += [p.read_bytes() for p in retriever.state_dir.rglob("*") if p.is_file()]
    assert b"Steam login of bob failed" in written[0]
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        artifacts = [str(a.data) for a in client.read_artifacts()]
    documents = [str(d) for d in db["matches"].find({})]
    for password in PASSWORDS.values():
        assert all(password.encode() not in blob for blob in written)
        assert all(password not in text for text in answers + artifacts + documents)
