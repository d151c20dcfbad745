"""The master password of a database made by the rds_postgres role never shows in ansible-playbook output,
even at -vvv: RDS generates it into Secrets Manager and the collection never reads it."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEAD_LOOPBACK = "http://127.0.0.1:9"
NAME = "secrets-db"


@pytest.fixture(scope="module")
def collections_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("collections")
    (root / "ansible_collections" / "storagekit").mkdir(parents=True)
    (root / "ansible_collections" / "storagekit" / "aws").symlink_to(REPO)
    return root


@pytest.fixture
def network(boto3_client):
    """Two private subnets in two zones and the database's security group."""
    ec2 = boto3_client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    subnet_ids = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in (("10.61.0.0/20", "us-east-1a"), ("10.61.16.0/20", "us-east-1b"))
    ]
    group_id = ec2.create_security_group(VpcId=vpc_id, GroupName="db", Description="db")["GroupId"]
    return subnet_ids, group_id


def run_role_verbosely(tmp_path, collections_path, endpoint, subnet_ids, group_id):
    """Apply the role (with a read replica) at -vvv with the default text output; returns stdout + stderr."""
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
                - role: storagekit.aws.rds_postgres
                  vars:
                    rds_postgres_name: {name}
                    rds_postgres_subnet_ids: {subnet_ids}
                    rds_postgres_security_group_ids: ["{group_id}"]
                    rds_postgres_read_replicas: [{{name: {name}-replica}}]
              post_tasks:
                - ansible.builtin.debug:
                    var: rds_postgres_results
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


def test_the_master_password_never_shows(aws, tmp_path, collections_path, network, boto3_client):
    output = run_role_verbosely(tmp_path, collections_path, aws.url, *network)
    rds = boto3_client("rds")
    instance = rds.describe_db_instances(DBInstanceIdentifier=NAME)["DBInstances"][0]
    secret_arn = instance["MasterUserSecret"]["SecretArn"]
    secret = json.loads(boto3_client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"])
    assert secret["username"] == "postgres" and len(secret["password"]) >= 16
    assert "ESTABLISH LOCAL CONNECTION" in output  # it is -vvv
    assert secret_arn in output  # the secret is named by its ARN ...
    assert secret["password"] not in output  # ... and its value never appears
    # The collection never reads the value: no GetSecretValue in the run (only the test's own read above).
    reads = [e["operation"] for e in aws.requests()["requests"] if e["service"] == "secretsmanager"]
    assert reads.count("GetSecretValue") == 1
