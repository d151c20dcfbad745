"""destroy_backups: the exact reads and deletes of what only a dropped key could read, none in check mode."""

from ansible_collections.storagekit.aws.plugins.modules import destroy_backups

ACCOUNT = "123456789012"
RDS_KEY = "arn:aws:kms:us-east-1:{0}:key/11111111-1111-1111-1111-111111111111".format(ACCOUNT)
AUTO_BACKUP = "arn:aws:rds:us-east-1:{0}:auto-backup:ab-abcdefghijklmnopqrstuvwxyz".format(ACCOUNT)
BACKUP = "arn:aws:dynamodb:us-east-1:{0}:table/app-items/backup/01".format(ACCOUNT)


def expect_reads(stubs):
    rds, cache, ddb = stubs["rds"], stubs["elasticache"], stubs["dynamodb"]
    rds.add_client_error("describe_db_instances", "DBInstanceNotFound", expected_params=dict(DBInstanceIdentifier="app-db"))
    rds.add_response("describe_db_snapshots", dict(DBSnapshots=[dict(DBSnapshotIdentifier="app-db-old", KmsKeyId=RDS_KEY)]),
                     dict(DBInstanceIdentifier="app-db", SnapshotType="manual"))
    rds.add_response("describe_db_instance_automated_backups", dict(DBInstanceAutomatedBackups=[dict(
        DBInstanceIdentifier="app-db", Status="retained", KmsKeyId=RDS_KEY, DBInstanceAutomatedBackupsArn=AUTO_BACKUP)]),
        dict(DBInstanceIdentifier="app-db"))
    cache.add_client_error("describe_replication_groups", "ReplicationGroupNotFoundFault",
                           expected_params=dict(ReplicationGroupId="app-cache"))
    cache.add_response("describe_snapshots", dict(Snapshots=[dict(SnapshotName="app-cache-final-1")]),
                       dict(ReplicationGroupId="app-cache", SnapshotSource="user"))
    ddb.add_client_error("describe_table", "ResourceNotFoundException", expected_params=dict(TableName="app-items"))
    ddb.add_response("list_backups", dict(BackupSummaries=[dict(BackupArn=BACKUP, BackupName="nightly")]),
                     dict(TableName="app-items", BackupType="ALL"))
    ddb.add_response("describe_backup", dict(BackupDescription=dict()), dict(BackupArn=BACKUP))


PARAMS = dict(db_instances=["app-db"], replication_groups=["app-cache"], tables=["app-items"])
DELETED = [
    "snapshot app-db-old of DB instance app-db",
    "automated backups app-db of DB instance app-db",
    "snapshot app-cache-final-1 of ElastiCache replication group app-cache",
    "backup nightly of DynamoDB table app-items",
]


def test_deletes_every_snapshot_and_backup_of_the_destroyed_resources(stubs, run_module):
    expect_reads(stubs)
    stubs["rds"].add_response("delete_db_snapshot", dict(), dict(DBSnapshotIdentifier="app-db-old"))
    # Deleted meanwhile: counts as gone.
    stubs["rds"].add_client_error("delete_db_instance_automated_backup", "DBInstanceAutomatedBackupNotFound",
                                  expected_params=dict(DBInstanceAutomatedBackupsArn=AUTO_BACKUP))
    stubs["elasticache"].add_response("delete_snapshot", dict(), dict(SnapshotName="app-cache-final-1"))
    stubs["dynamodb"].add_response("delete_backup", dict(), dict(BackupArn=BACKUP))
    result = run_module(destroy_backups, PARAMS, diff=True)
    assert result["changed"] is True
    assert result["deleted"] == [DELETED[0], DELETED[2], DELETED[3]]
    assert result["diff"]["after"] == dict(snapshots_and_backups=[])


def test_check_mode_lists_and_deletes_nothing(stubs, run_module):
    expect_reads(stubs)
    result = run_module(destroy_backups, PARAMS, check_mode=True)
    assert result["changed"] is True
    assert result["deleted"] == DELETED


def test_nothing_left_is_no_change(stubs, run_module):
    stubs["dynamodb"].add_client_error("describe_table", "ResourceNotFoundException",
                                       expected_params=dict(TableName="app-items"))
    stubs["dynamodb"].add_response("list_backups", dict(BackupSummaries=[]), dict(TableName="app-items", BackupType="ALL"))
    result = run_module(destroy_backups, dict(tables=["app-items"]))
    assert (result["changed"], result["deleted"]) == (False, [])
