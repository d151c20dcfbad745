#!/usr/bin/env bash
# Run every Molecule scenario against one local AWS endpoint on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$PWD/.venv/collections"
state=.local_aws/molecule
local_aws() { PYTHONPATH="$PWD/tests" .venv/bin/python -m local_aws "$@"; }
STORAGEKIT_TEST_ENDPOINT=$(local_aws up --dir "$state")
export STORAGEKIT_TEST_ENDPOINT
trap 'local_aws down --dir "$state" >/dev/null' EXIT
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
export ANSIBLE_FORCE_COLOR=0 PY_COLORS=0
if [ $# -gt 0 ]; then
  for scenario in "$@"; do .venv/bin/molecule test -s "$scenario"; done
else
  .venv/bin/molecule test --all
fi
