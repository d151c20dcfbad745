"""backup_selection: one list of plans and selections, one get per listed selection; a different one replaced."""

from ansible_collections.storagekit.aws.plugins.modules import backup_selection

PLAN = "storagekit"
PLAN_ID = "11111111-2222-3333-4444-555555555555"
ROLE = "arn:aws:iam::123456789012:role/storagekit-backup"
TAGGED = dict(name="storagekit-tagged", iam_role_arn=ROLE, resources=["arn:aws:dynamodb:*:*:table/*"],
              tags={"backup-plan": PLAN})
RAW_TAGGED = dict(SelectionName="storagekit-tagged", IamRoleArn=ROLE, Resources=["arn:aws:dynamodb:*:*:table/*"],
                  Conditions=dict(StringEquals=[dict(ConditionKey="aws:ResourceTag/backup-plan", ConditionValue=PLAN)]))


def expect_plan(stubs, found=True):
    plans = [dict(BackupPlanName=PLAN, BackupPlanId=PLAN_ID, BackupPlanArn="arn:p")] if found else []
    stubs["backup"].add_response("list_backup_plans", dict(BackupPlansList=plans), {})


def expect_selections(stubs, raw=None):
    listed = [dict(SelectionId="sel-1", SelectionName=raw["SelectionName"], BackupPlanId=PLAN_ID)] if raw else []
    stubs["backup"].add_response("list_backup_selections", dict(BackupSelectionsList=listed), dict(BackupPlanId=PLAN_ID))
    if raw:
        stubs["backup"].add_response("get_backup_selection", dict(BackupSelection=raw, SelectionId="sel-1"),
                                     dict(BackupPlanId=PLAN_ID, SelectionId="sel-1"))


def test_create_sends_tag_conditions(stubs, run_module):
    expect_plan(stubs)
    expect_selections(stubs)
    stubs["backup"].add_response("create_backup_selection", dict(SelectionId="sel-1"),
                                 dict(BackupPlanId=PLAN_ID, BackupSelection=RAW_TAGGED))
    result = run_module(backup_selection, dict(plan=PLAN, selections=[TAGGED]))
    assert result["changed"] is True
    assert result["selections"][0]["tags"] == {"backup-plan": PLAN}


def test_no_change_run_reads_only(stubs, run_module):
    expect_plan(stubs)
    expect_selections(stubs, RAW_TAGGED)
    assert run_module(backup_selection, dict(plan=PLAN, selections=[TAGGED]))["changed"] is False


def test_a_different_selection_is_replaced(stubs, run_module):
    expect_plan(stubs)
    expect_selections(stubs, dict(RAW_TAGGED, Resources=["arn:aws:rds:*:*:db:*"]))
    stubs["backup"].add_response("delete_backup_selection", {}, dict(BackupPlanId=PLAN_ID, SelectionId="sel-1"))
    stubs["backup"].add_response("create_backup_selection", dict(SelectionId="sel-2"),
                                 dict(BackupPlanId=PLAN_ID, BackupSelection=RAW_TAGGED))
    result = run_module(backup_selection, dict(plan=PLAN, selections=[TAGGED]), diff=True)
    assert result["diff"]["before"]["storagekit-tagged"]["resources"] == ["arn:aws:rds:*:*:db:*"]


def test_check_mode_before_the_plan_exists_predicts_the_selection(stubs, run_module):
    expect_plan(stubs, found=False)
    result = run_module(backup_selection, dict(plan=PLAN, selections=[TAGGED]), check_mode=True)
    assert result["changed"] is True


def test_absent_without_a_plan_changes_nothing_and_deletes_a_found_one(stubs, run_module):
    expect_plan(stubs, found=False)
    assert run_module(backup_selection, dict(plan=PLAN, selections=[dict(name="storagekit-tagged")], state="absent"))["changed"] is False
    expect_plan(stubs)
    expect_selections(stubs, RAW_TAGGED)
    stubs["backup"].add_response("delete_backup_selection", {}, dict(BackupPlanId=PLAN_ID, SelectionId="sel-1"))
    result = run_module(backup_selection, dict(plan=PLAN, selections=[dict(name="storagekit-tagged")], state="absent"))
    assert result["changed"] is True and result["selections"] == []


def test_a_selection_without_role_or_resources_is_refused(run_module):
    result = run_module(backup_selection, dict(plan=PLAN, selections=[dict(name="x")]), expect_failure=True)
    assert "selection x needs iam_role_arn" in result["msg"] and "needs resources or tags" in result["msg"]
