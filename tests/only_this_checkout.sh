#!/usr/bin/env bash
# Fails unless storagekit.aws resolves to this checkout and nowhere else on the collections path in force, so
# tests can never run an older installed copy.
set -euo pipefail
cd "$(dirname "$0")/.."
listing=$(ansible-galaxy collection list storagekit.aws --format json 2>/dev/null)
python3 - "$PWD" "$listing" <<'PY'
import json, os, sys
checkout, listing = sys.argv[1], json.loads(sys.argv[2] or "{}")
copies = [os.path.realpath(os.path.join(path, "storagekit", "aws")) for path, found in listing.items() if "storagekit.aws" in found]
if copies != [os.path.realpath(checkout)]:
    sys.exit(f"storagekit.aws must resolve to this checkout only ({checkout}); found: {copies}")
PY
