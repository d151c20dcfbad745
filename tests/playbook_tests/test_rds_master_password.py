"""The master password of a database made by the rds_postgres role never shows in ansible-playbook output,
even at -vvv: RDS generates it into Secrets Manager and the collection never reads it."""

import json

import pytest

from .conftest import private_network, run_role_verbosely

NAME = "secrets-db"


@pytest.fixture
def network(boto3_client):
    """Two private subnets in two zones and the database's security group."""
    return private_network(boto3_client, "10.61", "db")


def test_the_master_password_never_shows(aws, tmp_path, collections_path, network, boto3_client):
    subnet_ids, group_id = network
    role_vars = {
        "rds_postgres_name": NAME,
        "rds_postgres_subnet_ids": subnet_ids,
        "rds_postgres_security_group_ids": [group_id],
        "rds_postgres_read_replicas": [{"name": f"{NAME}-replica"}],
    }
    output = run_role_verbosely(tmp_path, collections_path, aws.url, "storagekit.aws.rds_postgres", role_vars,
                                "rds_postgres_results")
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
