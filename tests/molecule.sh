#!/usr/bin/env bash
# Run every Molecule scenario (or those named) against local AWS endpoints on 127.0.0.1.
#
# Scenarios run in STORAGEKIT_MOLECULE_LANES lanes at once (default 2). Each lane has its own endpoint, so a
# scenario's request-log assertions (zero writes in check mode) see only its own calls. The lanes take the
# scenarios from one queue, longest first, so the run ends about when its longest lane does. Each scenario's
# output goes to a log that is printed whole when the scenario ends; a failed scenario does not stop the
# others, and the run fails naming every failed scenario.
set -euo pipefail
# shellcheck source=tests/local_aws_env.sh
. "$(dirname "$0")/local_aws_env.sh"
"$(dirname "$0")/only_this_checkout.sh"
export ANSIBLE_FORCE_COLOR=0 PY_COLORS=0
LANES=${STORAGEKIT_MOLECULE_LANES:-2}
# A failed scenario runs once more on a clean endpoint; a pass on the second attempt is named at the end of the
# output with the first attempt's failed tasks, so a flaky test is seen, not hidden. 1 turns that off.
ATTEMPTS=${STORAGEKIT_MOLECULE_ATTEMPTS:-2}

# Longest first, as measured on a 2-core machine; a scenario not listed here runs after these.
LONGEST_FIRST="eks_platform_storage web_app_stack rds_postgres serverless_app replication backup efs_csi_driver
elasticache observability_buckets s3_static_website storage_monitoring audit_trail network ebs_csi_driver finops storage_analytics s3_buckets
dynamodb_table"

if [ $# -gt 0 ]; then
  scenarios=("$@")
else
  mapfile -t present < <(find extensions/molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' \
    | xargs -n1 basename | sort)
  scenarios=()
  for scenario in $LONGEST_FIRST; do
    [ -f "extensions/molecule/$scenario/molecule.yml" ] && scenarios+=("$scenario")
  done
  for scenario in "${present[@]}"; do
    case " ${scenarios[*]} " in *" $scenario "*) ;; *) scenarios+=("$scenario") ;; esac
  done
fi

[ "$LANES" -gt "${#scenarios[@]}" ] && LANES=${#scenarios[@]}
RUN_DIR=.local_aws/molecule-$$
mkdir -p "$RUN_DIR"
printf '%s\n' "${scenarios[@]}" >"$RUN_DIR/queue"
: >"$RUN_DIR/failed"
: >"$RUN_DIR/retried"

# failed_tasks LOG: the failed tasks of the step (converge, verify...) that failed first, with the lines around
# them, the last ones nearest the end (the one that stopped the step); expected refusals of other steps are left out.
failed_tasks() {
  local failed_line start_line
  failed_line=$(grep -n -m 1 'Executed: Failed' "$1" | cut -d: -f1 || true)
  [ -n "$failed_line" ] || failed_line=$(wc -l <"$1")
  start_line=$(head -n "$failed_line" "$1" | grep -n '\] Executing$' | tail -n 1 | cut -d: -f1 || true)
  sed -n "${start_line:-1},${failed_line}p" "$1" | grep -B 3 -A 12 -E '^(fatal|failed): ' | cut -c 1-600 | tail -n 80 || true
  grep -E '^(CRITICAL|ERROR) ' "$1" | cut -c 1-600 | head -n 10 || true
}

# next_scenario: take the first scenario off the shared queue (empty when none is left).
next_scenario() {
  (
    flock 9
    head -n 1 "$RUN_DIR/queue"
    sed -i 1d "$RUN_DIR/queue"
  ) 9>"$RUN_DIR/queue.lock"
}

# lane N: start an endpoint of its own and run scenarios from the queue until it is empty.
lane() {
  local number=$1 url scenario started status attempt first
  url=$(local_aws up --dir "$RUN_DIR/lane-$number")
  export STORAGEKIT_TEST_ENDPOINT=$url
  while scenario=$(next_scenario) && [ -n "$scenario" ]; do
    started=$(date +%s)
    attempt=1
    while true; do
      # The endpoint starts empty, so state Molecule kept from an earlier run (for example "prepared") is stale.
      rm -rf "$ANSIBLE_HOME"/tmp/molecule.*."$scenario"
      # A scenario leaves nothing behind when it passes; after a failure the next one starts on a clean endpoint.
      local_aws reset --dir "$RUN_DIR/lane-$number" >/dev/null
      status=0
      molecule test -s "$scenario" >"$RUN_DIR/$scenario.log" 2>&1 || status=$?
      [ "$status" -eq 0 ] || [ "$attempt" -ge "$ATTEMPTS" ] && break
      # A failure that does not repeat is still reported, with its failed tasks, and named again at the end.
      mv "$RUN_DIR/$scenario.log" "$RUN_DIR/$scenario.attempt-$attempt.log"
      echo "$scenario" >>"$RUN_DIR/retried"
      attempt=$((attempt + 1))
    done
    (
      flock 8
      for first in "$RUN_DIR/$scenario".attempt-*.log; do
        [ -f "$first" ] || continue
        echo "=== scenario $scenario failed on attempt $(basename "$first" .log | sed "s/.*attempt-//") and ran again; its failed tasks then:"
        failed_tasks "$first"
      done
      cat "$RUN_DIR/$scenario.log"
      if [ "$status" -eq 0 ]; then
        echo "=== scenario $scenario passed in $(($(date +%s) - started)) s (lane $number, attempt $attempt)"
      else
        echo "=== scenario $scenario FAILED (exit $status) after $(($(date +%s) - started)) s (lane $number, attempt $attempt)"
        echo "$scenario" >>"$RUN_DIR/failed"
      fi
    ) 8>"$RUN_DIR/output.lock"
  done
  local_aws down --dir "$RUN_DIR/lane-$number" >/dev/null
}

# stop_lanes: on any exit, stop lanes still running and every endpoint they started.
stop_lanes() {
  local pid lane_dir
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for lane_dir in "$RUN_DIR"/lane-*; do
    [ -d "$lane_dir" ] && { local_aws down --dir "$lane_dir" >/dev/null 2>&1 || true; }
  done
}
pids=()
trap stop_lanes EXIT
started=$(date +%s)
for number in $(seq 1 "$LANES"); do
  lane "$number" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
pids=()
echo "=== ${#scenarios[@]} scenarios in $LANES lanes: $(($(date +%s) - started)) s"
if [ -s "$RUN_DIR/retried" ]; then
  # Where a CI log's tail shows it: the scenarios that failed once, and why.
  while read -r scenario; do
    for log in "$RUN_DIR/$scenario".attempt-*.log; do
      echo "=== $scenario failed on attempt $(basename "$log" .log | sed "s/.*attempt-//"); failed tasks:"
      failed_tasks "$log"
    done
  done < <(sort -u "$RUN_DIR/retried")
  echo "=== scenarios that failed once and ran again: $(sort -u "$RUN_DIR/retried" | tr '\n' ' ')"
fi
if [ -s "$RUN_DIR/failed" ]; then
  while read -r scenario; do
    echo "=== $scenario: failed tasks"
    failed_tasks "$RUN_DIR/$scenario.log"
  done <"$RUN_DIR/failed"
  echo "=== failed scenarios: $(tr '\n' ' ' <"$RUN_DIR/failed")"
  exit 1
fi
