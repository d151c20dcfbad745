"""The AUTH token of a cache made by the elasticache role never shows in ansible-playbook output, even at -vvv."""

import functools

import pytest

from .conftest import private_network, run_role_verbosely

NAME = "secrets-cache"
SECRET = "elasticache/{0}/auth-token".format(NAME)


@pytest.fixture
def network(boto3_client):
    """Two private subnets in two zones and the cache's security group."""
    return private_network(boto3_client, "10.60", "cache")


def test_the_generated_token_and_its_rotation_never_show(aws, tmp_path, collections_path, network, boto3_client):
    secrets = boto3_client("secretsmanager")
    elasticache = boto3_client("elasticache")

    subnet_ids, group_id = network
    role_vars = {
        "elasticache_name": NAME,
        "elasticache_subnet_ids": subnet_ids,
        "elasticache_security_group_ids": [group_id],
    }
    apply_role = functools.partial(run_role_verbosely, tmp_path, collections_path, aws.url,
                                   "storagekit.aws.elasticache", role_vars, "elasticache_results")

    created = apply_role()
    token = secrets.get_secret_value(SecretId=SECRET)["SecretString"]
    group = elasticache.describe_replication_groups(ReplicationGroupId=NAME)["ReplicationGroups"][0]
    assert group["AuthTokenEnabled"] and group["TransitEncryptionEnabled"]
    assert len(token) == 64
    assert "auth_token_secret_arn" in created and "ESTABLISH LOCAL CONNECTION" in created  # it is -vvv
    assert token not in created

    # A new secret version is put into effect with the ROTATE strategy: the new token travels in
    # ModifyReplicationGroup, and neither token may show.
    rotated_token = secrets.get_random_password(PasswordLength=64, ExcludePunctuation=True)["RandomPassword"]
    secrets.put_secret_value(SecretId=SECRET, SecretString=rotated_token)
    rotated = apply_role()
    modifies = [
        entry for entry in aws.requests()["requests"]
        if entry["operation"] == "ModifyReplicationGroup" and entry["status"] == 200
    ]
    assert modifies, "the rotated secret was not put into effect"
    assert token not in rotated
    assert rotated_token not in rotated
