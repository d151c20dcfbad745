"""The request log, the control API under /_local_aws/ and reset."""

import json
import urllib.error
import urllib.request

import pytest

from storagekit_local_aws import LocalAWS
from storagekit_local_aws.operations import Call
from storagekit_local_aws.request_log import RequestLog

from .helpers import assert_local, create_table


def http(endpoint, method, path, data=None):
    """(status, JSON body) of a plain HTTP request, as ansible.builtin.uri would make it."""
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(endpoint.url + path, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_health(aws):
    assert_local(aws)
    status, body = http(aws, "GET", "/_local_aws/health")
    assert status == 200 and body["status"] == "ok"


def test_requests_summary_since_and_clear(aws, boto3_client):
    assert_local(aws)
    dynamodb = boto3_client("dynamodb")
    create_table(dynamodb)
    dynamodb.describe_table(TableName="orders")
    dynamodb.describe_table(TableName="orders")
    status, body = http(aws, "GET", "/_local_aws/requests")
    assert status == 200
    assert body["summary"]["reads"] == 2
    assert body["summary"]["writes"] == 1
    assert body["summary"]["by_operation"] == {"dynamodb:CreateTable": 1, "dynamodb:DescribeTable": 2}
    first = body["requests"][0]
    assert set(first) == {"seq", "time", "service", "operation", "region", "write", "status", "fault"}
    assert (first["service"], first["operation"], first["status"], first["fault"]) == (
        "dynamodb", "CreateTable", 200, None)

    dummy, later = http(aws, "GET", f"/_local_aws/requests?since={first['seq']}")
    assert [e["operation"] for e in later["requests"]] == ["DescribeTable", "DescribeTable"]

    assert http(aws, "DELETE", "/_local_aws/requests") == (200, {"cleared": 3})
    dynamodb.describe_table(TableName="orders")
    dummy, after = http(aws, "GET", "/_local_aws/requests")
    assert after["summary"]["by_operation"] == {"dynamodb:DescribeTable": 1}
    assert after["requests"][0]["seq"] > later["requests"][-1]["seq"]  # numbers never restart


def test_control_requests_are_not_logged(aws):
    assert_local(aws)
    http(aws, "GET", "/_local_aws/health")
    http(aws, "GET", "/_local_aws/config")
    assert aws.requests()["requests"] == []


def test_config_get_and_post(aws):
    assert_local(aws)
    status, config = http(aws, "GET", "/_local_aws/config")
    assert status == 200 and config["fault_rate"] == 0 and config["latency_seconds"] is None
    status, config = http(aws, "POST", "/_local_aws/config",
                          {"fault_rate": 0.25, "fault_seed": 7, "fault_kinds": ["throttle"],
                           "fault_operations": ["DescribeTable"], "latency_seconds": {"dynamodb:table": 2}})
    assert status == 200
    assert config == {"fault_rate": 0.25, "fault_seed": 7, "fault_kinds": ["throttle"],
                      "fault_operations": ["DescribeTable"], "latency_seconds": {"dynamodb:table": 2.0},
                      "call_delay_seconds": None, "eks_cluster_endpoint": None}


@pytest.mark.parametrize("bad", [
    {"fault_rate": 2}, {"fault_kinds": ["meteor"]}, {"latency_seconds": "soon"}, {"nope": 1}, [1],
    {"call_delay_seconds": 2}, {"call_delay_seconds": {"s3:CreateBucket": 61}},
])
def test_bad_config_is_refused_and_changes_nothing(aws, bad):
    assert_local(aws)
    status, body = http(aws, "POST", "/_local_aws/config", bad)
    assert status == 400 and body["error"]
    assert http(aws, "GET", "/_local_aws/config")[1]["fault_rate"] == 0


def test_unknown_control_route(aws):
    assert_local(aws)
    assert http(aws, "GET", "/_local_aws/nothing")[0] == 404


def test_reset_clears_moto_extensions_latency_and_log(aws, boto3_client):
    assert_local(aws)
    aws.configure(latency_seconds=60)
    dynamodb = boto3_client("dynamodb")
    first_id = create_table(dynamodb)["TableId"]
    assert dynamodb.describe_table(TableName="orders")["Table"]["TableStatus"] == "CREATING"
    status, dummy = http(aws, "POST", "/moto-api/reset")
    assert status == 200
    assert aws.requests()["requests"] == []
    assert dynamodb.list_tables()["TableNames"] == []
    # Same name again with latency off: the old timer is gone, so it is ACTIVE at once.
    aws.configure(latency_seconds=None)
    table = create_table(dynamodb)
    assert table["TableId"] != first_id
    assert dynamodb.describe_table(TableName="orders")["Table"]["TableStatus"] == "ACTIVE"


def test_request_log_file(tmp_path):
    log = RequestLog(path=tmp_path / "requests.jsonl")
    call = Call("s3", "PutObject", "us-east-1", "rest-xml", "s3", "testing")
    log.add(call, 200)
    log.add(call, 503, "throttle")
    lines = [json.loads(line) for line in (tmp_path / "requests.jsonl").read_text().splitlines()]
    assert [(e["seq"], e["write"], e["status"], e["fault"]) for e in lines] == [
        (1, True, 200, None), (2, True, 503, "throttle")]


def test_only_local_hosts_are_served():
    with pytest.raises(ValueError):
        LocalAWS(host="0.0.0.0")
    with pytest.raises(ValueError):
        LocalAWS(host="10.0.0.5")
