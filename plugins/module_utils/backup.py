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
