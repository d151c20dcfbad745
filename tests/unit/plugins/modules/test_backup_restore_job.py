"""backup_restore_job: the exact calls of a restore into a tagged copy, of a re-run, of check mode and of removal."""

import datetime

from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore import idempotency_token
from ansible_collections.storagekit.aws.plugins.modules import backup_restore_job

ACCOUNT = "123456789012"
VAULT = "web-app"
POINT = "arn:aws:backup:us-east-1:{0}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45".format(ACCOUNT)
KEY = "arn:aws:kms:us-east-1:{0}:key/11111111-1111-1111-1111-111111111111".format(ACCOUNT)
COPY = "drill-web-app-items"
COPY_ARN = "arn:aws:dynamodb:us-east-1:{0}:table/{1}".format(ACCOUNT, COPY)
DB_COPY = "drill-web-app-db"
DB_ARN = "arn:aws:rds:us-east-1:{0}:db:{1}".format(ACCOUNT, DB_COPY)
TAGS = {"storagekit:restore-drill": "run-1"}
STARTED = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.timezone.utc)

ARGS = dict(resource_type="DynamoDB", vault_name=VAULT, recovery_point_arn=POINT, target_name=COPY,
            kms_key_arn=KEY, tags=TAGS)


def table(status="ACTIVE", protected=False):
    return dict(Table=dict(TableName=COPY, TableArn=COPY_ARN, TableStatus=status, DeletionProtectionEnabled=protected))


def expect_no_table(stubs):
    stubs["dynamodb"].add_client_error("describe_table", "ResourceNotFoundException", expected_params=dict(TableName=COPY))


def expect_table(stubs, tags, **state):
    stubs["dynamodb"].add_response("describe_table", table(**state), dict(TableName=COPY))
    stubs["dynamodb"].add_response("list_tags_of_resource", dict(Tags=[dict(Key=k, Value=v) for k, v in tags.items()]),
                                   dict(ResourceArn=COPY_ARN))


def expect_metadata(stubs):
    stubs["backup"].add_response(
        "get_recovery_point_restore_metadata",
        dict(BackupVaultArn="arn:aws:backup:us-east-1:{0}:backup-vault:{1}".format(ACCOUNT, VAULT), RecoveryPointArn=POINT,
             RestoreMetadata=dict(originalTableName="web-app-items", encryptionType="Default")),
        dict(BackupVaultName=VAULT, RecoveryPointArn=POINT))


METADATA = dict(originalTableName="web-app-items", encryptionType="KMS", kmsMasterKeyArn=KEY, targetTableName=COPY)


def test_restores_waits_tags_and_returns_the_copy(stubs, run_module):
    expect_no_table(stubs)
    expect_metadata(stubs)
    stubs["backup"].add_response("start_restore_job", dict(RestoreJobId="job-1"), dict(
        RecoveryPointArn=POINT, Metadata=METADATA, ResourceType="DynamoDB", IdempotencyToken=idempotency_token(POINT, COPY, TAGS)))
    stubs["backup"].add_response("describe_restore_job", dict(RestoreJobId="job-1", Status="RUNNING"), dict(RestoreJobId="job-1"))
    stubs["backup"].add_response("describe_restore_job", dict(
        RestoreJobId="job-1", Status="COMPLETED", CreatedResourceArn=COPY_ARN, CreationDate=STARTED,
        CompletionDate=STARTED + datetime.timedelta(seconds=42)), dict(RestoreJobId="job-1"))
    expect_table(stubs, {}, status="CREATING")
    expect_table(stubs, {})
    stubs["dynamodb"].add_response("tag_resource", {}, dict(
        ResourceArn=COPY_ARN, Tags=[dict(Key="storagekit:restore-drill", Value="run-1")]))
    result = run_module(backup_restore_job, ARGS, diff=True)
    assert result["changed"] is True
    assert result["created_resource_arn"] == COPY_ARN
    assert result["restore_seconds"] == 42.0
    assert result["restore_job"]["status"] == "COMPLETED"
    assert result["metadata"] == METADATA
    assert result["diff"] == dict(before=dict(target=None), after=dict(target=COPY))


def test_the_copy_of_an_earlier_run_is_no_change(stubs, run_module):
    expect_table(stubs, TAGS)
    result = run_module(backup_restore_job, ARGS)
    assert (result["changed"], result["created_resource_arn"]) == (False, COPY_ARN)


def test_check_mode_reads_the_metadata_and_starts_nothing(stubs, run_module):
    expect_no_table(stubs)
    expect_metadata(stubs)
    result = run_module(backup_restore_job, ARGS, check_mode=True)
    assert (result["changed"], result["metadata"]) == (True, METADATA)


def test_an_existing_resource_without_the_tags_is_refused(stubs, run_module):
    expect_table(stubs, {"team": "payments"})
    result = run_module(backup_restore_job, ARGS, expect_failure=True)
    assert result["msg"] == ("DynamoDB drill-web-app-items exists and is not a restored copy of this kind: "
                             "it lacks the tags storagekit:restore-drill=run-1.")


def test_a_failed_job_fails_with_its_message(stubs, run_module):
    expect_no_table(stubs)
    expect_metadata(stubs)
    stubs["backup"].add_response("start_restore_job", dict(RestoreJobId="job-2"), dict(
        RecoveryPointArn=POINT, Metadata=METADATA, ResourceType="DynamoDB", IdempotencyToken=idempotency_token(POINT, COPY, TAGS)))
    stubs["backup"].add_response("describe_restore_job", dict(RestoreJobId="job-2", Status="FAILED",
                                                              StatusMessage="Access denied to key"), dict(RestoreJobId="job-2"))
    result = run_module(backup_restore_job, ARGS, expect_failure=True)
    assert result["msg"] == "Restore job job-2 of {0} into {1} ended FAILED: Access denied to key".format(POINT, COPY)


def test_rds_copy_in_the_given_network_without_deletion_protection(stubs, run_module):
    stubs["rds"].add_client_error("describe_db_instances", "DBInstanceNotFound",
                                  expected_params=dict(DBInstanceIdentifier=DB_COPY))
    stubs["backup"].add_response("get_recovery_point_restore_metadata", dict(RestoreMetadata=dict(
        DBInstanceIdentifier="web-app-db", DeletionProtection="true", Engine="postgres")),
        dict(BackupVaultName=VAULT, RecoveryPointArn=POINT))
    result = run_module(backup_restore_job, dict(
        resource_type="RDS", vault_name=VAULT, recovery_point_arn=POINT, target_name=DB_COPY, kms_key_arn=KEY, tags=TAGS,
        metadata=dict(DBSubnetGroupName="web-app-db", VpcSecurityGroupIds=["sg-0123"], MultiAZ=False)), check_mode=True)
    assert result["metadata"] == dict(DBInstanceIdentifier=DB_COPY, DeletionProtection="false", Engine="postgres",
                                      KmsKeyId=KEY, DBSubnetGroupName="web-app-db", VpcSecurityGroupIds='["sg-0123"]',
                                      MultiAZ="false")


def test_absent_deletes_only_a_tagged_copy(stubs, run_module):
    expect_table(stubs, TAGS, protected=True)
    stubs["dynamodb"].add_response("update_table", dict(), dict(TableName=COPY, DeletionProtectionEnabled=False))
    stubs["dynamodb"].add_response("delete_table", dict(), dict(TableName=COPY))
    expect_no_table(stubs)
    result = run_module(backup_restore_job, dict(state="absent", resource_type="DynamoDB", target_name=COPY, tags=TAGS))
    assert result["changed"] is True

    expect_table(stubs, {})
    result = run_module(backup_restore_job, dict(state="absent", resource_type="DynamoDB", target_name=COPY, tags=TAGS),
                        expect_failure=True)
    assert result["msg"] == ("Refusing to delete DynamoDB drill-web-app-items: it lacks the tags "
                             "storagekit:restore-drill=run-1, so it is not a restored copy.")

    expect_no_table(stubs)
    result = run_module(backup_restore_job, dict(state="absent", resource_type="DynamoDB", target_name=COPY, tags=TAGS))
    assert result["changed"] is False


def test_absent_without_tags_is_refused_before_any_call(stubs, run_module):
    result = run_module(backup_restore_job, dict(state="absent", resource_type="S3", target_name="drill-x"), expect_failure=True)
    assert result["msg"] == "state=absent needs tags: only a resource carrying them is deleted."


def test_absent_empties_a_versioned_scratch_bucket(stubs, run_module):
    s3 = stubs["s3"]
    s3.add_response("head_bucket", {}, dict(Bucket="drill-uploads"))
    s3.add_response("get_bucket_tagging", dict(TagSet=[dict(Key="storagekit:restore-drill", Value="run-1")]),
                    dict(Bucket="drill-uploads"))
    s3.add_response("list_object_versions", dict(Versions=[dict(Key="a", VersionId="1")], DeleteMarkers=[
        dict(Key="b", VersionId="2")]), dict(Bucket="drill-uploads", MaxKeys=1000))
    s3.add_response("delete_objects", {}, dict(Bucket="drill-uploads", Delete=dict(Objects=[
        dict(Key="a", VersionId="1"), dict(Key="b", VersionId="2")], Quiet=True)))
    s3.add_response("list_object_versions", {}, dict(Bucket="drill-uploads", MaxKeys=1000))
    s3.add_response("delete_bucket", {}, dict(Bucket="drill-uploads"))
    s3.add_client_error("head_bucket", "404", http_status_code=404, expected_params=dict(Bucket="drill-uploads"))
    result = run_module(backup_restore_job, dict(state="absent", resource_type="S3", target_name="drill-uploads", tags=TAGS))
    assert result["changed"] is True


def test_an_rds_copy_like_its_source_takes_its_network_parameter_group_and_key(stubs, run_module):
    rds = stubs["rds"]
    rds.add_client_error("describe_db_instances", "DBInstanceNotFound", expected_params=dict(DBInstanceIdentifier=DB_COPY))
    stubs["backup"].add_response("get_recovery_point_restore_metadata", dict(RestoreMetadata=dict(
        DBInstanceIdentifier="web-app-db")), dict(BackupVaultName=VAULT, RecoveryPointArn=POINT))
    rds.add_response("describe_db_instances", dict(DBInstances=[dict(
        DBInstanceIdentifier="web-app-db", DBInstanceArn="arn:aws:rds:us-east-1:123456789012:db:web-app-db",
        DBInstanceStatus="available", DBInstanceClass="db.t4g.micro", KmsKeyId=KEY,
        DBSubnetGroup=dict(DBSubnetGroupName="web-app-db"), VpcSecurityGroups=[
            dict(VpcSecurityGroupId="sg-2"), dict(VpcSecurityGroupId="sg-1")],
        DBParameterGroups=[dict(DBParameterGroupName="web-app-pg15")],
        MasterUserSecret=dict(SecretArn="arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1"))]),
        dict(DBInstanceIdentifier="web-app-db"))
    result = run_module(backup_restore_job, dict(resource_type="RDS", vault_name=VAULT, recovery_point_arn=POINT,
                                                 target_name=DB_COPY, source_name="web-app-db", tags=TAGS), check_mode=True)
    assert result["metadata"] == dict(
        DBInstanceIdentifier=DB_COPY, DeletionProtection="false", DBSubnetGroupName="web-app-db",
        VpcSecurityGroupIds='["sg-1", "sg-2"]', DBParameterGroupName="web-app-pg15", DBInstanceClass="db.t4g.micro",
        KmsKeyId=KEY, ManageMasterUserPassword="true")


def test_a_copy_named_like_its_source_is_refused_before_any_call(stubs, run_module):
    result = run_module(backup_restore_job, dict(ARGS, source_name=COPY), expect_failure=True)
    assert result["msg"] == "target_name must differ from source_name {0}: a restore never overwrites its source.".format(COPY)


def test_another_run_tag_is_another_token():
    assert idempotency_token(POINT, COPY, TAGS) == idempotency_token(POINT, COPY, dict(TAGS))
    assert idempotency_token(POINT, COPY, TAGS) != idempotency_token(POINT, COPY, {"storagekit:restore-drill": "run-2"})
