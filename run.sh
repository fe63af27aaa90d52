#!/usr/bin/env bash
# yasp on one machine: `./run.sh` runs the whole pipeline locally, `./run.sh test` the tests.
set -euo pipefail
cd "$(dirname "$0")"

venv_ready() {
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    # Reinstall only when the dependency list changed since the last install.
    local stamp=.venv/.yasp-installed
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -e ".[test]"
        touch "$stamp"
    fi
}

command="${1:-up}"
shift || true
case "$command" in
    up|demo)
        venv_ready
        exec .venv/bin/yasp "$command" "$@"
        ;;
    test)
        venv_ready
        exec .venv/bin/python -m pytest "$@"
        ;;
    bench)
        venv_ready
        for bench in scan salt replay site; do
            .venv/bin/python "benchmarks/${bench}_bench.py"
        done
        ;;
    *)
        venv_ready
        exec .venv/bin/yasp "$command" "$@"
        ;;
esac
