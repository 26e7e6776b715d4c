#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (/usr/bin/chromium) with playwright-core: no browser download.
# Installs it when missing and we may (root with apt-get); otherwise says how.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[ensure-chromium] installing Debian's chromium package" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "[ensure-chromium] /usr/bin/chromium is missing: install it (Debian/Ubuntu: sudo apt-get install chromium)," >&2
echo "  or point the browser tests elsewhere with CHROMIUM_PATH=/path/to/chrome" >&2
exit 1
