"""`yasp parse-file PATH`: parse a local .dem or .dem.bz2 and print a summary."""

from __future__ import annotations

import argparse
import json
import sys

from tasks.replay.failures import ReplayFailure
from tasks.replay.parse import replay_parse
from tasks.replay.stream import TransferCount, file_chunks


def main(argv: list[str] | None = None) -> int:
    """Parse one local replay file; exit 0 when parsed, 2 with the failure reason otherwise."""
    parser = argparse.ArgumentParser(prog="yasp parse-file", description=__doc__)
    parser.add_argument("path", help="a .dem or .dem.bz2 file")
    parser.add_argument("--match-id", type=int, default=0, help="expected match_id, if known")
    parser.add_argument("--json", action="store_true", help="print the whole parsed document")
    args = parser.parse_args(argv)
    try:
        run = replay_parse(file_chunks(args.path, TransferCount()), args.match_id)
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ReplayFailure as failure:
        print(f"failed: {failure.reason}: {failure.detail}")
        return 2
    document = run.document
    if args.json:
        print(json.dumps(document, indent=1, default=str))
        return 0
    replay = document["replay"]
    print(f"parsed {args.path}")
    build = f"build {replay['build_num']} (game build {replay['game_build']})"
    print(f"  {build}, map {replay['map_name']}")
    print(f"  {replay['playback_ticks']} ticks, {replay['playback_time']:.1f} s of playback")
    print(f"  match_id in replay: {replay['replay_match_id']}")
    print(
        f"  players {len(document['players'])}, combat-log entries used "
        f"{replay['combat_log_entries']}, chat lines {len(document['chat'])}, "
        f"objectives {len(document['objectives'])}, teamfights {len(document['teamfights'])}"
    )
    print("  " + ", ".join(f"{key} {value}" for key, value in run.stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
