#!/usr/bin/env bash
# Run every Molecule scenario (or those named) against one local AWS endpoint on 127.0.0.1.
set -euo pipefail
# shellcheck source=tests/local_aws_env.sh
. "$(dirname "$0")/local_aws_env.sh"
"$(dirname "$0")/only_this_checkout.sh"
start_local_aws ".local_aws/molecule-$$"
export STORAGEKIT_TEST_ENDPOINT=$LOCAL_AWS_URL ANSIBLE_FORCE_COLOR=0 PY_COLORS=0
# The endpoint starts empty, so state Molecule kept from an earlier run (for example "prepared") is stale.
if [ $# -gt 0 ]; then
  for scenario in "$@"; do
    rm -rf "$ANSIBLE_HOME"/tmp/molecule.*."$scenario"
    molecule test -s "$scenario"
  done
else
  rm -rf "$ANSIBLE_HOME"/tmp/molecule.*
  molecule test --all
fi
