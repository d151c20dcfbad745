"""backup_plan: ListBackupPlans + GetBackupPlan (+ ListTags) a no-change run; the rules written whole when they differ."""

from ansible_collections.storagekit.aws.plugins.modules import backup_plan

NAME = "storagekit"
PLAN_ID = "11111111-2222-3333-4444-555555555555"
ARN = "arn:aws:backup:us-east-1:123456789012:backup-plan:" + PLAN_ID
DR = "arn:aws:backup:us-west-2:123456789012:backup-vault:storagekit-dr"
DAILY = dict(name="daily", target_vault=NAME, schedule="cron(0 5 ? * * *)", start_window_minutes=60,
             completion_window_minutes=480, delete_after_days=35, copy_to=[dict(vault_arn=DR, delete_after_days=35)])
MONTHLY = dict(name="monthly", target_vault=NAME, schedule="cron(0 5 1 * ? *)", cold_storage_after_days=90,
               delete_after_days=365)
RAW_DAILY = dict(RuleName="daily", TargetBackupVaultName=NAME, ScheduleExpression="cron(0 5 ? * * *)",
                 ScheduleExpressionTimezone="Etc/UTC", StartWindowMinutes=60, CompletionWindowMinutes=480,
                 EnableContinuousBackup=False, Lifecycle=dict(DeleteAfterDays=35),
                 CopyActions=[dict(DestinationBackupVaultArn=DR, Lifecycle=dict(DeleteAfterDays=35))])
RAW_MONTHLY = dict(RuleName="monthly", TargetBackupVaultName=NAME, ScheduleExpression="cron(0 5 1 * ? *)",
                   ScheduleExpressionTimezone="Etc/UTC", StartWindowMinutes=480, CompletionWindowMinutes=10080,
                   EnableContinuousBackup=False, Lifecycle=dict(MoveToColdStorageAfterDays=90, DeleteAfterDays=365))
TAGS = {"managed-by": "storagekit.aws"}
ARGS = dict(name=NAME, rules=[DAILY, MONTHLY], tags=TAGS)


def expect_list(stubs, found=True):
    plans = [dict(BackupPlanName="other", BackupPlanId="x", BackupPlanArn="arn:x")]
    if found:
        plans.append(dict(BackupPlanName=NAME, BackupPlanId=PLAN_ID, BackupPlanArn=ARN))
    stubs["backup"].add_response("list_backup_plans", dict(BackupPlansList=plans[:1], NextToken="t"), {})
    stubs["backup"].add_response("list_backup_plans", dict(BackupPlansList=plans[1:]), dict(NextToken="t"))


def expect_get(stubs, rules):
    rules = [dict(rule, RuleId=rule["RuleName"]) for rule in rules]
    stubs["backup"].add_response("get_backup_plan", dict(BackupPlan=dict(BackupPlanName=NAME, Rules=rules)),
                                 dict(BackupPlanId=PLAN_ID))


def test_create_sends_rules_with_copies_and_tags(stubs, run_module):
    expect_list(stubs, found=False)
    stubs["backup"].add_response(
        "create_backup_plan", dict(BackupPlanId=PLAN_ID, BackupPlanArn=ARN),
        dict(BackupPlan=dict(BackupPlanName=NAME, Rules=[RAW_DAILY, RAW_MONTHLY]), BackupPlanTags=TAGS),
    )
    result = run_module(backup_plan, ARGS)
    assert result["changed"] is True
    assert result["plan"]["id"] == PLAN_ID
    assert [r["name"] for r in result["plan"]["rules"]] == ["daily", "monthly"]


def test_no_change_run_reads_three_times_and_writes_nothing(stubs, run_module):
    expect_list(stubs)
    expect_get(stubs, [RAW_MONTHLY, RAW_DAILY])
    stubs["backup"].add_response("list_tags", dict(Tags=TAGS), dict(ResourceArn=ARN))
    result = run_module(backup_plan, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})


def test_check_mode_with_tags_and_no_change_reports_no_change(stubs, run_module):
    expect_list(stubs)
    expect_get(stubs, [RAW_DAILY, RAW_MONTHLY])
    stubs["backup"].add_response("list_tags", dict(Tags=TAGS), dict(ResourceArn=ARN))
    assert run_module(backup_plan, ARGS, check_mode=True)["changed"] is False


def test_changed_retention_updates_the_plan_in_one_call(stubs, run_module):
    expect_list(stubs)
    expect_get(stubs, [dict(RAW_DAILY, Lifecycle=dict(DeleteAfterDays=20)), RAW_MONTHLY])
    stubs["backup"].add_response(
        "update_backup_plan", dict(BackupPlanId=PLAN_ID),
        dict(BackupPlanId=PLAN_ID, BackupPlan=dict(BackupPlanName=NAME, Rules=[RAW_DAILY, RAW_MONTHLY])),
    )
    result = run_module(backup_plan, dict(name=NAME, rules=[DAILY, MONTHLY]), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["rules"][0]["delete_after_days"] == 20
    assert result["diff"]["after"]["rules"][0]["delete_after_days"] == 35


def test_check_mode_predicts_an_update_without_writing(stubs, run_module):
    expect_list(stubs)
    expect_get(stubs, [RAW_DAILY])
    result = run_module(backup_plan, dict(name=NAME, rules=[DAILY, MONTHLY]), check_mode=True)
    assert result["changed"] is True


def test_aws_rules_are_refused_before_any_call(run_module):
    rules = [dict(MONTHLY, delete_after_days=100),
             dict(DAILY, name="pitr", continuous=True, delete_after_days=60, copy_to=[])]
    result = run_module(backup_plan, dict(name=NAME, rules=rules), expect_failure=True)
    assert "rule monthly: retention (delete_after_days 100) must be at least cold_storage_after_days + 90 = 180" in result["msg"]
    assert "rule pitr: continuous backup needs delete_after_days between 1 and 35" in result["msg"]


def test_absent_deletes_a_found_plan_only(stubs, run_module):
    expect_list(stubs)
    stubs["backup"].add_response("delete_backup_plan", dict(BackupPlanId=PLAN_ID), dict(BackupPlanId=PLAN_ID))
    assert run_module(backup_plan, dict(name=NAME, state="absent"))["changed"] is True
    expect_list(stubs, found=False)
    assert run_module(backup_plan, dict(name=NAME, state="absent"))["changed"] is False
