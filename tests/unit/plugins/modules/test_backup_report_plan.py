"""backup_report_plan: DescribeReportPlan (+ ListTags) a no-change run; only what differs is written."""

import datetime

from ansible_collections.storagekit.aws.plugins.modules import backup_report_plan

NAME = "storagekit_compliance"
ARN = "arn:aws:backup:us-east-1:123456789012:report-plan:storagekit_compliance-1111-2222"
FRAMEWORK = "arn:aws:backup:us-east-1:123456789012:framework:storagekit_backup_audit-2a1c"
NOW = datetime.datetime(2026, 12, 6, tzinfo=datetime.timezone.utc)
TAGS = {"managed-by": "storagekit.aws"}
ARGS = dict(name=NAME, template="RESOURCE_COMPLIANCE_REPORT", framework_arns=[FRAMEWORK], s3_bucket="sk-logs",
            s3_key_prefix="backup-audit", formats=["CSV", "JSON"], tags=TAGS)
CHANNEL = dict(S3BucketName="sk-logs", S3KeyPrefix="backup-audit", Formats=["CSV", "JSON"])
SETTING = dict(ReportTemplate="RESOURCE_COMPLIANCE_REPORT", FrameworkArns=[FRAMEWORK], NumberOfFrameworks=1)


def expect_plan(stubs, channel=None):
    if channel is None:
        stubs["backup"].add_client_error("describe_report_plan", "ResourceNotFoundException", http_status_code=404,
                                         expected_params=dict(ReportPlanName=NAME))
        return
    stubs["backup"].add_response("describe_report_plan", dict(ReportPlan=dict(
        ReportPlanArn=ARN, ReportPlanName=NAME, ReportDeliveryChannel=channel, ReportSetting=SETTING,
        DeploymentStatus="COMPLETED", CreationTime=NOW)), dict(ReportPlanName=NAME))


def test_create_sends_channel_setting_and_tags(stubs, run_module):
    expect_plan(stubs)
    stubs["backup"].add_response("create_report_plan", dict(ReportPlanName=NAME, ReportPlanArn=ARN, CreationTime=NOW), dict(
        ReportPlanName=NAME, ReportDeliveryChannel=CHANNEL, ReportSetting=SETTING, ReportPlanTags=TAGS))
    result = run_module(backup_report_plan, ARGS)
    assert result["changed"] is True
    assert result["report_plan"]["arn"] == ARN


def test_no_change_reads_the_plan_and_its_tags_and_writes_nothing(stubs, run_module):
    expect_plan(stubs, CHANNEL)
    stubs["backup"].add_response("list_tags", dict(Tags=TAGS), dict(ResourceArn=ARN))
    result = run_module(backup_report_plan, ARGS, diff=True)
    assert result["changed"] is False
    assert result["report_plan"]["formats"] == ["CSV", "JSON"]


def test_a_changed_bucket_updates_the_plan(stubs, run_module):
    expect_plan(stubs, dict(CHANNEL, S3BucketName="old-logs"))
    stubs["backup"].add_response("update_report_plan", dict(ReportPlanName=NAME, ReportPlanArn=ARN, CreationTime=NOW), dict(
        ReportPlanName=NAME, ReportDeliveryChannel=CHANNEL, ReportSetting=SETTING))
    stubs["backup"].add_response("list_tags", dict(Tags=TAGS), dict(ResourceArn=ARN))
    result = run_module(backup_report_plan, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["report plan"]["s3_bucket"] == "old-logs"


def test_check_mode_writes_nothing(stubs, run_module):
    expect_plan(stubs)
    result = run_module(backup_report_plan, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["report_plan"]["arn"] == ""


def test_absent_deletes_an_existing_plan(stubs, run_module):
    expect_plan(stubs, CHANNEL)
    stubs["backup"].add_response("delete_report_plan", {}, dict(ReportPlanName=NAME))
    assert run_module(backup_report_plan, dict(name=NAME, state="absent"))["changed"] is True


def test_a_compliance_report_without_frameworks_is_refused_before_any_call(stubs, run_module):
    result = run_module(backup_report_plan, dict(ARGS, framework_arns=[], s3_key_prefix="/audit/"), expect_failure=True)
    assert "framework_arns needs one or more" in result["msg"]
    assert "s3_key_prefix must not start or end with a slash" in result["msg"]
