"""Drive the bundled real data through the running local stack and account for every match."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from pymongo.database import Database

from flows.cli import DEMO_ACCOUNT_IDS as SCAN_DEMO_ACCOUNT_IDS
from infra.local.stack import REQUESTED_MATCH_ID, LocalStack
from tasks.matches.requests import match_request
from tasks.players.tracking import player_track
from tasks.storage.schema import (
    MATCHES,
    PARSED_MATCHES,
    STAGE_FAILED,
    STAGE_PARSE_WAIT,
    STAGE_SALT_WAIT,
)

# The scan demo's players plus the player in slot 0 of match 1781962623, whose recorded GC
# answer says its replay expired.
DEMO_ACCOUNT_IDS = (*SCAN_DEMO_ACCOUNT_IDS, 120269134)
WAITING = (STAGE_SALT_WAIT, STAGE_PARSE_WAIT)
SETTLE_SECONDS = 8.0
STALE_SECONDS = 180
ATTEMPTS = 14


@dataclass(frozen=True)
class MatchAccount:
    """What happened to one match at each stage."""

    match_id: int
    kept: str
    salt: str
    parse: str
    stage: str

    def line(self) -> str:
        return f"  {self.match_id:<11} {self.kept:<10} {self.salt:<40} {self.parse}"


def _prefect(stack: LocalStack, method: str, path: str, body: dict | None = None) -> Any:
    # A busy local Prefect server (SQLite) answers 503 now and then, for a minute or more
    # right after a restart while it catches up on missed schedules: keep trying for ~3 min.
    for attempt in range(ATTEMPTS):
        try:
            response = httpx.request(
                method, f"{stack.prefect_api}{path}", json=body, timeout=30, trust_env=False
            )
            if response.status_code < 500:
                response.raise_for_status()
                return response.json()
        except httpx.TransportError:
            if attempt == ATTEMPTS - 1:
                raise
        time.sleep(min(20.0, 0.5 * 2**attempt))
    response.raise_for_status()
    return response.json()


def deployment_run(stack: LocalStack, name: str, parameters: dict[str, Any] | None = None) -> str:
    """Create a flow run of deployment `flow/deployment`; its id."""
    deployment = _prefect(stack, "GET", f"/deployments/name/{name}")
    run = _prefect(
        stack, "POST", f"/deployments/{deployment['id']}/create_flow_run",
        {"parameters": parameters or {}},
    )  # fmt: skip
    return run["id"]


# The flows that move matches between stages; the live scan's schedule runs on its own.
CHAIN_FLOWS = ["salts-dispatch", "salts-fetch", "parse-queue", "parse-match", "opendota-fallback"]


def active_flow_runs(stack: LocalStack) -> int:
    """Runs of the chain's flows that are running, or pending or due in the last 3 minutes.

    A run a dead worker had claimed stays Pending for good; the stage it would have worked
    on is still in MongoDB, so after a while it no longer counts.
    """
    now = time.time()
    stamp = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))  # noqa: E731
    flows = {"name": {"any_": CHAIN_FLOWS}}
    running = _prefect(stack, "POST", "/flow_runs/count", {
        "flows": flows, "flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}},
    })  # fmt: skip
    waiting = _prefect(stack, "POST", "/flow_runs/count", {
        "flows": flows,
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED", "PENDING"]}},
                      "expected_start_time": {"before_": stamp(now),
                                              "after_": stamp(now - STALE_SECONDS)}},
    })  # fmt: skip
    return int(running) + int(waiting)


def demo_start(stack: LocalStack, db: Database, first_seq: int) -> None:
    """Track the demo players, request a parse, and start the scan as the schedule would."""
    for account_id in DEMO_ACCOUNT_IDS:
        player_track(db, account_id=account_id, permanent=True)
    match_request(db, match_id=REQUESTED_MATCH_ID)
    deployment_run(
        stack,
        "sequence-scan/live",
        {"start_seq": first_seq, "max_pages": 20, "stop_when_caught_up": True},
    )
    deployment_run(stack, "salts-dispatch/dispatch")  # as the site does for a request


def _waiting(db: Database) -> int:
    return db[MATCHES].count_documents({"stage": {"$in": list(WAITING)}})


def pipeline_wait(stack: LocalStack, db: Database, *, timeout: float, log: Any = print) -> bool:
    """Wait until no match waits for a stage and no flow run is due; False on timeout."""
    deadline = time.monotonic() + timeout
    quiet_since: float | None = None
    last = ""
    while time.monotonic() < deadline:
        dead = stack.supervisor.check()
        if dead:
            raise RuntimeError(f"stopped unexpectedly: {', '.join(dead)} (see logs)")
        stages = stage_counts(db)
        summary = ", ".join(f"{stage} {count}" for stage, count in sorted(stages.items()))
        if summary != last:
            log(f"  [{time.strftime('%H:%M:%S')}] matches: {summary or 'none yet'}")
            last = summary
        busy = _waiting(db) > 0 or active_flow_runs(stack) > 0 or not stages
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLE_SECONDS:
            return True
        time.sleep(1.0)
    return False


def stage_counts(db: Database) -> dict[str, int]:
    """Matches per stage."""
    counts: dict[str, int] = {}
    for doc in db[MATCHES].find({}, {"stage": 1}):
        counts[doc.get("stage", "?")] = counts.get(doc.get("stage", "?"), 0) + 1
    return counts


def match_accounts(db: Database) -> list[MatchAccount]:
    """Every stored match with what each stage did to it, most urgent first."""
    parsed_sources = {
        doc["_id"]: doc.get("source", "?") for doc in db[PARSED_MATCHES].find({}, {"source": 1})
    }
    accounts = []
    for match in db[MATCHES].find({}).sort([("priority", 1), ("_id", 1)]):
        failed_at = match.get("failed_stage") if match.get("stage") == STAGE_FAILED else None
        reason = match.get("stage_reason", "")
        if match.get("replay_salt") is not None:
            salt = f"cluster {match.get('cluster')}, salt {match['replay_salt']}"
            if failed_at == "salt":
                salt += f" ({reason})"
        elif failed_at == "salt":
            salt = f"no salt: {reason}"
        else:
            salt = "waiting" if match.get("stage") == STAGE_SALT_WAIT else "-"
        if match["_id"] in parsed_sources:
            parse = f"parsed (from {parsed_sources[match['_id']]})"
        elif failed_at == "parse":
            parse = f"failed: {reason}"
        elif failed_at == "salt":
            parse = "not attempted"
            if match.get("opendota_reason"):
                parse += f"; OpenDota: {match['opendota_reason']}"
        else:
            parse = match.get("stage", "?")
        kept = "requested" if match.get("priority") == 0 else match.get("kept_reason", "?")
        accounts.append(MatchAccount(match["_id"], kept, salt, parse, match.get("stage", "?")))
    return accounts


def final_states(db: Database) -> dict[int, tuple[str, str]]:
    """Each match's last stage and why: the parsed data's source, or the failure reason."""
    sources = {doc["_id"]: doc.get("source") for doc in db[PARSED_MATCHES].find({}, {"source": 1})}
    return {
        match["_id"]: (match.get("stage"), sources.get(match["_id"]) or match.get("stage_reason"))
        for match in db[MATCHES].find({}, {"stage": 1, "stage_reason": 1})
    }


def pipeline_run(
    stack: LocalStack, db: Database, first_seq: int, *, timeout: float, log: Any = print
) -> bool:
    """Scan, salts and parses until quiet, then the opted-in OpenDota fallback; True if done."""
    started = time.monotonic()
    demo_start(stack, db, first_seq)
    if not pipeline_wait(stack, db, timeout=timeout, log=log):
        return False
    if "YASP_OPENDOTA_URL" in stack.env:
        log("  replays that expired unparsed: asking the OpenDota stand-in (opendota-fallback)")
        deployment_run(stack, "opendota-fallback/fallback", {"limit": 60})
        left = timeout - (time.monotonic() - started)
        return pipeline_wait(stack, db, timeout=max(left, 60), log=log)
    return True
