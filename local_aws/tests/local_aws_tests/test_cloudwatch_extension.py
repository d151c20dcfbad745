"""What the project fixes in moto's CloudWatch: dashboard bodies without widgets refused, dashboards tagged."""

import json

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

BODY = json.dumps({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 24, "height": 1,
                                "properties": {"markdown": "## RDS"}}]})


@pytest.fixture
def cloudwatch(aws, boto3_client):
    assert_local(aws)
    return boto3_client("cloudwatch", attempts=1)


def test_a_body_without_widgets_is_refused_with_its_validation_messages(cloudwatch):
    with pytest.raises(ClientError) as excinfo:
        cloudwatch.put_dashboard(DashboardName="shop", DashboardBody=json.dumps({"start": "-PT6H"}))
    assert error_code(excinfo) == "InvalidParameterInput"
    assert excinfo.value.response["dashboardValidationMessages"][0]["Message"] == "Should have required property 'widgets'"
    with pytest.raises(ClientError) as excinfo:
        cloudwatch.put_dashboard(DashboardName="shop", DashboardBody=json.dumps({"widgets": [{"type": "chart"}]}))
    assert excinfo.value.response["dashboardValidationMessages"][0]["DataPath"] == "/widgets/0/type"
    assert cloudwatch.list_dashboards()["DashboardEntries"] == []


def test_a_dashboard_is_tagged_untagged_and_its_tags_go_with_it(cloudwatch):
    cloudwatch.put_dashboard(DashboardName="shop", DashboardBody=BODY)
    arn = cloudwatch.get_dashboard(DashboardName="shop")["DashboardArn"]
    assert arn == "arn:aws:cloudwatch::123456789012:dashboard/shop"
    cloudwatch.tag_resource(ResourceARN=arn, Tags=[{"Key": "application", "Value": "shop"}, {"Key": "env", "Value": "x"}])
    cloudwatch.untag_resource(ResourceARN=arn, TagKeys=["env"])
    assert cloudwatch.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "application", "Value": "shop"}]
    cloudwatch.delete_dashboards(DashboardNames=["shop"])
    cloudwatch.put_dashboard(DashboardName="shop", DashboardBody=BODY)
    assert cloudwatch.list_tags_for_resource(ResourceARN=arn)["Tags"] == []


def test_tagging_a_dashboard_that_does_not_exist_is_not_found(cloudwatch):
    with pytest.raises(ClientError) as excinfo:
        cloudwatch.tag_resource(ResourceARN="arn:aws:cloudwatch::123456789012:dashboard/none",
                                Tags=[{"Key": "a", "Value": "b"}])
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_alarms_keep_moto_tagging(cloudwatch):
    cloudwatch.put_metric_alarm(AlarmName="shop/rds/db/cpu", Namespace="AWS/RDS", MetricName="CPUUtilization",
                                Statistic="Average", Period=300, EvaluationPeriods=1, Threshold=80.0,
                                ComparisonOperator="GreaterThanThreshold", Tags=[{"Key": "application", "Value": "shop"}])
    arn = cloudwatch.describe_alarms(AlarmNamePrefix="shop/")["MetricAlarms"][0]["AlarmArn"]
    assert cloudwatch.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "application", "Value": "shop"}]


def test_cbor_answers_read_back_as_botocore_reads_them():
    from botocore.parsers import RpcV2CBORParser

    from storagekit_local_aws.responses import cbor_encode

    value = {"Tags": [{"Key": "a" * 30, "Value": ""}], "n": 70000, "neg": -3, "ok": True, "f": 1.5}
    parser = RpcV2CBORParser()
    assert parser.parse_data_item(parser.get_peekable_stream_from_bytes(cbor_encode(value))) == value
