#!/usr/bin/env bash
# Installs the Debian packages backlash needs that Go cannot fetch:
#   clickhouse   - the ClickHouse server the demo and the tests run privately
#   chromium     - headless Chromium for the dashboard's browser test, and
#                  its headless shell, which renders `render: true` pages
#                  at half the cost (chromium-headless-shell)
# Already installed packages are left alone. Without root it only says what
# to install.
set -euo pipefail

want=()
for dep in "$@"; do
  case "$dep" in
    clickhouse)
      if ! command -v clickhouse-server >/dev/null 2>&1 && [ ! -x /usr/sbin/clickhouse-server ] && ! command -v clickhouse >/dev/null 2>&1; then
        want+=(clickhouse-server clickhouse-client)
      fi ;;
    chromium)
      if ! command -v chromium >/dev/null 2>&1; then
        want+=(chromium)
      fi
      if [ ! -x /usr/lib/chromium/chromium-headless-shell ] && ! command -v chromium-headless-shell >/dev/null 2>&1; then
        want+=(chromium-headless-shell)
      fi ;;
    *) echo "install-deps: unknown dependency $dep" >&2; exit 2 ;;
  esac
done
[ ${#want[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "backlash needs: ${want[*]}" >&2
  echo "install them with: sudo apt-get install -y ${want[*]}" >&2
  exit 1
fi
echo "installing ${want[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
