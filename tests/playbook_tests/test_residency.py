"""Data residency (storagekit_allowed_regions): a plan with a DR copy or a replica outside the allowed regions is
refused before any write, in one message naming every offender; a plan inside them runs.

The refusals stop the runs at their first tasks, and the run that passes is a --check run, so the module stays fast.
"""

import json

import pytest
import yaml

from .conftest import REPO, ansible_playbook

pytestmark = pytest.mark.newest_line_only


def run_reference(collections_path, endpoint, name, *options, **extra_vars):
    """ansible-playbook storagekit.aws.<name> from this checkout against ``endpoint``; returns (rc, output)."""
    assert endpoint.startswith("http://127.0.0.1:")
    extra = {f"{name}_aws_endpoint_url": endpoint, f"{name}_aws_region": "us-east-1",
             "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    extra.update(extra_vars)
    result = ansible_playbook(REPO / "playbooks" / f"{name}.yml", collections_path, "ansible.builtin.default",
                              "-e", json.dumps(extra), *options)
    return result.returncode, result.stdout + result.stderr


def calls_since(aws, seq):
    return [f"{e['service']}:{e['operation']}" for e in aws.requests(since=seq)["requests"]]


def writes_since(aws, seq):
    return [f"{e['service']}:{e['operation']}" for e in aws.requests(since=seq)["requests"] if e["write"]]


def test_serverless_app_replicas_and_dr_copy_outside_the_allowed_regions_are_refused_whole(aws, collections_path):
    seq = aws.requests()["summary"]["last_seq"] or 0
    rc, output = run_reference(collections_path, aws.url, "serverless_app", serverless_app_name="sk-res",
                               storagekit_allowed_regions=["us-east-1", "eu-west-1"],
                               serverless_app_replica_regions=["eu-west-1", "ap-southeast-2"],
                               serverless_app_backup_copy_region="us-west-2")
    assert rc != 0
    assert ("storagekit_allowed_regions allows only eu-west-1, us-east-1; refused before any change, 2 outside them: "
            "replica of DynamoDB table sk-res-items in ap-southeast-2; backup DR copy vault sk-res-dr in us-west-2") in output
    assert calls_since(aws, seq) == []


def test_web_app_stack_dr_copy_outside_the_allowed_regions_is_refused(aws, collections_path):
    seq = aws.requests()["summary"]["last_seq"] or 0
    rc, output = run_reference(collections_path, aws.url, "web_app_stack", web_app_stack_name="sk-res-web",
                               storagekit_allowed_regions=["eu-central-1"],
                               web_app_stack_backup_copy_region="eu-central-1")
    assert rc != 0
    for offender in ("network sk-res-web in us-east-1", "RDS instance sk-res-web-db in us-east-1",
                     "ElastiCache group sk-res-web-sessions in us-east-1", "S3 bucket sk-res-web-uploads in us-east-1",
                     "backup vault sk-res-web in us-east-1"):
        assert offender in output
    assert "backup DR copy vault sk-res-web-dr in eu-central-1" not in output
    assert writes_since(aws, seq) == []


ROLE_CASES = [
    ("backup-dr-vault-arn", "backup",
     {"backup_name": "sk-res", "backup_aws_region": "us-east-1",
      "backup_copy_vault_arn": "arn:aws:backup:ap-south-1:210987654321:backup-vault:central-dr"},
     "backup DR copy vault arn:aws:backup:ap-south-1:210987654321:backup-vault:central-dr in ap-south-1"),
    ("dynamodb-replicas", "dynamodb_table",
     {"dynamodb_table_tables": [{"name": "sk-res-orders", "hash_key_name": "pk",
                                 "replicas": ["eu-west-1", {"region": "sa-east-1"}]},
                                {"name": "sk-res-carts", "hash_key_name": "pk"}],
      "dynamodb_table_replicas": ["ca-central-1"]},
     "2 outside them: replica of DynamoDB table sk-res-orders in sa-east-1; "
     "replica of DynamoDB table sk-res-carts in ca-central-1"),
    ("rds-replica-source", "rds_postgres",
     {"rds_postgres_name": "sk-res-pg", "rds_postgres_subnet_ids": ["subnet-1", "subnet-2"],
      "rds_postgres_security_group_ids": ["sg-1"],
      "rds_postgres_read_replicas": [{"name": "sk-res-pg-dr", "source_region": "us-west-2",
                                      "source_db_instance_identifier": "arn:aws:rds:us-west-2:123456789012:db:sk-res-pg",
                                      "kms_key_id": "alias/dr"}]},
     "1 outside them: source of RDS read replica sk-res-pg-dr in us-west-2"),
    ("s3-replica-region", "s3_buckets",
     {"s3_buckets_buckets": [{"name": "sk-res-uploads", "replication_region": "ap-northeast-1"},
                             {"name": "sk-res-static", "replication_region": "eu-west-1"}]},
     "1 outside them: replica of S3 bucket sk-res-uploads in ap-northeast-1"),
]


def test_roles_refuse_regions_outside_the_allowed_ones_before_any_write(aws, tmp_path, collections_path):
    """Each role in a block whose failure is rescued; the messages and the request log are read afterwards."""
    tasks = []
    for case_id, role, role_vars in ((c[0], c[1], c[2]) for c in ROLE_CASES):
        tasks.append({
            "name": case_id,
            "block": [{"ansible.builtin.include_role": {"name": "storagekit.aws." + role}, "vars": role_vars},
                      {"ansible.builtin.set_fact": {"outcomes": "{{ outcomes | combine({'%s': 'not refused'}) }}" % case_id}}],
            "rescue": [{"ansible.builtin.set_fact": {
                "outcomes": "{{ outcomes | combine({'%s': ansible_failed_result.msg}) }}" % case_id}}],
        })
    results = tmp_path / "outcomes.json"
    tasks.append({"ansible.builtin.copy": {"content": "{{ outcomes | to_nice_json }}", "dest": str(results), "mode": "0644"}})
    play = {"hosts": "localhost", "gather_facts": False,
            "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}", "outcomes": {},
                     "storagekit_allowed_regions": ["us-east-1", "eu-west-1"]},
            "module_defaults": {"group/storagekit.aws.aws": {"endpoint_url": aws.url, "region": "us-east-1"}},
            "tasks": tasks}
    playbook = tmp_path / "roles.yml"
    playbook.write_text(yaml.safe_dump([play], sort_keys=False))
    seq = aws.requests()["summary"]["last_seq"] or 0
    run = ansible_playbook(playbook, collections_path, "ansible.builtin.default")
    assert run.returncode == 0, (run.stdout + run.stderr)[-5000:]
    outcomes = json.loads(results.read_text())
    for case_id, dummy, dummy_vars, message in ROLE_CASES:
        assert message in outcomes[case_id], (case_id, outcomes[case_id])
    assert writes_since(aws, seq) == []


def test_a_plan_inside_the_allowed_regions_runs(aws, collections_path):
    """The same serverless_app plan with every region allowed passes the check; --check writes nothing."""
    seq = aws.requests()["summary"]["last_seq"] or 0
    rc, output = run_reference(collections_path, aws.url, "serverless_app", "--check", serverless_app_name="sk-res",
                               storagekit_allowed_regions=["us-east-1", "eu-west-1", "us-west-2"],
                               serverless_app_replica_regions=["eu-west-1"],
                               serverless_app_backup_copy_region="us-west-2")
    assert rc == 0, output[-5000:]
    assert "storagekit_allowed_regions allows only" not in output
    assert calls_since(aws, seq), "the run went past the check"
    assert writes_since(aws, seq) == []
