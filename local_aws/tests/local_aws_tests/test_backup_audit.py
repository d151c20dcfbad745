"""AWS Backup Audit Manager frameworks and report plans, as the backup extension serves them."""

import re

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

CONTROLS = [
    {"ControlName": "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", "ControlInputParameters": [],
     "ControlScope": {"Tags": {"backup-plan": "shop"}}},
    {"ControlName": "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
     "ControlInputParameters": [{"ParameterName": "requiredRetentionDays", "ParameterValue": "35"}]},
    {"ControlName": "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
     "ControlInputParameters": [{"ParameterName": "crossRegionList", "ParameterValue": "eu-central-1"}],
     "ControlScope": {"ComplianceResourceTypes": ["RDS"]}},
]


@pytest.fixture
def backup(aws, boto3_client):
    assert_local(aws)
    return boto3_client("backup", attempts=1)


def framework(backup, name="shop_audit", **extra):
    return backup.create_framework(FrameworkName=name, FrameworkControls=CONTROLS, **extra)


def test_framework_round_trip_with_tags(backup):
    created = framework(backup, FrameworkDescription="promises", FrameworkTags={"team": "data"}, IdempotencyToken="t1")
    assert re.match(r"^arn:aws:backup:us-east-1:123456789012:framework:shop_audit-[0-9a-f-]{36}$", created["FrameworkArn"])
    assert framework(backup, IdempotencyToken="t1")["FrameworkArn"] == created["FrameworkArn"]
    found = backup.describe_framework(FrameworkName="shop_audit")
    assert found["FrameworkControls"] == CONTROLS
    assert found["FrameworkDescription"] == "promises"
    assert found["DeploymentStatus"] == "COMPLETED"
    assert backup.list_tags(ResourceArn=created["FrameworkArn"])["Tags"] == {"team": "data"}
    listed = backup.list_frameworks()["Frameworks"]
    assert [(f["FrameworkName"], f["NumberOfControls"]) for f in listed] == [("shop_audit", 3)]


def test_update_replaces_the_controls_and_delete_removes_the_framework_and_its_tags(backup):
    arn = framework(backup, FrameworkTags={"team": "data"})["FrameworkArn"]
    backup.update_framework(FrameworkName="shop_audit", FrameworkControls=CONTROLS[:1], FrameworkDescription="less")
    found = backup.describe_framework(FrameworkName="shop_audit")
    assert found["FrameworkControls"] == CONTROLS[:1] and found["FrameworkDescription"] == "less"
    backup.delete_framework(FrameworkName="shop_audit")
    for call in (lambda: backup.describe_framework(FrameworkName="shop_audit"),
                 lambda: backup.delete_framework(FrameworkName="shop_audit"),
                 lambda: backup.update_framework(FrameworkName="shop_audit", FrameworkControls=CONTROLS)):
        with pytest.raises(ClientError) as error:
            call()
        assert error_code(error) == "ResourceNotFoundException"
    assert backup.list_tags(ResourceArn=arn)["Tags"] == {}


@pytest.mark.parametrize("controls, says", [
    ([], "at least one control"),
    ([{"ControlName": "BACKUP_EVERYTHING_IS_FINE"}], "Invalid control name"),
    ([{"ControlName": "BACKUP_RECOVERY_POINT_ENCRYPTED",
       "ControlInputParameters": [{"ParameterName": "requiredRetentionDays", "ParameterValue": "7"}]}],
     "Invalid input parameters"),
    ([CONTROLS[0], CONTROLS[0]], "only once"),
    ([{"ControlName": "BACKUP_RECOVERY_POINT_ENCRYPTED", "ControlScope": {"Tags": {"a": "1", "b": "2"}}}], "one tag"),
    ([{"ControlName": "BACKUP_RECOVERY_POINT_ENCRYPTED", "ControlScope": {"ComplianceResourceIds": ["db-1"]}}],
     "exactly one ComplianceResourceTypes"),
])
def test_what_aws_refuses_in_a_framework(backup, controls, says):
    with pytest.raises(ClientError) as error:
        backup.create_framework(FrameworkName="bad", FrameworkControls=controls)
    assert error_code(error) == "InvalidParameterValueException"
    assert says in str(error.value)


def test_names_duplicates_and_the_control_quota(backup):
    with pytest.raises(ClientError) as error:
        backup.create_framework(FrameworkName="1st-audit", FrameworkControls=CONTROLS)
    assert error_code(error) == "InvalidParameterValueException"
    framework(backup)
    with pytest.raises(ClientError) as error:
        framework(backup)
    assert error_code(error) == "AlreadyExistsException"
    for n in range(15):
        framework(backup, name=f"more_{n}")  # 16 frameworks of 3 controls: 48
    with pytest.raises(ClientError) as error:
        framework(backup, name="one_too_many")
    assert error_code(error) == "LimitExceededException"


def test_report_plan_round_trip_update_and_delete(backup):
    arn = framework(backup)["FrameworkArn"]
    channel = {"S3BucketName": "shop-logs", "S3KeyPrefix": "backup-audit"}
    setting = {"ReportTemplate": "RESOURCE_COMPLIANCE_REPORT", "FrameworkArns": [arn], "NumberOfFrameworks": 1}
    created = backup.create_report_plan(ReportPlanName="shop_compliance", ReportDeliveryChannel=channel,
                                        ReportSetting=setting, ReportPlanTags={"team": "data"})
    assert re.match(r"^arn:aws:backup:us-east-1:123456789012:report-plan:shop_compliance-", created["ReportPlanArn"])
    plan = backup.describe_report_plan(ReportPlanName="shop_compliance")["ReportPlan"]
    assert plan["ReportDeliveryChannel"] == dict(channel, Formats=["CSV"])
    assert plan["ReportSetting"] == setting and plan["DeploymentStatus"] == "COMPLETED"
    assert backup.list_tags(ResourceArn=created["ReportPlanArn"])["Tags"] == {"team": "data"}
    backup.update_report_plan(ReportPlanName="shop_compliance",
                              ReportDeliveryChannel=dict(channel, Formats=["CSV", "JSON"]))
    plan = backup.describe_report_plan(ReportPlanName="shop_compliance")["ReportPlan"]
    assert plan["ReportDeliveryChannel"]["Formats"] == ["CSV", "JSON"] and plan["ReportSetting"] == setting
    assert [p["ReportPlanName"] for p in backup.list_report_plans()["ReportPlans"]] == ["shop_compliance"]
    backup.delete_report_plan(ReportPlanName="shop_compliance")
    with pytest.raises(ClientError) as error:
        backup.describe_report_plan(ReportPlanName="shop_compliance")
    assert error_code(error) == "ResourceNotFoundException"


@pytest.mark.parametrize("setting, channel, says", [
    ({"ReportTemplate": "EVERYTHING_REPORT"}, {}, "Invalid ReportTemplate"),
    ({"ReportTemplate": "CONTROL_COMPLIANCE_REPORT"}, {}, "needs FrameworkArns"),
    ({"ReportTemplate": "RESOURCE_COMPLIANCE_REPORT",
      "FrameworkArns": ["arn:aws:backup:us-east-1:123456789012:framework:gone-1"]}, {}, "Framework not found"),
    ({"ReportTemplate": "BACKUP_JOB_REPORT"}, {"Formats": ["XML"]}, "Invalid Formats"),
])
def test_what_aws_refuses_in_a_report_plan(backup, setting, channel, says):
    with pytest.raises(ClientError) as error:
        backup.create_report_plan(ReportPlanName="bad", ReportSetting=setting,
                                  ReportDeliveryChannel=dict({"S3BucketName": "logs"}, **channel))
    assert error_code(error) == "InvalidParameterValueException"
    assert says in str(error.value)
