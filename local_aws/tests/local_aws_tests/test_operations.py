"""Every call is named the way botocore built it, whatever its protocol."""

import pytest

from storagekit_local_aws.operations import identify, is_write, service_model, services_for_signing_name

from .helpers import assert_local, create_table, logged


def test_json_protocol_calls_are_named_from_x_amz_target(aws, boto3_client):
    assert_local(aws)
    create_table(boto3_client("dynamodb"))
    boto3_client("dynamodb").describe_table(TableName="orders")
    boto3_client("application-autoscaling").describe_scalable_targets(ServiceNamespace="dynamodb")
    assert logged(aws) == [
        "dynamodb:CreateTable",
        "dynamodb:DescribeTable",
        "application-autoscaling:DescribeScalableTargets",
    ]


def test_query_protocol_calls_are_named_from_action(aws, boto3_client):
    assert_local(aws)
    boto3_client("sts").get_caller_identity()
    boto3_client("iam").create_role(RoleName="app", AssumeRolePolicyDocument="{}")
    assert logged(aws) == ["sts:GetCallerIdentity", "iam:CreateRole"]
    assert [e["region"] for e in aws.requests()["requests"]] == ["us-east-1", "us-east-1"]


def test_rest_xml_s3_calls_are_told_apart_by_subresource(aws, boto3_client):
    assert_local(aws)
    s3 = boto3_client("s3")
    s3.create_bucket(Bucket="site-bucket")
    s3.get_bucket_versioning(Bucket="site-bucket")
    s3.put_bucket_versioning(Bucket="site-bucket", VersioningConfiguration={"Status": "Enabled"})
    s3.list_objects(Bucket="site-bucket")
    s3.list_objects_v2(Bucket="site-bucket")
    s3.put_object(Bucket="site-bucket", Key="a/b/index.html", Body=b"<html/>")
    s3.put_object_tagging(Bucket="site-bucket", Key="a/b/index.html",
                          Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    s3.head_object(Bucket="site-bucket", Key="a/b/index.html")
    assert s3.get_object(Bucket="site-bucket", Key="a/b/index.html")["Body"].read() == b"<html/>"
    assert logged(aws) == [
        "s3:CreateBucket",
        "s3:GetBucketVersioning",
        "s3:PutBucketVersioning",
        "s3:ListObjects",
        "s3:ListObjectsV2",
        "s3:PutObject",
        "s3:PutObjectTagging",
        "s3:HeadObject",
        "s3:GetObject",
    ]


def test_s3_intelligent_tiering_calls_are_named_even_where_moto_misroutes_them(aws, boto3_client):
    assert_local(aws)
    s3 = boto3_client("s3", attempts=1)
    s3.create_bucket(Bucket="tiered-bucket")
    config = {"Id": "archive", "Status": "Enabled",
              "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}
    s3.put_bucket_intelligent_tiering_configuration(
        Bucket="tiered-bucket", Id="archive", IntelligentTieringConfiguration=config)
    try:
        s3.get_bucket_intelligent_tiering_configuration(Bucket="tiered-bucket", Id="archive")
    except Exception:  # moto answers with a ListObjects body; only the name matters here
        pass
    s3.list_bucket_intelligent_tiering_configurations(Bucket="tiered-bucket")
    assert logged(aws)[1:] == [
        "s3:PutBucketIntelligentTieringConfiguration",
        "s3:GetBucketIntelligentTieringConfiguration",
        "s3:ListBucketIntelligentTieringConfigurations",
    ]


def test_rest_json_calls_are_named_from_method_and_path(aws, boto3_client):
    assert_local(aws)
    boto3_client("eks").list_clusters()
    efs = boto3_client("efs")
    fs = efs.create_file_system(CreationToken="data", Encrypted=True)
    efs.describe_file_systems(FileSystemId=fs["FileSystemId"])
    efs.put_lifecycle_configuration(FileSystemId=fs["FileSystemId"],
                                    LifecyclePolicies=[{"TransitionToIA": "AFTER_30_DAYS"}])
    efs.describe_lifecycle_configuration(FileSystemId=fs["FileSystemId"])
    assert logged(aws) == [
        "eks:ListClusters",
        "efs:CreateFileSystem",
        "efs:DescribeFileSystems",
        "efs:PutLifecycleConfiguration",
        "efs:DescribeLifecycleConfiguration",
    ]


def test_signing_names_map_to_botocore_service_names():
    assert services_for_signing_name("elasticfilesystem") == ["efs"]
    assert services_for_signing_name("monitoring") == ["cloudwatch"]
    assert services_for_signing_name("rds")[0] == "rds"
    assert services_for_signing_name("application-autoscaling") == ["application-autoscaling"]


@pytest.mark.parametrize("service", [
    "dynamodb", "dynamodbstreams", "s3", "s3control", "efs", "cloudwatch", "ses", "sesv2", "rds", "docdb",
    "application-autoscaling", "eks", "iam", "sts", "elasticache", "ec2", "lambda", "cloudfront",
    "route53", "kms", "secretsmanager", "backup", "ce", "macie2", "acm", "logs", "elbv2",
])
def test_fast_signing_name_index_agrees_with_the_models(service):
    assert service in services_for_signing_name(service_model(service).signing_name)


def test_unsigned_requests_are_not_aws_calls():
    assert identify({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, b"") is None


def test_query_action_in_form_body():
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_TYPE": "application/x-www-form-urlencoded; charset=utf-8",
        "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/rds/aws4_request, "
                              "SignedHeaders=host, Signature=abc",
    }
    call = identify(environ, b"Action=DescribeDBInstances&Version=2014-10-31")
    assert (call.service, call.operation, call.region, call.protocol) == (
        "rds", "DescribeDBInstances", "eu-west-1", "query")


@pytest.mark.parametrize("operation", [
    "DescribeTable", "GetBucketVersioning", "ListTagsOfResource", "HeadObject", "Query", "Scan",
    "BatchGetItem", "SearchResources", "LookupEvents", "CheckDomainAvailability",
    "EstimateTemplateCost", "PreviewAgents", "SelectObjectContent", "ValidateTemplate",
    "TestRenderTemplate",
])
def test_read_verbs_are_reads(operation):
    assert not is_write(operation)


@pytest.mark.parametrize("operation", [
    "CreateTable", "PutItem", "UpdateTable", "DeleteTable", "BatchWriteItem", "TagResource",
    "PutBucketVersioning", "RegisterScalableTarget", "Listen", "Getaway", None,
])
def test_everything_else_writes(operation):
    assert is_write(operation)


def test_log_entries_carry_the_write_flag(aws, boto3_client):
    assert_local(aws)
    dynamodb = boto3_client("dynamodb")
    create_table(dynamodb)
    dynamodb.describe_table(TableName="orders")
    entries = aws.requests()["requests"]
    assert [(e["operation"], e["write"]) for e in entries] == [("CreateTable", True), ("DescribeTable", False)]
