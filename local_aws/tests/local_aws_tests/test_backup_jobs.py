"""AWS Backup jobs on the local endpoint: recovery points that carry the data, copies to another
region's vault, restores into new resources, vault lock rules and the job latency."""

import tempfile
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, create_table, error_code

ROLE = "arn:aws:iam::123456789012:role/backup"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"


@pytest.fixture
def backup(aws, boto3_client):
    assert_local(aws)
    client = boto3_client("backup", attempts=1)
    client.create_backup_vault(BackupVaultName="main", EncryptionKeyArn=KEY)
    return client


@pytest.fixture
def dynamodb(boto3_client):
    client = boto3_client("dynamodb", attempts=1)
    create_table(client)
    for n in range(3):
        client.put_item(TableName="orders", Item={"pk": {"S": f"o{n}"}, "qty": {"N": str(n)}})
    return client


def items(dynamodb, table):
    return sorted((i["pk"]["S"], i["qty"]["N"]) for i in dynamodb.scan(TableName=table)["Items"])


def start(backup, arn, vault="main", **kwargs):
    return backup.start_backup_job(BackupVaultName=vault, ResourceArn=arn, IamRoleArn=ROLE, **kwargs)


def test_dynamodb_backup_and_restore_carry_the_items(backup, dynamodb):
    job = start(backup, TABLE_ARN, Lifecycle={"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 120})
    dynamodb.put_item(TableName="orders", Item={"pk": {"S": "later"}, "qty": {"N": "9"}})

    described = backup.describe_backup_job(BackupJobId=job["BackupJobId"])
    assert described["State"] == "COMPLETED"
    assert described["ResourceType"] == "DynamoDB"
    assert described["RecoveryPointArn"] == job["RecoveryPointArn"]
    assert job["RecoveryPointArn"].startswith("arn:aws:backup:us-east-1:123456789012:recovery-point:")
    point = backup.describe_recovery_point(BackupVaultName="main", RecoveryPointArn=job["RecoveryPointArn"])
    assert (point["Status"], point["EncryptionKeyArn"], point["IsEncrypted"]) == ("COMPLETED", KEY, True)
    assert point["Lifecycle"] == {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 120}
    days = (point["CalculatedLifecycle"]["DeleteAt"] - point["CreationDate"]).total_seconds() / 86400
    assert round(days) == 120
    assert backup.describe_backup_vault(BackupVaultName="main")["NumberOfRecoveryPoints"] == 1
    by_resource = backup.list_recovery_points_by_resource(ResourceArn=TABLE_ARN)["RecoveryPoints"]
    assert [p["RecoveryPointArn"] for p in by_resource] == [job["RecoveryPointArn"]]

    metadata = backup.get_recovery_point_restore_metadata(BackupVaultName="main",
                                                          RecoveryPointArn=job["RecoveryPointArn"])
    assert metadata["ResourceType"] == "DynamoDB"
    restore = backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], IamRoleArn=ROLE,
                                       Metadata={"targetTableName": "orders-drill"})
    restored = backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])
    assert restored["Status"] == "COMPLETED"
    assert restored["CreatedResourceArn"].endswith(":table/orders-drill")
    assert items(dynamodb, "orders-drill") == [("o0", "0"), ("o1", "1"), ("o2", "2")]
    assert len(items(dynamodb, "orders")) == 4  # the source is untouched
    assert [j["RestoreJobId"] for j in backup.list_restore_jobs(ByStatus="COMPLETED")["RestoreJobs"]] == [
        restore["RestoreJobId"]]


def test_s3_backup_and_restore_carry_the_objects(backup, boto3_client):
    s3 = boto3_client("s3", attempts=1)
    s3.create_bucket(Bucket="site")
    s3.put_object(Bucket="site", Key="a/index.html", Body=b"<h1>hi</h1>", ContentType="text/html")
    s3.put_object(Bucket="site", Key="b.bin", Body=b"\x00\x01")
    etags = {o["Key"]: o["ETag"] for o in s3.list_objects_v2(Bucket="site")["Contents"]}
    job = start(backup, "arn:aws:s3:::site")
    s3.put_object(Bucket="site", Key="a/index.html", Body=b"changed")

    restore = backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], IamRoleArn=ROLE,
                                       Metadata={"DestinationBucketName": "site-drill", "NewBucket": "true"})
    assert backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])["CreatedResourceArn"] == \
        "arn:aws:s3:::site-drill"
    copied = {o["Key"]: o["ETag"] for o in s3.list_objects_v2(Bucket="site-drill")["Contents"]}
    assert copied == etags
    got = s3.get_object(Bucket="site-drill", Key="a/index.html")
    assert (got["Body"].read(), got["ContentType"]) == (b"<h1>hi</h1>", "text/html")


def test_efs_backup_and_restore_make_a_new_file_system(backup, boto3_client):
    efs = boto3_client("efs", attempts=1)
    fs = efs.create_file_system(CreationToken="data", Encrypted=True, PerformanceMode="generalPurpose")
    job = start(backup, fs["FileSystemArn"])
    restore = backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], IamRoleArn=ROLE,
                                       Metadata={"newFileSystem": "true", "Encrypted": "true",
                                                 "PerformanceMode": "generalPurpose", "CreationToken": "restored"})
    created = backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])["CreatedResourceArn"]
    systems = {f["FileSystemArn"]: f for f in efs.describe_file_systems()["FileSystems"]}
    assert created in systems and created != fs["FileSystemArn"]
    assert systems[created]["Encrypted"] is True


def test_rds_backup_is_an_rds_snapshot_and_restores_an_instance(backup, boto3_client):
    rds = boto3_client("rds", attempts=1)
    instance = rds.create_db_instance(DBInstanceIdentifier="db1", Engine="postgres", DBInstanceClass="db.t4g.micro",
                                      AllocatedStorage=20, MasterUsername="app_admin",
                                      MasterUserPassword="a-long-password-1")["DBInstance"]
    job = start(backup, instance["DBInstanceArn"])
    assert job["RecoveryPointArn"].startswith("arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-")
    snapshots = rds.describe_db_snapshots(DBInstanceIdentifier="db1", SnapshotType="awsbackup")["DBSnapshots"]
    assert [s["DBSnapshotArn"] for s in snapshots] == [job["RecoveryPointArn"]]
    restore = backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], IamRoleArn=ROLE,
                                       Metadata={"DBInstanceIdentifier": "db1-drill"})
    created = backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])["CreatedResourceArn"]
    assert created.endswith(":db:db1-drill")
    assert rds.describe_db_instances(DBInstanceIdentifier="db1-drill")["DBInstances"][0]["Engine"] == "postgres"
    backup.delete_recovery_point(BackupVaultName="main", RecoveryPointArn=job["RecoveryPointArn"])
    assert rds.describe_db_snapshots(DBInstanceIdentifier="db1", SnapshotType="awsbackup")["DBSnapshots"] == []


def test_copy_to_another_regions_vault(backup, dynamodb, boto3_client):
    west = boto3_client("backup", attempts=1, region_name="us-west-2")
    west_dynamodb = boto3_client("dynamodb", attempts=1, region_name="us-west-2")
    dr = west.create_backup_vault(BackupVaultName="dr")["BackupVaultArn"]
    job = start(backup, TABLE_ARN, Lifecycle={"DeleteAfterDays": 35})
    copy = backup.start_copy_job(RecoveryPointArn=job["RecoveryPointArn"], SourceBackupVaultName="main",
                                 DestinationBackupVaultArn=dr, IamRoleArn=ROLE, Lifecycle={"DeleteAfterDays": 90})
    described = backup.describe_copy_job(CopyJobId=copy["CopyJobId"])["CopyJob"]
    assert described["State"] == "COMPLETED"
    assert described["DestinationBackupVaultArn"] == dr
    assert described["SourceRecoveryPointArn"] == job["RecoveryPointArn"]
    assert [j["CopyJobId"] for j in backup.list_copy_jobs(ByDestinationVaultArn=dr)["CopyJobs"]] == [copy["CopyJobId"]]
    points = west.list_recovery_points_by_backup_vault(BackupVaultName="dr")["RecoveryPoints"]
    assert len(points) == 1 and points[0]["RecoveryPointArn"] == described["DestinationRecoveryPointArn"]
    assert points[0]["SourceBackupVaultArn"].endswith(":us-east-1:123456789012:backup-vault:main")
    assert points[0]["Lifecycle"] == {"DeleteAfterDays": 90}
    assert backup.list_recovery_points_by_backup_vault(BackupVaultName="main")["RecoveryPoints"][0][
        "RecoveryPointArn"] == job["RecoveryPointArn"]
    west.start_restore_job(RecoveryPointArn=points[0]["RecoveryPointArn"], IamRoleArn=ROLE,
                           Metadata={"targetTableName": "orders"})
    assert len(west_dynamodb.scan(TableName="orders")["Items"]) == 3
    with pytest.raises(ClientError) as error:
        backup.start_copy_job(RecoveryPointArn=job["RecoveryPointArn"], SourceBackupVaultName="main",
                              DestinationBackupVaultArn=dr.replace(":dr", ":none"), IamRoleArn=ROLE)
    assert error_code(error) == "ResourceNotFoundException"


def test_vault_with_recovery_points_is_not_deleted(backup, dynamodb):
    job = start(backup, TABLE_ARN)
    with pytest.raises(ClientError) as error:
        backup.delete_backup_vault(BackupVaultName="main")
    assert error_code(error) == "InvalidRequestException"
    backup.delete_recovery_point(BackupVaultName="main", RecoveryPointArn=job["RecoveryPointArn"])
    backup.delete_backup_vault(BackupVaultName="main")


def test_vault_lock_rules(backup, dynamodb):
    backup.put_backup_vault_lock_configuration(BackupVaultName="main", MinRetentionDays=7, MaxRetentionDays=100,
                                               ChangeableForDays=3)
    short = start(backup, TABLE_ARN, Lifecycle={"DeleteAfterDays": 1})
    failed = backup.describe_backup_job(BackupJobId=short["BackupJobId"])
    assert failed["State"] == "FAILED" and "minimum" in failed["StatusMessage"]
    assert "RecoveryPointArn" not in short
    forever = start(backup, TABLE_ARN)  # no DeleteAfterDays: longer than the maximum
    assert backup.describe_backup_job(BackupJobId=forever["BackupJobId"])["State"] == "FAILED"
    assert [j["BackupJobId"] for j in backup.list_backup_jobs(ByState="FAILED")["BackupJobs"]] == [
        short["BackupJobId"], forever["BackupJobId"]]
    kept = start(backup, TABLE_ARN, Lifecycle={"DeleteAfterDays": 30})
    with pytest.raises(ClientError) as error:
        backup.delete_recovery_point(BackupVaultName="main", RecoveryPointArn=kept["RecoveryPointArn"])
    assert error_code(error) == "InvalidRequestException"


def test_job_errors(backup, dynamodb):
    with pytest.raises(ClientError) as error:
        start(backup, TABLE_ARN, Lifecycle={"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 60})
    assert error_code(error) == "InvalidParameterValueException"
    with pytest.raises(ClientError) as error:
        start(backup, "arn:aws:ec2:us-east-1:123456789012:volume/vol-0123")
    assert error_code(error) == "InvalidParameterValueException"
    with pytest.raises(ClientError) as error:
        start(backup, TABLE_ARN.replace("orders", "missing"))
    assert error_code(error) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as error:
        start(backup, TABLE_ARN, vault="missing")
    assert error_code(error) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as error:
        backup.list_recovery_points_by_backup_vault(BackupVaultName="missing")
    assert error_code(error) == "AccessDeniedException"
    job = start(backup, TABLE_ARN)
    with pytest.raises(ClientError) as error:
        backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], Metadata={"targetTableName": "orders"})
    assert error_code(error) == "InvalidParameterValueException"  # the table exists
    again = start(backup, TABLE_ARN, IdempotencyToken="t1")
    assert start(backup, TABLE_ARN, IdempotencyToken="t1")["BackupJobId"] == again["BackupJobId"]


def test_jobs_run_for_the_latency(aws, backup, dynamodb):
    # Long enough for the four reads below on a loaded machine.
    aws.configure(latency_seconds={"backup:job": 2})
    job = start(backup, TABLE_ARN)
    assert backup.describe_backup_job(BackupJobId=job["BackupJobId"])["State"] == "RUNNING"
    point = backup.describe_recovery_point(BackupVaultName="main", RecoveryPointArn=job["RecoveryPointArn"])
    assert point["Status"] == "CREATING"
    assert [j["BackupJobId"] for j in backup.list_backup_jobs(ByState="RUNNING")["BackupJobs"]] == [job["BackupJobId"]]
    time.sleep(2.1)
    assert backup.describe_backup_job(BackupJobId=job["BackupJobId"])["State"] == "COMPLETED"
    assert backup.describe_recovery_point(BackupVaultName="main",
                                          RecoveryPointArn=job["RecoveryPointArn"])["Status"] == "COMPLETED"


def test_dynamodb_restores_carry_the_items(dynamodb):
    """RestoreTableFromBackup and RestoreTableToPointInTime (moto's own) copy the items."""
    backup_arn = dynamodb.create_backup(TableName="orders", BackupName="before-later")["BackupDetails"]["BackupArn"]
    dynamodb.put_item(TableName="orders", Item={"pk": {"S": "later"}, "qty": {"N": "9"}})
    dynamodb.restore_table_from_backup(TargetTableName="from-backup", BackupArn=backup_arn)
    assert items(dynamodb, "from-backup") == [("o0", "0"), ("o1", "1"), ("o2", "2")]
    dynamodb.update_continuous_backups(TableName="orders",
                                       PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    dynamodb.restore_table_to_point_in_time(SourceTableName="orders", TargetTableName="pitr",
                                            UseLatestRestorableTime=True)
    assert len(items(dynamodb, "pitr")) == 4


def test_rds_recovery_point_carries_the_rows_of_the_real_server(backup, boto3_client):
    """The backup job's snapshot is a base backup of the instance's PostgreSQL server; the restore starts a
    server from it."""
    from storagekit_local_aws.data_servers import postgres_bin

    from .test_data_servers import connect, create_postgres, described, master_password

    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed: run tests/install_servers.sh")
    rds, secretsmanager = boto3_client("rds", attempts=1), boto3_client("secretsmanager", attempts=1)
    create_postgres(rds)
    instance = described(rds, "pg1")
    password = master_password(secretsmanager, instance)

    with urllib.request.urlopen(rds.meta.endpoint_url + "/_local_aws/ca", timeout=10) as answer:
        pem = answer.read()
    with tempfile.NamedTemporaryFile(suffix=".pem") as ca:
        ca.write(pem)
        ca.flush()
        with connect(instance, password, ca.name) as connection:
            connection.execute("CREATE TABLE orders (id int)")
            connection.execute("INSERT INTO orders VALUES (1), (2)")
        job = start(backup, instance["DBInstanceArn"])
        with connect(instance, password, ca.name) as connection:
            connection.execute("INSERT INTO orders VALUES (3)")
        backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], IamRoleArn=ROLE,
                                 Metadata={"DBInstanceIdentifier": "pg1-drill", "DBParameterGroupName": "pg1-params"})
        restored = described(rds, "pg1-drill")
        assert restored["Endpoint"]["Address"] != instance["Endpoint"]["Address"]
        with connect(restored, password, ca.name) as connection:
            assert connection.execute("SELECT count(*) FROM orders").fetchone() == (2,)


def test_restores_take_the_encryption_and_settings_of_their_metadata(backup, dynamodb, boto3_client):
    """Restore metadata is a map of strings: the key of a DynamoDB or S3 copy, an RDS copy's security groups
    (a JSON list) and deletion protection ("true" / "false")."""
    job = start(backup, TABLE_ARN)
    restore = backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], IamRoleArn=ROLE, Metadata={
        "targetTableName": "orders-kms", "encryptionType": "KMS", "kmsMasterKeyArn": KEY})
    assert backup.describe_restore_job(RestoreJobId=restore["RestoreJobId"])["Status"] == "COMPLETED"
    sse = dynamodb.describe_table(TableName="orders-kms")["Table"]["SSEDescription"]
    assert (sse["SSEType"], sse["KMSMasterKeyArn"]) == ("KMS", KEY)

    s3 = boto3_client("s3", attempts=1)
    s3.create_bucket(Bucket="files")
    s3.put_object(Bucket="files", Key="a", Body=b"a")
    job = start(backup, "arn:aws:s3:::files")
    backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], IamRoleArn=ROLE, Metadata={
        "DestinationBucketName": "files-drill", "NewBucket": "true", "EncryptionType": "SSE-KMS", "KMSKey": KEY})
    rule = s3.get_bucket_encryption(Bucket="files-drill")["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY}

    rds, ec2 = boto3_client("rds", attempts=1), boto3_client("ec2", attempts=1)
    group = ec2.create_security_group(GroupName="drill", Description="drill")["GroupId"]
    instance = rds.create_db_instance(DBInstanceIdentifier="db2", Engine="mysql", EngineVersion="8.0.41",
                                      DBInstanceClass="db.t4g.micro", AllocatedStorage=20, MasterUsername="app_admin",
                                      MasterUserPassword="a-long-password-1", DeletionProtection=True)["DBInstance"]
    job = start(backup, instance["DBInstanceArn"])
    backup.start_restore_job(RecoveryPointArn=job["RecoveryPointArn"], IamRoleArn=ROLE, Metadata={
        "DBInstanceIdentifier": "db2-drill", "VpcSecurityGroupIds": f'["{group}"]', "DeletionProtection": "false"})
    copy = rds.describe_db_instances(DBInstanceIdentifier="db2-drill")["DBInstances"][0]
    assert copy["DeletionProtection"] is False
    assert [g["VpcSecurityGroupId"] for g in copy["VpcSecurityGroups"]] == [group]
