#!/usr/bin/env bash
# Debian's headless Chromium for the test that opens the demo's site in a browser (tests/playbook_tests/test_demo.py),
# started by DIR/chromium. Playwright's and Puppeteer's own browser downloads are out of reach on these machines;
# Debian's package is not (about 75 s and 280 MB with its libraries). Without root or apt-get it says so and
# writes no DIR/chromium: the browser test then skips.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
browser=/usr/bin/chromium-headless-shell
if [ ! -x "$browser" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "no $browser: install Debian's chromium-headless-shell package for the browser test" >&2
    exit 0
  fi
  install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium-headless-shell >&2; }
  install || { apt-get update -q >&2 && install; }
fi
mkdir -p "$1"
printf '#!/bin/sh\nexec %s "$@"\n' "$browser" >"$1/chromium"
chmod +x "$1/chromium"
echo "$1/chromium"
