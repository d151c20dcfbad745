# shellcheck shell=bash
# Sourced by the demo and the Molecule runner: this checkout's tools on PATH, the local AWS endpoint
# started in the background and stopped on exit, and only dummy credentials in the environment.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
# The virtual environment of the line under test (the Makefile sets it; .venv is the newest line).
STORAGEKIT_VENV=${STORAGEKIT_VENV:-.venv}
export PATH="$PWD/$STORAGEKIT_VENV/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$PWD/$STORAGEKIT_VENV/collections"
export ANSIBLE_HOME=${ANSIBLE_HOME:-$PWD/.ansible}
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL

# The endpoint is the storagekit-local-aws package (local_aws/), installed in the venv by `make venv`.
local_aws() { "$STORAGEKIT_VENV/bin/storagekit-local-aws" "$@"; }

# start_local_aws DIR: start the endpoint with its state in DIR; sets LOCAL_AWS_URL.
start_local_aws() {
  LOCAL_AWS_DIR=$1
  LOCAL_AWS_URL=$(local_aws up --dir "$LOCAL_AWS_DIR")
  export LOCAL_AWS_URL
  trap 'local_aws down --dir "$LOCAL_AWS_DIR" >/dev/null' EXIT
}
