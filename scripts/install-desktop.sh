#!/usr/bin/env bash
# Add Broadsheet to the desktop's application menu for the current user (Linux, XDG):
# the launcher goes to ~/.local/share/applications, the icon to ~/.local/share/icons/hicolor.
# Usage: scripts/install-desktop.sh [PATH-TO-broadsheet]
#   (default: .venv/bin/broadsheet of this checkout when it exists, else `broadsheet` on PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${XDG_DATA_HOME:-$HOME/.local/share}"
program="${1:-}"
if [ -z "$program" ]; then
  if [ -x .venv/bin/broadsheet ]; then program="$PWD/.venv/bin/broadsheet"
  elif command -v broadsheet >/dev/null; then program="$(command -v broadsheet)"
  else echo "install-desktop: broadsheet is not installed; pass its path" >&2; exit 1
  fi
fi
install -d "$data/applications" "$data/icons/hicolor/scalable/apps" "$data/icons/hicolor/256x256/apps"
# The launcher runs this very installation, even when its folder is not on PATH.
sed "s|^Exec=broadsheet |Exec=\"$program\" |" resources/broadsheet.desktop \
  > "$data/applications/broadsheet.desktop"
install -m 644 resources/icons/broadsheet.svg "$data/icons/hicolor/scalable/apps/broadsheet.svg"
install -m 644 resources/icons/broadsheet.png "$data/icons/hicolor/256x256/apps/broadsheet.png"
# Menus and icon caches pick the new files up sooner where these tools exist.
if command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$data/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
echo "Installed the Broadsheet launcher ($data/applications/broadsheet.desktop) running $program"
