"""dynamodb_table run by ansible-playbook against the local endpoint: action group, latency, faults."""

import json
import textwrap

from .conftest import DEAD_LOOPBACK, ansible_playbook


def run_playbook(tmp_path, collections_path, endpoint, tasks, group="storagekit.aws.aws", expect_failure=False):
    """Run ``tasks`` in a localhost play whose module_defaults for ``group`` point at ``endpoint``."""
    assert endpoint.startswith("http://127.0.0.1:")
    playbook = tmp_path / "play.yml"
    playbook.write_text(
        textwrap.dedent(
            """\
            - hosts: localhost
              gather_facts: false
              vars:
                ansible_python_interpreter: "{{{{ ansible_playbook_python }}}}"
              module_defaults:
                group/{group}:
                  endpoint_url: {endpoint}
                  region: us-east-1
              tasks:
            """
        ).format(group=group, endpoint=endpoint)
        + textwrap.indent(tasks, "    ")
    )
    result = ansible_playbook(playbook, collections_path, "ansible.builtin.json")
    assert (result.returncode != 0) == expect_failure, result.stdout[-3000:] + result.stderr[-3000:]
    return [task["hosts"]["localhost"] for task in json.loads(result.stdout)["plays"][0]["tasks"]]


TABLE_WITH_INDEX_AND_PITR = """\
- storagekit.aws.dynamodb_table:
    name: orders
    hash_key_name: pk
    indexes:
      - {name: by-status, hash_key_name: status}
    point_in_time_recovery: true
    deletion_protection: false
"""


def test_our_group_covers_our_modules_amazon_aws_and_community_aws(aws, tmp_path, collections_path):
    tasks = (TABLE_WITH_INDEX_AND_PITR + "- amazon.aws.kms_key_info: {}\n"
             + "- community.aws.elasticache_info: {}\n")
    results = run_playbook(tmp_path, collections_path, aws.url, tasks)
    assert results[0]["changed"] is True
    assert results[2]["elasticache_clusters"] == []
    operations = aws.requests()["summary"]["by_operation"]
    assert operations["dynamodb:CreateTable"] == 1
    assert operations["kms:ListKeys"] >= 1
    assert operations["elasticache:DescribeCacheClusters"] >= 1


def test_the_amazon_aws_group_does_not_reach_our_modules(aws, tmp_path, collections_path):
    """ansible-core takes a group's members from the collection that defines it."""
    tasks = "- amazon.aws.kms_key_info: {}\n" + TABLE_WITH_INDEX_AND_PITR
    results = run_playbook(tmp_path, collections_path, aws.url, tasks, group="amazon.aws.aws", expect_failure=True)
    assert results[0]["kms_keys"] == []
    assert DEAD_LOOPBACK in results[1]["msg"]  # it fell back to AWS_ENDPOINT_URL
    assert "dynamodb:CreateTable" not in aws.requests()["summary"]["by_operation"]


def test_waits_through_the_latency_model(aws, tmp_path, collections_path):
    """The table stays CREATING for 2 s; PITR is only accepted once it is ACTIVE."""
    aws.configure(latency_seconds=2)
    results = run_playbook(tmp_path, collections_path, aws.url, TABLE_WITH_INDEX_AND_PITR)
    table = results[0]["table"]
    assert table["status"] == "ACTIVE"
    assert [index["status"] for index in table["indexes"]] == ["ACTIVE"]
    log = aws.requests()
    describes = log["summary"]["by_operation"]["dynamodb:DescribeTable"]
    assert describes >= 3  # the first describe, then polls while CREATING
    refused = [e for e in log["requests"] if e["write"] and e["status"] != 200]
    assert refused == []  # nothing AWS would refuse was sent


def test_retries_through_injected_throttling_and_server_errors(aws, tmp_path, collections_path):
    aws.configure(fault_rate=0.3, fault_seed=7, fault_kinds=["throttle", "server_error"])
    first = run_playbook(tmp_path, collections_path, aws.url, TABLE_WITH_INDEX_AND_PITR)
    second = run_playbook(tmp_path, collections_path, aws.url, TABLE_WITH_INDEX_AND_PITR)
    assert first[0]["changed"] is True and second[0]["changed"] is False
    faults = [entry for entry in aws.requests()["requests"] if entry["fault"]]
    assert faults, "no fault was injected"
