"""What the project adds to moto's AWS Backup: selections, vault details, lock and notifications,
restore testing plans."""

import re

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

ROLE = "arn:aws:iam::123456789012:role/backup"
TOPIC = "arn:aws:sns:us-east-1:123456789012:backup-events"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"


@pytest.fixture
def backup(aws, boto3_client):
    assert_local(aws)
    return boto3_client("backup", attempts=1)


@pytest.fixture
def plan_id(backup):
    backup.create_backup_vault(BackupVaultName="main", EncryptionKeyArn=KEY)
    return backup.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "main", "Lifecycle": {"DeleteAfterDays": 35}}]})["BackupPlanId"]


def selection(name="by-tag", **kwargs):
    body = {"SelectionName": name, "IamRoleArn": ROLE,
            "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup-plan", "ConditionValue": "daily"}]}
    body.update(kwargs)
    return body


# --- selections ---------------------------------------------------------------------------------

def test_selection_round_trip(backup, plan_id):
    body = selection(Resources=["arn:aws:dynamodb:us-east-1:123456789012:table/orders"],
                     NotResources=["arn:aws:s3:::scratch"],
                     Conditions={"StringEquals": [{"ConditionKey": "aws:ResourceTag/tier", "ConditionValue": "data"}]})
    created = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=body, CreatorRequestId="req-1")
    assert created["BackupPlanId"] == plan_id
    got = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert got["BackupSelection"] == body
    assert got["CreatorRequestId"] == "req-1"
    assert got["CreationDate"] == created["CreationDate"]
    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert [(s["SelectionId"], s["SelectionName"], s["IamRoleArn"]) for s in listed] == [
        (created["SelectionId"], "by-tag", ROLE)]
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"] == []
    with pytest.raises(ClientError) as error:
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert error_code(error) == "ResourceNotFoundException"


def test_selection_creator_request_id_and_duplicate_name(backup, plan_id):
    first = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection(), CreatorRequestId="r")
    again = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection(), CreatorRequestId="r")
    assert again["SelectionId"] == first["SelectionId"]
    with pytest.raises(ClientError) as error:
        backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection())
    assert error_code(error) == "AlreadyExistsException"
    assert len(backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]) == 1


def test_selection_errors(backup, plan_id):
    with pytest.raises(ClientError) as error:
        backup.create_backup_selection(BackupPlanId="no-such-plan", BackupSelection=selection())
    assert error_code(error) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as error:
        backup.list_backup_selections(BackupPlanId="no-such-plan")
    assert error_code(error) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as error:
        backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection={"SelectionName": "x", "IamRoleArn": ROLE})
    assert error_code(error) == "InvalidParameterValueException"
    with pytest.raises(ClientError) as error:
        backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection(IamRoleArn="backup-role"))
    assert error_code(error) == "InvalidParameterValueException"
    with pytest.raises(ClientError) as error:
        backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId="no-such-selection")
    assert error_code(error) == "ResourceNotFoundException"


def test_update_plan_replaces_the_rules_as_a_new_version(backup, plan_id):
    before = backup.get_backup_plan(BackupPlanId=plan_id)
    rules = [{"RuleName": "daily", "TargetBackupVaultName": "main", "Lifecycle": {"DeleteAfterDays": 20}},
             {"RuleName": "weekly", "TargetBackupVaultName": "main", "ScheduleExpression": "cron(0 5 ? * SUN *)"}]
    updated = backup.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": "daily", "Rules": rules})
    assert updated["BackupPlanId"] == plan_id and updated["VersionId"] != before["VersionId"]
    after = backup.get_backup_plan(BackupPlanId=plan_id)
    by_name = {rule["RuleName"]: rule for rule in after["BackupPlan"]["Rules"]}
    assert by_name["daily"]["Lifecycle"] == {"DeleteAfterDays": 20}
    assert by_name["daily"]["RuleId"] == before["BackupPlan"]["Rules"][0]["RuleId"]
    assert by_name["weekly"]["StartWindowMinutes"] == 480 and by_name["weekly"]["RuleId"]
    with pytest.raises(ClientError) as error:
        backup.update_backup_plan(BackupPlanId="no-such-plan", BackupPlan={"BackupPlanName": "x", "Rules": rules})
    assert error_code(error) == "ResourceNotFoundException"


def test_plan_with_selections_is_not_deleted(backup, plan_id):
    created = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection())
    with pytest.raises(ClientError) as error:
        backup.delete_backup_plan(BackupPlanId=plan_id)
    assert error_code(error) == "InvalidRequestException"
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    backup.delete_backup_plan(BackupPlanId=plan_id)


# --- vaults: details, lock, notifications, delete ----------------------------------------------

def test_describe_vault_reports_key_and_lock(backup):
    backup.create_backup_vault(BackupVaultName="locked", EncryptionKeyArn=KEY, CreatorRequestId="v1")
    vault = backup.describe_backup_vault(BackupVaultName="locked")
    assert vault["EncryptionKeyArn"] == KEY
    assert vault["Locked"] is False
    assert vault["NumberOfRecoveryPoints"] == 0
    assert vault["CreatorRequestId"] == "v1"
    assert "MinRetentionDays" not in vault

    backup.put_backup_vault_lock_configuration(BackupVaultName="locked", MinRetentionDays=7, MaxRetentionDays=365)
    vault = backup.describe_backup_vault(BackupVaultName="locked")
    assert (vault["Locked"], vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (True, 7, 365)
    assert "LockDate" not in vault  # governance mode: no lock date, changeable at any time
    backup.delete_backup_vault_lock_configuration(BackupVaultName="locked")
    assert backup.describe_backup_vault(BackupVaultName="locked")["Locked"] is False

    backup.put_backup_vault_lock_configuration(BackupVaultName="locked", MinRetentionDays=7, ChangeableForDays=3)
    vault = backup.describe_backup_vault(BackupVaultName="locked")
    assert vault["Locked"] is True
    days = (vault["LockDate"] - vault["CreationDate"]).total_seconds() / 86400
    assert 2.99 < days < 3.01  # compliance mode: immutable from the lock date on


@pytest.mark.parametrize("settings", [
    {"MinRetentionDays": 0},
    {"MaxRetentionDays": 36501},
    {"MinRetentionDays": 30, "MaxRetentionDays": 7},
    {"MinRetentionDays": 7, "ChangeableForDays": 2},
])
def test_vault_lock_validation(backup, settings):
    backup.create_backup_vault(BackupVaultName="v")
    with pytest.raises(ClientError) as error:
        backup.put_backup_vault_lock_configuration(BackupVaultName="v", **settings)
    assert error_code(error) == "InvalidParameterValueException"
    assert backup.describe_backup_vault(BackupVaultName="v")["Locked"] is False


def test_vault_errors(backup):
    with pytest.raises(ClientError) as error:
        backup.describe_backup_vault(BackupVaultName="missing")
    assert error_code(error) == "AccessDeniedException"  # as AWS answers for a vault that does not exist
    for call in (backup.delete_backup_vault, backup.get_backup_vault_notifications):
        with pytest.raises(ClientError) as error:
            call(BackupVaultName="missing")
        assert error_code(error) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as error:
        backup.put_backup_vault_lock_configuration(BackupVaultName="missing", MinRetentionDays=1)
    assert error_code(error) == "ResourceNotFoundException"


def test_vault_notifications(backup):
    backup.create_backup_vault(BackupVaultName="n")
    with pytest.raises(ClientError) as error:
        backup.get_backup_vault_notifications(BackupVaultName="n")
    assert error_code(error) == "ResourceNotFoundException"
    backup.put_backup_vault_notifications(BackupVaultName="n", SNSTopicArn=TOPIC,
                                          BackupVaultEvents=["BACKUP_JOB_FAILED", "RESTORE_JOB_COMPLETED"])
    got = backup.get_backup_vault_notifications(BackupVaultName="n")
    assert got["SNSTopicArn"] == TOPIC
    assert got["BackupVaultEvents"] == ["BACKUP_JOB_FAILED", "RESTORE_JOB_COMPLETED"]
    assert got["BackupVaultArn"].endswith(":backup-vault:n")
    for bad in ({"SNSTopicArn": "topic", "BackupVaultEvents": ["BACKUP_JOB_FAILED"]},
                {"SNSTopicArn": TOPIC, "BackupVaultEvents": ["SOMETHING_HAPPENED"]}):
        with pytest.raises(ClientError) as error:
            backup.put_backup_vault_notifications(BackupVaultName="n", **bad)
        assert error_code(error) == "InvalidParameterValueException"
    backup.delete_backup_vault_notifications(BackupVaultName="n")
    with pytest.raises(ClientError):
        backup.get_backup_vault_notifications(BackupVaultName="n")


def test_delete_empty_vault(backup):
    backup.create_backup_vault(BackupVaultName="empty")
    backup.delete_backup_vault(BackupVaultName="empty")
    assert backup.list_backup_vaults()["BackupVaultList"] == []


# --- restore testing plans ----------------------------------------------------------------------

TESTING_PLAN = {
    "RestoreTestingPlanName": "weekly_drill",
    "ScheduleExpression": "cron(0 3 ? * SUN *)",
    "StartWindowHours": 4,
    "RecoveryPointSelection": {"Algorithm": "LATEST_WITHIN_WINDOW", "IncludeVaults": ["*"],
                               "RecoveryPointTypes": ["SNAPSHOT"], "SelectionWindowDays": 7},
}
TESTING_SELECTION = {
    "RestoreTestingSelectionName": "tables", "IamRoleArn": ROLE, "ProtectedResourceType": "DynamoDB",
    "ProtectedResourceArns": ["*"], "ValidationWindowHours": 2,
    "RestoreMetadataOverrides": {"targetTableName": "drill"},
}


def test_restore_testing_plan_round_trip(backup):
    created = backup.create_restore_testing_plan(RestoreTestingPlan=TESTING_PLAN, CreatorRequestId="p1")
    assert created["RestoreTestingPlanName"] == "weekly_drill"
    assert ":restore-testing-plan:weekly_drill-" in created["RestoreTestingPlanArn"]
    again = backup.create_restore_testing_plan(RestoreTestingPlan=TESTING_PLAN, CreatorRequestId="p1")
    assert again["RestoreTestingPlanArn"] == created["RestoreTestingPlanArn"]
    with pytest.raises(ClientError) as error:
        backup.create_restore_testing_plan(RestoreTestingPlan=TESTING_PLAN)
    assert error_code(error) == "AlreadyExistsException"
    plan = backup.get_restore_testing_plan(RestoreTestingPlanName="weekly_drill")["RestoreTestingPlan"]
    assert plan["ScheduleExpression"] == "cron(0 3 ? * SUN *)"
    assert plan["ScheduleExpressionTimezone"] == "Etc/UTC"
    assert plan["RecoveryPointSelection"] == TESTING_PLAN["RecoveryPointSelection"]
    updated = backup.update_restore_testing_plan(RestoreTestingPlanName="weekly_drill", RestoreTestingPlan={
        "ScheduleExpression": "cron(0 4 ? * SUN *)", "RecoveryPointSelection": {"SelectionWindowDays": 14}})
    assert "UpdateTime" in updated
    plan = backup.get_restore_testing_plan(RestoreTestingPlanName="weekly_drill")["RestoreTestingPlan"]
    assert plan["ScheduleExpression"] == "cron(0 4 ? * SUN *)"
    assert plan["RecoveryPointSelection"]["SelectionWindowDays"] == 14
    assert plan["RecoveryPointSelection"]["Algorithm"] == "LATEST_WITHIN_WINDOW"
    listed = backup.list_restore_testing_plans()["RestoreTestingPlans"]
    assert [p["RestoreTestingPlanName"] for p in listed] == ["weekly_drill"]

    made = backup.create_restore_testing_selection(RestoreTestingPlanName="weekly_drill",
                                                   RestoreTestingSelection=TESTING_SELECTION)
    assert made["RestoreTestingPlanArn"] == created["RestoreTestingPlanArn"]
    got = backup.get_restore_testing_selection(RestoreTestingPlanName="weekly_drill",
                                               RestoreTestingSelectionName="tables")["RestoreTestingSelection"]
    assert got["ProtectedResourceType"] == "DynamoDB"
    assert got["RestoreMetadataOverrides"] == {"targetTableName": "drill"}
    assert got["ValidationWindowHours"] == 2
    backup.update_restore_testing_selection(RestoreTestingPlanName="weekly_drill", RestoreTestingSelectionName="tables",
                                            RestoreTestingSelection={"ValidationWindowHours": 5})
    listed = backup.list_restore_testing_selections(RestoreTestingPlanName="weekly_drill")["RestoreTestingSelections"]
    assert [(s["RestoreTestingSelectionName"], s["ValidationWindowHours"]) for s in listed] == [("tables", 5)]
    with pytest.raises(ClientError) as error:
        backup.create_restore_testing_selection(RestoreTestingPlanName="weekly_drill",
                                                RestoreTestingSelection=TESTING_SELECTION)
    assert error_code(error) == "AlreadyExistsException"

    with pytest.raises(ClientError) as error:
        backup.delete_restore_testing_plan(RestoreTestingPlanName="weekly_drill")
    assert error_code(error) == "InvalidRequestException"
    backup.delete_restore_testing_selection(RestoreTestingPlanName="weekly_drill", RestoreTestingSelectionName="tables")
    backup.delete_restore_testing_plan(RestoreTestingPlanName="weekly_drill")
    with pytest.raises(ClientError) as error:
        backup.get_restore_testing_plan(RestoreTestingPlanName="weekly_drill")
    assert error_code(error) == "ResourceNotFoundException"


def test_restore_testing_errors(backup):
    with pytest.raises(ClientError) as error:
        backup.create_restore_testing_plan(RestoreTestingPlan={**TESTING_PLAN, "RestoreTestingPlanName": "has-dash"})
    assert error_code(error) == "InvalidParameterValueException"
    with pytest.raises(ClientError) as error:
        backup.create_restore_testing_selection(RestoreTestingPlanName="missing", RestoreTestingSelection=TESTING_SELECTION)
    assert error_code(error) == "ResourceNotFoundException"
    backup.create_restore_testing_plan(RestoreTestingPlan=TESTING_PLAN)
    with pytest.raises(ClientError) as error:
        backup.get_restore_testing_selection(RestoreTestingPlanName="weekly_drill", RestoreTestingSelectionName="none")
    assert error_code(error) == "ResourceNotFoundException"


def test_restore_testing_plan_arn_defaults_and_tags(backup):
    """The ARN is <name>-<id> as the Service Authorization Reference documents; Tags are read with ListTags."""
    selection = {"Algorithm": "RANDOM_WITHIN_WINDOW", "IncludeVaults": ["*"], "RecoveryPointTypes": ["SNAPSHOT", "CONTINUOUS"]}
    body = {**TESTING_PLAN, "RecoveryPointSelection": selection}
    del body["StartWindowHours"]
    arn = backup.create_restore_testing_plan(RestoreTestingPlan=body, Tags={"team": "data"})["RestoreTestingPlanArn"]
    assert re.fullmatch(r"arn:aws:backup:us-east-1:\d{12}:restore-testing-plan:weekly_drill-"
                        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", arn)
    plan = backup.get_restore_testing_plan(RestoreTestingPlanName="weekly_drill")["RestoreTestingPlan"]
    assert plan["StartWindowHours"] == 24
    assert plan["RecoveryPointSelection"]["SelectionWindowDays"] == 30
    assert backup.list_tags(ResourceArn=arn)["Tags"] == {"team": "data"}
    backup.tag_resource(ResourceArn=arn, Tags={"env": "test"})
    assert backup.list_tags(ResourceArn=arn)["Tags"] == {"team": "data", "env": "test"}
    backup.delete_restore_testing_plan(RestoreTestingPlanName="weekly_drill")
    assert backup.list_tags(ResourceArn=arn)["Tags"] == {}


@pytest.mark.parametrize("change", [
    {"StartWindowHours": 0},
    {"StartWindowHours": 169},
    {"RecoveryPointSelection": {**TESTING_PLAN["RecoveryPointSelection"], "SelectionWindowDays": 366}},
    {"RecoveryPointSelection": {**TESTING_PLAN["RecoveryPointSelection"], "IncludeVaults": []}},
])
def test_restore_testing_plan_ranges(backup, change):
    with pytest.raises(ClientError) as error:
        backup.create_restore_testing_plan(RestoreTestingPlan={**TESTING_PLAN, **change})
    assert error_code(error) == "InvalidParameterValueException"
    assert backup.list_restore_testing_plans()["RestoreTestingPlans"] == []


TAGGED = {"StringEquals": [{"Key": "aws:ResourceTag/backup-plan", "Value": "daily"}]}


def test_restore_testing_selection_by_tag_takes_the_wildcard(backup):
    """AWS documents the wildcard ["*"] with ProtectedResourceConditions; conditions alone are a selection too."""
    backup.create_restore_testing_plan(RestoreTestingPlan=TESTING_PLAN)
    backup.create_restore_testing_selection(RestoreTestingPlanName="weekly_drill", RestoreTestingSelection={
        **TESTING_SELECTION, "ProtectedResourceConditions": TAGGED})
    got = backup.get_restore_testing_selection(RestoreTestingPlanName="weekly_drill",
                                               RestoreTestingSelectionName="tables")["RestoreTestingSelection"]
    assert got["ProtectedResourceArns"] == ["*"]
    assert got["ProtectedResourceConditions"] == TAGGED
    body = {k: v for k, v in TESTING_SELECTION.items() if k != "ProtectedResourceArns"}
    backup.create_restore_testing_selection(RestoreTestingPlanName="weekly_drill", RestoreTestingSelection={
        **body, "RestoreTestingSelectionName": "by_tag", "ProtectedResourceConditions": TAGGED})


@pytest.mark.parametrize("change", [
    {"ProtectedResourceArns": ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"],
     "ProtectedResourceConditions": TAGGED},
    {"ProtectedResourceArns": ["*", "arn:aws:dynamodb:us-east-1:123456789012:table/orders"]},
    {"ProtectedResourceArns": [f"arn:aws:dynamodb:us-east-1:123456789012:table/t{i}" for i in range(31)]},
    {"ProtectedResourceArns": []},
    {"ValidationWindowHours": 169},
])
def test_restore_testing_selection_refusals(backup, change):
    backup.create_restore_testing_plan(RestoreTestingPlan=TESTING_PLAN)
    with pytest.raises(ClientError) as error:
        backup.create_restore_testing_selection(RestoreTestingPlanName="weekly_drill",
                                                RestoreTestingSelection={**TESTING_SELECTION, **change})
    assert error_code(error) == "InvalidParameterValueException"
    backup.create_restore_testing_selection(RestoreTestingPlanName="weekly_drill", RestoreTestingSelection=TESTING_SELECTION)
    with pytest.raises(ClientError) as error:
        backup.update_restore_testing_selection(RestoreTestingPlanName="weekly_drill",
                                                RestoreTestingSelectionName="tables", RestoreTestingSelection=change)
    assert error_code(error) == "InvalidParameterValueException"
    got = backup.get_restore_testing_selection(RestoreTestingPlanName="weekly_drill",
                                               RestoreTestingSelectionName="tables")["RestoreTestingSelection"]
    assert got["ProtectedResourceArns"] == ["*"] and got["ValidationWindowHours"] == 2


def test_a_deleted_plans_name_can_be_used_again(backup, plan_id):
    backup.delete_backup_plan(BackupPlanId=plan_id)
    again = backup.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [
        {"RuleName": "daily", "TargetBackupVaultName": "main"}]})["BackupPlanId"]
    assert again != plan_id
    assert [p["BackupPlanId"] for p in backup.list_backup_plans()["BackupPlansList"]] == [again]
    with pytest.raises(ClientError) as error:
        backup.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [
            {"RuleName": "daily", "TargetBackupVaultName": "main"}]})
    assert error_code(error) == "AlreadyExistsException"  # moto's check of live plans stays
