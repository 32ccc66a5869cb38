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
    # The embedded default looks like the product: no debug pages (Chinese 403/404/500), static
    # files collected and served by WhiteNoise as in production. DEBUG=1 ./dev.sh run for debugging.
    export DEBUG=${DEBUG:-0}
    mkdir -p var
    if [ -z "${SECRET_KEY:-}" ]; then
      # One random key per checkout, kept in var/ (never committed), so sessions survive restarts.
      [ -s var/secret_key ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
      SECRET_KEY=$(cat var/secret_key)
      export SECRET_KEY
    fi
    # Links that leave the page (the certificate's QR code) follow the address actually served.
    LINK_HOST=$HOST
    [ "$HOST" = "0.0.0.0" ] && LINK_HOST=127.0.0.1
    export SITE_URL=${SITE_URL:-http://$LINK_HOST:$PORT}
    export ALLOWED_HOSTS=${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1],$HOST}
    "$PY" manage.py migrate --no-input -v0
    "$PY" manage.py collectstatic --no-input -v0
    "$PY" manage.py demo_data
    "$PY" manage.py demo_logins --url "$SITE_URL/"
    # The reference receiver stands in for the education system, so registry changes are
    # delivered (signed) somewhere you can look: http://127.0.0.1:$RECEIVER_PORT/_events
    RECEIVER_PORT=${RECEIVER_PORT:-8900}
    export EDU_SYNC_URL=${EDU_SYNC_URL:-http://127.0.0.1:$RECEIVER_PORT/events}
    export EDU_SYNC_SECRET=${EDU_SYNC_SECRET:-demo-shared-secret}
    "$PY" manage.py run_edu_receiver --port "$RECEIVER_PORT" --secret "$EDU_SYNC_SECRET" \
      --store var/edu-receiver.sqlite3 > var/edu-receiver.log 2>&1 &
    receiver=$!
    trap 'kill $receiver 2>/dev/null' EXIT
    echo "Education-system receiver (demo): http://127.0.0.1:$RECEIVER_PORT/_events"
    echo "户籍e窗: $SITE_URL/  (DEBUG=$DEBUG; PORT=$PORT, RECEIVER_PORT=$RECEIVER_PORT)"
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
