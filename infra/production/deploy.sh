#!/usr/bin/env bash
# Create yasp's work pools, automations and deployments on the Prefect server at
# $PREFECT_API_URL. Arguments: the retriever host names, e.g. `deploy.sh host1 host2`.
# Safe to run again: pools and automations that exist are kept, deployments are updated.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PREFECT_API_URL:?set PREFECT_API_URL to the Prefect server, e.g. http://prefect:4200/api}"
[ "$#" -ge 1 ] || { echo "usage: $0 RETRIEVER_HOST..." >&2; exit 2; }
PREFECT="${PREFECT:-.venv/bin/prefect}"
export YASP_ROOT="${YASP_ROOT:-/opt/yasp}"   # where the code lives on every worker host

for pool in scan parse maintenance; do
    "$PREFECT" work-pool create "$pool" --type process 2>/dev/null || true
done
for host in "$@"; do
    "$PREFECT" work-pool create "retriever-$host" --type process 2>/dev/null || true
done
PYTHON="$(dirname "$PREFECT")/python"
"$PYTHON" -c 'import os; from infra.local.stack import automations_create; automations_create(os.environ["PREFECT_API_URL"])'


first="$1"; shift
YASP_RETRIEVER_HOST_NAME="$first" "$PREFECT" --no-prompt deploy --all
for host in "$@"; do
    YASP_RETRIEVER_HOST_NAME="$host" "$PREFECT" --no-prompt deploy \
        --name 'retriever-{{ $YASP_RETRIEVER_HOST_NAME }}'
done
