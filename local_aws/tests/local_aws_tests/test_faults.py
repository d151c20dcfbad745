"""Fault injection: botocore sees the error codes AWS sends, in every protocol family."""

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, create_table, error_code


def fail_everything(aws, kind):
    aws.configure(fault_rate=1.0, fault_seed=1, fault_kinds=[kind])


CASES = [
    # (client, call, kwargs, throttle code, server error code, statuses)
    ("dynamodb", "list_tables", {}, "ThrottlingException", "InternalServerError", (400, 500)),
    ("application-autoscaling", "describe_scalable_targets", {"ServiceNamespace": "dynamodb"},
     "ThrottlingException", "InternalFailure", (400, 500)),
    ("sts", "get_caller_identity", {}, "Throttling", "InternalFailure", (400, 500)),
    ("iam", "list_roles", {}, "Throttling", "InternalFailure", (400, 500)),
    ("ec2", "describe_vpcs", {}, "RequestLimitExceeded", "InternalError", (503, 500)),
    ("kms", "list_keys", {}, "ThrottlingException", "InternalFailure", (400, 500)),
    ("secretsmanager", "list_secrets", {}, "ThrottlingException", "InternalFailure", (400, 500)),
    ("logs", "describe_log_groups", {}, "ThrottlingException", "InternalFailure", (400, 500)),
    ("rds", "describe_db_instances", {}, "Throttling", "InternalFailure", (400, 500)),
    ("elasticache", "describe_replication_groups", {}, "Throttling", "InternalFailure", (400, 500)),
    # The EKS and EFS models give ThrottlingException HTTP 429.
    ("eks", "list_clusters", {}, "ThrottlingException", "InternalFailure", (429, 500)),
    ("efs", "describe_file_systems", {}, "ThrottlingException", "InternalFailure", (429, 500)),
    ("s3", "list_buckets", {}, "SlowDown", "InternalError", (503, 500)),
    ("route53", "list_hosted_zones", {}, "Throttling", "InternalFailure", (400, 500)),
    ("cloudfront", "list_distributions", {}, "Throttling", "InternalFailure", (400, 500)),
]


@pytest.mark.parametrize("service,method,kwargs,throttle,server_error,statuses", CASES)
def test_injected_errors_parse_into_aws_codes(aws, boto3_client, service, method, kwargs,
                                              throttle, server_error, statuses):
    assert_local(aws)
    client = boto3_client(service, attempts=1)
    for kind, code, status in (("throttle", throttle, statuses[0]),
                               ("server_error", server_error, statuses[1])):
        fail_everything(aws, kind)
        with pytest.raises(ClientError) as excinfo:
            getattr(client, method)(**kwargs)
        assert error_code(excinfo) == code
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    entries = aws.requests()["requests"]
    assert [e["fault"] for e in entries] == ["throttle", "server_error"]
    assert [e["status"] for e in entries] == list(statuses)


def test_a_faulted_call_never_reaches_moto(aws, boto3_client):
    assert_local(aws)
    s3 = boto3_client("s3", attempts=1)
    fail_everything(aws, "throttle")
    with pytest.raises(ClientError):
        s3.create_bucket(Bucket="never-made")
    aws.configure(fault_rate=0)
    assert s3.list_buckets()["Buckets"] == []


def test_fault_operations_limits_which_calls_fail(aws, boto3_client):
    assert_local(aws)
    dynamodb = boto3_client("dynamodb", attempts=1)
    create_table(dynamodb)
    aws.configure(fault_rate=1.0, fault_operations=["dynamodb:DescribeTable"])
    dynamodb.list_tables()
    with pytest.raises(ClientError):
        dynamodb.describe_table(TableName="orders")


# A seed whose draws fail several DynamoDB tries and one S3 try (S3's backoff is slow).
SEED = 10


def test_default_retries_get_through_half_the_calls_failing(aws, boto3_client):
    assert_local(aws)
    dynamodb = boto3_client("dynamodb")  # botocore's default retry policy
    s3 = boto3_client("s3")
    create_table(dynamodb)
    s3.create_bucket(Bucket="retried-bucket")
    aws.configure(fault_rate=0.5, fault_seed=SEED)
    for dummy in range(5):
        assert dynamodb.describe_table(TableName="orders")["Table"]["TableName"] == "orders"
    assert s3.get_bucket_versioning(Bucket="retried-bucket")["ResponseMetadata"]["HTTPStatusCode"] == 200
    entries = aws.requests()["requests"]
    assert {e["service"] for e in entries if e["fault"]} == {"dynamodb", "s3"}
    assert sum(1 for e in entries if e["status"] == 200) == 2 + 5 + 1


def test_the_same_seed_fails_the_same_calls(aws, boto3_client):
    assert_local(aws)
    sts = boto3_client("sts", attempts=1)

    def pattern():
        aws.configure(fault_rate=0.5, fault_seed=3)
        outcome = []
        for dummy in range(8):
            try:
                sts.get_caller_identity()
                outcome.append("ok")
            except ClientError as error:
                outcome.append(error.response["Error"]["Code"])
        return outcome

    first = pattern()
    assert pattern() == first
    assert "ok" in first and len(set(first)) > 1
