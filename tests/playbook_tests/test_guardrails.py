"""The reference playbooks' guardrails: a bad plan is refused with one message listing every violation, before any
AWS call that writes (the endpoint's request log), and the same plan passes with the overrides.

The refusals run against an empty endpoint: the pre-flight reads variables only, so it needs nothing to exist.
Several guardrails are broken in one run, as a user would find them: all listed at once.
"""

import json
import os
import re
import subprocess

import pytest

from .conftest import BIN, DEAD_LOOPBACK

pytestmark = pytest.mark.newest_line_only

GUARDRAIL_VARS = {
    "private_subnets": "allow_public_subnets",
    "encryption": "allow_unencrypted",
    "public_bucket": "allow_public_buckets",
    "open_data_port": "allow_open_data_ports",
    "deletion_protection": "allow_no_deletion_protection",
    "data_classification": "allow_data_class_exceptions",
    "budget": "allow_over_budget",
}

# A web_app_stack plan that breaks every guardrail.
WEB_APP_BAD = {
    "web_app_stack_name": "sk-guard",
    # An existing network whose "private" subnets include one of its public subnets.
    "network_vpc_id": "vpc-0123456789abcdef0",
    "network_private_subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
    "network_public_subnet_ids": ["subnet-0aaaaaaaaaaaaaaa2"],
    "network_app_security_group_id": "sg-0aaaaaaaaaaaaaaa1",
    "network_data_tier_security_group_ids": {"postgres": "sg-0aaaaaaaaaaaaaaa2", "redis": "sg-0aaaaaaaaaaaaaaa3"},
    "elasticache_transit_encryption": False,
    "s3_buckets_buckets": [{
        "name": "sk-guard-uploads", "data_classification": "confidential",
        "policy_statements": [{"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                               "Resource": "arn:aws:s3:::sk-guard-uploads/*"}]}],
    "network_app_ingress_rules": [{"proto": "tcp", "ports": [5432], "cidr_ip": "0.0.0.0/0"}],
    "web_app_stack_deletion_protection": False,
    "web_app_stack_backup": False,
    "web_app_stack_budget_limit": 10,
}


def run(collections_path, endpoint, name, extra_vars, *options):
    """ansible-playbook storagekit.aws.<name> against ``endpoint``; the CompletedProcess."""
    assert endpoint.startswith("http://127.0.0.1:")
    extra = dict(extra_vars, ansible_python_interpreter="{{ ansible_playbook_python }}")
    extra[name + "_aws_endpoint_url"] = endpoint
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections_path), ANSIBLE_NOCOLOR="1",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", AWS_ENDPOINT_URL=DEAD_LOOPBACK)
    return subprocess.run(
        [str(BIN / "ansible-playbook"), "storagekit.aws." + name, "-i", "localhost,", "-c", "local",
         "-e", json.dumps(extra), *options],
        capture_output=True, text=True, env=env, check=False,
    )


def refusal(result):
    """The one failure message of the pre-flight."""
    assert result.returncode != 0, result.stdout[-3000:]
    failed = re.findall(r"^fatal: .*$", result.stdout, re.MULTILINE)
    assert len(failed) == 1, result.stdout[-3000:]
    assert "Refuse a plan that breaks a guardrail" in result.stdout.split(failed[0])[0].rsplit("TASK [", 1)[1]
    return failed[0]


def test_web_app_stack_refuses_every_violation_at_once_before_any_write(aws, collections_path, tmp_path):
    result = run(collections_path, aws.url, "web_app_stack", dict(WEB_APP_BAD, web_app_stack_report_dir=str(tmp_path)))
    message = refusal(result)
    assert "violation(s) of the guardrails, nothing was changed" in message
    for guardrail, suffix in GUARDRAIL_VARS.items():
        assert "{0}: ".format(guardrail) in message and "web_app_stack_{0}=true".format(suffix) in message, guardrail
    for what in ("RDS instance sk-guard-db uses public subnets subnet-0aaaaaaaaaaaaaaa2",
                 "ElastiCache replication group sk-guard-sessions has encryption in transit (TLS) off",
                 "S3 bucket sk-guard-uploads has a policy statement that allows everyone",
                 "application security group admits 0.0.0.0/0 on data port 5432 (PostgreSQL)",
                 "RDS instance sk-guard-db has deletion protection off",
                 "S3 bucket sk-guard-uploads is confidential: confidential data must have a backup plan (web_app_stack_backup)",
                 "is above the budget limit $10.00"):
        assert what in message, what
    summary = aws.requests()["summary"]
    assert summary["writes"] == 0 and summary["total"] == 0, summary["by_operation"]
    assert not list(tmp_path.iterdir())


def test_web_app_stack_overrides_allow_the_plan(aws, collections_path, tmp_path):
    """Every guardrail but the network's and the data class's (whose plans the roles themselves refuse later)
    broken and allowed, in a check-mode run: it passes, lists what was allowed, writes nothing, reports the plan."""
    bad = {k: v for k, v in WEB_APP_BAD.items() if not k.startswith("network_") or k == "network_app_ingress_rules"}
    bad["web_app_stack_backup"] = True
    overrides = {"web_app_stack_" + GUARDRAIL_VARS[g]: True
                 for g in ("encryption", "public_bucket", "open_data_port", "deletion_protection", "budget")}
    result = run(collections_path, aws.url, "web_app_stack", dict(bad, web_app_stack_report_dir=str(tmp_path), **overrides),
                 "--check")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    for guardrail in ("encryption", "public_bucket", "open_data_port", "deletion_protection", "budget"):
        assert "(allowed by web_app_stack_{0}=true)".format(GUARDRAIL_VARS[guardrail]) in result.stdout, guardrail
    assert aws.requests()["summary"]["writes"] == 0
    report = (tmp_path / "web_app_stack-sk-guard.md").read_text()
    assert "The plan of a check-mode run" in report and "sk-guard-db" in report
    assert (tmp_path / "web_app_stack-sk-guard.mmd").read_text().startswith("flowchart LR\n")


def test_one_guardrail_each_override_moves_to_allowed(aws, collections_path, tmp_path):
    """The private subnets guardrail alone, allowed: the pre-flight passes and says so (the existing network's ids
    are then checked by the network role, which finds no such VPC on the empty endpoint)."""
    keep = ("web_app_stack_name", "network_vpc_id", "network_private_subnet_ids", "network_public_subnet_ids",
            "network_app_security_group_id", "network_data_tier_security_group_ids")
    plan = {k: WEB_APP_BAD[k] for k in keep}
    result = run(collections_path, aws.url, "web_app_stack",
                 dict(plan, web_app_stack_allow_public_subnets=True, web_app_stack_report_dir=str(tmp_path)), "--check")
    assert "(allowed by web_app_stack_allow_public_subnets=true)" in result.stdout, result.stdout[-3000:]
    assert "Refuse a plan that breaks a guardrail" in result.stdout
    assert "violation(s) of the guardrails" not in result.stdout
    assert aws.requests()["summary"]["writes"] == 0


def test_serverless_app_static_website_eks_refuse_before_any_write(aws, collections_path, tmp_path):
    results = {
        "serverless_app": run(collections_path, aws.url, "serverless_app", {
            "serverless_app_name": "sk-guard-sls", "serverless_app_deletion_protection": False,
            "serverless_app_backup": False, "dynamodb_table_classification": "restricted",
            "serverless_app_size": "large", "serverless_app_budget_limit": 50, "serverless_app_report_dir": str(tmp_path)}),
        "static_website": run(collections_path, aws.url, "static_website", {
            "static_website_domain": "www.guard.example", "static_website_size": "large",
            "static_website_budget_limit": 100, "static_website_report_dir": str(tmp_path)}),
        "eks_platform_storage": run(collections_path, aws.url, "eks_platform_storage", {
            "eks_platform_storage_cluster_name": "sk-guard", "eks_platform_storage_efs_subnet_ids": ["subnet-0bbbbbbbbbbbbbbb1"],
            "eks_platform_storage_public_subnet_ids": ["subnet-0bbbbbbbbbbbbbbb1"], "eks_platform_storage_valkey": True,
            "eks_platform_storage_valkey_subnet_ids": ["subnet-0bbbbbbbbbbbbbbb2"],
            "elasticache_allowed_cidr_blocks": ["0.0.0.0/0"], "elasticache_at_rest_encryption": False,
            "eks_platform_storage_app_buckets": True,
            "eks_platform_storage_app_bucket_list": [{"name": "sk-guard-public", "policy_statements": [
                {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::sk-guard-public/*"}]}],
            "efs_csi_driver_classification": "confidential", "efs_csi_driver_backup": False,
            "eks_platform_storage_report_dir": str(tmp_path)}),
    }
    expected = {
        "serverless_app": ["deletion_protection: DynamoDB table sk-guard-sls-items has deletion protection off",
                           "data_classification: DynamoDB table sk-guard-sls-items is restricted: restricted data must have a backup plan",
                           "budget: the monthly estimate", "serverless_app_allow_over_budget=true"],
        "static_website": ["budget: the monthly estimate", "is above the budget limit $100.00",
                           "static_website_allow_over_budget=true"],
        "eks_platform_storage": [
            "private_subnets: EFS file system eks-shared-storage uses public subnets subnet-0bbbbbbbbbbbbbbb1",
            "encryption: ElastiCache replication group sk-guard-cache has encryption at rest off",
            "public_bucket: S3 bucket sk-guard-public has a policy statement that allows everyone",
            "open_data_port: cache CIDR security group admits 0.0.0.0/0 on data port 6379 (Redis/Valkey)",
            "data_classification: EFS file system eks-shared-storage is confidential: confidential data must have a backup plan",
            "eks_platform_storage_allow_public_subnets=true"],
    }
    for name, result in results.items():
        message = refusal(result)
        for what in expected[name]:
            assert what in message, (name, what, message)
    summary = aws.requests()["summary"]
    assert summary["writes"] == 0 and summary["total"] == 0, summary["by_operation"]
