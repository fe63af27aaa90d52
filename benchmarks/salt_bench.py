"""Overhead per salt request: salt-fetch flow -> retriever HTTP -> recorded GC -> MongoDB.

Run: `.venv/bin/python benchmarks/salt_bench.py [matches]`. Starts its own embedded
MongoDB, an offline retriever process and a temporary Prefect server, all on loopback.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _retriever_start(work: Path, port: int) -> subprocess.Popen:
    (work / "accounts.txt").write_text("".join(f"bench{n}:bench-password-{n}\n" for n in range(6)))
    (work / "script.json").write_text(json.dumps({"default": "like:7490235544"}))
    env = dict(os.environ)
    env.update(
        YASP_RETRIEVER_OFFLINE="1",
        YASP_RETRIEVER_HOST_NAME="bench",
        YASP_RETRIEVER_PORT=str(port),
        YASP_RETRIEVER_ACCOUNTS_FILE=str(work / "accounts.txt"),
        YASP_RETRIEVER_STATE_DIR=str(work / "state"),
        YASP_RETRIEVER_STANDIN_SCRIPT=str(work / "script.json"),
        YASP_RETRIEVER_REQUEST_GAP="0",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "tasks.retriever.serve"],
        cwd=REPO_ROOT,
        env=env,
        stdout=open(work / "retriever.log", "wb"),
        stderr=subprocess.STDOUT,
    )
    import httpx

    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").json()["accounts_ready"] == 6:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("retriever did not start")


def main(count: int) -> None:
    """Time `count` salt fetches through the whole path and through its parts."""
    work = Path(tempfile.mkdtemp(prefix="salt-bench-"))
    port = _free_port()
    os.environ.update(
        YASP_HOME=str(work / "home"),
        YASP_RETRIEVER_HOSTS=f"bench=http://127.0.0.1:{port}",
        PREFECT_HOME=str(work / "prefect"),
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    os.environ.pop("YASP_MONGO_URL", None)
    from prefect.testing.utilities import prefect_test_harness

    from flows.salts import salts_fetch
    from tasks.retriever.answers import salt_outcome
    from tasks.retriever.client import match_details_fetch
    from tasks.retriever.matches import salt_record
    from tasks.storage.mongo import database, server_stop
    from tasks.storage.schema import MATCHES

    retriever = _retriever_start(work, port)
    url = f"http://127.0.0.1:{port}"
    db = database()
    try:
        ids = list(range(1, count + 1))
        db[MATCHES].insert_many([{"_id": m, "stage": "salt_wait", "priority": 2} for m in ids])
        with prefect_test_harness(server_startup_timeout=120):
            salts_fetch("bench", ids[:2])  # warm-up: first flow run pays for imports
            db[MATCHES].update_many({}, {"$set": {"stage": "salt_wait"}})
            started = time.perf_counter()
            counts = salts_fetch("bench", ids)
            flow_ms = (time.perf_counter() - started) * 1000 / count

        started = time.perf_counter()
        answers = [match_details_fetch(url, m, 30) for m in ids]
        http_ms = (time.perf_counter() - started) * 1000 / count
        db[MATCHES].update_many({}, {"$set": {"stage": "salt_wait"}})
        started = time.perf_counter()
        for answer in answers:
            salt_record(db, answer["match_id"], salt_outcome(answer), answer["account"])
        save_ms = (time.perf_counter() - started) * 1000 / count
    finally:
        retriever.terminate()
        retriever.wait()
        server_stop()

    print(f"salt requests: {count} ({counts})")
    print(f"  whole path (flow task -> retriever HTTP -> GC stand-in -> saved): {flow_ms:.1f} ms")
    print(f"  retriever HTTP round trip incl. quota bookkeeping:              {http_ms:.1f} ms")
    print(f"  classify + save on the match (embedded MongoDB):                {save_ms:.1f} ms")
    overhead_ms = flow_ms - http_ms - save_ms
    print(f"  Prefect task overhead (whole - HTTP - save):                    {overhead_ms:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
