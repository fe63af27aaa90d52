"""`yasp`: the command line for running the pipeline and looking after it."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

from tasks.config import settings

# Real account ids from the recorded 2019 sequence page, tracked by the offline demo.
DEMO_ACCOUNT_IDS = (926048969, 143797060, 88397445)


def _account_id(text: str) -> int:
    from tasks.players.ids import account_id_from

    try:
        return account_id_from(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Dota account id or a steamid64"
        ) from None


def _whole_number(minimum: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum`, named `what` in errors."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r}: {what} must be {minimum} or more")
        return value

    return parse


_positive = _whole_number(1, "a whole number")
_seq = _whole_number(0, "a match_seq_num")


def _print_scan(summary) -> None:  # noqa: ANN001 (ScanSummary, imported lazily)
    from tasks.scan.store import cursor_seq
    from tasks.storage.mongo import database
    from tasks.storage.schema import MATCHES, PLAYER_MATCHES, STAGE_SALT_WAIT

    db = database()
    print()
    print(f"scan run ended: {summary.stopped_because or 'done'}")
    print(f"  pages read         {summary.pages}")
    print(f"  matches seen       {summary.matches}")
    print(f"  matches kept       {sum(summary.kept.values())} ({summary.matches_new} new)")
    for reason, count in sorted(summary.kept.items()):
        print(f"    kept: {reason:<19}{count}")
    print(f"  matches dropped    {sum(summary.dropped.values())}")
    for reason, count in sorted(summary.dropped.items()):
        print(f"    dropped: {reason:<16}{count}")
    print(f"  cursor             {summary.cursor_from} -> {cursor_seq(db)}")
    print(
        f"  stored             {db[MATCHES].count_documents({})} matches, "
        f"{db[PLAYER_MATCHES].count_documents({})} player rows, "
        f"{db[MATCHES].count_documents({'stage': STAGE_SALT_WAIT})} waiting for a replay salt"
    )


def command_demo(args: argparse.Namespace) -> int:
    """Run the scan offline over Valve's recorded pages, served on loopback."""
    from standins.steam_webapi import SteamWebApiStandIn

    with SteamWebApiStandIn() as standin:
        os.environ.update(
            YASP_STEAM_API_URL=standin.url,
            YASP_STEAM_API_KEYS="offline-demo",
            YASP_SCAN_PAGE_INTERVAL="0",
        )
        settings.cache_clear()
        from flows.scan import sequence_scan
        from tasks.players.tracking import player_track
        from tasks.storage.mongo import database

        db = database()
        for account_id in DEMO_ACCOUNT_IDS:
            player_track(db, account_id=account_id, permanent=True)
        print(
            f"offline demo: {len(standin.matches)} recorded matches served at {standin.url}, "
            f"tracking {', '.join(map(str, DEMO_ACCOUNT_IDS))}; MongoDB at "
            f"{settings().mongo_url or 'embedded server under ' + str(settings().home)}"
        )
        summary = sequence_scan(
            max_pages=args.pages, start_seq=standin.seq_nums[0], stop_when_caught_up=True
        )
        _print_scan(summary)
    return 0


def command_scan(args: argparse.Namespace) -> int:
    """Run one bounded scan against the configured Steam Web API."""
    from flows.scan import sequence_scan

    summary = sequence_scan(
        max_pages=args.pages,
        max_minutes=args.minutes,
        start_seq=args.start_seq,
        stop_when_caught_up=args.stop_when_caught_up,
    )
    _print_scan(summary)
    return 0


def command_track(args: argparse.Namespace) -> int:
    """Mark players tracked by account id or steamid64."""
    from tasks.players.tracking import player_track, player_untrack
    from tasks.storage.mongo import database

    account_ids = args.ids
    db = database()
    for account_id in account_ids:
        if args.untrack:
            player_untrack(db, account_id=account_id)
        else:
            player_track(db, account_id=account_id, permanent=args.permanent)
    verb = "untracked" if args.untrack else ("tracked permanently" if args.permanent else "tracked")
    print(f"{verb}: {', '.join(map(str, account_ids))}")
    return 0


def command_history(args: argparse.Namespace) -> int:
    """Backfill a player's past matches (resumes where a previous run stopped)."""
    from flows.backfill import full_history

    counts = full_history(args.id, page_size=args.page_size, restart=args.restart)
    print(", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
    return 0


def command_range(args: argparse.Namespace) -> int:
    """Re-read a range of sequence numbers and insert the kept matches not stored yet."""
    from flows.backfill import sequence_range_backfill

    if args.to_seq <= args.from_seq:
        print(
            f"yasp range: TO ({args.to_seq}) must be above FROM ({args.from_seq})", file=sys.stderr
        )
        return 2
    counts = sequence_range_backfill(args.from_seq, args.to_seq, restart=args.restart)
    print(", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
    return 0


def command_profiles(args: argparse.Namespace) -> int:
    """Refresh players' names and avatars (all tracked players when no id is given)."""
    from flows.backfill import profile_refresh

    ids = args.ids or None
    counts = profile_refresh(ids)
    print(f"profiles: {counts.get('updated', 0)} updated, {counts.get('missing', 0)} missing")
    return 0


def command_up(args: argparse.Namespace) -> int:
    """Run the whole pipeline locally: Prefect UI, workers, retriever, site, on bundled data."""
    import signal

    from infra.local.run import match_accounts, pipeline_run
    from infra.local.stack import stack_start
    from tasks.storage import mongo

    home = settings().home / "up"
    # SIGTERM (systemd, CI, kill) stops everything too, not only Ctrl-C, even mid-start.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print("starting yasp on loopback (this takes a minute on a small machine)")
    try:
        # Its own database, so the scan-only demo's cursor never hides matches from this run;
        # point other commands at it with the YASP_MONGO_URL printed below.
        stack = stack_start(home)
    except KeyboardInterrupt:
        print("stopped while starting; everything started so far is stopped")
        return 130
    try:
        os.environ.update(YASP_MONGO_URL=stack.mongo.url, PREFECT_API_URL=stack.prefect_api)
        settings.cache_clear()
        mongo.server_stop()
        db = mongo.database()
        first_seq = min(m["match_seq_num"] for m in stack.threads[0].matches)
        print("\npipeline running: scan -> replay salts -> parse (watch it in the Prefect UI)")
        finished = pipeline_run(stack, db, first_seq, timeout=args.timeout)
        print("\nwhat happened to each match:")
        print(f"  {'match_id':<11} {'why kept':<10} {'replay salt':<40} parse")
        for account in match_accounts(db):
            print(account.line())
        if not finished:
            print(f"\nstill busy after {args.timeout:.0f} s; see {stack.supervisor.log_dir}")
        print(f"\nPrefect UI  {stack.prefect_url}")
        print(f"site        {stack.site_url}  (status: {stack.site_url}/status/)")
        if args.exit_when_done:
            return 0 if finished else 1
        print("\nrunning; Ctrl-C stops everything")
        while not stack.supervisor.check():
            time.sleep(1)
        print(f"stopped unexpectedly: {', '.join(stack.supervisor.check())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("stopping every process yasp started")
        mongo.server_stop()
        stack.stop()


def command_parse_file(args: argparse.Namespace) -> int:
    """Parse a local replay file (.dem or .dem.bz2) and print its summary."""
    from flows.parse_cli import main as parse_file_main

    return parse_file_main([args.path])


def command_import_opendota(args: argparse.Namespace) -> int:
    """Import OpenDota-format match JSON files (match, player rows, parsed data)."""
    from tasks.opendota.import_cli import main as import_main

    return import_main(args.files)


def parser() -> argparse.ArgumentParser:
    """The argument parser of every `yasp` command."""
    root = argparse.ArgumentParser(prog="yasp", description="Dota 2 match-statistics pipeline")
    commands = root.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help=command_demo.__doc__)
    demo.add_argument("--pages", type=_positive, default=20, help="pages to read at most")
    demo.set_defaults(handler=command_demo)

    scan = commands.add_parser("scan", help=command_scan.__doc__)
    scan.add_argument("--pages", type=_positive, default=50, help="pages to read at most")
    scan.add_argument("--minutes", type=float, default=5.0, help="wall time at most")
    scan.add_argument("--start-seq", type=_seq, help="first match_seq_num when no cursor exists")
    scan.add_argument("--stop-when-caught-up", action="store_true")
    scan.set_defaults(handler=command_scan)

    track = commands.add_parser("track", help=command_track.__doc__)
    track.add_argument("ids", nargs="+", type=_account_id, help="account ids or steamid64s")
    track.add_argument("--permanent", action="store_true", help="track regardless of visits")
    track.add_argument("--untrack", action="store_true", help="end permanent tracking")
    track.set_defaults(handler=command_track)

    history = commands.add_parser("history", help=command_history.__doc__)
    history.add_argument("id", type=_account_id, help="account id or steamid64")
    history.add_argument("--page-size", type=_positive, default=100)
    history.add_argument("--restart", action="store_true", help="start again from the newest")
    history.set_defaults(handler=command_history)

    seq_range = commands.add_parser("range", help=command_range.__doc__)
    seq_range.add_argument("from_seq", type=_seq)
    seq_range.add_argument("to_seq", type=_seq)
    seq_range.add_argument("--restart", action="store_true")
    seq_range.set_defaults(handler=command_range)

    profiles = commands.add_parser("profiles", help=command_profiles.__doc__)
    profiles.add_argument("ids", nargs="*", type=_account_id, help="account ids or steamid64s")
    profiles.set_defaults(handler=command_profiles)

    up = commands.add_parser("up", help=command_up.__doc__)
    up.add_argument("--exit-when-done", action="store_true", help="stop after the account")
    up.add_argument("--timeout", type=float, default=900, help="seconds to wait for the run")
    up.set_defaults(handler=command_up)

    parse_file = commands.add_parser("parse-file", help=command_parse_file.__doc__)
    parse_file.add_argument("path", help="a .dem or .dem.bz2 replay file")
    parse_file.set_defaults(handler=command_parse_file)

    import_opendota = commands.add_parser("import-opendota", help=command_import_opendota.__doc__)
    import_opendota.add_argument("files", nargs="+", help="OpenDota match JSON files")
    import_opendota.set_defaults(handler=command_import_opendota)
    return root


def prefect_defaults() -> None:
    """Keep Prefect's local state beside yasp's, and send nothing anywhere."""
    os.environ.setdefault("PREFECT_HOME", str(settings().home / "prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary server creates its database on first start; a small busy machine needs
    # longer than Prefect's default 20 s.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    prefect_defaults()
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
