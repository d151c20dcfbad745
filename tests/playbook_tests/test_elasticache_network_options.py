"""The elasticache role's CIDR block restrictions and its explicit encryption opt-outs."""

import pytest
import yaml

from .conftest import ansible_playbook, private_network, run_role_verbosely

pytestmark = pytest.mark.newest_line_only
NAME = "cidr-cache"


@pytest.fixture
def network(boto3_client):
    return private_network(boto3_client, "10.61", "cache")


def test_allowed_cidr_blocks_are_the_rules_of_a_group_of_the_cache(aws, tmp_path, collections_path, network, boto3_client):
    subnet_ids, group_id = network
    role_vars = {"elasticache_name": NAME, "elasticache_subnet_ids": subnet_ids,
                 "elasticache_security_group_ids": [group_id], "elasticache_allowed_cidr_blocks": ["10.30.0.0/16"]}
    run_role_verbosely(tmp_path, collections_path, aws.url, "storagekit.aws.elasticache", role_vars, "elasticache_results")
    ec2 = boto3_client("ec2")
    (cidr_group,) = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [NAME + "-cidr"]}])["SecurityGroups"]
    assert [(p["FromPort"], p["ToPort"], [r["CidrIp"] for r in p["IpRanges"]]) for p in cidr_group["IpPermissions"]] == [
        (6379, 6379, ["10.30.0.0/16"])]
    group = boto3_client("elasticache").describe_cache_clusters(CacheClusterId=NAME + "-001")["CacheClusters"][0]
    assert sorted(g["SecurityGroupId"] for g in group["SecurityGroups"]) == sorted([group_id, cidr_group["GroupId"]])


def apply_and_fail(tmp_path, collections_path, aws, role_vars):
    play = {"hosts": "localhost", "gather_facts": False,
            "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
            "module_defaults": {"group/storagekit.aws.aws": {"endpoint_url": aws.url, "region": "us-east-1"}},
            "roles": [{"role": "storagekit.aws.elasticache", "vars": role_vars}]}
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump([play], sort_keys=False))
    before = aws.requests()["summary"]["last_seq"] or 0
    result = ansible_playbook(playbook, collections_path, "ansible.builtin.default")
    assert result.returncode != 0
    assert aws.requests(since=before)["summary"]["writes"] == 0
    return result.stdout + result.stderr


def test_bad_or_open_blocks_are_refused_before_any_write(aws, tmp_path, collections_path, network):
    subnet_ids, group_id = network
    output = apply_and_fail(tmp_path, collections_path, aws, {
        "elasticache_name": NAME, "elasticache_subnet_ids": subnet_ids, "elasticache_security_group_ids": [group_id],
        "elasticache_allowed_cidr_blocks": ["10.30.0.0/33", "10.300.0.0/16", "0.0.0.0/0", "10.40.0.0/16"]})
    assert "(not 10.30.0.0/33, 10.300.0.0/16)" in output
    assert "0.0.0.0/0 admits the whole internet and needs elasticache_allow_any_cidr=true" in output


def test_encryption_opt_outs_are_applied_and_warned_about(aws, tmp_path, collections_path, network, boto3_client):
    subnet_ids, group_id = network
    output = run_role_verbosely(tmp_path, collections_path, aws.url, "storagekit.aws.elasticache", {
        "elasticache_name": NAME, "elasticache_subnet_ids": subnet_ids, "elasticache_security_group_ids": [group_id],
        "elasticache_at_rest_encryption": False, "elasticache_transit_encryption": False}, "elasticache_results")
    group = boto3_client("elasticache").describe_replication_groups(ReplicationGroupId=NAME)["ReplicationGroups"][0]
    assert not group["AtRestEncryptionEnabled"] and not group["TransitEncryptionEnabled"]
    assert not group["AuthTokenEnabled"]
    assert "[WARNING]: at_rest_encryption=false" in output
    assert "[WARNING]: transit_encryption=false" in output
