# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Backup vaults: reading a vault, its lock and its notifications in the shape the modules compare.

AWS answers DescribeBackupVault of a vault that does not exist with AccessDeniedException, even to a caller
allowed to describe it (the botocore model lists ResourceNotFoundException, which other implementations
answer); both mean "no such vault" here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.options import repeated

# The events AWS Backup still sends (the model also lists deprecated ones that never notify).
SUPPORTED_EVENTS = (
    "BACKUP_JOB_STARTED",
    "BACKUP_JOB_COMPLETED",
    "COPY_JOB_STARTED",
    "COPY_JOB_SUCCESSFUL",
    "COPY_JOB_FAILED",
    "RESTORE_JOB_STARTED",
    "RESTORE_JOB_COMPLETED",
    "RECOVERY_POINT_MODIFIED",
    "S3_BACKUP_OBJECT_FAILED",
    "S3_RESTORE_OBJECT_FAILED",
    "CONTINUOUS_BACKUP_INTERRUPTED",
)


def describe_vault(client, name):
    """DescribeBackupVault of ``name``, or None when there is no such vault."""
    try:
        return client.describe_backup_vault(aws_retry=True, BackupVaultName=name)
    except is_boto3_error_code(["AccessDeniedException", "ResourceNotFoundException"]):
        return None


def vault_lock(vault):
    """The vault's lock as the module's O(lock) option spells it, or None when it has none.

    A lock put with ChangeableForDays (compliance mode) has a LockDate; a governance lock has none.
    """
    if not vault.get("Locked") and vault.get("MinRetentionDays") is None and vault.get("MaxRetentionDays") is None:
        return None
    lock = dict(mode="compliance" if vault.get("LockDate") else "governance")
    for key, option in (("MinRetentionDays", "min_retention_days"), ("MaxRetentionDays", "max_retention_days")):
        if vault.get(key) is not None:
            lock[option] = vault[key]
    return lock


def read_notifications(client, name):
    """The vault's notifications as dict(sns_topic_arn, events), or None when it has none."""
    try:
        found = client.get_backup_vault_notifications(aws_retry=True, BackupVaultName=name)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None
    if not found.get("SNSTopicArn"):
        return None
    return dict(sns_topic_arn=found["SNSTopicArn"], events=sorted(found.get("BackupVaultEvents") or []))


def recovery_point_arns(client, name):
    """The ARNs of every recovery point in the vault."""
    arns = []
    request = dict(BackupVaultName=name)
    while True:
        page = client.list_recovery_points_by_backup_vault(aws_retry=True, **request)
        arns.extend(point["RecoveryPointArn"] for point in page.get("RecoveryPoints") or [])
        if not page.get("NextToken"):
            return arns
        request["NextToken"] = page["NextToken"]


# AWS Backup keeps a recovery point in cold storage for at least this many days.
MIN_COLD_STORAGE_DAYS = 90
# Continuous backups are kept from 1 to 35 days.
MAX_CONTINUOUS_DAYS = 35


def rule_problems(rules):
    """What breaks AWS Backup's rules in the plan's rules, as messages that name the rule."""
    problems = []
    if repeated([rule["name"] for rule in rules]):
        problems.append("rule names must be unique")
    for rule in rules:
        name, cold, keep = rule["name"], rule["cold_storage_after_days"], rule["delete_after_days"]
        if cold is not None and (keep is None or keep < cold + MIN_COLD_STORAGE_DAYS):
            problems.append(
                "rule {0}: retention (delete_after_days {1}) must be at least cold_storage_after_days + {2} = {3}: "
                "AWS Backup keeps a recovery point in cold storage for at least {2} days".format(
                    name, keep, MIN_COLD_STORAGE_DAYS, cold + MIN_COLD_STORAGE_DAYS)
            )
        if rule["continuous"] and (cold is not None or keep is None or not 1 <= keep <= MAX_CONTINUOUS_DAYS):
            problems.append(
                "rule {0}: continuous backup needs delete_after_days between 1 and {1} and no cold storage "
                "(AWS Backup continuous backup retention)".format(name, MAX_CONTINUOUS_DAYS)
            )
        for copy in rule["copy_to"]:
            copy_cold, copy_keep = copy["cold_storage_after_days"], copy["delete_after_days"]
            if copy_cold is not None and (copy_keep is None or copy_keep < copy_cold + MIN_COLD_STORAGE_DAYS):
                problems.append("rule {0}: the copy to {1} must be kept at least cold_storage_after_days + {2} = {3} "
                                "days".format(name, copy["vault_arn"], MIN_COLD_STORAGE_DAYS,
                                              copy_cold + MIN_COLD_STORAGE_DAYS))
    return problems


def _lifecycle(cold, keep):
    lifecycle = {}
    if cold is not None:
        lifecycle["MoveToColdStorageAfterDays"] = cold
    if keep is not None:
        lifecycle["DeleteAfterDays"] = keep
    return lifecycle


def rule_request(rule):
    """The BackupRuleInput of a rule of the module's O(rules)."""
    request = dict(
        RuleName=rule["name"],
        TargetBackupVaultName=rule["target_vault"],
        ScheduleExpression=rule["schedule"],
        ScheduleExpressionTimezone=rule["schedule_timezone"],
        StartWindowMinutes=rule["start_window_minutes"],
        CompletionWindowMinutes=rule["completion_window_minutes"],
        EnableContinuousBackup=rule["continuous"],
    )
    lifecycle = _lifecycle(rule["cold_storage_after_days"], rule["delete_after_days"])
    if lifecycle:
        request["Lifecycle"] = lifecycle
    if rule["copy_to"]:
        request["CopyActions"] = []
        for copy in rule["copy_to"]:
            action = dict(DestinationBackupVaultArn=copy["vault_arn"])
            copy_lifecycle = _lifecycle(copy["cold_storage_after_days"], copy["delete_after_days"])
            if copy_lifecycle:
                action["Lifecycle"] = copy_lifecycle
            request["CopyActions"].append(action)
    return request


def normalize_rule(rule):
    """A BackupRule (as read) or BackupRuleInput in the shape the module compares and returns."""
    lifecycle = rule.get("Lifecycle") or {}
    copies = []
    for action in rule.get("CopyActions") or []:
        copy_lifecycle = action.get("Lifecycle") or {}
        copies.append(dict(vault_arn=action["DestinationBackupVaultArn"],
                           cold_storage_after_days=copy_lifecycle.get("MoveToColdStorageAfterDays"),
                           delete_after_days=copy_lifecycle.get("DeleteAfterDays")))
    return dict(
        name=rule["RuleName"],
        target_vault=rule["TargetBackupVaultName"],
        schedule=rule["ScheduleExpression"],
        schedule_timezone=rule.get("ScheduleExpressionTimezone") or "Etc/UTC",
        start_window_minutes=rule.get("StartWindowMinutes", 480),
        completion_window_minutes=rule.get("CompletionWindowMinutes", 10080),
        cold_storage_after_days=lifecycle.get("MoveToColdStorageAfterDays"),
        delete_after_days=lifecycle.get("DeleteAfterDays"),
        continuous=bool(rule.get("EnableContinuousBackup")),
        copy_to=sorted(copies, key=lambda c: c["vault_arn"]),
    )


def find_plan(client, name):
    """The ListBackupPlans entry of the plan named ``name``, or None."""
    request = {}
    while True:
        page = client.list_backup_plans(aws_retry=True, **request)
        for plan in page.get("BackupPlansList") or []:
            if plan.get("BackupPlanName") == name:
                return plan
        if not page.get("NextToken"):
            return None
        request["NextToken"] = page["NextToken"]
