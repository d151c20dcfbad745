# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Choosing the recovery point of a protected resource in an AWS Backup vault: the latest, a named one, or the
newest taken at or before a point in time. Only completed points count: a running or failed backup cannot be
restored, and a drill that picked one would measure nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items

RESTORABLE = "COMPLETED"


def parse_time(value):
    """An aware datetime from ISO 8601 text (``2026-12-06T10:00:00Z``, offsets allowed); None for empty text."""
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def resources_by_tags(tagging, tags):
    """ARNs of the resources that carry every tag of ``tags`` (Resource Groups Tagging API)."""
    filters = [dict(Key=key, Values=[value]) for key, value in sorted(tags.items())]
    mappings = all_items(tagging.get_resources, "ResourceTagMappingList", next_key="PaginationToken", TagFilters=filters)
    return sorted(mapping["ResourceARN"] for mapping in mappings)


def vault_points(backup, vault, resource_arn, before=None):
    """The vault's recovery points of ``resource_arn`` (created at or before ``before`` when given)."""
    request = dict(BackupVaultName=vault, ByResourceArn=resource_arn)
    if before is not None:
        request["ByCreatedBefore"] = before
    return all_items(backup.list_recovery_points_by_backup_vault, "RecoveryPoints", **request)


def newest(points, before=None):
    """The newest completed point (created at or before ``before``), or None."""
    usable = [p for p in points if p.get("Status") == RESTORABLE and (before is None or p["CreationDate"] <= before)]
    return max(usable, key=lambda p: p["CreationDate"]) if usable else None


def named_point(backup, vault, recovery_point_arn):
    """DescribeRecoveryPoint of ``recovery_point_arn`` in ``vault``, or None when the vault has no such point."""
    try:
        return backup.describe_recovery_point(aws_retry=True, BackupVaultName=vault, RecoveryPointArn=recovery_point_arn)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def summary(point, now):
    """What a drill needs of a recovery point, with its age in seconds at ``now`` (the RPO it achieves)."""
    created = point["CreationDate"]
    return dict(
        recovery_point_arn=point["RecoveryPointArn"],
        resource_arn=point["ResourceArn"],
        resource_type=point.get("ResourceType"),
        backup_vault_name=point.get("BackupVaultName"),
        status=point.get("Status"),
        creation_date=created.isoformat(),
        completion_date=point["CompletionDate"].isoformat() if point.get("CompletionDate") else None,
        encryption_key_arn=point.get("EncryptionKeyArn"),
        is_encrypted=point.get("IsEncrypted"),
        backup_size_in_bytes=point.get("BackupSizeInBytes"),
        iam_role_arn=point.get("IamRoleArn"),
        age_seconds=int((now - created).total_seconds()),
    )
