"""S3 storage class analysis and request metrics configurations, and S3 Control's Storage Lens checks."""

import re

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

ACCOUNT = "123456789012"
EXPORT = {"OutputSchemaVersion": "V_1", "Destination": {"S3BucketDestination": {"Format": "CSV", "Bucket": "arn:aws:s3:::reports"}}}


@pytest.fixture
def s3(aws, boto3_client):
    assert_local(aws)
    client = boto3_client("s3", attempts=1)
    client.create_bucket(Bucket="data")
    return client


@pytest.fixture
def s3control(aws, boto3_client):
    assert_local(aws)
    client = boto3_client("s3control", attempts=1)
    client.meta.events.register("before-sign.s3-control", lambda request, **kw: setattr(
        request, "url", re.sub(r"://\d{12}\.", "://", request.url, count=1)))
    return client


def test_analytics_put_get_list_delete(s3):
    config = {"Id": "sca", "Filter": {"Prefix": "logs/"}, "StorageClassAnalysis": {"DataExport": EXPORT}}
    s3.put_bucket_analytics_configuration(Bucket="data", Id="sca", AnalyticsConfiguration=config)
    assert s3.get_bucket_analytics_configuration(Bucket="data", Id="sca")["AnalyticsConfiguration"] == config
    assert s3.list_bucket_analytics_configurations(Bucket="data")["AnalyticsConfigurationList"] == [config]
    s3.delete_bucket_analytics_configuration(Bucket="data", Id="sca")
    with pytest.raises(ClientError) as error:
        s3.get_bucket_analytics_configuration(Bucket="data", Id="sca")
    assert error_code(error) == "NoSuchConfiguration"


def test_analytics_refusals(s3):
    bad_export = {"OutputSchemaVersion": "V_1", "Destination": {"S3BucketDestination": {"Format": "CSV", "Bucket": "reports"}}}
    cases = [
        ("data", "x", {"Id": "y", "StorageClassAnalysis": {}}, "InvalidArgument"),
        ("data", "x", {"Id": "x", "StorageClassAnalysis": {"DataExport": bad_export}}, "InvalidArgument"),
        ("data", "x", {"Id": "x", "Filter": {"Prefix": "a", "Tag": {"Key": "k", "Value": "v"}}, "StorageClassAnalysis": {}},
         "MalformedXML"),
        ("data", "x", {"Id": "x", "Filter": {"And": {"Prefix": "a"}}, "StorageClassAnalysis": {}}, "MalformedXML"),
        ("nowhere", "x", {"Id": "x", "StorageClassAnalysis": {}}, "NoSuchBucket"),
    ]
    for bucket, config_id, config, code in cases:
        with pytest.raises(ClientError) as error:
            s3.put_bucket_analytics_configuration(Bucket=bucket, Id=config_id, AnalyticsConfiguration=config)
        assert error_code(error) == code, config
    assert "AnalyticsConfigurationList" not in s3.list_bucket_analytics_configurations(Bucket="data")


def test_metrics_configurations_paginate_and_go_with_the_bucket(s3):
    for number in range(105):
        s3.put_bucket_metrics_configuration(Bucket="data", Id="m{0:03d}".format(number), MetricsConfiguration={
            "Id": "m{0:03d}".format(number), "Filter": {"Prefix": "p{0}/".format(number)}})
    first = s3.list_bucket_metrics_configurations(Bucket="data")
    assert first["IsTruncated"] and len(first["MetricsConfigurationList"]) == 100
    second = s3.list_bucket_metrics_configurations(Bucket="data", ContinuationToken=first["NextContinuationToken"])
    assert [c["Id"] for c in second["MetricsConfigurationList"]] == ["m100", "m101", "m102", "m103", "m104"]
    s3.delete_bucket(Bucket="data")
    s3.create_bucket(Bucket="data")
    assert "MetricsConfigurationList" not in s3.list_bucket_metrics_configurations(Bucket="data")


def test_storage_lens_checked_before_moto_stores_it(s3control):
    config = {"Id": "lens", "IsEnabled": True, "AccountLevel": {"BucketLevel": {}},
              "DataExport": {"S3BucketDestination": {"Format": "Parquet", "OutputSchemaVersion": "V_1", "AccountId": ACCOUNT,
                                                     "Arn": "arn:aws:s3:::reports", "Encryption": {"SSES3": {}}}}}
    s3control.put_storage_lens_configuration(ConfigId="lens", AccountId=ACCOUNT, StorageLensConfiguration=config)
    assert s3control.get_storage_lens_configuration(ConfigId="lens", AccountId=ACCOUNT)["StorageLensConfiguration"] == config
    destination = config["DataExport"]["S3BucketDestination"]
    bad = [
        dict(config, Id="other"),
        dict(config, Include={"Regions": ["eu-west-1"]}, Exclude={"Regions": ["us-east-1"]}),
        dict(config, Include={"Buckets": ["reports"]}),
        dict(config, DataExport={"S3BucketDestination": dict(destination, Arn="reports")}),
        dict(config, DataExport={"S3BucketDestination": dict(destination, Encryption={"SSEKMS": {"KeyId": "alias/x"}})}),
    ]
    for candidate in bad:
        with pytest.raises(ClientError) as error:
            s3control.put_storage_lens_configuration(ConfigId="lens", AccountId=ACCOUNT, StorageLensConfiguration=candidate)
        assert error_code(error) == "InvalidRequest", candidate
    deep = dict(config, AccountLevel={"BucketLevel": {"PrefixLevel": {"StorageMetrics": {
        "IsEnabled": True, "SelectionCriteria": {"MaxDepth": 11}}}}})
    with pytest.raises(ClientError) as error:
        s3control.put_storage_lens_configuration(ConfigId="lens", AccountId=ACCOUNT, StorageLensConfiguration=deep)
    assert error_code(error) == "MalformedXML"
