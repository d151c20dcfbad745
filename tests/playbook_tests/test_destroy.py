"""Destroying the reference playbooks against the local endpoint: refused before any write, or removed whole.

The three cases of a destroy of web_app_stack, on one stack converged from scratch (converge_clean, whose read-back
test_throttling compares with; each such test shares an xdist group with it, so that it runs after it on its worker):
1. defaults (deletion protection on, an uploads bucket holding an object): refused before any write, every
   blocker in one message;
2. protection off, the bucket still holding its object, no force: refused before any delete, nothing removed;
3. protection off and force_destroy: everything gone except the keys that encrypt what the destroy keeps (the
   database's final snapshot and its automated backups, the cache's final snapshot), which stay Enabled.
serverless_app: a table with point-in-time recovery leaves a backup, so the tables' key is kept.
Asked to drop the keys with what they encrypt, the destroys delete the snapshots and backups first.
"""

import pytest

from .conftest import STACK_NAMES, run_reference

# The collection's behaviour against AWS, which the supported line does not change.
pytestmark = pytest.mark.newest_line_only

WEB = STACK_NAMES["web_app_stack"]
SLS = STACK_NAMES["serverless_app"]


def writes_since(aws, seq):
    return [f"{e['service']}:{e['operation']}" for e in aws.requests(since=seq)["requests"] if e["write"]]


def key_state(kms, alias):
    return kms.describe_key(KeyId=alias)["KeyMetadata"]["KeyState"]


@pytest.mark.xdist_group("web_app_stack")
def test_web_app_stack_destroy_refuses_whole_then_removes_all_but_the_snapshot_keys(aws, boto3_client, collections_path,
                                                                                    converge_clean):
    converge_clean("web_app_stack")
    s3, rds, kms = boto3_client("s3"), boto3_client("rds"), boto3_client("kms")
    s3.put_object(Bucket=f"{WEB}-uploads", Key="avatar.png", Body=b"\x89PNG")

    # 1. Defaults: deletion protection on and a bucket holding an object, both reported, nothing written.
    seq = aws.requests()["summary"]["last_seq"]
    rc, output = run_reference(collections_path, aws.url, "web_app_stack", web_app_stack_name=WEB, web_app_stack_state="absent")
    assert rc != 0
    assert "The destroy would stop at 2 blocker(s); nothing was changed." in output
    assert f"DB instance {WEB}-db has deletion protection on (to proceed: set web_app_stack_deletion_protection=false)" in output
    assert f"S3 bucket {WEB}-uploads holds objects (to proceed: set web_app_stack_force_destroy=true" in output
    assert writes_since(aws, seq) == []

    # 2. Protection off, but the bucket still holds its object and force_destroy is not set.
    seq = aws.requests()["summary"]["last_seq"]
    rc, output = run_reference(collections_path, aws.url, "web_app_stack", web_app_stack_name=WEB,
                               web_app_stack_state="absent", web_app_stack_deletion_protection=False)
    assert rc != 0
    assert "The destroy would stop at 1 blocker(s); nothing was changed." in output
    assert f"S3 bucket {WEB}-uploads holds objects" in output
    assert writes_since(aws, seq) == []
    assert rds.describe_db_instances(DBInstanceIdentifier=f"{WEB}-db")["DBInstances"][0]["DeletionProtection"]

    # 3. Protection off and force_destroy: everything goes, data tiers first, but the keys of what is kept stay.
    seq = aws.requests()["summary"]["last_seq"]
    rc, output = run_reference(collections_path, aws.url, "web_app_stack", web_app_stack_name=WEB,
                               web_app_stack_state="absent", web_app_stack_deletion_protection=False,
                               web_app_stack_force_destroy=True)
    assert rc == 0, output[-5000:]
    writes = writes_since(aws, seq)
    first = {op: writes.index(op) for op in reversed(writes)}
    data_tiers = ["rds:DeleteDBInstance", "elasticache:DeleteReplicationGroup", "s3:DeleteBucket"]
    app_access = ["iam:DeletePolicy", "ec2:DeleteSecurityGroup", "ec2:DeleteVpc"]
    assert set(data_tiers + app_access) <= set(first), writes
    assert max(first[op] for op in data_tiers) < min(first[op] for op in app_access), writes

    assert rds.describe_db_instances()["DBInstances"] == []
    snapshots = rds.describe_db_snapshots(DBInstanceIdentifier=f"{WEB}-db", SnapshotType="manual")["DBSnapshots"]
    assert [s["DBSnapshotIdentifier"].startswith(f"{WEB}-db-final-") for s in snapshots] == [True]
    cache_snapshots = boto3_client("elasticache").describe_snapshots(ReplicationGroupId=f"{WEB}-sessions")["Snapshots"]
    assert len(cache_snapshots) == 1
    assert s3.list_buckets()["Buckets"] == []
    assert boto3_client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [WEB]}])["Vpcs"] == []
    # The keys that encrypt the final snapshots stay usable; the uploads key goes.
    assert key_state(kms, f"alias/{WEB}-rds") == "Enabled"
    assert key_state(kms, f"alias/{WEB}-elasticache") == "Enabled"
    assert key_state(kms, f"alias/{WEB}-s3") == "PendingDeletion"
    assert f"Keeping KMS key alias/{WEB}-rds" in output
    assert "set web_app_stack_destroy_keys_with_snapshots=true to delete it with them" in output

    # A second destroy still finds the snapshots of the deleted database and cache, and keeps their keys.
    rc, output = run_reference(collections_path, aws.url, "web_app_stack", web_app_stack_name=WEB,
                               web_app_stack_state="absent", web_app_stack_deletion_protection=False,
                               web_app_stack_force_destroy=True)
    assert rc == 0, output[-5000:]
    assert key_state(kms, f"alias/{WEB}-rds") == "Enabled"
    assert key_state(kms, f"alias/{WEB}-elasticache") == "Enabled"

    # Asked to drop both, the snapshots and the retained automated backups go, then the keys.
    rc, output = run_reference(collections_path, aws.url, "web_app_stack", web_app_stack_name=WEB,
                               web_app_stack_state="absent", web_app_stack_deletion_protection=False,
                               web_app_stack_force_destroy=True, web_app_stack_destroy_keys_with_snapshots=True)
    assert rc == 0, output[-5000:]
    assert rds.describe_db_snapshots(DBInstanceIdentifier=f"{WEB}-db")["DBSnapshots"] == []
    assert rds.describe_db_instance_automated_backups(DBInstanceIdentifier=f"{WEB}-db")["DBInstanceAutomatedBackups"] == []
    assert boto3_client("elasticache").describe_snapshots(ReplicationGroupId=f"{WEB}-sessions")["Snapshots"] == []
    assert key_state(kms, f"alias/{WEB}-rds") == "PendingDeletion"
    assert key_state(kms, f"alias/{WEB}-elasticache") == "PendingDeletion"


@pytest.mark.xdist_group("serverless_app")
def test_serverless_app_destroy_keeps_the_key_of_the_backup_dynamodb_keeps(aws, boto3_client, collections_path,
                                                                           converge_clean):
    converge_clean("serverless_app")

    seq = aws.requests()["summary"]["last_seq"]
    rc, output = run_reference(collections_path, aws.url, "serverless_app", serverless_app_name=SLS, serverless_app_state="absent")
    assert rc != 0
    assert f"DynamoDB table {SLS}-items has deletion protection on (to proceed: set serverless_app_deletion_protection=false)" in output
    assert writes_since(aws, seq) == []

    consent = dict(serverless_app_name=SLS, serverless_app_state="absent", serverless_app_deletion_protection=False)
    rc, output = run_reference(collections_path, aws.url, "serverless_app", **consent)
    assert rc == 0, output[-5000:]
    kms = boto3_client("kms")
    assert boto3_client("dynamodb").list_tables()["TableNames"] == []
    assert key_state(kms, f"alias/{SLS}-s3") == "PendingDeletion"
    # The table had point-in-time recovery on: DynamoDB keeps a backup of it, encrypted with the tables' key.
    assert key_state(kms, f"alias/{SLS}-dynamodb") == "Enabled"
    assert f"{SLS}-items$DeletedTableBackup" in output

    # Asked explicitly, a later destroy drops the key with what it encrypts: the backup goes first.
    dynamodb = boto3_client("dynamodb")
    assert [b["BackupName"] for b in dynamodb.list_backups(BackupType="ALL")["BackupSummaries"]] == [
        f"{SLS}-items$DeletedTableBackup"]
    rc, output = run_reference(collections_path, aws.url, "serverless_app", **consent,
                               serverless_app_destroy_keys_with_snapshots=True)
    assert rc == 0, output[-5000:]
    assert f"Deleting, as asked: backup {SLS}-items$DeletedTableBackup of DynamoDB table {SLS}-items" in output
    assert dynamodb.list_backups(BackupType="ALL")["BackupSummaries"] == []
    assert key_state(kms, f"alias/{SLS}-dynamodb") == "PendingDeletion"


def test_serverless_app_destroy_dropping_the_keys_leaves_no_backup(aws, boto3_client, collections_path):
    """Dropped from a running stack, point-in-time recovery is switched off first: DynamoDB keeps no backup."""
    name = SLS + "-drop"
    rc, output = run_reference(collections_path, aws.url, "serverless_app", serverless_app_name=name)
    assert rc == 0, output[-5000:]
    dynamodb = boto3_client("dynamodb")
    dynamodb.create_backup(TableName=f"{name}-items", BackupName="before-drop")
    rc, output = run_reference(collections_path, aws.url, "serverless_app", serverless_app_name=name,
                               serverless_app_state="absent", serverless_app_deletion_protection=False,
                               serverless_app_destroy_keys_with_snapshots=True)
    assert rc == 0, output[-5000:]
    assert f"Switching point-in-time recovery off before deleting DynamoDB table {name}-items" in output
    assert dynamodb.list_tables()["TableNames"] == []
    assert dynamodb.list_backups(BackupType="ALL")["BackupSummaries"] == []
    assert key_state(boto3_client("kms"), f"alias/{name}-dynamodb") == "PendingDeletion"


@pytest.mark.parametrize("name, extra_vars, bucket, remedy", [
    ("static_website", {"static_website_domain": "www.sk-destroy.example"}, "www-sk-destroy-example-site",
     "static_website_force_destroy=true"),
    ("eks_platform_storage", {"eks_platform_storage_cluster_name": "sk-destroy-eks"}, "sk-destroy-eks-loki-chunks",
     "eks_platform_storage_force_destroy=true"),
])
def test_a_bucket_holding_objects_stops_the_destroy_before_any_write(aws, boto3_client, collections_path,
                                                                     name, extra_vars, bucket, remedy):
    s3 = boto3_client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<html></html>")
    seq = aws.requests()["summary"]["last_seq"]
    rc, output = run_reference(collections_path, aws.url, name, **{f"{name}_state": "absent"}, **extra_vars)
    assert rc != 0
    assert f"S3 bucket {bucket} holds objects (to proceed: set {remedy}" in output
    assert writes_since(aws, seq) == []
