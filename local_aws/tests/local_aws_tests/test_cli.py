"""storagekit-local-aws up / status / requests / reset / down, as Molecule and the demo use it."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import boto3

from storagekit_local_aws import EndpointConfig

COMMAND = Path(sys.executable).parent / "storagekit-local-aws"


def run(*args, check=True):
    env = dict(os.environ, LOCAL_AWS_LATENCY_SECONDS='{"dynamodb:table": 30}')
    result = subprocess.run([str(COMMAND), *args], env=env, capture_output=True, text=True, timeout=60,
                            check=check)
    return result.stdout if check else result


def test_up_requests_down(tmp_path):
    url = run("up", "--dir", str(tmp_path)).strip()
    try:
        assert urlparse(url).hostname == "127.0.0.1"
        assert (tmp_path / "url").read_text().strip() == url
        assert run("up", "--dir", str(tmp_path)).strip() == url  # already running: same server
        dynamodb = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1",
                                aws_access_key_id="testing", aws_secret_access_key="testing")
        table = dynamodb.create_table(
            TableName="orders", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST")["TableDescription"]
        assert table["TableStatus"] == "CREATING"  # start-up settings came from the environment
        dynamodb.describe_table(TableName="orders")
        summary = json.loads(run("requests", "--dir", str(tmp_path)))
        assert (summary["reads"], summary["writes"]) == (1, 1)
        assert summary["by_operation"] == {"dynamodb:CreateTable": 1, "dynamodb:DescribeTable": 1}
        since = json.loads(run("requests", "--dir", str(tmp_path), "--since", str(summary["last_seq"])))
        assert since["total"] == 0
    finally:
        run("down", "--dir", str(tmp_path))
    assert not (tmp_path / "pid").exists()
    assert "local AWS endpoint on" in (tmp_path / "server.log").read_text()
    try:
        urllib.request.urlopen(url + "/_local_aws/health", timeout=2)
        raise AssertionError("the server still answers after down")
    except OSError:
        pass


def test_status_and_reset(tmp_path):
    stopped = run("status", "--dir", str(tmp_path), check=False)
    assert stopped.returncode == 1
    assert json.loads(stopped.stdout) == {"url": None, "pid": None, "running": False, "health": None}
    url = run("up", "--dir", str(tmp_path)).strip()
    try:
        status = json.loads(run("status", "--dir", str(tmp_path)))
        assert status["url"] == url and status["running"] is True
        assert status["pid"] == int((tmp_path / "pid").read_text())
        assert status["health"]["status"] == "ok" and status["health"]["moto_version"]
        s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        s3.create_bucket(Bucket="kept-until-reset")
        assert json.loads(run("requests", "--dir", str(tmp_path)))["total"] == 1
        assert run("reset", "--dir", str(tmp_path)) == ""
        assert s3.list_buckets()["Buckets"] == []
        assert json.loads(run("requests", "--dir", str(tmp_path)))["by_operation"] == {"s3:ListBuckets": 1}
    finally:
        run("down", "--dir", str(tmp_path))
    after = run("status", "--dir", str(tmp_path), check=False)
    assert after.returncode == 1 and json.loads(after.stdout)["running"] is False


def test_start_up_settings_from_environment():
    config = EndpointConfig.from_env({
        "LOCAL_AWS_FAULT_RATE": "0.1",
        "LOCAL_AWS_LATENCY_SECONDS": "2.5",
        "LOCAL_AWS_FAULT_KINDS": "throttle",
    })
    assert config["fault_rate"] == 0.1
    assert config["latency_seconds"] == 2.5
    assert config["fault_kinds"] == ["throttle"]
    assert EndpointConfig.from_env({})["fault_rate"] == 0
