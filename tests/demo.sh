#!/usr/bin/env bash
# The demo: start the local AWS endpoint, provision the serverless pattern's storage, show it, stop.
set -euo pipefail
# shellcheck source=tests/local_aws_env.sh
. "$(dirname "$0")/local_aws_env.sh"
start_local_aws .local_aws/demo
echo "Local AWS endpoint: $LOCAL_AWS_URL"
ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python" ansible-playbook storagekit.aws.serverless_app \
  -e serverless_app_aws_endpoint_url="$LOCAL_AWS_URL" -e serverless_app_name=demo "$@"
echo "API calls made:"
local_aws requests --dir "$LOCAL_AWS_DIR"
