#!/usr/bin/env bash
# The demo: the reference architectures on the local AWS endpoint, then one screen that says what was built, how
# to reach it and what to try next.
#
#   tests/demo.sh [ansible-playbook options]          run it, print the summary, stop everything (make demo)
#   tests/demo.sh --keep [ansible-playbook options]   the same, and leave it running to explore (make up)
#   tests/demo.sh --down                              stop what --keep left running (make down)
#
# Its files are in .local_aws/demo (STORAGEKIT_DEMO_DIR): the endpoint's state, the playbooks' output (playbooks.log),
# the API calls per playbook (api-calls.json), the summary (summary.txt) and env.sh for the commands the summary
# shows; the test Kubernetes API's files are in the same path with -kube appended.
set -euo pipefail
# shellcheck source=tests/local_aws_env.sh
. "$(dirname "$0")/local_aws_env.sh"

DEMO_DIR=${STORAGEKIT_DEMO_DIR:-.local_aws/demo}
KUBE_DIR=$DEMO_DIR-kube
PYTHON="$PWD/$STORAGEKIT_VENV/bin/python"

stop_demo() {
  local_aws down --dir "$DEMO_DIR" >/dev/null 2>&1
  "$STORAGEKIT_VENV/bin/storagekit-kube-api" down --dir "$KUBE_DIR" >/dev/null 2>&1
}

keep=false
case "${1:-}" in
  --down) stop_demo; echo "Stopped the demo's local AWS endpoint and Kubernetes API server."; exit 0 ;;
  --keep) keep=true; shift ;;
esac

# A new demo starts from nothing, also after an earlier --keep.
stop_demo
rm -rf "$DEMO_DIR" "$KUBE_DIR"
mkdir -p "$DEMO_DIR"
started=$(date +%s)
LOCAL_AWS_URL=$(local_aws up --dir "$DEMO_DIR")
# Everything stops on the way out, unless --keep and the demo got through.
trap 'stop_demo' EXIT
KUBE_API_URL=$("$STORAGEKIT_VENV/bin/storagekit-kube-api" up --dir "$KUBE_DIR" --cluster-name demo-eks)
echo "Local AWS endpoint: $LOCAL_AWS_URL, test Kubernetes API (EKS cluster demo-eks): $KUBE_API_URL"

# What a user already has: a hosted zone for the site, an EKS cluster with its subnets and the Pod Identity agent.
"$PYTHON" tests/demo.py prepare "$LOCAL_AWS_URL" "$KUBE_DIR" "$DEMO_DIR"

export ANSIBLE_INVENTORY="$PWD/tests/demo_inventory.yml"
# Long waits say what is still pending, once a minute.
export ANSIBLE_CALLBACKS_ENABLED=storagekit.aws.progress
: >"$DEMO_DIR/phases"
# Each playbook's stack report (Markdown with its Mermaid diagram) goes here; the summary lists them.
REPORT_DIR=$(cd "$DEMO_DIR" && pwd)/reports
run_playbook() {
  local name=$1
  shift
  ansible-playbook "storagekit.aws.$name" -e "${name}_aws_endpoint_url=$LOCAL_AWS_URL" \
    -e "${name}_report_dir=$REPORT_DIR" "$@" 2>&1 | tee -a "$DEMO_DIR/playbooks.log"
  echo "$name $(local_aws requests --dir "$DEMO_DIR" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["last_seq"] or 0)')" \
    >>"$DEMO_DIR/phases"
}
run_playbook web_app_stack -e web_app_stack_name=demo "$@"
run_playbook serverless_app -e serverless_app_name=demo "$@"
run_playbook static_website -e static_website_domain=www.demo.example -e static_website_hosted_zone=demo.example \
  -e static_website_site_dir="$PWD/tests/demo_site" "$@"
run_playbook eks_platform_storage -e @"$DEMO_DIR/eks_platform_storage.json" "$@"
# Here, once the endpoint serves them, the psql and redis-cli checks of the database and the cache.

kept=()
if $keep; then kept=(--kept); fi
"$PYTHON" tests/demo.py summary "$LOCAL_AWS_URL" "$KUBE_DIR" "$DEMO_DIR" --seconds $(($(date +%s) - started)) \
  "${kept[@]}" | tee "$DEMO_DIR/summary.txt"
if $keep; then
  trap - EXIT
fi
