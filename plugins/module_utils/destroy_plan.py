# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a destroy would refuse and what it would leave behind, read before anything is deleted.

A destroy that stops at its first refusal leaves half a stack, so every refusal the deleting modules
would make (deletion protection, a bucket holding objects without force) is found up front. What
survives the destroy (final snapshots, retained automated backups, DynamoDB's backup of a deleted
table with point-in-time recovery, earlier snapshots and backups) is listed with the KMS key that
encrypts it, so that such a key is not scheduled for deletion with the stack. Reads only.

When the user asks to drop the keys with what they encrypt, nothing is kept instead: no final
snapshots, automated backups go with their instance, point-in-time recovery is switched off before
a table is deleted, and the snapshots and backups that exist are listed to be deleted (`drop_backups`,
which deletes them, reads them the same way).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import describe_replication_group
from ansible_collections.storagekit.aws.plugins.module_utils.kms import describe_key
from ansible_collections.storagekit.aws.plugins.module_utils.kms import is_key_arn
from ansible_collections.storagekit.aws.plugins.module_utils.rds import describe_instance
from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import holds_objects

# DynamoDB keeps a system backup of a table deleted with point-in-time recovery on, for 35 days.
DELETED_TABLE_BACKUP = "{0}$DeletedTableBackup"

# What each service answers for a snapshot or backup deleted meanwhile.
GONE = ["DBSnapshotNotFound", "DBInstanceAutomatedBackupNotFound", "SnapshotNotFoundFault", "BackupNotFoundException"]


class Plan:
    """Blockers, retained snapshots and backups, and final snapshot names, gathered resource by resource."""

    def __init__(self, stamp=None, drop_backups=False):
        self.stamp = stamp or datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
        self.drop_backups = drop_backups
        self.blockers = []
        self.retained = []
        self.dropped = []
        self.recovery_off = []
        self.final_snapshots = dict(db_instances={}, replication_groups={})
        self.unprotect = dict(db_instances=[], tables=[])

    def protected(self, kind, name, spec, resource):
        """A resource with deletion protection on: a blocker, unless the destroy may switch it off."""
        if spec.get("deletion_protection") is False:
            self.unprotect[kind].append(name)
        else:
            self.block("deletion_protection", resource, "has deletion protection on")

    def block(self, kind, resource, problem):
        self.blockers.append(dict(kind=kind, resource=resource, problem=problem))

    def retain(self, kind, name, source, kms_key_id, delete=None):
        """A snapshot or backup that outlives the destroy; with drop_backups, one to delete (`delete`: the call)."""
        item = dict(kind=kind, name=name, source=source, kms_key_id=kms_key_id or "")
        if self.drop_backups and delete:
            self.dropped.append(dict(item, delete=delete))
        else:
            self.retained.append(item)

    def wants_final_snapshot(self, spec):
        return spec.get("final_snapshot", True) and not self.drop_backups

    def final_snapshot(self, spec):
        """The name the deleting module is to give the final snapshot, as it would choose it."""
        return spec.get("final_snapshot_identifier") or "{0}-final-{1}".format(spec["name"], self.stamp)


def plan_db_instance(plan, client, spec):
    name = spec["name"]
    source = "DB instance {0}".format(name)
    instance = describe_instance(client, name)
    if instance is not None and instance["DBInstanceStatus"] != "deleting":
        if instance.get("DeletionProtection"):
            plan.protected("db_instances", name, spec, source)
        key = instance.get("KmsKeyId") if instance.get("StorageEncrypted") else None
        # AWS takes no final snapshot of a read replica and keeps no automated backups of one.
        if not instance.get("ReadReplicaSourceDBInstanceIdentifier"):
            if plan.wants_final_snapshot(spec):
                snapshot = plan.final_snapshot(spec)
                plan.final_snapshots["db_instances"][name] = snapshot
                plan.retain("final snapshot", snapshot, source, key)
            deleted_with_instance = spec.get("delete_automated_backups") or plan.drop_backups
            if instance.get("BackupRetentionPeriod") and not deleted_with_instance:
                plan.retain(
                    "automated backups",
                    "{0} (kept {1} days)".format(name, instance["BackupRetentionPeriod"]), source, key)
    for snapshot in all_items(client.describe_db_snapshots, "DBSnapshots", next_key="Marker",
                              DBInstanceIdentifier=name, SnapshotType="manual"):
        plan.retain("snapshot", snapshot["DBSnapshotIdentifier"], source, snapshot.get("KmsKeyId"),
                    delete=("rds", "delete_db_snapshot", dict(DBSnapshotIdentifier=snapshot["DBSnapshotIdentifier"])))
    if instance is None:
        # Those of an instance deleted by an earlier run, which AWS keeps for their retention period.
        backups = all_items(client.describe_db_instance_automated_backups, "DBInstanceAutomatedBackups",
                            next_key="Marker", DBInstanceIdentifier=name)
        for backup in backups:
            arn = backup.get("DBInstanceAutomatedBackupsArn")
            plan.retain("automated backups", name, source, backup.get("KmsKeyId"),
                        delete=arn and ("rds", "delete_db_instance_automated_backup",
                                        dict(DBInstanceAutomatedBackupsArn=arn)))


def plan_replication_group(plan, client, spec):
    name = spec["name"]
    source = "ElastiCache replication group {0}".format(name)
    group = describe_replication_group(client, name)
    # ElastiCache deletes the automatic snapshots with the group; only the final one stays.
    if group is not None and group.get("Status") != "deleting" and plan.wants_final_snapshot(spec):
        snapshot = plan.final_snapshot(spec)
        plan.final_snapshots["replication_groups"][name] = snapshot
        plan.retain("final snapshot", snapshot, source, group.get("KmsKeyId"))
    for snapshot in all_items(client.describe_snapshots, "Snapshots", next_key="Marker",
                              ReplicationGroupId=name, SnapshotSource="user"):
        plan.retain("snapshot", snapshot["SnapshotName"], source, snapshot.get("KmsKeyId"),
                    delete=("elasticache", "delete_snapshot", dict(SnapshotName=snapshot["SnapshotName"])))


def plan_table(plan, client, spec):
    name = spec["name"]
    source = "DynamoDB table {0}".format(name)
    table = describe_table(client, name)
    if table is not None and table.get("TableStatus") != "DELETING":
        if table.get("DeletionProtectionEnabled"):
            plan.protected("tables", name, spec, source)
        key = (table.get("SSEDescription") or {}).get("KMSMasterKeyArn")
        backups = client.describe_continuous_backups(aws_retry=True, TableName=name)["ContinuousBackupsDescription"]
        recovery = backups.get("PointInTimeRecoveryDescription") or {}
        if recovery.get("PointInTimeRecoveryStatus") == "ENABLED" and plan.drop_backups:
            # Off before the delete, DynamoDB keeps no backup of the deleted table.
            plan.recovery_off.append(name)
        elif recovery.get("PointInTimeRecoveryStatus") == "ENABLED":
            plan.retain("backup of the deleted table (35 days)", DELETED_TABLE_BACKUP.format(name), source, key)
    summaries = all_items(client.list_backups, "BackupSummaries", next_key="LastEvaluatedBackupArn",
                          request_key="ExclusiveStartBackupArn", TableName=name, BackupType="ALL")
    for summary in summaries:
        backup = client.describe_backup(aws_retry=True, BackupArn=summary["BackupArn"])["BackupDescription"]
        sse = (backup.get("SourceTableFeatureDetails") or {}).get("SSEDescription") or {}
        plan.retain("backup", summary["BackupName"], source, sse.get("KMSMasterKeyArn"),
                    delete=("dynamodb", "delete_backup", dict(BackupArn=summary["BackupArn"])))


def plan_bucket(plan, client, spec):
    name = spec["name"]
    try:
        holds_data = holds_objects(client, name)
    except is_boto3_error_code("NoSuchBucket"):
        return
    if holds_data and not spec.get("force"):
        plan.block("not_empty", "S3 bucket {0}".format(name), "holds objects")


def plan_keys(plan, kms, keys, delete_keys_with_backups):
    """(keys the destroy may schedule for deletion, keys it keeps with what they encrypt)."""
    arns = {}

    def arn_of(key_id):
        if key_id not in arns:
            arns[key_id] = key_id if is_key_arn(key_id) else (describe_key(kms, key_id) or {}).get("Arn")
        return arns[key_id]

    to_delete, kept = [], []
    for key in keys:
        try:
            metadata = kms.describe_key(aws_retry=True, KeyId=key)["KeyMetadata"]
        except is_boto3_error_code("NotFoundException"):
            continue
        if metadata["KeyState"] == "PendingDeletion":
            continue
        protects = [item for item in plan.retained if item["kms_key_id"] and arn_of(item["kms_key_id"]) == metadata["Arn"]]
        if protects and not delete_keys_with_backups:
            kept.append(dict(key=key, arn=metadata["Arn"],
                             encrypts=["{0} {1}".format(item["kind"], item["name"]) for item in protects]))
        else:
            to_delete.append(dict(key=key, arn=metadata["Arn"],
                                  encrypts=["{0} {1}".format(item["kind"], item["name"]) for item in protects]))
    return to_delete, kept


def summary(plan, to_delete, kept, remedies):
    """Lines for the run's output: what survives the destroy, and what becomes of each key."""
    lines = ["Kept: {0} {1} of {2}".format(item["kind"], item["name"], item["source"]) for item in plan.retained]
    lines.extend("Deleting, as asked: {0} {1} of {2}".format(item["kind"], item["name"], item["source"])
                 for item in plan.dropped)
    lines.extend("Switching point-in-time recovery off before deleting DynamoDB table {0}, so that no backup of it "
                 "outlives its key".format(name) for name in plan.recovery_off)
    for key in kept:
        lines.append("Keeping KMS key {0} ({1}): it encrypts {2}{3}".format(
            key["key"], key["arn"], ", ".join(key["encrypts"]),
            "; {0}".format(remedies["kept_keys"]) if remedies.get("kept_keys") else ""))
    for key in to_delete:
        if key["encrypts"]:
            lines.append("Scheduling the deletion of KMS key {0} ({1}), as asked: {2} can never be restored once it is "
                         "gone".format(key["key"], key["arn"], ", ".join(key["encrypts"])))
        else:
            lines.append("Scheduling the deletion of KMS key {0} ({1}): it encrypts nothing the destroy keeps".format(
                key["key"], key["arn"]))
    return lines


def blocker_message(blockers, remedies):
    lines = []
    for blocker in blockers:
        remedy = remedies.get(blocker["kind"])
        lines.append("{0} {1}{2}".format(
            blocker["resource"], blocker["problem"], " (to proceed: {0})".format(remedy) if remedy else ""))
    return "The destroy would stop at {0} blocker(s); nothing was changed. {1}.".format(len(lines), "; ".join(lines))


def drop_backups(plan, clients, check_mode=False):
    """Delete what the plan lists to drop; one already gone counts as deleted. Returns the names deleted."""
    deleted = []
    for item in plan.dropped:
        service, operation, params = item["delete"]
        if not check_mode:
            try:
                getattr(clients[service], operation)(aws_retry=True, **params)
            except is_boto3_error_code(GONE):
                continue
        deleted.append("{0} {1} of {2}".format(item["kind"], item["name"], item["source"]))
    return deleted
