"""Small helpers shared by the endpoint's tests."""

from urllib.parse import urlparse

KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]
ATTRS = [{"AttributeName": "pk", "AttributeType": "S"}]


def assert_local(endpoint):
    assert urlparse(endpoint.url).hostname == "127.0.0.1"


def create_table(dynamodb, name="orders", **kwargs):
    return dynamodb.create_table(
        TableName=name, KeySchema=KEY, AttributeDefinitions=ATTRS, BillingMode="PAY_PER_REQUEST", **kwargs
    )["TableDescription"]


def gsi_create(name="by-status"):
    return {
        "AttributeDefinitions": ATTRS + [{"AttributeName": "status", "AttributeType": "S"}],
        "GlobalSecondaryIndexUpdates": [{"Create": {
            "IndexName": name,
            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }}],
    }


def logged(endpoint, since=0):
    """["service:Operation", ...] of the calls logged after `since`."""
    return [f'{e["service"]}:{e["operation"]}' for e in endpoint.requests(since)["requests"]]


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]
