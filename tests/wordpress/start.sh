#!/usr/bin/env bash
# A real WordPress (Debian's `wordpress` package) on 127.0.0.1 for the `wordpress` tests.
#
#   tests/wordpress/start.sh DIR          start; writes DIR/wordpress.env (WP_URL, WP_USER,
#                                         WP_APP_PASSWORD, …) and prints it
#   tests/wordpress/start.sh --stop DIR   stop it and remove DIR
#
# Everything binds to loopback only: MariaDB listens on a socket in DIR (no TCP at all), PHP's
# built-in server on a free 127.0.0.1 port. Each run has its own config file
# /etc/wordpress/config-broadsheet-test-PORT.php (chosen through WORDPRESS_CONFIG, not the Host
# header), its own database and its own wp-content in DIR, so several runs can share a machine
# and nothing survives a run. Follows /work/shared/WORDPRESS.md. Missing packages are
# installed when running as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PACKAGES=(wordpress php php8.2-cgi mini-httpd php-cli php-mysql php-curl php-xml php-mbstring
  php-gd mariadb-server curl)
USER_NAME=admin

log() { printf 'wordpress: %s\n' "$*" >&2; }

stop() {
  local dir=$1 env="$1/wordpress.env"
  [ -f "$env" ] || { rm -rf "$dir"; return 0; }
  # shellcheck disable=SC1090
  source "$env"
  if [ -n "${WP_PHP_PGID:-}" ]; then
    # The workers of php -S share its process group: killing only the master leaves them up.
    kill -TERM -- "-$WP_PHP_PGID" 2>/dev/null || true
  fi
  if [ -n "${WP_DB_SOCKET:-}" ] && [ -S "$WP_DB_SOCKET" ]; then
    mariadb-admin --no-defaults -S "$WP_DB_SOCKET" -u"$(id -un)" shutdown 2>/dev/null \
      || { [ -n "${WP_DB_PGID:-}" ] && kill -TERM -- "-$WP_DB_PGID" 2>/dev/null; } || true
  fi
  rm -f "${WP_CONFIG_STUB:-/nonexistent}"
  rm -rf "$dir"
}

if [ "${1:-}" = "--stop" ]; then
  stop "${2:?usage: start.sh --stop DIR}"
  exit 0
fi
dir=${1:?usage: start.sh DIR}
started=$(date +%s%N)

missing=()
command -v php >/dev/null || missing+=(php)
command -v curl >/dev/null || missing+=(curl)
command -v mariadbd >/dev/null || missing+=(mariadbd)
[ -f /usr/share/wordpress/wp-load.php ] || missing+=(wordpress)
if [ ${#missing[@]} -eq 0 ] && ! php -m 2>/dev/null | grep -qx mysqli; then missing+=(php-mysql); fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing ${missing[*]}; install as root: apt-get install --no-install-recommends ${PACKAGES[*]}"
    exit 1
  fi
  log "installing ${PACKAGES[*]} (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
fi

if [ ! -w /etc/wordpress ] && [ "$(id -u)" -ne 0 ]; then
  log "cannot write /etc/wordpress, where Debian's wordpress reads its config; run as root"
  exit 1
fi
# Config stubs of runs whose folder is gone (a killed run) are removed here.
for stub in /etc/wordpress/config-broadsheet-test-*.php; do
  [ -e "$stub" ] || continue
  target=$(sed -n "s/^require '\(.*\)';$/\1/p" "$stub")
  [ -n "$target" ] && [ -e "$target" ] || rm -f "$stub"
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
env_file="$dir/wordpress.env"
rm -f "$env_file"
content="$dir/wp-content"
mkdir -p "$content/uploads" "$content/plugins" "$content/mu-plugins" "$dir/db"
ln -sfn /usr/share/wordpress/wp-content/themes "$content/themes"
# wp_install() mails the admin; there is no sendmail, and its complaint would land on stdout.
echo "<?php add_filter('pre_wp_mail', '__return_true');" >"$content/mu-plugins/no-mail.php"

on_error() {
  local code=$?
  log "start failed (exit $code); logs in $dir/*.log"
  for f in "$dir"/*.log; do [ -s "$f" ] && tail -n 5 "$f" | sed "s|^|  $(basename "$f"): |" >&2; done
  stop "$dir"
  exit "$code"
}
trap on_error ERR

# --- MariaDB: own datadir, socket only, own process group -----------------------------------
socket="$dir/db/mysqld.sock"
dba=$(id -un)
mariadb-install-db --no-defaults --datadir="$dir/db/data" --user="$dba" \
  --auth-root-authentication-method=socket --skip-test-db >"$dir/mariadb-install.log" 2>&1
setsid mariadbd --no-defaults --datadir="$dir/db/data" --socket="$socket" --skip-networking \
  --user="$dba" --skip-log-bin --pid-file="$dir/db/mysqld.pid" >"$dir/mariadb.log" 2>&1 &
db_pid=$!
printf 'WP_DB_PGID=%s\nWP_DB_SOCKET=%q\n' "$db_pid" "$socket" >"$env_file"
for _ in $(seq 100); do
  mariadb-admin --no-defaults -S "$socket" -u"$dba" ping >/dev/null 2>&1 && break
  kill -0 "$db_pid" 2>/dev/null || { log "mariadbd exited"; false; }
  sleep 0.05
done
db_password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
mariadb --no-defaults -S "$socket" -u"$dba" <<SQL
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '$db_password';
GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';
SQL

# --- Site config, reached through a per-run stub in /etc/wordpress ----------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
config_name="broadsheet-test-$port"
stub="/etc/wordpress/config-$config_name.php"
printf 'WP_CONFIG_STUB=%q\n' "$stub" >>"$env_file"
salt() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
cat >"$dir/wp-config.php" <<PHP
<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', '$db_password');
define('DB_HOST', 'localhost:$socket');
define('DB_CHARSET', 'utf8mb4');
define('WP_HOME', '$url');
define('WP_SITEURL', '$url');
define('WP_CONTENT_DIR', '$content');
define('WP_CONTENT_URL', '$url/wp-content');
// Application passwords over plain http need a "local" site (else a silent 401).
define('WP_ENVIRONMENT_TYPE', 'local');
define('FS_METHOD', 'direct');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
PHP
for key in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT \
  LOGGED_IN_SALT NONCE_SALT; do
  echo "define('$key', '$(salt)');" >>"$dir/wp-config.php"
done
mkdir -p /etc/wordpress
printf "<?php\nrequire '%s';\n" "$dir/wp-config.php" >"$stub"

# --- Install from the PHP CLI, then serve --------------------------------------------------
export WORDPRESS_CONFIG="$config_name" BROADSHEET_WP_CONTENT="$content"
login_password=$(salt)
app_password=$(php "$here/install.php" "$url" "$USER_NAME" "$login_password" 2>"$dir/install.log" \
  | tail -n 1)
[ -n "$app_password" ] || { log "no application password"; false; }
PHP_CLI_SERVER_WORKERS=4 setsid php -d auto_prepend_file="$here/prepend.php" \
  -S "127.0.0.1:$port" -t /usr/share/wordpress "$here/router.php" >"$dir/php.log" 2>&1 &
php_pid=$!
printf 'WP_PHP_PGID=%s\n' "$php_pid" >>"$env_file"
for _ in $(seq 200); do
  curl -fsS -o /dev/null "$url/wp-json/" 2>/dev/null && break
  kill -0 "$php_pid" 2>/dev/null || { log "php -S exited"; false; }
  sleep 0.05
done
curl -fsS -o /dev/null -u "$USER_NAME:$app_password" "$url/wp-json/wp/v2/users/me"

millis=$(( ($(date +%s%N) - started) / 1000000 ))
cat >>"$env_file" <<ENV
WP_URL=$url
WP_USER=$USER_NAME
WP_APP_PASSWORD=$(printf %q "$app_password")
WP_LOGIN_PASSWORD=$login_password
WP_CONTENT=$(printf %q "$content")
WP_DIR=$(printf %q "$dir")
WP_START_MS=$millis
ENV
trap - ERR
log "ready at $url in ${millis} ms"
cat "$env_file"
