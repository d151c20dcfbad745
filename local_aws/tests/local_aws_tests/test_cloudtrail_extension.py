"""What the project adds to moto's CloudTrail: destination checks, event selectors as AWS keeps them."""

import json

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

ACCOUNT = "123456789012"
TRAIL = "audit"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{TRAIL}"
BUCKET = "audit-trail-logs"


def bucket_policy(bucket=BUCKET, source_arn=TRAIL_ARN, prefix=""):
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:GetBucketAcl", "Resource": f"arn:aws:s3:::{bucket}",
         "Condition": {"StringEquals": {"aws:SourceArn": source_arn}}},
        {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/{prefix}AWSLogs/{ACCOUNT}/*",
         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": source_arn}}},
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}


def key_policy(source_arn=TRAIL_ARN):
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudTrailEncrypts", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "kms:GenerateDataKey*", "Resource": "*",
         "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"},
                       "StringEquals": {"aws:SourceArn": source_arn}}}]}


@pytest.fixture
def clients(aws, boto3_client):
    assert_local(aws)
    return {name: boto3_client(name, attempts=1) for name in ("cloudtrail", "s3", "kms", "logs", "iam")}


@pytest.fixture
def bucket(clients):
    clients["s3"].create_bucket(Bucket=BUCKET)
    clients["s3"].put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(bucket_policy()))
    return BUCKET


@pytest.fixture
def trail(clients, bucket):
    clients["cloudtrail"].create_trail(Name=TRAIL, S3BucketName=bucket, IsMultiRegionTrail=True)
    return TRAIL


def refused(call, **params):
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_code(excinfo)


def data_selector(arn_prefix=f"arn:aws:s3:::{BUCKET}/"):
    return {"Name": "stack buckets", "FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
        {"Field": "resources.ARN", "StartsWith": [arn_prefix]}]}


MANAGEMENT = {"Name": "management", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}


def test_a_bucket_policy_without_the_cloudtrail_statements_is_refused(clients):
    clients["s3"].create_bucket(Bucket=BUCKET)
    ct = clients["cloudtrail"]
    assert refused(ct.create_trail, Name=TRAIL, S3BucketName=BUCKET) == "InsufficientS3BucketPolicyException"
    other = bucket_policy(source_arn=TRAIL_ARN + "-other")
    clients["s3"].put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(other))
    assert refused(ct.create_trail, Name=TRAIL, S3BucketName=BUCKET) == "InsufficientS3BucketPolicyException"
    # The statements name no prefix: a trail writing under one is refused, as AWS does.
    clients["s3"].put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(bucket_policy()))
    assert refused(ct.create_trail, Name=TRAIL, S3BucketName=BUCKET,
                   S3KeyPrefix="trail") == "InsufficientS3BucketPolicyException"
    assert ct.create_trail(Name=TRAIL, S3BucketName=BUCKET)["TrailARN"] == TRAIL_ARN


def test_a_missing_bucket_is_refused_on_update_too(clients, trail):
    ct = clients["cloudtrail"]
    assert refused(ct.update_trail, Name=trail, S3BucketName="no-such-bucket") == "S3BucketDoesNotExistException"
    assert refused(ct.create_trail, Name=trail, S3BucketName=BUCKET) == "TrailAlreadyExistsException"


def test_kms_key_needs_the_cloudtrail_statement_and_is_stored_as_its_arn(clients, trail):
    kms, ct = clients["kms"], clients["cloudtrail"]
    plain = kms.create_key()["KeyMetadata"]
    assert refused(ct.update_trail, Name=trail, KmsKeyId=plain["Arn"]) == "InsufficientEncryptionPolicyException"
    assert refused(ct.update_trail, Name=trail, KmsKeyId="alias/none") == "KmsKeyNotFoundException"
    key = kms.create_key(Policy=json.dumps(key_policy()))["KeyMetadata"]
    kms.create_alias(AliasName="alias/audit", TargetKeyId=key["KeyId"])
    ct.update_trail(Name=trail, KmsKeyId="alias/audit")
    assert ct.get_trail(Name=trail)["Trail"]["KmsKeyId"] == key["Arn"]
    kms.disable_key(KeyId=key["KeyId"])
    assert refused(ct.update_trail, Name=trail, KmsKeyId=key["Arn"]) == "KmsKeyDisabledException"


def test_cloudwatch_logs_needs_the_group_and_a_role_cloudtrail_may_assume(clients, trail):
    logs, iam, ct = clients["logs"], clients["iam"], clients["cloudtrail"]
    group_arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/cloudtrail/audit:*"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "cloudtrail.amazonaws.com"}}]}
    role = iam.create_role(RoleName="audit-logs", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    wrong = iam.create_role(RoleName="lambda", AssumeRolePolicyDocument=json.dumps(
        dict(trust, Statement=[dict(trust["Statement"][0], Principal={"Service": "lambda.amazonaws.com"})])))["Role"]["Arn"]
    assert refused(ct.update_trail, Name=trail, CloudWatchLogsLogGroupArn=group_arn,
                   CloudWatchLogsRoleArn=role) == "InvalidCloudWatchLogsLogGroupArnException"
    logs.create_log_group(logGroupName="/aws/cloudtrail/audit")
    assert refused(ct.update_trail, Name=trail, CloudWatchLogsLogGroupArn=group_arn,
                   CloudWatchLogsRoleArn=wrong) == "InvalidCloudWatchLogsRoleArnException"
    ct.update_trail(Name=trail, CloudWatchLogsLogGroupArn=group_arn, CloudWatchLogsRoleArn=role)
    assert ct.get_trail(Name=trail)["Trail"]["CloudWatchLogsRoleArn"] == role


def test_a_new_trail_logs_management_events(clients, trail):
    ct = clients["cloudtrail"]
    answer = ct.get_event_selectors(TrailName=trail)
    assert answer["EventSelectors"] == [{"ReadWriteType": "All", "IncludeManagementEvents": True,
                                         "DataResources": [], "ExcludeManagementEventSources": []}]
    assert "AdvancedEventSelectors" not in answer
    assert ct.get_trail(Name=trail)["Trail"]["HasCustomEventSelectors"] is False


def test_advanced_selectors_replace_the_basic_ones_and_back(clients, trail):
    ct = clients["cloudtrail"]
    selectors = [MANAGEMENT, data_selector()]
    assert ct.put_event_selectors(TrailName=trail, AdvancedEventSelectors=selectors)["AdvancedEventSelectors"] == selectors
    answer = ct.get_event_selectors(TrailName=trail)
    assert answer["AdvancedEventSelectors"] == selectors and "EventSelectors" not in answer
    assert ct.describe_trails(trailNameList=[trail])["trailList"][0]["HasCustomEventSelectors"] is True
    ct.put_event_selectors(TrailName=trail, EventSelectors=[{"ReadWriteType": "WriteOnly"}])
    answer = ct.get_event_selectors(TrailName=trail)
    assert "AdvancedEventSelectors" not in answer
    assert answer["EventSelectors"][0]["ReadWriteType"] == "WriteOnly"


@pytest.mark.parametrize("selector", [
    {"FieldSelectors": [{"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]},
    {"FieldSelectors": [{"Field": "eventCategory", "StartsWith": ["Data"]}]},
    {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]},
    {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]},
                        {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::b/"]}]},
    {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                        {"Field": "readOnly", "Equals": ["yes"]}]},
    {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                        {"Field": "resources.type", "Equals": ["AWS::S3::Object", "AWS::DynamoDB::Table"]}]},
    {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                        {"Field": "resources.ARN", "StartsWith": [f"arn:aws:s3:::b{i}/" for i in range(499)]}]},
], ids=["no-category", "category-not-equals", "data-without-type", "arn-in-management", "read-only-value",
        "two-types", "over-500-values"])
def test_invalid_advanced_selectors_are_refused(clients, trail, selector):
    ct = clients["cloudtrail"]
    assert refused(ct.put_event_selectors, TrailName=trail,
                   AdvancedEventSelectors=[dict(selector, Name="x")]) == "InvalidEventSelectorsException"
    assert "AdvancedEventSelectors" not in ct.get_event_selectors(TrailName=trail)


def test_selectors_need_exactly_one_kind(clients, trail):
    ct = clients["cloudtrail"]
    assert refused(ct.put_event_selectors, TrailName=trail) == "InvalidEventSelectorsException"
    assert refused(ct.put_event_selectors, TrailName=trail, EventSelectors=[{"ReadWriteType": "All"}],
                   AdvancedEventSelectors=[MANAGEMENT]) == "InvalidEventSelectorsException"


def test_logging_status_and_delete(clients, trail):
    ct = clients["cloudtrail"]
    assert ct.get_trail_status(Name=trail)["IsLogging"] is False
    ct.start_logging(Name=trail)
    assert ct.get_trail_status(Name=trail)["IsLogging"] is True
    ct.stop_logging(Name=trail)
    ct.delete_trail(Name=TRAIL_ARN)
    assert refused(ct.get_trail, Name=trail) == "TrailNotFoundException"
    assert refused(ct.delete_trail, Name=trail) == "TrailNotFoundException"
