"""What the network role asks of storagekit.aws.vpc_endpoints, and the bucket statement of s3_buckets_require_vpce,
rendered by Ansible's templar from the roles' own templates, tasks and defaults."""

import json
from pathlib import Path

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

ROLES = Path(__file__).resolve().parents[3] / "roles"
ACCOUNT = "123456789012"
APPLIED = {
    "vpc": {"id": "vpc-0a", "owner_id": ACCOUNT},
    "private_route_tables": [{"id": "rtb-0a"}, {"id": "rtb-0b"}],
    "private_subnets": [{"id": "subnet-0a"}, {"id": "subnet-0b"}],
    "security_groups": [{"group_id": "sg-0app"}, {"group_id": "sg-0pg"}, {"group_id": "sg-0endpoints"}],
}


def templar(role, **extra):
    loader = DataLoader()
    variables = dict(loader.load_from_file(str(ROLES / role / "defaults" / "main.yml")))
    variables.update(extra)
    return loader, Templar(loader=loader, variables=variables)


def render_endpoints(**extra):
    loader, render = templar("network", network_applied=APPLIED, **extra)
    source = (ROLES / "network" / "templates" / "endpoints.json.j2").read_text()
    return json.loads(render.template(trust_as_template(source)))


def test_gateway_endpoints_admit_only_the_stacks_buckets_and_tables():
    endpoints = render_endpoints(network_gateway_endpoints=["s3", "dynamodb"],
                                 network_endpoint_bucket_arns=["arn:aws:s3:::uploads"],
                                 network_endpoint_table_arns=["arn:aws:dynamodb:us-east-1:123456789012:table/orders"])
    s3, dynamodb = endpoints
    assert s3["type"] == "Gateway" and s3["route_table_ids"] == ["rtb-0a", "rtb-0b"]
    statement = s3["policy"]["Statement"][0]
    assert statement["Action"] == "s3:*"
    assert statement["Resource"] == ["arn:aws:s3:::uploads", "arn:aws:s3:::uploads/*"]
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}
    table = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    assert dynamodb["policy"]["Statement"][0]["Resource"] == [table, table + "/*"]


def test_without_arns_the_account_is_the_boundary():
    (s3,) = render_endpoints(network_gateway_endpoints=["s3"])
    statement = s3["policy"]["Statement"][0]
    assert statement["Resource"] == "*"
    assert statement["Condition"]["StringEquals"] == {"aws:PrincipalAccount": ACCOUNT, "aws:ResourceAccount": ACCOUNT}


def test_interface_endpoints_in_the_private_subnets_and_the_endpoints_group():
    endpoints = render_endpoints(network_interface_endpoints=["secretsmanager", "kms"])
    assert [e["service"] for e in endpoints] == ["secretsmanager", "kms"]
    for endpoint in endpoints:
        assert endpoint["type"] == "Interface" and endpoint["private_dns_enabled"] is True
        assert endpoint["subnet_ids"] == ["subnet-0a", "subnet-0b"]
        assert endpoint["security_group_ids"] == ["sg-0endpoints"]
        assert endpoint["policy"]["Statement"][0]["Condition"] == {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}


def bucket_policy(deployer_arn, **extra):
    """The policy statements the s3_buckets role works out for one bucket."""
    loader = DataLoader()
    tasks = loader.load_from_file(str(ROLES / "s3_buckets" / "tasks" / "main.yml"), trusted_as_template=True)
    exempt_task = next(t for t in tasks if t["name"].startswith("Principals the VPC endpoint requirement"))
    settings_task = next(t for t in tasks if t["name"] == "Work out the settings of each bucket")
    render = templar("s3_buckets", s3_buckets_deployer={"arn": deployer_arn},
                     s3_buckets_replication_role_arn="arn:aws:iam::123456789012:role/s3-replication",
                     s3_buckets_buckets=[{"name": "uploads"}], **extra)[1]
    exempt = render.template(exempt_task["ansible.builtin.set_fact"]["s3_buckets_vpce_exempt"])
    render.available_variables = dict(render.available_variables, s3_buckets_vpce_exempt=exempt,
                                      **settings_task.get("vars", {}))
    groups = render.template(settings_task["ansible.builtin.set_fact"]["s3_buckets_groups"])
    (bucket,) = [b for group in groups for b in group if b["name"] == "uploads"]
    return bucket["policy"]["Statement"]


def test_require_vpce_denies_other_paths_but_exempts_the_deploying_role():
    statements = bucket_policy("arn:aws:sts::123456789012:assumed-role/deployer/ci-session",
                               s3_buckets_require_vpce=["vpce-0a"])
    (deny,) = [s for s in statements if s.get("Sid") == "DenyOutsideVpcEndpoints"]
    assert deny["Effect"] == "Deny" and deny["Action"] == "s3:*"
    assert deny["Resource"] == ["arn:aws:s3:::uploads", "arn:aws:s3:::uploads/*"]
    assert deny["Condition"]["StringNotEquals"] == {"aws:SourceVpce": ["vpce-0a"]}
    assert deny["Condition"]["ArnNotLike"] == {"aws:PrincipalArn": [
        "arn:aws:iam::123456789012:role/deployer", "arn:aws:iam::123456789012:role/*/deployer"]}


def test_named_exempt_principals_replace_the_deployer_and_no_vpce_no_statement():
    statements = bucket_policy("arn:aws:iam::123456789012:user/me", s3_buckets_require_vpce=["vpce-0a"],
                               s3_buckets_require_vpce_exempt_principals=["arn:aws:iam::123456789012:role/admin"])
    (deny,) = [s for s in statements if s.get("Sid") == "DenyOutsideVpcEndpoints"]
    assert deny["Condition"]["ArnNotLike"] == {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/admin"]}
    statements = bucket_policy("arn:aws:iam::123456789012:user/me")
    assert not [s for s in statements if s.get("Sid") == "DenyOutsideVpcEndpoints"]
