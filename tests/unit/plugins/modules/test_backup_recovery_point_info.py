"""backup_recovery_point_info: the exact reads that choose the latest, a named or a point-in-time recovery point."""

import datetime

from ansible_collections.storagekit.aws.plugins.modules import backup_recovery_point_info

VAULT = "web-app"
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/web-app-items"
DB = "arn:aws:rds:us-east-1:123456789012:db:web-app-db"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
UTC = datetime.timezone.utc


def rp(number, resource=TABLE, day=1, status="COMPLETED", resource_type="DynamoDB"):
    created = datetime.datetime(2026, 12, day, 10, 0, tzinfo=UTC)
    return dict(RecoveryPointArn="arn:aws:backup:us-east-1:123456789012:recovery-point:{0}".format(number),
                BackupVaultName=VAULT, ResourceArn=resource, ResourceType=resource_type, Status=status,
                CreationDate=created, CompletionDate=created + datetime.timedelta(minutes=2),
                EncryptionKeyArn=KEY, IsEncrypted=True, BackupSizeInBytes=1024)


def expect_points(stubs, resource, points, **extra):
    stubs["backup"].add_response("list_recovery_points_by_backup_vault", dict(RecoveryPoints=points),
                                 dict(BackupVaultName=VAULT, ByResourceArn=resource, **extra))


def test_latest_completed_point_of_each_resource(stubs, run_module):
    expect_points(stubs, TABLE, [rp(1, day=1), rp(2, day=3), rp(3, day=4, status="PARTIAL")])
    expect_points(stubs, DB, [rp(4, resource=DB, day=2, resource_type="RDS")])
    result = run_module(backup_recovery_point_info, dict(vault_name=VAULT, resource_arns=[TABLE, DB]))
    assert result["changed"] is False
    points = result["recovery_points"]
    assert [p["recovery_point_arn"][-1] for p in points] == ["2", "4"]
    assert points[0]["creation_date"] == "2026-12-03T10:00:00+00:00"
    assert points[0]["resource_type"] == "DynamoDB" and points[1]["resource_type"] == "RDS"
    assert points[0]["encryption_key_arn"] == KEY
    assert points[0]["age_seconds"] > 0


def test_point_in_time_asks_for_points_created_before_it(stubs, run_module):
    before = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    expect_points(stubs, TABLE, [rp(1, day=1)], ByCreatedBefore=before)
    result = run_module(backup_recovery_point_info, dict(vault_name=VAULT, resource_arns=[TABLE],
                                                         restore_time="2026-12-02T12:00:00Z"))
    assert result["recovery_points"][0]["recovery_point_arn"].endswith(":1")


def test_resources_by_tag_through_the_tagging_api(stubs, run_module):
    stubs["resourcegroupstaggingapi"].add_response(
        "get_resources", dict(ResourceTagMappingList=[dict(ResourceARN=TABLE)]),
        dict(TagFilters=[dict(Key="backup-plan", Values=["web-app"])]))
    expect_points(stubs, TABLE, [rp(1)])
    result = run_module(backup_recovery_point_info, dict(vault_name=VAULT, resource_tags={"backup-plan": "web-app"}))
    assert [p["resource_arn"] for p in result["recovery_points"]] == [TABLE]


def test_named_point_is_described_and_must_belong_to_the_resource(stubs, run_module):
    point = dict(rp(7), ResponseMetadata={})
    stubs["backup"].add_response("describe_recovery_point", point,
                                 dict(BackupVaultName=VAULT, RecoveryPointArn=point["RecoveryPointArn"]))
    result = run_module(backup_recovery_point_info, dict(vault_name=VAULT, resource_arns=[TABLE],
                                                         recovery_point_arn=point["RecoveryPointArn"]))
    assert result["recovery_points"][0]["recovery_point_arn"] == point["RecoveryPointArn"]

    stubs["backup"].add_response("describe_recovery_point", point,
                                 dict(BackupVaultName=VAULT, RecoveryPointArn=point["RecoveryPointArn"]))
    result = run_module(backup_recovery_point_info, dict(vault_name=VAULT, resource_arns=[DB],
                                                         recovery_point_arn=point["RecoveryPointArn"]), expect_failure=True)
    assert result["msg"] == "Recovery point {0} is of {1}, not of {2}.".format(point["RecoveryPointArn"], TABLE, DB)


def test_a_resource_without_a_completed_point_fails_naming_it_or_is_skipped(stubs, run_module):
    expect_points(stubs, TABLE, [rp(1, status="FAILED")])
    result = run_module(backup_recovery_point_info, dict(vault_name=VAULT, resource_arns=[TABLE]), expect_failure=True)
    assert result["msg"] == "Vault web-app holds no completed recovery point of {0}.".format(TABLE)

    expect_points(stubs, TABLE, [])
    result = run_module(backup_recovery_point_info, dict(vault_name=VAULT, resource_arns=[TABLE], missing="skip"))
    assert (result["recovery_points"], result["without_recovery_point"]) == ([], [TABLE])


def test_bad_time_is_refused_before_any_call(stubs, run_module):
    result = run_module(backup_recovery_point_info, dict(vault_name=VAULT, resource_arns=[TABLE], restore_time="yesterday"),
                        expect_failure=True)
    assert "is not an ISO 8601 time" in result["msg"]
