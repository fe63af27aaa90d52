"""The whole pipeline on one machine: every service on loopback, deployed from prefect.yaml.

`yasp up` starts, in order: the embedded MongoDB, the stand-ins for Valve (Web API, replay
host) and OpenDota serving the recorded real data, a Prefect server with its UI, this
host's retriever (offline GC session), deployments from `prefect.yaml`, one worker per
work pool, and the Django site under gunicorn. Stopping it stops all of them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from infra.local.processes import (
    Supervisor,
    free_port,
    preferred_port,
    python_module,
    wait_http,
)
from standins.replay_cdn import ReplayCdn
from standins.steam_webapi import SteamWebApiStandIn
from tasks.config import REPO_ROOT, settings
from tasks.storage import embedded

SHARED_POOLS = ("scan", "parse", "maintenance")


@dataclass(frozen=True)
class RetrieverHost:
    """One retriever "host": its own process, address, quota ledger and work pool."""

    name: str = "local"
    bind: str = "127.0.0.1"
    host_daily_limit: int = 500
    # Extra per-match GC answers for this host's offline session (delays, failures).
    gc_matches: tuple[tuple[int, str, float], ...] = ()

    @property
    def pool(self) -> str:
        return f"retriever-{self.name}"


# The one real Source 2 replay we have: a client recording of a bot lobby whose game state
# says match 3223722713. No GC recording exists for it, so the offline GC answers it with
# the recorded salt of match 7490235544, and the replay host serves the file under it.
REQUESTED_MATCH_ID = 3223722713
REQUESTED_MATCH_SALT_FROM = 7490235544
BOT_LOBBY_REPLAY = Path("replays") / "client-bot-lobby-2024.server-path.dem.bz2"


RETRIEVER_DEPLOYMENT = "retriever-{{ $YASP_RETRIEVER_HOST_NAME }}"
HEARTBEAT_SECONDS = 30  # the least Prefect allows
CRASH_AFTER_SECONDS = 75  # two missed heartbeats and some slack
AUTOMATIONS_DIR = REPO_ROOT / "infra" / "automations"


def automations_create(prefect_api: str, *, crash_after_seconds: int | None = None) -> None:
    """Create the automations in infra/automations that the server does not have yet."""
    import yaml

    existing = httpx.post(f"{prefect_api}/automations/filter", json={}, timeout=30, trust_env=False)
    existing.raise_for_status()
    names = {automation["name"] for automation in existing.json()}
    for path in sorted(AUTOMATIONS_DIR.glob("*.yaml")):
        for automation in yaml.safe_load(path.read_text())["automations"]:
            if automation["name"] in names:
                continue
            if crash_after_seconds and "prefect.flow-run.heartbeat" in automation["trigger"].get(
                "after", []
            ):
                automation["trigger"]["within"] = crash_after_seconds
            response = httpx.post(
                f"{prefect_api}/automations/", json=automation, timeout=30, trust_env=False
            )
            if response.status_code >= 400:
                raise RuntimeError(f"automation {automation['name']}: {response.text}")


@dataclass
class LocalStack:
    """What `stack_start` started and how to reach it."""

    home: Path
    supervisor: Supervisor
    env: dict[str, str] = field(default_factory=dict)
    mongo: embedded.EmbeddedServer | None = None
    mongo_started: bool = False
    threads: list[Any] = field(default_factory=list)
    prefect_url: str = ""
    site_url: str = ""
    retriever_urls: dict[str, str] = field(default_factory=dict)
    retriever_envs: dict[str, dict[str, str]] = field(default_factory=dict)
    worker_envs: dict[str, dict[str, str]] = field(default_factory=dict)

    def worker_start(self, pool: str) -> None:
        """(Re)start the worker of a work pool."""
        self.supervisor.start(
            f"worker-{pool}",
            python_module("prefect", "worker", "start", "--pool", pool, "--type", "process"),
            self.worker_envs.get(pool, self.env), REPO_ROOT,
        )  # fmt: skip

    def retriever_start(self, host: str) -> None:
        """(Re)start a host's retriever and wait until it answers."""
        process = self.supervisor.start(
            f"retriever-{host}", python_module("tasks.retriever.serve"),
            self.retriever_envs[host], REPO_ROOT,
        )  # fmt: skip
        wait_http(f"{self.retriever_urls[host]}/health", timeout=60, process=process)

    @property
    def prefect_api(self) -> str:
        return f"{self.prefect_url}/api"

    def stop(self) -> None:
        """Stop every process and server this stack started; nothing is left running."""
        self.supervisor.stop()
        for server in self.threads:
            server.stop()
        self.threads.clear()
        if self.mongo is not None and self.mongo_started:
            self.mongo.stop()
        self.mongo = None


def _replay_host_root(home: Path) -> Path:
    root = home / "replay-host"
    root.mkdir(parents=True, exist_ok=True)
    salt = _recorded_salt(REQUESTED_MATCH_SALT_FROM)
    target = root / f"{REQUESTED_MATCH_ID}_{salt}.dem.bz2"
    if not target.exists():
        shutil.copyfile(settings().data_dir / BOT_LOBBY_REPLAY, target)
    return root


def _recorded_salt(match_id: int) -> int:
    from standins.gc import recorded_match_details

    return int(recorded_match_details(settings().data_dir)[match_id]["match"]["replay_salt"])


def _gc_script(home: Path, host: RetrieverHost) -> Path:
    path = home / f"gc-script-{host.name}.json"
    matches: dict[str, dict[str, Any]] = {
        str(REQUESTED_MATCH_ID): {"answer": f"like:{REQUESTED_MATCH_SALT_FROM}"}
    }
    for match_id, answer, delay in host.gc_matches:
        matches[str(match_id)] = {"answer": answer, "delay": delay}
    path.write_text(json.dumps({"matches": matches}))
    return path


def _opendota_standin() -> Any | None:
    try:
        from standins.opendota import OpenDotaStandIn
    except ImportError:
        return None
    return OpenDotaStandIn(settings().data_dir).start()


def stack_start(
    home: Path,
    *,
    retrievers: tuple[RetrieverHost, ...] = (RetrieverHost(),),
    failpoints: dict[str, str] | None = None,
    settings_extra: dict[str, str] | None = None,
    site: bool = True,
    log: Any = print,
) -> LocalStack:
    """Start every service of the pipeline on loopback; returns once all answer.

    Args:
        home: state directory (MongoDB data, Prefect database, logs).
        retrievers: the retriever hosts, each with its own address, quota and work pool.
        failpoints: `YASP_FAILPOINTS` per work pool, for crash tests.
        settings_extra: more environment for every process (tests tune settings here).
        site: also start the Django site.
    """
    home.mkdir(parents=True, exist_ok=True)
    stack = LocalStack(home=home, supervisor=Supervisor(home / "logs"))
    try:
        _start(stack, retrievers, failpoints or {}, settings_extra or {}, site, log)
    except BaseException:
        stack.stop()
        raise
    return stack


def _start(
    stack: LocalStack,
    retrievers: tuple[RetrieverHost, ...],
    failpoints: dict[str, str],
    settings_extra: dict[str, str],
    site: bool,
    log: Any,
) -> None:
    home = stack.home
    mongo_home = home / "stack-mongo"
    existing = embedded.running_server(mongo_home)
    stack.mongo = existing or embedded.server_start(mongo_home)
    stack.mongo_started = existing is None
    log(f"MongoDB (embedded nx-27017)   {stack.mongo.url}  data in {stack.mongo.data_dir}")

    webapi = SteamWebApiStandIn(with_details=True).start()
    replays = ReplayCdn(_replay_host_root(home)).start()
    stack.threads += [webapi, replays]
    opendota = _opendota_standin()
    if opendota is not None:
        stack.threads.append(opendota)
    log(f"Steam Web API stand-in        {webapi.url}  ({len(webapi.matches)} recorded matches)")
    log(f"replay host stand-in          {replays.base_url}")

    prefect_port = preferred_port(4200)
    stack.prefect_url = f"http://127.0.0.1:{prefect_port}"
    for host in retrievers:
        stack.retriever_urls[host.name] = f"http://{host.bind}:{free_port(host.bind)}"
    stack.env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "YASP_ROOT": str(REPO_ROOT),
        "YASP_HOME": str(home),
        "YASP_DATA_DIR": str(settings().data_dir),
        "YASP_MONGO_URL": stack.mongo.url,
        "YASP_MONGO_DB": settings().mongo_db,
        "YASP_STEAM_API_URL": webapi.url,
        "YASP_STEAM_API_KEYS": "offline",
        "YASP_SCAN_PAGE_INTERVAL": "0.5",
        "YASP_REPLAY_BASE_URL": replays.base_url,
        # Recorded replays are there or never will be: a 404 is final at once here.
        "YASP_REPLAY_MISSING_WINDOW": "0",
        "YASP_RETRIEVER_HOSTS": ",".join(f"{k}={v}" for k, v in stack.retriever_urls.items()),
        "YASP_SALT_RETRY_DELAYS": "[1, 2, 5]",
        "PREFECT_API_URL": f"{stack.prefect_url}/api",
        "PREFECT_HOME": str(home / "prefect-client"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT_SECONDS),
        # A salt batch whose worker died is offered to a retriever again after this.
        "YASP_SALT_LEASE_SECONDS": "30",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    stack.env.update(settings_extra)
    if opendota is not None:
        stack.env["YASP_OPENDOTA_URL"] = opendota.url
        log(f"OpenDota API stand-in         {opendota.url}")

    server_env = {**stack.env, "PREFECT_HOME": str(home / "prefect-server")}
    server = stack.supervisor.start(
        "prefect-server",
        python_module("prefect", "server", "start", "--host", "127.0.0.1", "--port",
                      str(prefect_port)),
        server_env, REPO_ROOT,
    )  # fmt: skip
    wait_http(f"{stack.prefect_api}/health", timeout=180, process=server)
    automations_create(stack.prefect_api, crash_after_seconds=CRASH_AFTER_SECONDS)
    log(f"Prefect server and UI         {stack.prefect_url}")

    for host in retrievers:
        stack.retriever_envs[host.name] = {
            **stack.env,
            "YASP_RETRIEVER_OFFLINE": "1",
            "YASP_RETRIEVER_HOST_NAME": host.name,
            "YASP_RETRIEVER_ACCOUNTS": "offline-account-1:offline,offline-account-2:offline",
            "YASP_RETRIEVER_BIND": host.bind,
            "YASP_RETRIEVER_PORT": stack.retriever_urls[host.name].rsplit(":", 1)[1],
            "YASP_RETRIEVER_STATE_DIR": str(home / f"retriever-{host.name}"),
            "YASP_RETRIEVER_STANDIN_SCRIPT": str(_gc_script(home, host)),
            "YASP_RETRIEVER_HOST_DAILY_LIMIT": str(host.host_daily_limit),
            "YASP_RETRIEVER_REQUEST_GAP": "0.2",
        }
        stack.retriever_start(host.name)
        log(f"retriever {host.name:<19} {stack.retriever_urls[host.name]}  (offline GC)")

    pools = [*SHARED_POOLS, *(host.pool for host in retrievers)]
    for pool in pools:
        response = httpx.post(
            f"{stack.prefect_api}/work_pools/", json={"name": pool, "type": "process"},
            timeout=30, trust_env=False,
        )  # fmt: skip
        if response.status_code not in (200, 201, 409):
            raise RuntimeError(f"work pool {pool}: HTTP {response.status_code} {response.text}")
    # prefect.yaml names the retriever deployment after YASP_RETRIEVER_HOST_NAME: all
    # deployments with the first host, then that one again for each further host.
    for index, host in enumerate(retrievers):
        selection = ["--all"] if index == 0 else ["--name", RETRIEVER_DEPLOYMENT]
        stack.supervisor.run(
            f"prefect-deploy-{host.name}",
            python_module("prefect", "--no-prompt", "deploy", *selection),
            {**stack.env, "YASP_RETRIEVER_HOST_NAME": host.name}, REPO_ROOT,
        )  # fmt: skip
    log(f"deployed prefect.yaml; work pools {', '.join(pools)}")
    for pool in pools:
        stack.worker_envs[pool] = {**stack.env, "YASP_FAILPOINTS": failpoints.get(pool, "")}
        stack.worker_start(pool)

    if not site:
        return
    site_port = preferred_port(8000)
    stack.site_url = f"http://127.0.0.1:{site_port}"
    site_env = {
        **stack.env,
        "YASP_SITE_SECRET_KEY": secrets.token_urlsafe(32),
        "YASP_SITE_SQLITE": str(home / "site.sqlite3"),
        "YASP_SITE_STATIC_ROOT": str(home / "static"),
        "YASP_SITE_PARSE_DEPLOYMENT": "salts-dispatch/dispatch",
    }
    manage = [sys.executable, str(REPO_ROOT / "site" / "manage.py")]
    stack.supervisor.run("site-migrate", [*manage, "migrate", "--noinput"], site_env, REPO_ROOT)
    stack.supervisor.run(
        "site-static", [*manage, "collectstatic", "--noinput"], site_env, REPO_ROOT
    )
    site = stack.supervisor.start(
        "site",
        python_module("gunicorn", "--chdir", str(REPO_ROOT / "site"), "--workers", "2",
                      "--bind", f"127.0.0.1:{site_port}", "yasp_web.wsgi"),
        site_env, REPO_ROOT,
    )  # fmt: skip
    wait_http(f"{stack.site_url}/status/", timeout=60, process=site)
    log(f"site (gunicorn)               {stack.site_url}")
    log(f"logs                          {stack.supervisor.log_dir}")
