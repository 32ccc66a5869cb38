#!/usr/bin/env bash
# The one entry point for a new machine. Everything it needs comes from the project's own files.
#   ./dev.sh run    set up, migrate, load the demo data and start the app on the embedded default
#   ./dev.sh test   set up and run the whole test suite
#   ./dev.sh lint   ruff
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3.11}
VENV=.venv
PY=$VENV/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

setup() {
  bash scripts/system-deps.sh
  if [ ! -x "$PY" ]; then
    if ! command -v "$PYTHON" >/dev/null; then
      echo "Python 3.11 is needed: sudo apt-get install -y python3.11 python3.11-venv" >&2
      exit 1
    fi
    "$PYTHON" -m venv "$VENV" || {
      echo "Creating the virtual environment failed: sudo apt-get install -y python3.11-venv" >&2
      exit 1
    }
  fi
  # Reinstall only when the lock file changed since the last install.
  if [ ! -f "$VENV/.installed" ] || [ requirements-dev.txt -nt "$VENV/.installed" ]; then
    # (grep drops the noise some pip configurations print about missing local indexes)
    "$PY" -m pip install --quiet --upgrade pip 2>&1 | { grep -v '^WARNING: Location' || true; }
    "$PY" -m pip install --quiet -r requirements-dev.txt 2>&1 | { grep -v '^WARNING: Location' || true; }
    touch "$VENV/.installed"
  fi
  # The Simplified Chinese font subsets embedded in PDFs (common/pdf_fonts.py); built once.
  "$PY" -m common.pdf_fonts >/dev/null
}

case "${1:-}" in
  run)
    setup
    export DEBUG=${DEBUG:-1}
    "$PY" manage.py migrate --no-input -v0
    "$PY" manage.py demo_data
    "$PY" manage.py demo_logins --url "http://$HOST:$PORT/"
    # The reference receiver stands in for the education system, so registry changes are
    # delivered (signed) somewhere you can look: http://127.0.0.1:$RECEIVER_PORT/_events
    RECEIVER_PORT=${RECEIVER_PORT:-8900}
    export EDU_SYNC_URL=${EDU_SYNC_URL:-http://127.0.0.1:$RECEIVER_PORT/events}
    export EDU_SYNC_SECRET=${EDU_SYNC_SECRET:-demo-shared-secret}
    mkdir -p var
    "$PY" manage.py run_edu_receiver --port "$RECEIVER_PORT" --secret "$EDU_SYNC_SECRET" \
      --store var/edu-receiver.sqlite3 > var/edu-receiver.log 2>&1 &
    receiver=$!
    trap 'kill $receiver 2>/dev/null' EXIT
    echo "Education-system receiver (demo): http://127.0.0.1:$RECEIVER_PORT/_events"
    "$PY" manage.py runserver "$HOST:$PORT"
    ;;
  test)
    setup
    shift
    exec "$PY" -m pytest "$@"
    ;;
  lint)
    setup
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    ;;
  *)
    echo "usage: ./dev.sh run | test [pytest args] | lint" >&2
    exit 2
    ;;
esac
