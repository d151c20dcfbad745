"""backup_restore_testing_plan: Get + ListSelections + a Get per selection (+ ListTags) a no-change run; writes
only what differs, a selection updated in place unless AWS cannot."""

import datetime

from ansible_collections.storagekit.aws.plugins.modules import backup_restore_testing_plan

NAME = "storagekit"
ARN = "arn:aws:backup:us-east-1:123456789012:restore-testing-plan:storagekit-8d3f2a1c-1111-2222-3333-444455556666"
VAULT = "arn:aws:backup:us-east-1:123456789012:backup-vault:storagekit"
ROLE = "arn:aws:iam::123456789012:role/storagekit-backup"
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
NOW = datetime.datetime(2026, 12, 6, tzinfo=datetime.timezone.utc)
TAGS = {"managed-by": "storagekit.aws"}
POINTS = dict(include_vaults=[VAULT], selection_window_days=7)
DYNAMODB = dict(name="dynamodb", protected_resource_type="DynamoDB", iam_role_arn=ROLE, tags={"backup-plan": NAME})
RDS = dict(name="rds", protected_resource_type="RDS", iam_role_arn=ROLE, tags={"backup-plan": NAME},
           validation_window_hours=2, restore_metadata_overrides={"dbsubnetgroupname": "private"})
ARGS = dict(name=NAME, schedule="cron(0 6 ? * SAT *)", recovery_point_selection=POINTS, selections=[DYNAMODB, RDS],
            tags=TAGS)
RAW_POINTS = dict(Algorithm="LATEST_WITHIN_WINDOW", IncludeVaults=[VAULT], ExcludeVaults=[],
                  RecoveryPointTypes=["SNAPSHOT"], SelectionWindowDays=7)
BODY = dict(ScheduleExpression="cron(0 6 ? * SAT *)", ScheduleExpressionTimezone="Etc/UTC", StartWindowHours=24,
            RecoveryPointSelection=RAW_POINTS)
TAGGED = dict(StringEquals=[dict(Key="aws:ResourceTag/backup-plan", Value=NAME)])
RAW_DYNAMODB = dict(RestoreTestingSelectionName="dynamodb", ProtectedResourceType="DynamoDB", IamRoleArn=ROLE,
                    ProtectedResourceArns=["*"], ProtectedResourceConditions=TAGGED, RestoreMetadataOverrides={},
                    ValidationWindowHours=0)
RAW_RDS = dict(RAW_DYNAMODB, RestoreTestingSelectionName="rds", ProtectedResourceType="RDS", ValidationWindowHours=2,
               RestoreMetadataOverrides={"dbsubnetgroupname": "private"})


def update_body(raw):
    return dict((k, v) for k, v in raw.items() if k not in ("RestoreTestingSelectionName", "ProtectedResourceType"))


def expect_plan(stubs, body=None):
    if body is None:
        stubs["backup"].add_client_error("get_restore_testing_plan", "ResourceNotFoundException", http_status_code=404,
                                         expected_params=dict(RestoreTestingPlanName=NAME))
        return
    plan = dict(body, RestoreTestingPlanName=NAME, RestoreTestingPlanArn=ARN, CreationTime=NOW)
    stubs["backup"].add_response("get_restore_testing_plan", dict(RestoreTestingPlan=plan),
                                 dict(RestoreTestingPlanName=NAME))


def expect_selections(stubs, raws):
    listed = [dict(RestoreTestingSelectionName=r["RestoreTestingSelectionName"], RestoreTestingPlanName=NAME,
                   ProtectedResourceType=r["ProtectedResourceType"], IamRoleArn=ROLE, CreationTime=NOW) for r in raws]
    stubs["backup"].add_response("list_restore_testing_selections", dict(RestoreTestingSelections=listed),
                                 dict(RestoreTestingPlanName=NAME))
    for raw in raws:
        stubs["backup"].add_response(
            "get_restore_testing_selection",
            dict(RestoreTestingSelection=dict(raw, RestoreTestingPlanName=NAME, CreationTime=NOW)),
            dict(RestoreTestingPlanName=NAME, RestoreTestingSelectionName=raw["RestoreTestingSelectionName"]))


def expect_tags(stubs, tags=None):
    stubs["backup"].add_response("list_tags", dict(Tags=TAGS if tags is None else tags), dict(ResourceArn=ARN))


def test_create_sends_the_plan_with_tags_then_each_selection(stubs, run_module):
    expect_plan(stubs)
    stubs["backup"].add_response(
        "create_restore_testing_plan",
        dict(RestoreTestingPlanArn=ARN, RestoreTestingPlanName=NAME, CreationTime=NOW),
        dict(RestoreTestingPlan=dict(BODY, RestoreTestingPlanName=NAME), Tags=TAGS))
    for raw in (RAW_DYNAMODB, RAW_RDS):
        stubs["backup"].add_response(
            "create_restore_testing_selection",
            dict(RestoreTestingPlanArn=ARN, RestoreTestingPlanName=NAME, CreationTime=NOW,
                 RestoreTestingSelectionName=raw["RestoreTestingSelectionName"]),
            dict(RestoreTestingPlanName=NAME, RestoreTestingSelection=raw))
    result = run_module(backup_restore_testing_plan, ARGS)
    assert result["changed"] is True
    assert result["plan"]["arn"] == ARN
    assert [s["name"] for s in result["plan"]["selections"]] == ["dynamodb", "rds"]


def test_no_change_run_reads_only(stubs, run_module):
    expect_plan(stubs, BODY)
    expect_selections(stubs, [RAW_RDS, RAW_DYNAMODB])
    expect_tags(stubs)
    result = run_module(backup_restore_testing_plan, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["plan"]["recovery_point_selection"]["include_vaults"] == [VAULT]


def test_check_mode_predicts_a_new_plan_without_writing(stubs, run_module):
    expect_plan(stubs)
    result = run_module(backup_restore_testing_plan, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["plan"]["arn"] == ""
    assert sorted(result["diff"]["after"]) == ["plan", "selection dynamodb", "selection rds"]


def test_changed_schedule_updates_the_plan_only(stubs, run_module):
    expect_plan(stubs, dict(BODY, ScheduleExpression="cron(0 9 ? * MON *)"))
    stubs["backup"].add_response(
        "update_restore_testing_plan",
        dict(RestoreTestingPlanArn=ARN, RestoreTestingPlanName=NAME, CreationTime=NOW, UpdateTime=NOW),
        dict(RestoreTestingPlanName=NAME, RestoreTestingPlan=BODY))
    expect_selections(stubs, [RAW_DYNAMODB, RAW_RDS])
    expect_tags(stubs)
    result = run_module(backup_restore_testing_plan, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["plan"]["schedule"] == "cron(0 9 ? * MON *)"
    assert result["diff"]["after"]["plan"]["schedule"] == "cron(0 6 ? * SAT *)"


def test_changed_validation_window_updates_the_selection_in_place(stubs, run_module):
    expect_plan(stubs, BODY)
    expect_selections(stubs, [RAW_DYNAMODB, dict(RAW_RDS, ValidationWindowHours=5)])
    stubs["backup"].add_response(
        "update_restore_testing_selection",
        dict(RestoreTestingPlanArn=ARN, RestoreTestingPlanName=NAME, CreationTime=NOW, UpdateTime=NOW,
             RestoreTestingSelectionName="rds"),
        dict(RestoreTestingPlanName=NAME, RestoreTestingSelectionName="rds", RestoreTestingSelection=update_body(RAW_RDS)))
    expect_tags(stubs)
    assert run_module(backup_restore_testing_plan, ARGS)["changed"] is True


def test_a_new_resource_type_replaces_the_selection_and_an_unlisted_one_goes(stubs, run_module):
    expect_plan(stubs, BODY)
    expect_selections(stubs, [dict(RAW_DYNAMODB, ProtectedResourceType="EFS"), RAW_RDS])
    stubs["backup"].add_response("delete_restore_testing_selection", {},
                                 dict(RestoreTestingPlanName=NAME, RestoreTestingSelectionName="dynamodb"))
    stubs["backup"].add_response(
        "create_restore_testing_selection",
        dict(RestoreTestingPlanArn=ARN, RestoreTestingPlanName=NAME, CreationTime=NOW,
             RestoreTestingSelectionName="dynamodb"),
        dict(RestoreTestingPlanName=NAME, RestoreTestingSelection=RAW_DYNAMODB))
    stubs["backup"].add_response("delete_restore_testing_selection", {},
                                 dict(RestoreTestingPlanName=NAME, RestoreTestingSelectionName="rds"))
    expect_tags(stubs, {})
    stubs["backup"].add_response("tag_resource", {}, dict(ResourceArn=ARN, Tags=TAGS))
    result = run_module(backup_restore_testing_plan, dict(ARGS, selections=[DYNAMODB]))
    assert result["changed"] is True
    assert [s["name"] for s in result["plan"]["selections"]] == ["dynamodb"]


def test_listed_arns_are_sent_without_conditions(stubs, run_module):
    expect_plan(stubs, BODY)
    expect_selections(stubs, [])
    stubs["backup"].add_response(
        "create_restore_testing_selection",
        dict(RestoreTestingPlanArn=ARN, RestoreTestingPlanName=NAME, CreationTime=NOW, RestoreTestingSelectionName="orders"),
        dict(RestoreTestingPlanName=NAME, RestoreTestingSelection=dict(
            RestoreTestingSelectionName="orders", ProtectedResourceType="DynamoDB", IamRoleArn=ROLE,
            ProtectedResourceArns=[TABLE], RestoreMetadataOverrides={}, ValidationWindowHours=0)))
    orders = dict(name="orders", protected_resource_type="DynamoDB", iam_role_arn=ROLE, protected_resource_arns=[TABLE])
    result = run_module(backup_restore_testing_plan, dict(ARGS, selections=[orders], tags=None))
    assert result["plan"]["selections"][0]["protected_resource_arns"] == [TABLE]


def test_what_aws_refuses_is_refused_before_any_call(run_module):
    bad = dict(ARGS, name="has-dash", start_window_hours=200,
               recovery_point_selection=dict(POINTS, selection_window_days=400),
               selections=[dict(DYNAMODB, protected_resource_arns=[TABLE]),
                           dict(RDS, name="rds", validation_window_hours=169),
                           dict(RDS, tags={}, protected_resource_arns=["*", TABLE])])
    msg = run_module(backup_restore_testing_plan, bad, expect_failure=True)["msg"]
    for part in ("name has-dash", "start_window_hours must be between 1 and 168",
                 "selection_window_days must be between 1 and 365", "selection names must be unique",
                 "selection dynamodb: tags select among all resources",
                 "selection rds: validation_window_hours must be between 0 and 168",
                 "selection rds: protected_resource_arns is '*' or specific ARNs, not both"):
        assert part in msg


def test_absent_deletes_the_selections_then_the_plan(stubs, run_module):
    expect_plan(stubs, BODY)
    expect_selections(stubs, [RAW_DYNAMODB])
    stubs["backup"].add_response("delete_restore_testing_selection", {},
                                 dict(RestoreTestingPlanName=NAME, RestoreTestingSelectionName="dynamodb"))
    stubs["backup"].add_response("delete_restore_testing_plan", {}, dict(RestoreTestingPlanName=NAME))
    assert run_module(backup_restore_testing_plan, dict(name=NAME, state="absent"))["changed"] is True
    expect_plan(stubs)
    assert run_module(backup_restore_testing_plan, dict(name=NAME, state="absent"))["changed"] is False
