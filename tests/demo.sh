#!/usr/bin/env bash
# The demo: start the local AWS endpoint, run the reference architectures (web application stack, serverless
# storage) and publish a static site, stop.
set -euo pipefail
# shellcheck source=tests/local_aws_env.sh
. "$(dirname "$0")/local_aws_env.sh"
start_local_aws .local_aws/demo
echo "Local AWS endpoint: $LOCAL_AWS_URL"
ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python" ansible-playbook storagekit.aws.web_app_stack \
  -e web_app_stack_aws_endpoint_url="$LOCAL_AWS_URL" -e web_app_stack_name=demo "$@"
ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python" ansible-playbook storagekit.aws.serverless_app \
  -e serverless_app_aws_endpoint_url="$LOCAL_AWS_URL" -e serverless_app_name=demo "$@"
# The site's hosted zone stands in for one the user already has.
ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python" ansible localhost -o -m amazon.aws.route53_zone \
  -a "zone=demo.example endpoint_url=$LOCAL_AWS_URL region=us-east-1" >/dev/null
ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python" ansible-playbook storagekit.aws.static_website \
  -e static_website_aws_endpoint_url="$LOCAL_AWS_URL" -e static_website_domain=www.demo.example \
  -e static_website_hosted_zone=demo.example -e static_website_site_dir="$PWD/tests/demo_site" "$@"
echo "API calls made:"
local_aws requests --dir "$LOCAL_AWS_DIR"
