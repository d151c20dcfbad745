#!/usr/bin/env bash
# The demo: start the local AWS endpoint, provision the serverless pattern's storage, show it, stop.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$PWD/.venv/collections"
state=.local_aws/demo
local_aws() { PYTHONPATH="$PWD/tests" .venv/bin/python -m local_aws "$@"; }
url=$(local_aws up --dir "$state")
trap 'local_aws down --dir "$state" >/dev/null' EXIT
echo "Local AWS endpoint: $url"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN
export ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python"
.venv/bin/ansible-playbook storagekit.aws.serverless_app \
  -e serverless_app_aws_endpoint_url="$url" -e serverless_app_name=demo "$@"
echo "API calls made:"
local_aws requests --dir "$state"
