"""S3 replication: configurations checked and answered as S3 does, new objects and delete markers really
copied to the destination bucket in another region, with their replication status."""

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

ROLE = "arn:aws:iam::123456789012:role/replication"
DEST_ARN = "arn:aws:s3:::replica-west"


@pytest.fixture
def clients(aws, boto3_client):
    """A versioned source bucket in us-east-1 and a versioned destination in us-west-2."""
    assert_local(aws)
    east = boto3_client("s3", attempts=1)
    west = boto3_client("s3", region_name="us-west-2", attempts=1)
    east.create_bucket(Bucket="source-east")
    west.create_bucket(Bucket="replica-west", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    for client, bucket in ((east, "source-east"), (west, "replica-west")):
        client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return east, west


def rule(rule_id="all", priority=1, rule_filter=None, delete_markers="Disabled", **destination):
    return {
        "ID": rule_id,
        "Priority": priority,
        "Status": "Enabled",
        "Filter": rule_filter if rule_filter is not None else {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": delete_markers},
        "Destination": dict({"Bucket": DEST_ARN}, **destination),
    }


def put(client, *rules):
    client.put_bucket_replication(Bucket="source-east", ReplicationConfiguration={"Role": ROLE, "Rules": list(rules)})


def refused(client, *rules):
    with pytest.raises(ClientError) as excinfo:
        put(client, *rules)
    return error_code(excinfo), excinfo.value.response["Error"]["Message"]


def test_configuration_is_answered_as_put_and_deleted(clients):
    east, dummy = clients
    kms_rule = rule("kms", 2, {"And": {"Prefix": "docs/", "Tags": [{"Key": "dr", "Value": "yes"}]}},
                    StorageClass="STANDARD_IA",
                    EncryptionConfiguration={"ReplicaKmsKeyID": "arn:aws:kms:us-west-2:123456789012:key/k"},
                    ReplicationTime={"Status": "Enabled", "Time": {"Minutes": 15}},
                    Metrics={"Status": "Enabled", "EventThreshold": {"Minutes": 15}})
    kms_rule["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    plain = rule(delete_markers="Enabled")
    put(east, plain, kms_rule)
    config = east.get_bucket_replication(Bucket="source-east")["ReplicationConfiguration"]
    assert config == {"Role": ROLE, "Rules": [plain, kms_rule]}
    east.delete_bucket_replication(Bucket="source-east")
    with pytest.raises(ClientError) as excinfo:
        east.get_bucket_replication(Bucket="source-east")
    assert error_code(excinfo) == "ReplicationConfigurationNotFoundError"


def test_configurations_s3_refuses(clients, boto3_client):
    east, west = clients
    assert refused(east, rule(), rule())[0] == "InvalidArgument"  # the same ID twice
    assert refused(east, rule("a"), rule("b"))[1] == "Found two rules with same priority"
    tagged = rule(rule_filter={"Tag": {"Key": "k", "Value": "v"}}, delete_markers="Enabled")
    assert "Tag filter" in refused(east, tagged)[1]
    no_marker = rule()
    del no_marker["DeleteMarkerReplication"]
    assert "DeleteMarkerReplication must be specified" in refused(east, no_marker)[1]
    assert "Metrics" in refused(east, rule(ReplicationTime={"Status": "Enabled", "Time": {"Minutes": 15}}))[1]
    key_only = rule(EncryptionConfiguration={"ReplicaKmsKeyID": "arn:aws:kms:us-west-2:123456789012:key/k"})
    assert "SseKmsEncryptedObjects" in refused(east, key_only)[1]
    assert refused(east, rule(Bucket="arn:aws:s3:::nowhere"))[1] == "Destination bucket must exist."
    west.put_bucket_versioning(Bucket="replica-west", VersioningConfiguration={"Status": "Suspended"})
    assert refused(east, rule())[1] == "Destination bucket must have versioning enabled."
    east.create_bucket(Bucket="unversioned")
    with pytest.raises(ClientError) as excinfo:
        east.put_bucket_replication(Bucket="unversioned", ReplicationConfiguration={"Role": ROLE, "Rules": [rule()]})
    assert error_code(excinfo) == "InvalidRequest"


def test_new_objects_are_copied_with_their_status(clients):
    east, west = clients
    east.put_object(Bucket="source-east", Key="before", Body=b"old")
    put(east, rule(rule_filter={"Prefix": "docs/"}, StorageClass="STANDARD_IA"))
    written = east.put_object(Bucket="source-east", Key="docs/a.txt", Body=b"hello", ContentType="text/plain",
                              Metadata={"owner": "ops"}, Tagging="team=storage")
    east.put_object(Bucket="source-east", Key="other/b.txt", Body=b"not replicated")

    replica = west.get_object(Bucket="replica-west", Key="docs/a.txt")
    assert replica["Body"].read() == b"hello"
    assert replica["ReplicationStatus"] == "REPLICA"
    assert replica["VersionId"] == written["VersionId"]
    assert replica["ContentType"] == "text/plain" and replica["Metadata"] == {"owner": "ops"}
    assert replica["StorageClass"] == "STANDARD_IA"
    tags = west.get_object_tagging(Bucket="replica-west", Key="docs/a.txt")["TagSet"]
    assert tags == [{"Key": "team", "Value": "storage"}]
    assert east.head_object(Bucket="source-east", Key="docs/a.txt")["ReplicationStatus"] == "COMPLETED"
    assert "ReplicationStatus" not in east.head_object(Bucket="source-east", Key="other/b.txt")
    listed = [o["Key"] for o in west.list_objects_v2(Bucket="replica-west").get("Contents", [])]
    assert listed == ["docs/a.txt"]  # neither the object from before the configuration nor the other prefix


def test_copies_and_multipart_uploads_are_replicated(clients):
    east, west = clients
    put(east, rule())
    east.put_object(Bucket="source-east", Key="one", Body=b"1")
    east.copy_object(Bucket="source-east", Key="two", CopySource={"Bucket": "source-east", "Key": "one"})
    upload = east.create_multipart_upload(Bucket="source-east", Key="big")
    part = east.upload_part(Bucket="source-east", Key="big", UploadId=upload["UploadId"], PartNumber=1,
                            Body=b"x" * 10)
    east.complete_multipart_upload(Bucket="source-east", Key="big", UploadId=upload["UploadId"],
                                   MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert west.get_object(Bucket="replica-west", Key="two")["Body"].read() == b"1"
    assert west.get_object(Bucket="replica-west", Key="big")["Body"].read() == b"x" * 10


def test_sse_kms_objects_need_the_rule_and_take_the_replica_key(clients, boto3_client):
    east, west = clients
    source_key = boto3_client("kms").create_key()["KeyMetadata"]["Arn"]
    replica_key = boto3_client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
    put(east, rule())
    east.put_object(Bucket="source-east", Key="secret", Body=b"s", ServerSideEncryption="aws:kms", SSEKMSKeyId=source_key)
    with pytest.raises(ClientError):
        west.head_object(Bucket="replica-west", Key="secret")
    kms_rule = rule(EncryptionConfiguration={"ReplicaKmsKeyID": replica_key})
    kms_rule["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    put(east, kms_rule)
    east.put_object(Bucket="source-east", Key="secret", Body=b"s2", ServerSideEncryption="aws:kms", SSEKMSKeyId=source_key)
    replica = west.get_object(Bucket="replica-west", Key="secret")
    assert replica["Body"].read() == b"s2"
    assert replica["ServerSideEncryption"] == "aws:kms" and replica["SSEKMSKeyId"] == replica_key


def test_delete_markers_only_when_enabled(clients):
    east, west = clients
    put(east, rule())
    east.put_object(Bucket="source-east", Key="kept", Body=b"k")
    east.delete_object(Bucket="source-east", Key="kept")
    assert west.get_object(Bucket="replica-west", Key="kept")["Body"].read() == b"k"

    put(east, rule(delete_markers="Enabled"))
    east.put_object(Bucket="source-east", Key="gone", Body=b"g")
    marker = east.delete_object(Bucket="source-east", Key="gone")
    with pytest.raises(ClientError) as excinfo:
        west.get_object(Bucket="replica-west", Key="gone")
    assert error_code(excinfo) == "NoSuchKey"
    markers = west.list_object_versions(Bucket="replica-west", Prefix="gone")["DeleteMarkers"]
    assert [m["VersionId"] for m in markers] == [marker["VersionId"]]


def test_a_destination_without_versioning_fails_the_object(clients):
    east, west = clients
    put(east, rule())
    west.put_bucket_versioning(Bucket="replica-west", VersioningConfiguration={"Status": "Suspended"})
    east.put_object(Bucket="source-east", Key="late", Body=b"l")
    assert east.head_object(Bucket="source-east", Key="late")["ReplicationStatus"] == "FAILED"
