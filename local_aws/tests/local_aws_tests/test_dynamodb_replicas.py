"""DynamoDB global tables (version 2019.11.21) on the local endpoint: replicas and their items."""

import time

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, create_table, error_code

STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


@pytest.fixture
def east(aws, boto3_client):
    assert_local(aws)
    return boto3_client("dynamodb", region_name="us-east-1", attempts=1)


@pytest.fixture
def west(boto3_client):
    return boto3_client("dynamodb", region_name="us-west-2", attempts=1)


def add_replica(client, region="us-west-2", **create):
    return client.update_table(TableName="orders", ReplicaUpdates=[{"Create": dict(RegionName=region, **create)}])


def test_replica_table_items_both_ways_and_describe(east, west):
    create_table(east, StreamSpecification=STREAM)
    answer = add_replica(east)["TableDescription"]
    assert answer["Replicas"] == [{"RegionName": "us-west-2", "ReplicaStatus": "ACTIVE"}]
    assert answer["GlobalTableVersion"] == "2019.11.21"
    replica = west.describe_table(TableName="orders")["Table"]
    assert replica["Replicas"] == [{"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"}]
    assert replica["TableArn"].startswith("arn:aws:dynamodb:us-west-2:")
    assert replica["StreamSpecification"] == STREAM

    east.put_item(TableName="orders", Item={"pk": {"S": "from-east"}})
    assert west.get_item(TableName="orders", Key={"pk": {"S": "from-east"}})["Item"] == {"pk": {"S": "from-east"}}
    west.put_item(TableName="orders", Item={"pk": {"S": "from-west"}})
    assert "Item" in east.get_item(TableName="orders", Key={"pk": {"S": "from-west"}})
    west.delete_item(TableName="orders", Key={"pk": {"S": "from-east"}})
    assert "Item" not in east.get_item(TableName="orders", Key={"pk": {"S": "from-east"}})


def test_delete_replica(east, west):
    create_table(east, StreamSpecification=STREAM)
    add_replica(east)
    answer = east.update_table(TableName="orders", ReplicaUpdates=[{"Delete": {"RegionName": "us-west-2"}}])
    assert "Replicas" not in answer["TableDescription"]
    assert "Replicas" not in east.describe_table(TableName="orders")["Table"]
    with pytest.raises(ClientError) as raised:
        west.describe_table(TableName="orders")
    assert error_code(raised) == "ResourceNotFoundException"


def test_validation_errors(east, west, boto3_client):
    create_table(east)
    with pytest.raises(ClientError) as raised:
        add_replica(east)
    assert error_code(raised) == "ValidationException" and "NEW_AND_OLD_IMAGES" in str(raised.value)
    east.update_table(TableName="orders", StreamSpecification=STREAM)
    with pytest.raises(ClientError) as raised:
        add_replica(east, region="us-east-1")
    assert error_code(raised) == "ValidationException"
    with pytest.raises(ClientError) as raised:
        east.update_table(TableName="orders", ReplicaUpdates=[{"Create": {"RegionName": "us-west-2"}},
                                                              {"Create": {"RegionName": "eu-west-1"}}])
    assert error_code(raised) == "ValidationException"
    with pytest.raises(ClientError) as raised:
        east.update_table(TableName="orders", ReplicaUpdates=[{"Delete": {"RegionName": "us-west-2"}}])
    assert error_code(raised) == "ValidationException"
    add_replica(east)
    with pytest.raises(ClientError) as raised:
        add_replica(east)
    assert error_code(raised) == "ValidationException"
    assert "orders" not in boto3_client("dynamodb", region_name="eu-west-1").list_tables()["TableNames"]


def test_provisioned_table_needs_auto_scaled_writes(east):
    east.create_table(
        TableName="orders", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}, StreamSpecification=STREAM,
    )
    with pytest.raises(ClientError) as raised:
        add_replica(east)
    assert "Pay-Per-Request or AutoScaled" in str(raised.value)


def test_customer_managed_key_needs_a_key_of_the_replica_region(east, boto3_client):
    home_key = boto3_client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["Arn"]
    west_key = boto3_client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
    create_table(east, StreamSpecification=STREAM,
                 SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": home_key})
    with pytest.raises(ClientError) as raised:
        add_replica(east)
    assert error_code(raised) == "ValidationException"
    with pytest.raises(ClientError) as raised:
        add_replica(east, KMSMasterKeyId=home_key)  # a key of another region
    assert error_code(raised) == "ValidationException"
    replicas = add_replica(east, KMSMasterKeyId=west_key, TableClassOverride="STANDARD_INFREQUENT_ACCESS")
    assert replicas["TableDescription"]["Replicas"] == [{
        "RegionName": "us-west-2", "ReplicaStatus": "ACTIVE", "KMSMasterKeyId": west_key,
        "ReplicaTableClassSummary": {"TableClass": "STANDARD_INFREQUENT_ACCESS"},
    }]
    seen_from_west = boto3_client("dynamodb", region_name="us-west-2").describe_table(TableName="orders")["Table"]
    assert seen_from_west["Replicas"] == [{"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE", "KMSMasterKeyId": home_key}]
    assert seen_from_west["SSEDescription"]["KMSMasterKeyArn"] == west_key


def test_replica_is_creating_for_the_latency(aws, east, west):
    aws.configure(latency_seconds={"dynamodb:replica": 0.6})
    create_table(east, StreamSpecification=STREAM)
    answer = add_replica(east)["TableDescription"]
    assert answer["TableStatus"] == "UPDATING"
    assert answer["Replicas"][0]["ReplicaStatus"] == "CREATING"
    assert west.describe_table(TableName="orders")["Table"]["TableStatus"] == "CREATING"
    with pytest.raises(ClientError) as raised:
        east.update_table(TableName="orders", ReplicaUpdates=[{"Delete": {"RegionName": "us-west-2"}}])
    assert error_code(raised) == "ResourceInUseException"
    time.sleep(0.7)
    table = east.describe_table(TableName="orders")["Table"]
    assert (table["TableStatus"], table["Replicas"][0]["ReplicaStatus"]) == ("ACTIVE", "ACTIVE")
