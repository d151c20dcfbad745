#!/usr/bin/env bash
# The mermaid CLI (@mermaid-js/mermaid-cli, pinned with its dependencies in tests/mermaid/package-lock.json) in
# DIR/mermaid, run by DIR/mmdc with Debian's headless Chromium (tests/install_browser.sh): the test that renders
# each reference playbook's stack diagram (tests/playbook_tests/test_stack_report.py) uses it. Puppeteer's own
# browser download is skipped. From npm's cache a re-install takes a few seconds. Without node and npm, or without
# the browser, it says so and writes no DIR/mmdc: the render test then skips.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
browser=/usr/bin/chromium-headless-shell
if ! command -v npm >/dev/null || [ ! -x "$browser" ]; then
  echo "no npm or no $browser: the stack diagram render test will skip" >&2
  exit 0
fi
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mkdir -p "$1" && cd "$1" && pwd)
mkdir -p "$dir/mermaid"
cp "$here/mermaid/package.json" "$here/mermaid/package-lock.json" "$dir/mermaid/"
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix "$dir/mermaid" --no-audit --no-fund --ignore-scripts --loglevel=error >&2
# Root in a container has no user namespace sandbox.
printf '{"executablePath": "%s", "headless": "shell", "args": ["--no-sandbox"]}\n' "$browser" >"$dir/mermaid/puppeteer.json"
printf '#!/bin/sh\nexec "%s/mermaid/node_modules/.bin/mmdc" -p "%s/mermaid/puppeteer.json" "$@"\n' "$dir" "$dir" >"$dir/mmdc"
chmod +x "$dir/mmdc"
echo "$dir/mmdc"
