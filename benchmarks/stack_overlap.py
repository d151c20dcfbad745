"""Converge time of the web application stack against its slowest parts, with the endpoint's latency model on.

The stack starts the database, the cache and the uploads bucket together and waits for them together, so it
should take about as long as its slowest tier, not the sum of the tiers. Each measurement starts from a fresh
endpoint state with the network already made (untimed), so only the tiers are compared. Also counts the API
calls of a no-change run of each reference playbook, from the endpoint's request log.
Usage: .venv/bin/python benchmarks/stack_overlap.py [--rds SECONDS] [--cache SECONDS]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from storagekit_local_aws import LocalAWS

REPO = Path(__file__).resolve().parents[1]

NAME = "bench"

# The network of web_app_stack.yml with its defaults, so the playbook finds it and changes nothing.
NETWORK_VARS = f"""
    network_name: {NAME}
    network_cidr: 10.20.0.0/16
    network_az_count: 2
    network_private_subnet_cidrs: [10.20.0.0/20, 10.20.16.0/20]
    network_data_tiers: [{{name: postgres, port: 5432}}, {{name: redis, port: 6379}}]
    network_tags: {{application: {NAME}, managed-by: storagekit.aws}}
"""

PLAY_HEAD = """- name: {title}
  hosts: localhost
  connection: local
  gather_facts: false
  vars:{network_vars}
  module_defaults:
    group/storagekit.aws.aws: {{endpoint_url: "{{{{ endpoint }}}}", region: us-east-1}}
    group/community.aws.aws: {{endpoint_url: "{{{{ endpoint }}}}", region: us-east-1}}
  tasks:
    - name: Network
      ansible.builtin.import_role:
        name: storagekit.aws.network
"""

# One tier alone, with the settings the stack gives it.
TIER_TASKS = {
    "network": "",
    "rds_postgres": f"""
    - name: PostgreSQL alone
      ansible.builtin.import_role:
        name: storagekit.aws.rds_postgres
      vars:
        rds_postgres_name: {NAME}-db
        rds_postgres_kms_key_alias: alias/{NAME}-rds
        rds_postgres_subnet_ids: "{{{{ network_results.private_subnet_ids }}}}"
        rds_postgres_security_group_ids: ["{{{{ network_results.data_tier_security_group_ids.postgres }}}}"]
""",
    "elasticache": f"""
    - name: Cache alone
      ansible.builtin.import_role:
        name: storagekit.aws.elasticache
      vars:
        elasticache_name: {NAME}-sessions
        elasticache_node_type: cache.t4g.small
        elasticache_kms_key_alias: alias/{NAME}-elasticache
        elasticache_subnet_ids: "{{{{ network_results.private_subnet_ids }}}}"
        elasticache_security_group_ids: ["{{{{ network_results.data_tier_security_group_ids.redis }}}}"]
""",
}


def tier_playbook(directory, tier):
    path = Path(directory) / f"{tier}.yml"
    path.write_text("---\n" + PLAY_HEAD.format(title=tier, network_vars=NETWORK_VARS) + TIER_TASKS[tier])
    return str(path)


def run_playbook(endpoint, playbook, *extra):
    """Seconds ansible-playbook took; fails loudly when the playbook fails."""
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".venv" / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_ENDPOINT_URL=endpoint,
    )
    env.pop("AWS_PROFILE", None)
    command = [str(Path(sys.executable).parent / "ansible-playbook"), playbook] + list(extra)
    started = time.monotonic()
    finished = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if finished.returncode:
        sys.exit(f"{playbook} failed:\n{finished.stdout[-3000:]}\n{finished.stderr[-2000:]}")
    return time.monotonic() - started


def timed_on_fresh_state(aws, directory, playbook, *extra):
    """Reset the endpoint, make the network (untimed), then time the playbook."""
    aws.reset()
    run_playbook(aws.url, tier_playbook(directory, "network"), "-e", "endpoint=" + aws.url)
    return round(run_playbook(aws.url, playbook, *extra), 1)


def no_change_calls(aws, playbook, *extra):
    """Request log summary of a second run of a playbook that has just converged."""
    aws.clear_requests()
    seconds = run_playbook(aws.url, playbook, *extra)
    summary = aws.requests()["summary"]
    return dict(seconds=round(seconds, 1), reads=summary["reads"], writes=summary["writes"], total=summary["total"],
                by_operation=summary["by_operation"])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rds", type=float, default=20, help="seconds an RDS instance stays creating")
    parser.add_argument("--cache", type=float, default=15, help="seconds a replication group stays creating")
    args = parser.parse_args()
    latency = {"rds:db-instance": args.rds, "elasticache:replication-group": args.cache, "*": 0}
    stack = str(REPO / "playbooks" / "web_app_stack.yml")
    serverless = str(REPO / "playbooks" / "serverless_app.yml")
    with LocalAWS() as aws, tempfile.TemporaryDirectory() as directory:
        assert urlparse(aws.url).hostname == "127.0.0.1"
        aws.configure(latency_seconds=latency)
        endpoint_var = ("-e", "endpoint=" + aws.url)
        rds_alone = timed_on_fresh_state(aws, directory, tier_playbook(directory, "rds_postgres"), *endpoint_var)
        cache_alone = timed_on_fresh_state(aws, directory, tier_playbook(directory, "elasticache"), *endpoint_var)
        stack_vars = ("-e", "web_app_stack_aws_endpoint_url=" + aws.url, "-e", "web_app_stack_name=" + NAME)
        whole_stack = timed_on_fresh_state(aws, directory, stack, *stack_vars)
        stack_no_change = no_change_calls(aws, stack, *stack_vars)
        aws.reset()
        serverless_vars = ("-e", "serverless_app_aws_endpoint_url=" + aws.url, "-e", "serverless_app_name=" + NAME)
        run_playbook(aws.url, serverless, *serverless_vars)
        serverless_no_change = no_change_calls(aws, serverless, *serverless_vars)
    print(json.dumps(dict(
        latency_seconds=latency,
        converge_seconds=dict(rds_postgres_alone=rds_alone, elasticache_alone=cache_alone,
                              sum_of_parts=round(rds_alone + cache_alone, 1), max_of_parts=max(rds_alone, cache_alone),
                              web_app_stack=whole_stack),
        no_change_run=dict(web_app_stack=stack_no_change, serverless_app=serverless_no_change),
    ), indent=2))


if __name__ == "__main__":
    main()
