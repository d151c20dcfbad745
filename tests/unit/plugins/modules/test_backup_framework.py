"""backup_framework: DescribeFramework (+ ListTags) a no-change run; only what differs is written; bad controls are
refused before any call."""

import datetime

from ansible_collections.storagekit.aws.plugins.modules import backup_framework

NAME = "storagekit_backup_audit"
ARN = "arn:aws:backup:us-east-1:123456789012:framework:storagekit_backup_audit-2a1c8d3f-1111-2222-3333-444455556666"
NOW = datetime.datetime(2026, 12, 6, tzinfo=datetime.timezone.utc)
TAGS = {"managed-by": "storagekit.aws"}
CONTROLS = [
    dict(name="BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", scope=dict(tags={"backup-plan": "storagekit"})),
    dict(name="BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", parameters={"requiredRetentionDays": 35}),
    dict(name="BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
         parameters={"requiredRetentionDays": 35, "requiredFrequencyUnit": "days", "requiredFrequencyValue": 1}),
]
ARGS = dict(name=NAME, description="Backup promises", controls=CONTROLS, tags=TAGS)
RAW = [
    dict(ControlName="BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", ControlInputParameters=[],
         ControlScope=dict(Tags={"backup-plan": "storagekit"})),
    dict(ControlName="BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
         ControlInputParameters=[dict(ParameterName="requiredRetentionDays", ParameterValue="35")]),
    dict(ControlName="BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
         ControlInputParameters=[dict(ParameterName="requiredFrequencyUnit", ParameterValue="days"),
                                 dict(ParameterName="requiredFrequencyValue", ParameterValue="1"),
                                 dict(ParameterName="requiredRetentionDays", ParameterValue="35")]),
]


def expect_framework(stubs, controls=None, description="Backup promises"):
    if controls is None:
        stubs["backup"].add_client_error("describe_framework", "ResourceNotFoundException", http_status_code=404,
                                         expected_params=dict(FrameworkName=NAME))
        return
    stubs["backup"].add_response("describe_framework", dict(
        FrameworkName=NAME, FrameworkArn=ARN, FrameworkDescription=description, FrameworkControls=controls,
        CreationTime=NOW, DeploymentStatus="COMPLETED", FrameworkStatus="ACTIVE"), dict(FrameworkName=NAME))


def test_create_sends_the_controls_with_string_parameters_and_the_tags(stubs, run_module):
    expect_framework(stubs)
    stubs["backup"].add_response("create_framework", dict(FrameworkName=NAME, FrameworkArn=ARN), dict(
        FrameworkName=NAME, FrameworkDescription="Backup promises", FrameworkControls=RAW, FrameworkTags=TAGS))
    result = run_module(backup_framework, ARGS)
    assert result["changed"] is True
    assert result["framework"]["arn"] == ARN
    assert [c["name"] for c in result["framework"]["controls"]] == sorted(c["name"] for c in CONTROLS)


def test_no_change_reads_the_framework_and_its_tags_and_writes_nothing(stubs, run_module):
    expect_framework(stubs, RAW)
    stubs["backup"].add_response("list_tags", dict(Tags=TAGS), dict(ResourceArn=ARN))
    result = run_module(backup_framework, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["framework"]["deployment_status"] == "COMPLETED"


def test_check_mode_predicts_a_new_framework_without_writing(stubs, run_module):
    expect_framework(stubs)
    result = run_module(backup_framework, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["framework"]["arn"] == ""
    assert result["diff"]["before"] == {"framework": None}


def test_a_changed_parameter_updates_the_whole_control_list(stubs, run_module):
    old = [RAW[0], dict(RAW[1], ControlInputParameters=[dict(ParameterName="requiredRetentionDays", ParameterValue="7")]),
           RAW[2]]
    expect_framework(stubs, old)
    stubs["backup"].add_response("update_framework", dict(FrameworkName=NAME, FrameworkArn=ARN, CreationTime=NOW), dict(
        FrameworkName=NAME, FrameworkDescription="Backup promises", FrameworkControls=RAW))
    stubs["backup"].add_response("list_tags", dict(Tags=TAGS), dict(ResourceArn=ARN))
    result = run_module(backup_framework, ARGS, diff=True)
    assert result["changed"] is True
    before = {c["name"]: c for c in result["diff"]["before"]["framework"]["controls"]}
    assert before["BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK"]["parameters"] == {"requiredRetentionDays": "7"}


def test_tag_drift_is_repaired_alone(stubs, run_module):
    expect_framework(stubs, RAW)
    stubs["backup"].add_response("list_tags", dict(Tags={"managed-by": "someone", "extra": "x"}), dict(ResourceArn=ARN))
    stubs["backup"].add_response("untag_resource", {}, dict(ResourceArn=ARN, TagKeyList=["extra"]))
    stubs["backup"].add_response("tag_resource", {}, dict(ResourceArn=ARN, Tags=TAGS))
    assert run_module(backup_framework, ARGS)["changed"] is True


def test_absent_deletes_an_existing_framework_and_is_no_change_when_gone(stubs, run_module):
    expect_framework(stubs, RAW)
    stubs["backup"].add_response("delete_framework", {}, dict(FrameworkName=NAME))
    assert run_module(backup_framework, dict(name=NAME, state="absent"))["changed"] is True
    expect_framework(stubs)
    assert run_module(backup_framework, dict(name=NAME, state="absent"))["changed"] is False


def test_unknown_controls_parameters_and_scopes_are_refused_before_any_call(stubs, run_module):
    controls = [dict(name="BACKUP_EVERYTHING_IS_FINE"),
                dict(name="BACKUP_RECOVERY_POINT_ENCRYPTED", parameters={"requiredRetentionDays": 35}),
                dict(name="BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", scope=dict(tags={"a": "1", "b": "2"})),
                dict(name="BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", scope=dict(resource_ids=["db-1"]))]
    result = run_module(backup_framework, dict(name="1bad", controls=controls), expect_failure=True)
    for message in ("name 1bad: a framework name is 1 to 256 letters",
                    "control BACKUP_EVERYTHING_IS_FINE is not an AWS Backup Audit Manager control",
                    "control BACKUP_RECOVERY_POINT_ENCRYPTED takes no parameters, not requiredRetentionDays",
                    "control BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: a scope takes one tag key and value at most",
                    "control BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: resource_ids need exactly one resource_types"):
        assert message in result["msg"]
