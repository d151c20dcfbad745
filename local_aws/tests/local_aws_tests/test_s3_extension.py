"""What the project adds to moto's S3: Intelligent-Tiering configurations, bucket policies
evaluated as IAM does (TLS-only policies), and AccessDenied answers; and what works unchanged."""

import hashlib
import json

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

ARCHIVE = {"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}
DEEP_ARCHIVE = {"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"}


@pytest.fixture
def s3(aws, boto3_client):
    assert_local(aws)
    client = boto3_client("s3", attempts=1)
    client.create_bucket(Bucket="site")
    return client


def tiering(config_id="archive", status="Enabled", tierings=(ARCHIVE,), **extra):
    return dict({"Id": config_id, "Status": status, "Tierings": list(tierings)}, **extra)


def test_intelligent_tiering_put_get_list_delete(s3):
    archive = tiering(Filter={"Prefix": "media/"})
    deep = tiering("deep", "Disabled", (ARCHIVE, DEEP_ARCHIVE),
                   Filter={"And": {"Prefix": "logs/", "Tags": [{"Key": "tier", "Value": "cold"}]}})
    s3.put_bucket_intelligent_tiering_configuration(Bucket="site", Id="archive", IntelligentTieringConfiguration=archive)
    s3.put_bucket_intelligent_tiering_configuration(Bucket="site", Id="deep", IntelligentTieringConfiguration=deep)
    got = s3.get_bucket_intelligent_tiering_configuration(Bucket="site", Id="deep")
    assert got["IntelligentTieringConfiguration"] == deep
    listed = s3.list_bucket_intelligent_tiering_configurations(Bucket="site")
    assert listed["IntelligentTieringConfigurationList"] == [archive, deep]
    assert listed["IsTruncated"] is False

    replaced = tiering(tierings=(dict(ARCHIVE, Days=120),), Filter={"Tag": {"Key": "k", "Value": "v"}})
    s3.put_bucket_intelligent_tiering_configuration(Bucket="site", Id="archive", IntelligentTieringConfiguration=replaced)
    got = s3.get_bucket_intelligent_tiering_configuration(Bucket="site", Id="archive")
    assert got["IntelligentTieringConfiguration"] == replaced

    s3.delete_bucket_intelligent_tiering_configuration(Bucket="site", Id="archive")
    listed = s3.list_bucket_intelligent_tiering_configurations(Bucket="site")["IntelligentTieringConfigurationList"]
    assert [c["Id"] for c in listed] == ["deep"]
    for call in (s3.get_bucket_intelligent_tiering_configuration, s3.delete_bucket_intelligent_tiering_configuration):
        with pytest.raises(ClientError) as excinfo:
            call(Bucket="site", Id="archive")
        assert error_code(excinfo) == "NoSuchConfiguration"
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_intelligent_tiering_is_not_a_create_bucket_or_list_objects(aws, s3):
    since = aws.requests()["summary"]["last_seq"]
    s3.put_bucket_intelligent_tiering_configuration(Bucket="site", Id="archive", IntelligentTieringConfiguration=tiering())
    assert "IntelligentTieringConfigurationList" not in s3.list_objects_v2(Bucket="site")
    operations = [e["operation"] for e in aws.requests(since)["requests"]]
    assert operations == ["PutBucketIntelligentTieringConfiguration", "ListObjectsV2"]


def test_intelligent_tiering_on_an_unknown_bucket(s3):
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_intelligent_tiering_configuration(
            Bucket="missing", Id="archive", IntelligentTieringConfiguration=tiering())
    assert error_code(excinfo) == "NoSuchBucket"
    with pytest.raises(ClientError) as excinfo:
        s3.list_bucket_intelligent_tiering_configurations(Bucket="missing")
    assert error_code(excinfo) == "NoSuchBucket"


@pytest.mark.parametrize("config, code", [
    (tiering(status="On"), "MalformedXML"),
    (tiering(tierings=()), "MalformedXML"),
    (tiering(tierings=({"Days": 90, "AccessTier": "GLACIER"},)), "MalformedXML"),
    (tiering(Filter={"Prefix": "a/", "Tag": {"Key": "k", "Value": "v"}}), "MalformedXML"),
    (tiering(tierings=(dict(ARCHIVE, Days=30),)), "InvalidArgument"),
    (tiering(tierings=(dict(DEEP_ARCHIVE, Days=90),)), "InvalidArgument"),
    (tiering(tierings=(ARCHIVE, dict(ARCHIVE, Days=100))), "InvalidArgument"),
    (tiering(tierings=(dict(ARCHIVE, Days=200), DEEP_ARCHIVE)), "InvalidArgument"),
])
def test_intelligent_tiering_input_s3_refuses(aws, boto3_client, s3, config, code):
    from botocore.config import Config

    client = boto3_client("s3", config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError) as excinfo:
        client.put_bucket_intelligent_tiering_configuration(Bucket="site", Id=config["Id"],
                                                            IntelligentTieringConfiguration=config)
    assert error_code(excinfo) == code
    assert "IntelligentTieringConfigurationList" not in s3.list_bucket_intelligent_tiering_configurations(Bucket="site")


def test_intelligent_tiering_goes_with_the_bucket(s3):
    s3.put_bucket_intelligent_tiering_configuration(Bucket="site", Id="archive", IntelligentTieringConfiguration=tiering())
    s3.delete_bucket(Bucket="site")
    s3.create_bucket(Bucket="site")
    assert "IntelligentTieringConfigurationList" not in s3.list_bucket_intelligent_tiering_configurations(Bucket="site")


def secure_site_policy(bucket="site"):
    """TLS-only access plus CloudFront reads through an origin access control."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowCloudFront", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
         "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*",
         "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"}}},
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    ]})


def test_a_tls_only_site_bucket_can_be_published(s3):
    s3.put_bucket_policy(Bucket="site", Policy=secure_site_policy())
    body = b"<html>hello</html>"
    put = s3.put_object(Bucket="site", Key="index.html", Body=body, ContentType="text/html",
                        CacheControl="max-age=300", Metadata={"sha256": "abc"})
    md5 = f'"{hashlib.md5(body).hexdigest()}"'
    assert put["ETag"] == md5
    head = s3.head_object(Bucket="site", Key="index.html")
    assert (head["ContentType"], head["CacheControl"], head["Metadata"]) == ("text/html", "max-age=300", {"sha256": "abc"})
    listed = s3.list_objects_v2(Bucket="site")["Contents"]
    assert [(o["Key"], o["ETag"], o["Size"]) for o in listed] == [("index.html", md5, len(body))]
    assert s3.get_object(Bucket="site", Key="index.html")["Body"].read() == body
    deleted = s3.delete_objects(Bucket="site", Delete={"Objects": [{"Key": "index.html"}]})
    assert [d["Key"] for d in deleted["Deleted"]] == ["index.html"] and "Errors" not in deleted


def test_a_matching_deny_still_denies_with_access_denied(s3):
    s3.put_bucket_policy(Bucket="site", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:PutObject",
         "Resource": "arn:aws:s3:::site/private/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}))
    s3.put_object(Bucket="site", Key="public/a.txt", Body=b"a")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket="site", Key="private/a.txt", Body=b"a")
    assert error_code(excinfo) == "AccessDenied"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_tls_only_log_bucket_takes_access_logs(s3):
    s3.create_bucket(Bucket="logs")
    policy = json.loads(secure_site_policy("logs"))
    policy["Statement"][0] = {"Sid": "S3ServerAccessLogs", "Effect": "Allow",
                              "Principal": {"Service": "logging.s3.amazonaws.com"},
                              "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*"}
    policy["Statement"].reverse()  # the Principal "*" statement first
    s3.put_bucket_policy(Bucket="logs", Policy=json.dumps(policy))
    s3.put_bucket_logging(Bucket="site", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "logs",
                                                                                 "TargetPrefix": "s3/"}})
    assert s3.get_bucket_logging(Bucket="site")["LoggingEnabled"] == {"TargetBucket": "logs", "TargetPrefix": "s3/"}
    s3.delete_bucket_policy(Bucket="logs")
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_logging(Bucket="site", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "logs",
                                                                                     "TargetPrefix": "s3/"}})
    assert error_code(excinfo) == "InvalidTargetBucketForLogging"


def test_bucket_settings_moto_already_keeps(s3):
    """Verified unchanged: these round-trip as AWS stores them."""
    s3.put_bucket_versioning(Bucket="site", VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket="site")["Status"] == "Enabled"
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/site"},
            "BucketKeyEnabled": True}
    s3.put_bucket_encryption(Bucket="site", ServerSideEncryptionConfiguration={"Rules": [rule]})
    assert s3.get_bucket_encryption(Bucket="site")["ServerSideEncryptionConfiguration"]["Rules"] == [rule]
    block = dict.fromkeys(("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True)
    s3.put_public_access_block(Bucket="site", PublicAccessBlockConfiguration=block)
    assert s3.get_public_access_block(Bucket="site")["PublicAccessBlockConfiguration"] == block
    s3.put_bucket_ownership_controls(Bucket="site", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    assert s3.get_bucket_ownership_controls(Bucket="site")["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced"
    rules = [
        {"ID": "tiers", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
         "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}],
         "NoncurrentVersionTransitions": [{"NoncurrentDays": 30, "StorageClass": "GLACIER"}],
         "NoncurrentVersionExpiration": {"NoncurrentDays": 90}, "Expiration": {"Days": 365}},
        {"ID": "uploads", "Status": "Enabled", "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "a", "Value": "b"}]}},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
    ]
    s3.put_bucket_lifecycle_configuration(Bucket="site", LifecycleConfiguration={"Rules": rules})
    stored = s3.get_bucket_lifecycle_configuration(Bucket="site")["Rules"]
    assert [{k: r[k] for k in rules[i]} for i, r in enumerate(stored)] == rules
    cors = [{"AllowedMethods": ["GET", "HEAD"], "AllowedOrigins": ["https://www.example.com"], "MaxAgeSeconds": 3000}]
    s3.put_bucket_cors(Bucket="site", CORSConfiguration={"CORSRules": cors})
    assert s3.get_bucket_cors(Bucket="site")["CORSRules"] == cors
    s3.put_bucket_tagging(Bucket="site", Tagging={"TagSet": [{"Key": "site", "Value": "www"}]})
    assert s3.get_bucket_tagging(Bucket="site")["TagSet"] == [{"Key": "site", "Value": "www"}]


def test_versions_and_non_empty_buckets(s3):
    s3.put_bucket_versioning(Bucket="site", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="site", Key="a.txt", Body=b"1")
    s3.put_object(Bucket="site", Key="a.txt", Body=b"2")
    with pytest.raises(ClientError) as excinfo:
        s3.delete_bucket(Bucket="site")
    assert error_code(excinfo) == "BucketNotEmpty"
    s3.delete_objects(Bucket="site", Delete={"Objects": [{"Key": "a.txt"}]})
    versions = s3.list_object_versions(Bucket="site")
    assert len(versions["Versions"]) == 2 and len(versions["DeleteMarkers"]) == 1
    with pytest.raises(ClientError) as excinfo:
        s3.delete_bucket(Bucket="site")
    assert error_code(excinfo) == "BucketNotEmpty"


# --- bucket naming rules ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "Bad_Bucket..Name",   # uppercase and underscore
    "acme..uploads",      # two adjacent dots
    "-acme", "acme-",     # must begin and end with a letter or digit
    "192.168.5.4",        # IP address form
    "xn--acme", "sthree-acme", "amzn-s3-demo-acme",          # reserved prefixes
    "acme-s3alias", "acme--ol-s3", "acme.mrap",  # reserved suffixes (botocore sends --x-s3 names to S3 Express)
    "ab", "a" * 64,       # 3 to 63 characters (moto checks only this one)
])
def test_create_bucket_refuses_names_that_break_the_naming_rules(s3, name):
    with pytest.raises(ClientError) as caught:
        s3.create_bucket(Bucket=name)
    assert error_code(caught) == "InvalidBucketName"
    assert caught.value.response["Error"]["Message"] == "The specified bucket is not valid."
    assert name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


@pytest.mark.parametrize("name", ["abc", "acme.uploads-2026", "a" * 63, "1.2.3.4.5"])
def test_create_bucket_takes_valid_names(s3, name):
    s3.create_bucket(Bucket=name)
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_put_bucket_encryption_does_not_check_the_kms_key(s3):
    """AWS accepts any key here; only the uploads that use it fail. The endpoint must not refuse it."""
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/does-not-exist"}}
    s3.put_bucket_encryption(Bucket="site", ServerSideEncryptionConfiguration={"Rules": [rule]})
    stored = s3.get_bucket_encryption(Bucket="site")["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert stored["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == "alias/does-not-exist"


# --- Object Lock ---------------------------------------------------------------------------


def lock(mode=None, **period):
    config = {"ObjectLockEnabled": "Enabled"}
    if mode:
        config["Rule"] = {"DefaultRetention": dict(period, Mode=mode)}
    return config


def test_object_lock_at_creation_enables_versioning_and_reads_back_as_set(s3):
    s3.create_bucket(Bucket="audit", ObjectLockEnabledForBucket=True)
    assert s3.get_bucket_versioning(Bucket="audit")["Status"] == "Enabled"
    assert s3.get_object_lock_configuration(Bucket="audit")["ObjectLockConfiguration"] == lock()
    s3.put_object_lock_configuration(Bucket="audit", ObjectLockConfiguration=lock("GOVERNANCE", Days=30))
    assert s3.get_object_lock_configuration(Bucket="audit")["ObjectLockConfiguration"] == lock("GOVERNANCE", Days=30)
    s3.put_object_lock_configuration(Bucket="audit", ObjectLockConfiguration=lock("COMPLIANCE", Years=1))
    assert s3.get_object_lock_configuration(Bucket="audit")["ObjectLockConfiguration"] == lock("COMPLIANCE", Years=1)
    s3.put_object_lock_configuration(Bucket="audit", ObjectLockConfiguration=lock())
    assert s3.get_object_lock_configuration(Bucket="audit")["ObjectLockConfiguration"] == lock()


def test_object_lock_on_an_existing_versioned_bucket_holding_objects(s3):
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_lock_configuration(Bucket="site")
    assert error_code(excinfo) == "ObjectLockConfigurationNotFoundError"
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_lock_configuration(Bucket="site", ObjectLockConfiguration=lock("GOVERNANCE", Days=1))
    assert error_code(excinfo) == "InvalidBucketState"
    s3.put_bucket_versioning(Bucket="site", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="site", Key="a.txt", Body=b"a")
    s3.put_object_lock_configuration(Bucket="site", ObjectLockConfiguration=lock("GOVERNANCE", Days=1))
    assert s3.get_object_lock_configuration(Bucket="site")["ObjectLockConfiguration"] == lock("GOVERNANCE", Days=1)


def test_a_locked_bucket_never_suspends_versioning(s3):
    s3.create_bucket(Bucket="audit", ObjectLockEnabledForBucket=True)
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_versioning(Bucket="audit", VersioningConfiguration={"Status": "Suspended"})
    assert error_code(excinfo) == "InvalidBucketState"
    assert s3.get_bucket_versioning(Bucket="audit")["Status"] == "Enabled"
    s3.put_bucket_versioning(Bucket="site", VersioningConfiguration={"Status": "Suspended"})


@pytest.mark.parametrize("config, code", [
    (lock("GOVERNANCE"), "MalformedXML"),
    (lock("GOVERNANCE", Days=1, Years=1), "MalformedXML"),
    (lock("GOVERNANCE", Days=0), "InvalidArgument"),
])
def test_object_lock_retention_s3_refuses(s3, config, code):
    s3.create_bucket(Bucket="audit", ObjectLockEnabledForBucket=True)
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_lock_configuration(Bucket="audit", ObjectLockConfiguration=config)
    assert error_code(excinfo) == code
    assert s3.get_object_lock_configuration(Bucket="audit")["ObjectLockConfiguration"] == lock()
