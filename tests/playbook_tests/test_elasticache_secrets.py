"""The AUTH token of a cache made by the elasticache role never shows in ansible-playbook output, even at -vvv."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEAD_LOOPBACK = "http://127.0.0.1:9"
NAME = "secrets-cache"
SECRET = "elasticache/{0}/auth-token".format(NAME)


@pytest.fixture(scope="module")
def collections_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("collections")
    (root / "ansible_collections" / "storagekit").mkdir(parents=True)
    (root / "ansible_collections" / "storagekit" / "aws").symlink_to(REPO)
    return root


@pytest.fixture
def network(boto3_client):
    """Two private subnets in two zones and the cache's security group."""
    ec2 = boto3_client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnet_ids = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in (("10.60.0.0/20", "us-east-1a"), ("10.60.16.0/20", "us-east-1b"))
    ]
    group_id = ec2.create_security_group(VpcId=vpc_id, GroupName="cache", Description="cache")["GroupId"]
    return subnet_ids, group_id


def run_role_verbosely(tmp_path, collections_path, endpoint, subnet_ids, group_id):
    """Apply the role at -vvv with the default text output; returns stdout + stderr."""
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
                group/storagekit.aws.aws: {{endpoint_url: "{endpoint}", region: us-east-1}}
              roles:
                - role: storagekit.aws.elasticache
                  vars:
                    elasticache_name: {name}
                    elasticache_subnet_ids: {subnet_ids}
                    elasticache_security_group_ids: ["{group_id}"]
              post_tasks:
                - ansible.builtin.debug:
                    var: elasticache_results
            """
        ).format(endpoint=endpoint, name=NAME, subnet_ids=list(subnet_ids), group_id=group_id)
    )
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(collections_path),
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
        ANSIBLE_NOCOLOR="1",
        # Anything that ignored module_defaults would go here and fail: a closed loopback port.
        AWS_ENDPOINT_URL=DEAD_LOOPBACK,
    )
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), "-vvv", "-i", "localhost,", "-c", "local", str(playbook)],
        capture_output=True, text=True, env=env, check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    return output


def test_the_generated_token_and_its_rotation_never_show(aws, tmp_path, collections_path, network, boto3_client):
    secrets = boto3_client("secretsmanager")
    elasticache = boto3_client("elasticache")

    created = run_role_verbosely(tmp_path, collections_path, aws.url, *network)
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
    rotated = run_role_verbosely(tmp_path, collections_path, aws.url, *network)
    modifies = [
        entry for entry in aws.requests()["requests"]
        if entry["operation"] == "ModifyReplicationGroup" and entry["status"] == 200
    ]
    assert modifies, "the rotated secret was not put into effect"
    assert token not in rotated
    assert rotated_token not in rotated
