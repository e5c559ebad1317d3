#!/usr/bin/env bash
# make deploy: encore's Prefect stack on PostgreSQL, end to end (docs/operations.md).
#
#   deploy/deploy.sh [check]   server on PostgreSQL, work pool + limits, `prefect deploy --all`,
#                              a worker, one pipeline run to COMPLETED, then everything stopped
#   deploy/deploy.sh up        the same without the run, left running (PREFECT_API_URL printed)
#   deploy/deploy.sh down      stop what `up` started (SIGINT: worker and server stop cleanly)
#   deploy/deploy.sh server-env    build the Prefect server's pinned environment (data/deploy/server-venv)
#   deploy/deploy.sh pushgateway   install Debian's prometheus-pushgateway (root or sudo)
#
# Settings: ENCORE_PREFECT_ADMIN_URL, ENCORE_PREFECT_DATABASE, ENCORE_PREFECT_PORT,
# ENCORE_DEPLOY_DIR (see deploy/__main__.py) and every ENCORE_* setting of the flows.
set -euo pipefail
cd "$(dirname "$0")/.."

export PREFECT_SERVER_ANALYTICS_ENABLED="${PREFECT_SERVER_ANALYTICS_ENABLED:-false}"
export DO_NOT_TRACK="${DO_NOT_TRACK:-1}"
export GX_ANALYTICS_ENABLED="${GX_ANALYTICS_ENABLED:-false}"

# The project's environment (make setup) runs everything; uv need not be on the PATH.
PYTHON=.venv/bin/python
if [ ! -x "$PYTHON" ]; then
  echo "no project environment in .venv: run \`make setup\` first" >&2
  exit 2
fi

install_pushgateway() {
  if command -v prometheus-pushgateway >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-pushgateway >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-pushgateway >/dev/null
  else
    echo "prometheus-pushgateway is not installed and this user cannot install it: the Pushgateway test will be skipped"
  fi
  # Debian starts a system service on :9091; encore's tests start their own on a free port.
}

case "${1:-check}" in
  pushgateway) install_pushgateway ;;
  server-env) exec "$PYTHON" -m deploy.server_env "${ENCORE_DEPLOY_DIR:-data/deploy}/server-venv" ;;
  check|up|down) exec "$PYTHON" -m deploy "${1:-check}" ;;
  *) echo "usage: $0 [check|up|down|pushgateway]" >&2; exit 2 ;;
esac
