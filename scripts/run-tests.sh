#!/usr/bin/env bash
# Run the whole test suite offscreen, inside a private D-Bus session with a real, unlocked
# Secret Service (gnome-keyring), so the credential tests use a real OS keyring.
# Usage: scripts/run-tests.sh [pytest args]   (PYTHON overrides the interpreter; default .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
export QT_QPA_PLATFORM=offscreen
if [ "$(id -u)" -eq 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export BROADSHEET_TEST_SCRATCH="$scratch"
exec env HOME="$scratch" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
  XDG_RUNTIME_DIR="$scratch" dbus-run-session -- sh -c '
  printf "ci-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$0" -m pytest -p no:cacheprovider "$@"' "$PYTHON" "$@"
