"""destroy_preflight: the exact read calls of the check, every blocker at once, and which keys a destroy keeps."""

import re

from ansible_collections.storagekit.aws.plugins.modules import destroy_preflight

ACCOUNT = "123456789012"
RDS_KEY = "arn:aws:kms:us-east-1:{0}:key/11111111-1111-1111-1111-111111111111".format(ACCOUNT)
CACHE_KEY = "arn:aws:kms:us-east-1:{0}:key/22222222-2222-2222-2222-222222222222".format(ACCOUNT)
S3_KEY = "arn:aws:kms:us-east-1:{0}:key/33333333-3333-3333-3333-333333333333".format(ACCOUNT)
TABLE_KEY = "arn:aws:kms:us-east-1:{0}:key/44444444-4444-4444-4444-444444444444".format(ACCOUNT)
REMEDIES = dict(deletion_protection="set app_deletion_protection=false", not_empty="set app_force_destroy=true")


def db_instance(protected=False, retention=7):
    return dict(DBInstanceIdentifier="app-db", DBInstanceStatus="available", DeletionProtection=protected,
                StorageEncrypted=True, KmsKeyId=RDS_KEY, BackupRetentionPeriod=retention)


def expect_db_instance(stubs, instance, snapshots=(), automated_backups=None):
    rds = stubs["rds"]
    if instance is None:
        rds.add_client_error("describe_db_instances", "DBInstanceNotFound", expected_params=dict(DBInstanceIdentifier="app-db"))
    else:
        rds.add_response("describe_db_instances", dict(DBInstances=[instance]), dict(DBInstanceIdentifier="app-db"))
    rds.add_response("describe_db_snapshots", dict(DBSnapshots=list(snapshots)),
                     dict(DBInstanceIdentifier="app-db", SnapshotType="manual"))
    if automated_backups is not None:
        rds.add_response("describe_db_instance_automated_backups", dict(DBInstanceAutomatedBackups=automated_backups),
                         dict(DBInstanceIdentifier="app-db"))


def expect_group(stubs, snapshots=()):
    cache = stubs["elasticache"]
    cache.add_response("describe_replication_groups",
                       dict(ReplicationGroups=[dict(ReplicationGroupId="app-cache", Status="available", KmsKeyId=CACHE_KEY)]),
                       dict(ReplicationGroupId="app-cache"))
    cache.add_response("describe_snapshots", dict(Snapshots=list(snapshots)),
                       dict(ReplicationGroupId="app-cache", SnapshotSource="user"))


def expect_bucket(stubs, name, objects):
    s3 = stubs["s3"]
    if objects is None:
        s3.add_client_error("list_object_versions", "NoSuchBucket", expected_params=dict(Bucket=name, MaxKeys=1))
    else:
        s3.add_response("list_object_versions", dict(Versions=[dict(Key=k, VersionId="v1") for k in objects]),
                        dict(Bucket=name, MaxKeys=1))


def expect_keys(stubs, *keys):
    for alias, arn, state in keys:
        if arn is None:
            stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId=alias))
        else:
            stubs["kms"].add_response("describe_key", dict(KeyMetadata=dict(KeyId=arn[-36:], Arn=arn, KeyState=state)),
                                      dict(KeyId=alias))


def test_every_blocker_at_once_before_any_write(stubs, run_module):
    expect_db_instance(stubs, db_instance(protected=True))
    stubs["dynamodb"].add_response(
        "describe_table", dict(Table=dict(TableName="app-items", TableStatus="ACTIVE", DeletionProtectionEnabled=True)),
        dict(TableName="app-items"))
    stubs["dynamodb"].add_response(
        "describe_continuous_backups",
        dict(ContinuousBackupsDescription=dict(ContinuousBackupsStatus="DISABLED")), dict(TableName="app-items"))
    stubs["dynamodb"].add_response("list_backups", dict(BackupSummaries=[]), dict(TableName="app-items", BackupType="ALL"))
    expect_bucket(stubs, "app-uploads", ["a.txt"])
    expect_bucket(stubs, "app-gone", None)
    result = run_module(destroy_preflight, dict(
        db_instances=[dict(name="app-db")], tables=[dict(name="app-items", deletion_protection=True)],
        buckets=[dict(name="app-uploads"), dict(name="app-gone")], remedies=REMEDIES,
    ), check_mode=True, expect_failure=True)
    assert [(b["kind"], b["resource"]) for b in result["blockers"]] == [
        ("deletion_protection", "DB instance app-db"),
        ("deletion_protection", "DynamoDB table app-items"),
        ("not_empty", "S3 bucket app-uploads"),
    ]
    assert result["msg"].startswith("The destroy would stop at 3 blocker(s); nothing was changed.")
    assert "DB instance app-db has deletion protection on (to proceed: set app_deletion_protection=false)" in result["msg"]
    assert "S3 bucket app-uploads holds objects (to proceed: set app_force_destroy=true)" in result["msg"]


def test_consent_clears_the_blockers_and_the_keys_of_surviving_snapshots_are_kept(stubs, run_module):
    expect_db_instance(stubs, db_instance(protected=True))
    expect_group(stubs)
    expect_bucket(stubs, "app-uploads", ["a.txt"])
    expect_keys(stubs, ("alias/app-rds", RDS_KEY, "Enabled"), ("alias/app-cache", CACHE_KEY, "Enabled"),
                ("alias/app-s3", S3_KEY, "Enabled"))
    result = run_module(destroy_preflight, dict(
        db_instances=[dict(name="app-db", deletion_protection=False, final_snapshot_identifier="app-db-last")],
        replication_groups=[dict(name="app-cache")],
        buckets=[dict(name="app-uploads", force=True)],
        kms_keys=["alias/app-rds", "alias/app-cache", "alias/app-s3"],
    ))
    assert result["changed"] is False and result["blockers"] == []
    cache_snapshot = result["final_snapshots"]["replication_groups"]["app-cache"]
    assert re.match(r"^app-cache-final-\d{14}$", cache_snapshot)
    assert result["final_snapshots"]["db_instances"] == {"app-db": "app-db-last"}
    assert [(r["kind"], r["name"], r["kms_key_id"]) for r in result["retained"]] == [
        ("final snapshot", "app-db-last", RDS_KEY),
        ("automated backups", "app-db (kept 7 days)", RDS_KEY),
        ("final snapshot", cache_snapshot, CACHE_KEY),
    ]
    assert result["kms_keys_kept"] == [
        dict(key="alias/app-rds", arn=RDS_KEY,
             encrypts=["final snapshot app-db-last", "automated backups app-db (kept 7 days)"]),
        dict(key="alias/app-cache", arn=CACHE_KEY, encrypts=["final snapshot " + cache_snapshot]),
    ]
    assert result["kms_keys_to_delete"] == [dict(key="alias/app-s3", arn=S3_KEY, encrypts=[])]


def test_dropping_the_keys_drops_what_they_encrypt(stubs, run_module):
    """Asked to drop both, the destroy keeps nothing only the key could read: no final snapshots, automated
    backups with the instance, point-in-time recovery off before the delete, the existing snapshots listed."""
    expect_db_instance(stubs, db_instance(retention=7),
                       snapshots=[dict(DBSnapshotIdentifier="app-db-before-upgrade", KmsKeyId=RDS_KEY)])
    ddb = stubs["dynamodb"]
    ddb.add_response("describe_table", dict(Table=dict(
        TableName="app-items", TableStatus="ACTIVE",
        SSEDescription=dict(Status="ENABLED", SSEType="KMS", KMSMasterKeyArn=TABLE_KEY))), dict(TableName="app-items"))
    ddb.add_response("describe_continuous_backups", dict(ContinuousBackupsDescription=dict(
        ContinuousBackupsStatus="ENABLED", PointInTimeRecoveryDescription=dict(PointInTimeRecoveryStatus="ENABLED"))),
        dict(TableName="app-items"))
    ddb.add_response("list_backups", dict(BackupSummaries=[]), dict(TableName="app-items", BackupType="ALL"))
    expect_keys(stubs, ("alias/app-rds", RDS_KEY, "Enabled"), ("alias/app-dynamodb", TABLE_KEY, "Enabled"))
    result = run_module(destroy_preflight, dict(
        db_instances=[dict(name="app-db", final_snapshot_identifier="app-db-last")], tables=[dict(name="app-items")],
        kms_keys=["alias/app-rds", "alias/app-dynamodb"], delete_keys_with_backups=True,
    ))
    assert result["final_snapshots"] == dict(db_instances={}, replication_groups={})
    assert result["retained"] == []
    assert result["dropped"] == [dict(kind="snapshot", name="app-db-before-upgrade", source="DB instance app-db",
                                      kms_key_id=RDS_KEY)]
    assert result["recovery_off"] == ["app-items"]
    assert result["kms_keys_kept"] == []
    assert [(k["key"], k["encrypts"]) for k in result["kms_keys_to_delete"]] == [
        ("alias/app-rds", []), ("alias/app-dynamodb", [])]
    assert "Deleting, as asked: snapshot app-db-before-upgrade of DB instance app-db" in result["summary"]


def test_what_an_earlier_destroy_left_keeps_its_key(stubs, run_module):
    """A second destroy still finds the snapshots and backups of resources that are gone."""
    expect_db_instance(
        stubs, None,
        snapshots=[dict(DBSnapshotIdentifier="app-db-final-20260101000000", KmsKeyId=RDS_KEY)],
        automated_backups=[dict(DBInstanceIdentifier="app-db", KmsKeyId=RDS_KEY, Status="retained")],
    )
    ddb = stubs["dynamodb"]
    ddb.add_client_error("describe_table", "ResourceNotFoundException", expected_params=dict(TableName="app-items"))
    backup_arn = "arn:aws:dynamodb:us-east-1:{0}:table/app-items/backup/01".format(ACCOUNT)
    ddb.add_response("list_backups", dict(BackupSummaries=[dict(BackupArn=backup_arn, BackupName="app-items$DeletedTableBackup")]),
                     dict(TableName="app-items", BackupType="ALL"))
    ddb.add_response("describe_backup", dict(BackupDescription=dict(SourceTableFeatureDetails=dict(
        SSEDescription=dict(Status="ENABLED", SSEType="KMS", KMSMasterKeyArn=TABLE_KEY)))), dict(BackupArn=backup_arn))
    expect_keys(stubs, ("alias/app-rds", RDS_KEY, "Enabled"), ("alias/app-dynamodb", TABLE_KEY, "Enabled"),
                ("alias/app-old", S3_KEY, "PendingDeletion"), ("alias/app-none", None, None))
    result = run_module(destroy_preflight, dict(
        db_instances=[dict(name="app-db")], tables=[dict(name="app-items")],
        kms_keys=["alias/app-rds", "alias/app-dynamodb", "alias/app-old", "alias/app-none"],
    ))
    assert result["final_snapshots"] == dict(db_instances={}, replication_groups={})
    assert [k["key"] for k in result["kms_keys_kept"]] == ["alias/app-rds", "alias/app-dynamodb"]
    assert result["kms_keys_kept"][1]["encrypts"] == ["backup app-items$DeletedTableBackup"]
    assert result["kms_keys_to_delete"] == []


def test_a_table_with_point_in_time_recovery_leaves_a_backup(stubs, run_module):
    ddb = stubs["dynamodb"]
    ddb.add_response("describe_table", dict(Table=dict(
        TableName="app-items", TableStatus="ACTIVE", DeletionProtectionEnabled=True,
        SSEDescription=dict(Status="ENABLED", SSEType="KMS", KMSMasterKeyArn=TABLE_KEY))), dict(TableName="app-items"))
    ddb.add_response("describe_continuous_backups", dict(ContinuousBackupsDescription=dict(
        ContinuousBackupsStatus="ENABLED", PointInTimeRecoveryDescription=dict(PointInTimeRecoveryStatus="ENABLED"))),
        dict(TableName="app-items"))
    ddb.add_response("list_backups", dict(BackupSummaries=[]), dict(TableName="app-items", BackupType="ALL"))
    expect_keys(stubs, ("alias/app-dynamodb", TABLE_KEY, "Enabled"))
    result = run_module(destroy_preflight, dict(
        tables=[dict(name="app-items", deletion_protection=False)], kms_keys=["alias/app-dynamodb"]))
    assert result["retained"] == [dict(kind="backup of the deleted table (35 days)", name="app-items$DeletedTableBackup",
                                       source="DynamoDB table app-items", kms_key_id=TABLE_KEY)]
    assert [k["key"] for k in result["kms_keys_kept"]] == ["alias/app-dynamodb"]
