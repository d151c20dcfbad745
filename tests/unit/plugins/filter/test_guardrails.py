"""guardrails: every violation of a plan at once, each naming its override; overrides move it to overridden."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.filter.guardrails import FilterModule, guardrails
from ansible_collections.storagekit.aws.plugins.module_utils.guardrails import GUARDRAILS


def good_plan(**extra):
    plan = {
        "prefix": "web_app_stack",
        "state": "present",
        "public_subnet_ids": ["subnet-pub"],
        "data_stores": [
            {"resource": "RDS instance db", "subnet_ids": ["subnet-a"], "deletion_protection": True,
             "classification": "confidential", "kms_key_id": "alias/db", "backup_plan": "app", "backup_option": "x"},
            {"resource": "cache", "encryption_at_rest": True, "encryption_in_transit": "true"},
        ],
        "buckets": [{"resource": "S3 bucket up", "policy_statements": [
            {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject"},
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}],
        "ingress": [{"resource": "app group", "cidr_ip": "0.0.0.0/0", "from_port": 443, "to_port": 443},
                    {"resource": "db group", "cidr_ip": "10.0.0.0/16", "from_port": 5432, "to_port": 5432}],
        "budget_limit": 100,
        "monthly_estimate": 99.5,
    }
    plan.update(extra)
    return plan


def bad_plan(**extra):
    plan = good_plan(**extra)
    plan["data_stores"] = [
        {"resource": "RDS instance db", "subnet_ids": ["subnet-a", "subnet-pub"], "deletion_protection": "false",
         "classification": "confidential", "kms_key_id": "alias/aws/rds", "backup_plan": "", "backup_option": "web_app_stack_backup"},
        {"resource": "cache", "placement": "public", "encryption_at_rest": False, "encryption_in_transit": "false"},
    ]
    plan["buckets"] = [{"resource": "S3 bucket up", "policy_statements": [
        {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:GetObject"}]},
        {"resource": "S3 bucket site", "public": True}]
    plan["ingress"] = [{"resource": "app group", "cidr_ip": ["10.0.0.0/8", "0.0.0.0/0"], "proto": "tcp", "ports": ["5000-6000"]},
                       {"resource": "cache CIDR group", "cidr_ipv6": "::/0", "from_port": 6379, "to_port": 6379},
                       {"resource": "everything", "cidr_ip": "0.0.0.0/0", "proto": "-1"}]
    plan["monthly_estimate"] = 150.25
    return plan


def test_a_good_plan_passes():
    result = guardrails(good_plan())
    assert result == {"violations": [], "overridden": [], "summary": "the plan passes the guardrails"}


def test_every_violation_is_listed_in_one_summary():
    result = guardrails(bad_plan())
    assert result["overridden"] == []
    assert result["violations"] == [
        "private_subnets: RDS instance db uses public subnets subnet-pub (override: web_app_stack_allow_public_subnets=true)",
        "private_subnets: cache is placed in public subnets (override: web_app_stack_allow_public_subnets=true)",
        "encryption: cache has encryption at rest off (override: web_app_stack_allow_unencrypted=true)",
        "encryption: cache has encryption in transit (TLS) off (override: web_app_stack_allow_unencrypted=true)",
        "public_bucket: S3 bucket up has a policy statement that allows everyone (Principal *) without a condition"
        " (override: web_app_stack_allow_public_buckets=true)",
        "public_bucket: S3 bucket site is public (override: web_app_stack_allow_public_buckets=true)",
        "open_data_port: app group admits 0.0.0.0/0 on data ports 5432 (PostgreSQL), 5439 (Redshift)"
        " (override: web_app_stack_allow_open_data_ports=true)",
        "open_data_port: cache CIDR group admits ::/0 on data port 6379 (Redis/Valkey)"
        " (override: web_app_stack_allow_open_data_ports=true)",
        "open_data_port: everything admits 0.0.0.0/0 on data ports 1433 (SQL Server), 1521 (Oracle), 2049 (NFS (EFS)),"
        " 3306 (MySQL), 5432 (PostgreSQL), 5439 (Redshift), 6379 (Redis/Valkey), 8182 (Neptune), 9042 (Cassandra),"
        " 9200 (OpenSearch), 11211 (Memcached), 27017 (MongoDB) (override: web_app_stack_allow_open_data_ports=true)",
        "deletion_protection: RDS instance db has deletion protection off"
        " (override: web_app_stack_allow_no_deletion_protection=true)",
        "data_classification: RDS instance db is confidential: confidential data must be encrypted with a customer"
        " managed KMS key (override: web_app_stack_allow_data_class_exceptions=true)",
        "data_classification: RDS instance db is confidential: confidential data must have a backup plan"
        " (web_app_stack_backup) (override: web_app_stack_allow_data_class_exceptions=true)",
        "budget: the monthly estimate $150.25 is above the budget limit $100.00 (override: web_app_stack_allow_over_budget=true)",
    ]
    assert result["summary"].startswith("13 violation(s) of the guardrails, nothing was changed: private_subnets: ")
    assert all(v in result["summary"] for v in result["violations"])


def test_each_override_allows_only_its_guardrail():
    for name, suffix in GUARDRAILS.items():
        result = guardrails(bad_plan(overrides={name: "true"}))
        assert result["overridden"], name
        assert all(o.startswith(name + ": ") and o.endswith("(allowed by web_app_stack_{0}=true)".format(suffix))
                   for o in result["overridden"])
        assert not any(v.startswith(name + ": ") for v in result["violations"])
        assert len(result["violations"]) + len(result["overridden"]) == 13


def test_all_overrides_pass_the_run_and_keep_the_list():
    result = guardrails(bad_plan(overrides=dict.fromkeys(GUARDRAILS, True)))
    assert result["violations"] == [] and len(result["overridden"]) == 13


def test_deletion_protection_is_not_asked_of_a_destroy():
    assert not any(v.startswith("deletion_protection") for v in guardrails(bad_plan(state="absent"))["violations"])


@pytest.mark.parametrize("limit", [0, "", None, "0"])
def test_no_budget_limit(limit):
    plan = good_plan(budget_limit=limit, monthly_estimate=10 ** 6)
    assert guardrails(plan)["violations"] == []


def test_a_budget_limit_needs_the_estimate():
    with pytest.raises(AnsibleFilterError, match="no monthly_estimate"):
        guardrails(good_plan(monthly_estimate=""))


def test_unknown_override_and_bad_input():
    with pytest.raises(AnsibleFilterError, match="unknown guardrails in overrides: encrypton"):
        guardrails(good_plan(overrides={"encrypton": True}))
    with pytest.raises(AnsibleFilterError, match="must be a dict"):
        guardrails(["x"])
    assert "guardrails" in FilterModule().filters()


def test_rules_without_data_ports_or_open_cidrs_pass():
    plan = good_plan(ingress=[{"resource": "g", "cidr_ip": "0.0.0.0/0", "from_port": 80, "to_port": 443},
                              {"resource": "g", "cidr_ip": "0.0.0.0/0", "ports": [22, "8080-8081"]},
                              {"resource": "g", "cidr_ip": "192.168.0.0/16", "proto": "-1"}])
    assert guardrails(plan)["violations"] == []
