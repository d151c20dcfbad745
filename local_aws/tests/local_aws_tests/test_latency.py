"""Latency model: DynamoDB tables and new indexes are CREATING for a while, as on AWS."""

import time

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, create_table, error_code, gsi_create

DELAY = 0.5


def wait_until_ready(started):
    time.sleep(max(0.0, started + DELAY + 0.05 - time.monotonic()))


def test_off_by_default(aws, boto3_client):
    assert_local(aws)
    dynamodb = boto3_client("dynamodb")
    assert create_table(dynamodb)["TableStatus"] == "ACTIVE"
    dynamodb.update_time_to_live(TableName="orders",
                                 TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})


def test_table_is_creating_then_active(aws, boto3_client):
    assert_local(aws)
    aws.configure(latency_seconds=DELAY)
    dynamodb = boto3_client("dynamodb", attempts=1)
    started = time.monotonic()
    assert create_table(dynamodb)["TableStatus"] == "CREATING"
    assert dynamodb.describe_table(TableName="orders")["Table"]["TableStatus"] == "CREATING"
    wait_until_ready(started)
    assert dynamodb.describe_table(TableName="orders")["Table"]["TableStatus"] == "ACTIVE"
    dynamodb.get_waiter("table_exists").wait(TableName="orders", WaiterConfig={"Delay": 1})


@pytest.mark.parametrize("method,kwargs", [
    ("update_table", {"BillingMode": "PROVISIONED",
                      "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
    ("delete_table", {}),
    ("update_time_to_live", {"TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}}),
    ("update_continuous_backups", {"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}}),
])
def test_writes_on_a_creating_table_are_refused(aws, boto3_client, method, kwargs):
    assert_local(aws)
    aws.configure(latency_seconds=DELAY)
    dynamodb = boto3_client("dynamodb", attempts=1)
    started = time.monotonic()
    create_table(dynamodb)
    with pytest.raises(ClientError) as excinfo:
        getattr(dynamodb, method)(TableName="orders", **kwargs)
    assert error_code(excinfo) == "ResourceInUseException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Table is being created" in excinfo.value.response["Error"]["Message"]
    assert aws.requests()["requests"][-1]["status"] == 400
    wait_until_ready(started)
    getattr(dynamodb, method)(TableName="orders", **kwargs)


def test_new_global_secondary_index_is_creating(aws, boto3_client):
    assert_local(aws)
    dynamodb = boto3_client("dynamodb", attempts=1)
    create_table(dynamodb)
    aws.configure(latency_seconds={"dynamodb:index": DELAY})
    started = time.monotonic()
    table = dynamodb.update_table(TableName="orders", **gsi_create())["TableDescription"]
    assert table["TableStatus"] == "UPDATING"
    assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    table = dynamodb.describe_table(TableName="orders")["Table"]
    assert (table["TableStatus"], table["GlobalSecondaryIndexes"][0]["IndexStatus"]) == ("UPDATING", "CREATING")
    with pytest.raises(ClientError) as excinfo:
        dynamodb.update_table(TableName="orders", **gsi_create("by-customer"))
    assert error_code(excinfo) == "ResourceInUseException"
    wait_until_ready(started)
    table = dynamodb.describe_table(TableName="orders")["Table"]
    assert (table["TableStatus"], table["GlobalSecondaryIndexes"][0]["IndexStatus"]) == ("ACTIVE", "ACTIVE")


def test_per_kind_latency_leaves_other_kinds_instant(aws, boto3_client):
    assert_local(aws)
    aws.configure(latency_seconds={"dynamodb:index": 30})
    assert create_table(boto3_client("dynamodb"))["TableStatus"] == "ACTIVE"


def test_a_deleted_table_forgets_its_timer(aws, boto3_client):
    assert_local(aws)
    dynamodb = boto3_client("dynamodb", attempts=1)
    aws.configure(latency_seconds={"dynamodb:index": 30})
    create_table(dynamodb)
    dynamodb.update_table(TableName="orders", **gsi_create())
    aws.configure(latency_seconds=None)
    with pytest.raises(ClientError):
        dynamodb.delete_table(TableName="orders")  # the index is still being created
    aws.reset()
    create_table(dynamodb)
    assert dynamodb.describe_table(TableName="orders")["Table"]["TableStatus"] == "ACTIVE"
