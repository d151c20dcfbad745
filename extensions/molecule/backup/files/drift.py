"""Drift of the backup scenario: the daily rule keeps points 20 days instead of 35, the tag selection is gone,
the restore tests run on Mondays instead of Saturdays, the audit framework lost its cross-region control and the
report plan writes CSV only."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402 pylint: disable=wrong-import-position

PLAN = "storagekit-molecule"


def main(endpoint):
    (backup,) = local_clients(endpoint, "backup")
    plan_id = next(p["BackupPlanId"] for p in backup.list_backup_plans()["BackupPlansList"] if p["BackupPlanName"] == PLAN)
    plan = backup.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]
    rules = []
    for rule in plan["Rules"]:
        rule = dict((k, v) for k, v in rule.items() if k not in ("RuleId", "ScheduleExpressionTimezone"))
        if rule["RuleName"] == "daily":
            rule["Lifecycle"] = dict(rule["Lifecycle"], DeleteAfterDays=20)
        rules.append(rule)
    backup.update_backup_plan(BackupPlanId=plan_id, BackupPlan=dict(BackupPlanName=PLAN, Rules=rules))
    for selection in backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]:
        if selection["SelectionName"] == PLAN + "-tagged":
            backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection["SelectionId"])
    backup.update_restore_testing_plan(RestoreTestingPlanName=PLAN.replace("-", "_"),
                                       RestoreTestingPlan={"ScheduleExpression": "cron(0 6 ? * MON *)"})
    framework = PLAN.replace("-", "_") + "_backup_audit"
    controls = backup.describe_framework(FrameworkName=framework)["FrameworkControls"]
    backup.update_framework(FrameworkName=framework, FrameworkControls=[
        c for c in controls if c["ControlName"] != "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"])
    report_plan = PLAN.replace("-", "_") + "_backup_compliance"
    channel = backup.describe_report_plan(ReportPlanName=report_plan)["ReportPlan"]["ReportDeliveryChannel"]
    backup.update_report_plan(ReportPlanName=report_plan, ReportDeliveryChannel=dict(channel, Formats=["CSV"]))


if __name__ == "__main__":
    main(sys.argv[1])
