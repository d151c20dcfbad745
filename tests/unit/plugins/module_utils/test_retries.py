"""module_utils/retries: which answers are retried, how often, and where the bound comes from."""

import pytest
from botocore.exceptions import ClientError

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.storagekit.aws.plugins.module_utils import retries

TABLE = {"TableName": "orders"}
DESCRIBED = {"Table": {"TableName": "orders", "TableStatus": "ACTIVE"}}


class FakeModule:
    def __init__(self, aws_config=None):
        self.params = {"aws_config": aws_config}


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    slept = []
    monkeypatch.setattr("time.sleep", slept.append)
    return slept


def retrying(stubs, service, module=None, extra=None):
    return RetryingBotoClientWrapper(stubs.clients[service], retries.retry_decorator(module or FakeModule(), extra))


@pytest.mark.parametrize(
    "service,operation,params,code,status",
    [
        ("dynamodb", "describe_table", TABLE, "ThrottlingException", 400),
        ("kms", "describe_key", {"KeyId": "alias/app"}, "ThrottlingException", 400),
        ("s3", "get_bucket_versioning", {"Bucket": "b"}, "SlowDown", 503),
        ("rds", "describe_db_instances", {}, "Throttling", 400),
        ("ec2", "describe_vpcs", {}, "RequestLimitExceeded", 503),
        ("route53", "get_hosted_zone_count", {}, "PriorRequestNotComplete", 400),
        ("eks", "list_clusters", {}, "TooManyRequestsException", 429),
        ("dynamodb", "describe_table", TABLE, "ProvisionedThroughputExceededException", 400),
        ("dynamodb", "describe_table", TABLE, "InternalServerError", 500),
        ("elasticache", "describe_replication_groups", {}, "InternalFailure", 500),
        ("efs", "describe_file_systems", {}, "SomethingNewOnTheServer", 502),
    ],
)
def test_a_throttled_or_failed_call_is_retried_then_succeeds(stubs, no_sleep, service, operation, params, code, status):
    stubs[service].add_client_error(operation, service_error_code=code, http_status_code=status, expected_params=params)
    stubs[service].add_response(operation, {"HostedZoneCount": 1} if service == "route53" else {}, params)
    getattr(retrying(stubs, service), operation)(aws_retry=True, **params)
    stubs.assert_no_pending_responses()
    assert len(no_sleep) == 1 and 0 <= no_sleep[0] <= retries.DELAY


def test_without_aws_retry_nothing_is_retried(stubs):
    stubs["dynamodb"].add_client_error("describe_table", service_error_code="ThrottlingException", expected_params=TABLE)
    with pytest.raises(ClientError):
        retrying(stubs, "dynamodb").describe_table(**TABLE)


@pytest.mark.parametrize("code,status", [("ValidationException", 400), ("ResourceNotFoundException", 400), ("AccessDeniedException", 400)])
def test_a_client_error_is_not_retried(stubs, no_sleep, code, status):
    stubs["dynamodb"].add_client_error("describe_table", service_error_code=code, http_status_code=status, expected_params=TABLE)
    with pytest.raises(ClientError) as error:
        retrying(stubs, "dynamodb").describe_table(aws_retry=True, **TABLE)
    assert error.value.response["Error"]["Code"] == code
    assert no_sleep == []
    stubs.assert_no_pending_responses()


def test_extra_codes_of_one_client(stubs):
    stubs["s3"].add_client_error("get_bucket_versioning", service_error_code="NoSuchBucket", http_status_code=404)
    stubs["s3"].add_response("get_bucket_versioning", {"Status": "Enabled"}, {"Bucket": "b"})
    client = retrying(stubs, "s3", extra=["NoSuchBucket"])
    assert client.get_bucket_versioning(aws_retry=True, Bucket="b")["Status"] == "Enabled"


@pytest.mark.parametrize(
    "aws_config,attempts",
    [
        (None, retries.DEFAULT_ATTEMPTS),
        ({}, retries.DEFAULT_ATTEMPTS),
        ({"retries": {"mode": "standard"}}, retries.DEFAULT_ATTEMPTS),
        ({"retries": {"total_max_attempts": 4}}, 4),
        ({"retries": {"max_attempts": 3}}, 4),  # botocore counts the retries only there
        ({"retries": {"mode": "adaptive", "total_max_attempts": "6"}}, 6),
    ],
)
def test_the_bound_comes_from_aws_config(aws_config, attempts):
    assert retries.max_attempts(FakeModule(aws_config)) == attempts


def test_the_bound_is_respected(stubs, no_sleep):
    module = FakeModule({"retries": {"mode": "standard", "total_max_attempts": 4}})
    for _attempt in range(4):
        stubs["dynamodb"].add_client_error("describe_table", service_error_code="ThrottlingException", expected_params=TABLE)
    stubs["dynamodb"].add_response("describe_table", DESCRIBED, TABLE)  # never reached
    with pytest.raises(ClientError) as error:
        retrying(stubs, "dynamodb", module).describe_table(aws_retry=True, **TABLE)
    assert error.value.response["Error"]["Code"] == "ThrottlingException"
    assert len(no_sleep) == 3
    # Jittered: each sleep is at most the doubling delay.
    assert all(0 <= slept <= min(retries.DELAY * 2 ** n, retries.MAX_DELAY) for n, slept in enumerate(no_sleep))
    assert stubs.stubbers["dynamodb"]._queue  # pylint: disable=protected-access


def test_aws_client_gives_the_module_client_the_decorator():
    made = {}

    class Module(FakeModule):
        def client(self, service, retry_decorator=None):
            made[service] = retry_decorator
            return service

    assert retries.aws_client(Module(), "kms") == "kms"
    assert callable(made["kms"])
