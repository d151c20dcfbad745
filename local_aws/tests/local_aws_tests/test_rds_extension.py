"""What the project adds to moto's RDS DB instances: the fields AWS reports and its pending states."""

import json
import time

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code


@pytest.fixture
def clients(aws, boto3_client):
    assert_local(aws)
    return {name: boto3_client(name, attempts=1) for name in ("rds", "kms", "secretsmanager")}


@pytest.fixture
def rds(clients):
    return clients["rds"]


def create(rds, name="db1", **kwargs):
    settings = {
        "DBInstanceIdentifier": name, "Engine": "postgres", "EngineVersion": "16.3",
        "DBInstanceClass": "db.t4g.medium", "StorageType": "gp3", "AllocatedStorage": 100,
        "MasterUsername": "app_admin", "MasterUserPassword": "a-long-password-1",
    }
    settings.update(kwargs)
    if settings.get("ManageMasterUserPassword"):
        del settings["MasterUserPassword"]
    return rds.create_db_instance(**settings)["DBInstance"]


def describe(rds, name="db1"):
    return rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]


def test_performance_insights_are_reported_and_modified(clients):
    rds, kms = clients["rds"], clients["kms"]
    key = kms.create_key()["KeyMetadata"]
    created = create(rds, EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId=key["KeyId"],
                     PerformanceInsightsRetentionPeriod=31)
    for instance in (created, describe(rds)):
        assert instance["PerformanceInsightsEnabled"] is True
        assert instance["PerformanceInsightsKMSKeyId"] == key["Arn"]
        assert instance["PerformanceInsightsRetentionPeriod"] == 31

    rds.modify_db_instance(DBInstanceIdentifier="db1", PerformanceInsightsRetentionPeriod=7, ApplyImmediately=True)
    assert describe(rds)["PerformanceInsightsRetentionPeriod"] == 7
    rds.modify_db_instance(DBInstanceIdentifier="db1", EnablePerformanceInsights=False, ApplyImmediately=True)
    off = describe(rds)
    assert off["PerformanceInsightsEnabled"] is False
    assert "PerformanceInsightsKMSKeyId" not in off and "PerformanceInsightsRetentionPeriod" not in off


def test_performance_insights_default_key_and_retention(rds):
    instance = create(rds, EnablePerformanceInsights=True)
    assert instance["PerformanceInsightsKMSKeyId"].startswith("arn:aws:kms:us-east-1:")
    assert instance["PerformanceInsightsRetentionPeriod"] == 7
    assert create(rds, "db2")["PerformanceInsightsEnabled"] is False


def test_gp3_baseline_iops_and_throughput(rds):
    small = create(rds, "small", AllocatedStorage=100)
    assert (small["Iops"], small["StorageThroughput"]) == (3000, 125)
    large = create(rds, "large", AllocatedStorage=400)
    assert (large["Iops"], large["StorageThroughput"]) == (12000, 500)
    tuned = create(rds, "tuned", AllocatedStorage=400, Iops=15000, StorageThroughput=600)
    assert (tuned["Iops"], tuned["StorageThroughput"]) == (15000, 600)
    assert "Iops" not in create(rds, "gp2", StorageType="gp2")
    with pytest.raises(ClientError) as excinfo:
        create(rds, "refused", AllocatedStorage=100, Iops=4000)
    assert error_code(excinfo) == "InvalidParameterCombination"
    rds.modify_db_instance(DBInstanceIdentifier="small", AllocatedStorage=500, ApplyImmediately=True)
    assert (describe(rds, "small")["Iops"], describe(rds, "small")["StorageThroughput"]) == (12000, 500)


def test_modify_without_apply_immediately_is_pending(rds):
    create(rds)
    answer = rds.modify_db_instance(DBInstanceIdentifier="db1", DBInstanceClass="db.t4g.large",
                                    AllocatedStorage=500, MultiAZ=True, DeletionProtection=True)["DBInstance"]
    for instance in (answer, describe(rds)):
        assert instance["DBInstanceClass"] == "db.t4g.medium"
        assert instance["AllocatedStorage"] == 100
        assert instance["MultiAZ"] is False
        assert instance["DeletionProtection"] is True  # not deferred
        assert instance["PendingModifiedValues"] == {
            "DBInstanceClass": "db.t4g.large", "AllocatedStorage": 500, "MultiAZ": True}
    # Asking again for the current value drops that pending change.
    rds.modify_db_instance(DBInstanceIdentifier="db1", MultiAZ=False)
    assert "MultiAZ" not in describe(rds)["PendingModifiedValues"]
    # ApplyImmediately applies the queued changes with its own.
    rds.modify_db_instance(DBInstanceIdentifier="db1", EngineVersion="16.4", ApplyImmediately=True)
    applied = describe(rds)
    assert applied["PendingModifiedValues"] == {}
    assert (applied["DBInstanceClass"], applied["AllocatedStorage"], applied["EngineVersion"]) == (
        "db.t4g.large", 500, "16.4")


def test_promoted_replica_and_point_in_time_restore_are_not_replicas(rds):
    create(rds, BackupRetentionPeriod=7)
    replica = rds.create_db_instance_read_replica(
        DBInstanceIdentifier="db1-replica", SourceDBInstanceIdentifier="db1")["DBInstance"]
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == "db1"
    assert describe(rds)["ReadReplicaDBInstanceIdentifiers"] == ["db1-replica"]
    rds.promote_read_replica(DBInstanceIdentifier="db1-replica")
    assert "ReadReplicaSourceDBInstanceIdentifier" not in describe(rds, "db1-replica")
    assert describe(rds)["ReadReplicaDBInstanceIdentifiers"] == []
    restored = rds.restore_db_instance_to_point_in_time(
        SourceDBInstanceIdentifier="db1", TargetDBInstanceIdentifier="db1-pitr",
        UseLatestRestorableTime=True)["DBInstance"]
    assert "ReadReplicaSourceDBInstanceIdentifier" not in restored
    assert "ReadReplicaSourceDBInstanceIdentifier" not in describe(rds, "db1-pitr")


def test_promoting_an_instance_that_is_no_replica_is_refused(rds):
    create(rds)
    with pytest.raises(ClientError) as excinfo:
        rds.promote_read_replica(DBInstanceIdentifier="db1")
    assert error_code(excinfo) == "InvalidDBInstanceState"
    assert "not a read replica" in str(excinfo.value)
    assert describe(rds)["DBInstanceStatus"] == "available"


def test_cross_region_replica_is_promoted_and_leaves_its_source(aws, boto3_client):
    assert_local(aws)
    rds, rds_west = boto3_client("rds", attempts=1), boto3_client("rds", attempts=1, region_name="us-west-2")
    source = create(rds, BackupRetentionPeriod=7, ManageMasterUserPassword=True)
    source_arn = source["DBInstanceArn"]
    replica = rds_west.create_db_instance_read_replica(
        DBInstanceIdentifier="db1-dr", SourceDBInstanceIdentifier=source_arn, SourceRegion="us-east-1")["DBInstance"]
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == source_arn
    assert "MasterUserSecret" not in replica and "MasterUserSecret" not in describe(rds_west, "db1-dr")
    assert describe(rds)["ReadReplicaDBInstanceIdentifiers"] == [replica["DBInstanceArn"]]
    aws.configure(latency_seconds={"rds:db-instance": 0.5})
    promoted = rds_west.promote_read_replica(DBInstanceIdentifier="db1-dr", BackupRetentionPeriod=7)["DBInstance"]
    assert promoted["DBInstanceStatus"] == "modifying"
    with pytest.raises(ClientError) as excinfo:
        rds_west.promote_read_replica(DBInstanceIdentifier="db1-dr")
    assert error_code(excinfo) == "InvalidDBInstanceState"
    time.sleep(0.6)
    after = describe(rds_west, "db1-dr")
    assert after["DBInstanceStatus"] == "available" and after["BackupRetentionPeriod"] == 7
    assert "ReadReplicaSourceDBInstanceIdentifier" not in after
    assert describe(rds)["ReadReplicaDBInstanceIdentifiers"] == []
    # Its own managed secret, in its region; the source keeps its own.
    managed = rds_west.modify_db_instance(DBInstanceIdentifier="db1-dr", ManageMasterUserPassword=True,
                                          ApplyImmediately=True)["DBInstance"]["MasterUserSecret"]["SecretArn"]
    assert managed.split(":")[3] == "us-west-2"
    assert describe(rds)["MasterUserSecret"]["SecretArn"] == source["MasterUserSecret"]["SecretArn"]


def test_managed_master_secret_holds_the_master_user(clients):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    instance = create(rds, ManageMasterUserPassword=True)
    arn = instance["MasterUserSecret"]["SecretArn"]
    value = json.loads(secretsmanager.get_secret_value(SecretId=arn)["SecretString"])
    assert value["username"] == "app_admin"
    assert len(value["password"]) >= 20
    secret = secretsmanager.describe_secret(SecretId=arn)
    assert secret["OwningService"] == "rds"
    assert secret["RotationEnabled"] is True
    assert secret["RotationRules"]["AutomaticallyAfterDays"] == 7


def test_latency_creating_modifying_backing_up_then_available(aws, rds):
    # Long enough for four calls on a loaded machine: the refusals below must all fall in the window.
    aws.configure(latency_seconds={"rds:db-instance": 4})
    assert create(rds)["DBInstanceStatus"] == "creating"
    assert describe(rds)["DBInstanceStatus"] == "creating"
    for call in (lambda: rds.modify_db_instance(DBInstanceIdentifier="db1", DBInstanceClass="db.t4g.large",
                                                ApplyImmediately=True),
                 lambda: rds.delete_db_instance(DBInstanceIdentifier="db1", SkipFinalSnapshot=True),
                 lambda: rds.create_db_snapshot(DBInstanceIdentifier="db1", DBSnapshotIdentifier="s1")):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "InvalidDBInstanceState"
    time.sleep(4.1)
    assert describe(rds)["DBInstanceStatus"] == "available"

    aws.configure(latency_seconds={"rds:db-instance": 0.5})
    modified = rds.modify_db_instance(DBInstanceIdentifier="db1", DBInstanceClass="db.t4g.large",
                                      ApplyImmediately=True)["DBInstance"]
    assert modified["DBInstanceStatus"] == "modifying"
    time.sleep(0.6)
    # Settings that do not touch the instance leave it available.
    rds.modify_db_instance(DBInstanceIdentifier="db1", DeletionProtection=False, ApplyImmediately=True)
    assert describe(rds)["DBInstanceStatus"] == "available"
    rds.create_db_snapshot(DBInstanceIdentifier="db1", DBSnapshotIdentifier="s1")
    assert describe(rds)["DBInstanceStatus"] == "backing-up"
    time.sleep(0.6)
    restored = rds.restore_db_instance_from_db_snapshot(
        DBInstanceIdentifier="db1-copy", DBSnapshotIdentifier="s1")["DBInstance"]
    assert restored["DBInstanceStatus"] == "creating"
    assert describe(rds)["DBInstanceStatus"] == "available"
    deleted = rds.delete_db_instance(DBInstanceIdentifier="db1", FinalDBSnapshotIdentifier="db1-final")
    assert deleted["DBInstance"]["DBInstanceStatus"] == "deleting"
    assert rds.describe_db_snapshots(DBSnapshotIdentifier="db1-final")["DBSnapshots"]


def test_parameters_list_engine_defaults_and_user_values(aws, boto3_client):
    assert_local(aws)
    rds = boto3_client("rds", attempts=1)
    rds.create_db_parameter_group(DBParameterGroupName="pg14", DBParameterGroupFamily="postgres14", Description="d")
    rds.create_db_parameter_group(DBParameterGroupName="pg16", DBParameterGroupFamily="postgres16", Description="d")
    defaults = {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName="pg14")["Parameters"]}
    assert defaults["rds.force_ssl"]["ParameterValue"] == "0"
    assert defaults["rds.force_ssl"]["Source"] == "engine-default"
    rds.modify_db_parameter_group(DBParameterGroupName="pg14", Parameters=[
        {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}])
    user = rds.describe_db_parameters(DBParameterGroupName="pg14", Source="user")["Parameters"]
    assert [(p["ParameterName"], p["ParameterValue"], p["Source"]) for p in user] == [("rds.force_ssl", "1", "user")]
    newer = {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName="pg16")["Parameters"]}
    assert newer["rds.force_ssl"]["ParameterValue"] == "1"
    first = rds.describe_db_parameters(DBParameterGroupName="pg16", MaxRecords=20)
    assert len(first["Parameters"]) == 15 and "Marker" not in first
    with pytest.raises(ClientError) as excinfo:
        rds.describe_db_parameters(DBParameterGroupName="missing")
    assert excinfo.value.response["Error"]["Code"] == "DBParameterGroupNotFound"
    with pytest.raises(ClientError) as excinfo:
        rds.describe_db_parameter_groups(DBParameterGroupName="missing")
    assert excinfo.value.response["Error"]["Code"] == "DBParameterGroupNotFound"


# --- engine versions and storage limits -------------------------------------------------------


def test_describe_db_engine_versions_lists_the_engines_versions(rds):
    versions = rds.describe_db_engine_versions(Engine="postgres")["DBEngineVersions"]
    assert {v["Engine"] for v in versions} == {"postgres"}
    assert "16.4" in [v["EngineVersion"] for v in versions]
    assert {v["DBParameterGroupFamily"] for v in versions if v["EngineVersion"].startswith("16.")} == {"postgres16"}
    assert rds.describe_db_engine_versions(Engine="postgres", EngineVersion="99.99")["DBEngineVersions"] == []
    default = rds.describe_db_engine_versions(Engine="postgres", DefaultOnly=True)["DBEngineVersions"]
    assert len(default) == 1


def test_describe_db_engine_versions_lists_every_engine_without_a_filter(rds):
    versions = rds.describe_db_engine_versions()["DBEngineVersions"]
    assert {v["Engine"] for v in versions} == {"postgres", "mysql", "mariadb"}


@pytest.mark.parametrize("version", ["16", "16.4", "17"])
def test_create_takes_a_listed_version_or_a_major_alone(rds, version):
    assert create(rds, EngineVersion=version)["DBInstanceIdentifier"] == "db1"


def test_create_refuses_an_engine_version_rds_does_not_offer(rds):
    with pytest.raises(ClientError) as caught:
        create(rds, EngineVersion="99.99")
    assert error_code(caught) == "InvalidParameterCombination"
    assert caught.value.response["Error"]["Message"] == "Cannot find version 99.99 for postgres"
    assert rds.describe_db_instances()["DBInstances"] == []


@pytest.mark.parametrize("storage_type, size", [
    ("gp3", 5), ("gp2", 19), ("gp3", 65537), ("io1", 50), ("io2", 99), ("standard", 4), ("standard", 3073),
])
def test_create_refuses_storage_outside_the_engine_and_storage_type_range(rds, storage_type, size):
    extra = {"Iops": 1000} if storage_type in ("io1", "io2") else {}
    with pytest.raises(ClientError) as caught:
        create(rds, StorageType=storage_type, AllocatedStorage=size, **extra)
    assert error_code(caught) == "InvalidParameterCombination"
    assert caught.value.response["Error"]["Message"] == (
        f"Invalid storage size for engine name postgres and storage type {storage_type}: {size}")
    assert rds.describe_db_instances()["DBInstances"] == []


@pytest.mark.parametrize("storage_type, size", [("gp3", 20), ("gp2", 65536), ("io1", 100), ("standard", 5)])
def test_create_takes_storage_at_the_limits(rds, storage_type, size):
    extra = {"Iops": 1000} if storage_type == "io1" else {}
    assert create(rds, StorageType=storage_type, AllocatedStorage=size, **extra)["AllocatedStorage"] == size


def test_automated_backups_are_described_retained_and_deleted(clients):
    rds, kms = clients["rds"], clients["kms"]
    key = kms.create_key()["KeyMetadata"]
    # MySQL: no real server behind it, the backups are the same.
    create(rds, "ab1", Engine="mysql", EngineVersion="8.0.41", BackupRetentionPeriod=7, StorageEncrypted=True,
           KmsKeyId=key["Arn"])
    active = rds.describe_db_instance_automated_backups(DBInstanceIdentifier="ab1")["DBInstanceAutomatedBackups"]
    assert [b["Status"] for b in active] == ["active"]
    backup = active[0]
    assert backup["DBInstanceAutomatedBackupsArn"].startswith("arn:aws:rds:us-east-1:123456789012:auto-backup:ab-")
    assert backup["DbiResourceId"].startswith("db-")
    assert (backup["Engine"], backup["Encrypted"], backup["BackupRetentionPeriod"]) == ("mysql", True, 7)
    assert backup["KmsKeyId"] == key["Arn"]
    # The backups of an instance that exists go with it, not on their own.
    with pytest.raises(ClientError) as refused:
        rds.delete_db_instance_automated_backup(DbiResourceId=backup["DbiResourceId"])
    assert error_code(refused) == "InvalidDBInstanceAutomatedBackupState"

    rds.delete_db_instance(DBInstanceIdentifier="ab1", SkipFinalSnapshot=True, DeleteAutomatedBackups=False)
    by_arn = rds.describe_db_instance_automated_backups(
        DBInstanceAutomatedBackupsArn=backup["DBInstanceAutomatedBackupsArn"])["DBInstanceAutomatedBackups"]
    assert [(b["DBInstanceIdentifier"], b["Status"]) for b in by_arn] == [("ab1", "retained")]

    deleted = rds.delete_db_instance_automated_backup(
        DBInstanceAutomatedBackupsArn=backup["DBInstanceAutomatedBackupsArn"])["DBInstanceAutomatedBackup"]
    assert deleted["Status"] == "deleting"
    assert rds.describe_db_instance_automated_backups(DBInstanceIdentifier="ab1")["DBInstanceAutomatedBackups"] == []
    with pytest.raises(ClientError) as missing:
        rds.delete_db_instance_automated_backup(DbiResourceId=backup["DbiResourceId"])
    assert error_code(missing) == "DBInstanceAutomatedBackupNotFound"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_exported_logs_get_their_log_groups_without_retention_unless_they_exist(boto3_client, rds):
    logs = boto3_client("logs", attempts=1)
    logs.create_log_group(logGroupName="/aws/rds/instance/db1/postgresql")
    logs.put_retention_policy(logGroupName="/aws/rds/instance/db1/postgresql", retentionInDays=30)
    create(rds, EnableCloudwatchLogsExports=["postgresql", "upgrade"])
    rds.create_db_instance_read_replica(DBInstanceIdentifier="db1-replica", SourceDBInstanceIdentifier="db1")
    create(rds, name="db2")
    rds.modify_db_instance(DBInstanceIdentifier="db2", ApplyImmediately=True,
                           CloudwatchLogsExportConfiguration={"EnableLogTypes": ["postgresql"]})
    groups = logs.describe_log_groups(logGroupNamePrefix="/aws/rds/")["logGroups"]
    assert {g["logGroupName"]: g.get("retentionInDays") for g in groups} == {
        "/aws/rds/instance/db1/postgresql": 30,
        "/aws/rds/instance/db1/upgrade": None,
        "/aws/rds/instance/db1-replica/postgresql": None,
        "/aws/rds/instance/db1-replica/upgrade": None,
        "/aws/rds/instance/db2/postgresql": None,
    }
