#!/usr/bin/env bash
# Run the whole test suite offscreen, inside a private D-Bus session with a real, unlocked
# Secret Service (gnome-keyring), so the credential tests use a real OS keyring, and with a real
# WordPress on loopback (tests/wordpress/start.sh) for the tests marked `wordpress`.
# Usage: scripts/run-tests.sh [pytest args]   (PYTHON overrides the interpreter; default .venv;
# BROADSHEET_TEST_WORKERS=N runs N test processes side by side, default one per CPU; 0 runs
# them all in one process, which starts WordPress first unless BROADSHEET_WORDPRESS=0)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
export QT_QPA_PLATFORM=offscreen
if [ "$(id -u)" -eq 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
scratch=$(mktemp -d)
wordpress="$scratch/wordpress"
cleanup() {
  # Stops php -S and MariaDB by their process groups and removes the run's config file.
  tests/wordpress/start.sh --stop "$wordpress" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export BROADSHEET_TEST_SCRATCH="$scratch"
# Most GUI tests wait on Chromium, servers and timers rather than the CPU, so test processes
# side by side finish the suite in about half the time even on two cores. Each worker gets its
# own keyring (tests/worker_keyring.py) and, at its first WordPress test, its own WordPress
# (the session fixture in tests/wordpress/conftest.py runs start.sh): tests that count a site's
# posts must not see another process's posts appear.
parallel=()
workers="${BROADSHEET_TEST_WORKERS:-auto}"
if [ "$workers" != 0 ]; then
  parallel=(-n "$workers")
elif [ "${BROADSHEET_WORDPRESS:-1}" != 0 ]; then
  # One process: WordPress starts here, before the tests, and the session fixture reads the
  # connection from here, or the failure from the log.
  export BROADSHEET_WP_ENV="$wordpress/wordpress.env" BROADSHEET_WP_LOG="$scratch/wordpress.log"
  if tests/wordpress/start.sh "$wordpress" >/dev/null 2>"$BROADSHEET_WP_LOG"; then
    tail -n 1 "$BROADSHEET_WP_LOG"
  else
    echo "WordPress did not start; the wordpress tests will say why:" >&2
    tail -n 8 "$BROADSHEET_WP_LOG" >&2
  fi
fi
status=0
env HOME="$scratch" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
  XDG_RUNTIME_DIR="$scratch" dbus-run-session -- sh -c '
  printf "ci-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$0" -m pytest -p no:cacheprovider "$@"' "$PYTHON" "${parallel[@]}" "$@" || status=$?
exit "$status"
