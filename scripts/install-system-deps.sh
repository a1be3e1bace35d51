#!/usr/bin/env bash
# Debian/Ubuntu packages Broadsheet needs: Qt + QtWebEngine runtime libraries, a font.
# With --test, also what the test suite needs: Xvfb/xdotool/ImageMagick for screenshots and a
# real Secret Service (gnome-keyring + D-Bus) for the credential tests, and Debian's WordPress
# with PHP and MariaDB for the tests against a real WordPress (tests/wordpress/start.sh; the
# PHP CGI and mini-httpd satisfy wordpress's web-server dependency, so apache2 is not pulled in).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then exec sudo "$0" "$@"; fi
packages=(python3-venv python3-pip libgl1 libegl1 libfontconfig1 libxkbcommon0 libglib2.0-0
  libdbus-1-3 libnss3 libasound2 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1
  libgbm1 libxcb-dri3-0 libx11-xcb1 fonts-dejavu-core libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  libxkbcommon-x11-0)
if [ "${1:-}" = "--test" ]; then
  packages+=(xvfb xauth xdotool imagemagick gnome-keyring dbus dbus-x11
    wordpress php php8.2-cgi mini-httpd php-cli php-mysql php-curl php-xml php-mbstring php-gd
    mariadb-server curl)
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "system packages ready (${#packages[@]})"
