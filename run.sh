#!/usr/bin/env bash
# yasp on one machine: `./run.sh demo` runs the offline scan, `./run.sh test` the test suite.
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

command="${1:-demo}"
shift || true
case "$command" in
    demo)
        venv_ready
        exec .venv/bin/yasp demo "$@"
        ;;
    test)
        venv_ready
        exec .venv/bin/python -m pytest "$@"
        ;;
    bench)
        venv_ready
        exec .venv/bin/python benchmarks/scan_bench.py "$@"
        ;;
    *)
        exec .venv/bin/yasp "$command" "$@"
        ;;
esac
