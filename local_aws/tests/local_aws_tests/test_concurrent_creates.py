"""Creates that AWS makes idempotent or unique, called twice at the same moment: one resource, and the
answer AWS documents for the second call (CallerReference, IdempotencyToken, CreationToken, ClientToken,
origin access control, table and bucket names, one mount target per Availability Zone, CreatorRequestId of a
backup selection); and the call_delay_seconds setting."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, create_table, error_code
from .test_cloudfront_extension import create_oac, site_config


def twice_at_once(call):
    """The results of two concurrent ``call()``s: the answer, or the ClientError."""

    def attempt():
        try:
            return call()
        except ClientError as e:
            return e

    with ThreadPoolExecutor(2) as pool:
        return [future.result() for future in [pool.submit(attempt), pool.submit(attempt)]]


def split(results):
    answers = [r for r in results if not isinstance(r, ClientError)]
    errors = [r.response["Error"]["Code"] for r in results if isinstance(r, ClientError)]
    return answers, errors


@pytest.fixture
def cf(aws, boto3_client):
    assert_local(aws)
    return boto3_client("cloudfront", attempts=1)


@pytest.fixture
def efs(aws, boto3_client):
    assert_local(aws)
    return boto3_client("efs", attempts=1)


def test_a_caller_reference_creates_one_distribution(cf):
    """AWS: a CallerReference already sent in a create gets DistributionAlreadyExists, whatever the config."""
    config = site_config(reference="site-ref")
    answers, errors = split(twice_at_once(lambda: cf.create_distribution(DistributionConfig=config)))
    assert len(answers) == 1 and errors == ["DistributionAlreadyExists"]
    with pytest.raises(ClientError) as refused:
        cf.create_distribution(DistributionConfig=dict(config, Comment="another config"))
    assert error_code(refused) == "DistributionAlreadyExists"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 1


def test_an_origin_access_control_name_is_unique(cf):
    answers, errors = split(twice_at_once(lambda: create_oac(cf, name="site")))
    assert len(answers) == 1 and errors == ["OriginAccessControlAlreadyExists"]
    with pytest.raises(ClientError) as refused:
        create_oac(cf, name="site")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    create_oac(cf, name="other-site")
    names = [c["Name"] for c in cf.list_origin_access_controls()["OriginAccessControlList"]["Items"]]
    assert sorted(names) == ["other-site", "site"]


def test_an_idempotency_token_requests_one_certificate(aws, boto3_client):
    assert_local(aws)
    acm = boto3_client("acm", attempts=1)

    def request(token="t0ken"):
        return acm.request_certificate(DomainName="example.com", ValidationMethod="DNS", IdempotencyToken=token)["CertificateArn"]

    first, second = twice_at_once(request)
    assert first == second
    assert len(acm.list_certificates()["CertificateSummaryList"]) == 1
    assert request("other") != first


def test_the_token_of_a_deleted_certificate_still_answers_its_arn(aws, boto3_client):
    """Within the token's hour ACM answers with the certificate it is bound to (moto: a server error)."""
    assert_local(aws)
    acm = boto3_client("acm", attempts=1)
    arn = acm.request_certificate(DomainName="example.com", ValidationMethod="DNS", IdempotencyToken="t0ken")["CertificateArn"]
    acm.delete_certificate(CertificateArn=arn)
    again = acm.request_certificate(DomainName="example.com", ValidationMethod="DNS", IdempotencyToken="t0ken")
    assert again["CertificateArn"] == arn
    with pytest.raises(ClientError) as gone:
        acm.describe_certificate(CertificateArn=arn)
    assert error_code(gone) == "ResourceNotFoundException"


def test_a_creation_token_creates_one_file_system(efs):
    answers, errors = split(twice_at_once(lambda: efs.create_file_system(CreationToken="data", Encrypted=True)))
    assert len(answers) == 1 and errors == ["FileSystemAlreadyExists"]
    assert len(efs.describe_file_systems()["FileSystems"]) == 1


def test_one_mount_target_per_zone_and_one_access_point_per_client_token(efs, boto3_client):
    ec2 = boto3_client("ec2", attempts=1)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    fs = efs.create_file_system(CreationToken="data", Encrypted=True)["FileSystemId"]
    answers, errors = split(twice_at_once(lambda: efs.create_mount_target(FileSystemId=fs, SubnetId=subnet)))
    assert len(answers) == 1 and errors == ["MountTargetConflict"]
    assert len(efs.describe_mount_targets(FileSystemId=fs)["MountTargets"]) == 1
    first, second = twice_at_once(lambda: efs.create_access_point(FileSystemId=fs, ClientToken="app"))
    assert first["AccessPointId"] == second["AccessPointId"]
    assert len(efs.describe_access_points(FileSystemId=fs)["AccessPoints"]) == 1


def test_call_delay_seconds_delays_only_the_named_calls(aws, boto3_client):
    assert_local(aws)
    s3 = boto3_client("s3", attempts=1)
    aws.configure(call_delay_seconds={"s3:CreateBucket": 1, "ListBuckets": 0})
    started = time.monotonic()
    s3.create_bucket(Bucket="slow")
    assert time.monotonic() - started >= 1
    started = time.monotonic()
    s3.list_buckets()
    assert time.monotonic() - started < 1


def test_a_table_name_creates_one_table(aws, boto3_client):
    assert_local(aws)
    dynamodb = boto3_client("dynamodb", attempts=1)
    answers, errors = split(twice_at_once(lambda: create_table(dynamodb)))
    assert len(answers) == 1 and errors == ["ResourceInUseException"]
    assert dynamodb.list_tables()["TableNames"] == ["orders"]


def test_a_bucket_name_creates_one_bucket(aws, boto3_client):
    """Outside us-east-1 the second CreateBucket of an own bucket is BucketAlreadyOwnedByYou (us-east-1: 200 OK)."""
    assert_local(aws)
    s3 = boto3_client("s3", attempts=1)
    location = {"LocationConstraint": "eu-west-1"}
    answers, errors = split(twice_at_once(lambda: s3.create_bucket(Bucket="site", CreateBucketConfiguration=location)))
    assert len(answers) == 1 and errors == ["BucketAlreadyOwnedByYou"]
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["site"]


def test_a_creator_request_id_creates_one_backup_selection(aws, boto3_client):
    backup = boto3_client("backup", attempts=1)
    backup.create_backup_vault(BackupVaultName="main")
    plan_id = backup.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [
        {"RuleName": "daily", "TargetBackupVaultName": "main"}]})["BackupPlanId"]
    selection = {"SelectionName": "all", "IamRoleArn": "arn:aws:iam::123456789012:role/backup", "Resources": ["*"]}
    answers, errors = split(twice_at_once(lambda: backup.create_backup_selection(
        BackupPlanId=plan_id, BackupSelection=selection, CreatorRequestId="once")))
    assert errors == [] and answers[0]["SelectionId"] == answers[1]["SelectionId"]
    assert len(backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]) == 1
