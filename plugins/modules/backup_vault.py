#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_vault
short_description: An AWS Backup vault with its KMS key, Vault Lock, notifications and tags
version_added: 0.1.0
description:
  - Creates, updates and deletes an AWS Backup vault encrypted with a KMS key, its Vault Lock (governance or
    compliance mode, minimum and maximum retention), its SNS notifications and its tags, in one task with check
    mode and diff.
  - A no-change run reads the vault once, and its tags and notifications only when O(tags) and O(notifications)
    are set; it writes nothing.
  - M(amazon.aws.backup_vault) has no Vault Lock and no notifications, and treats the AccessDeniedException AWS
    answers for a vault that does not exist as a warning (or fails on the ResourceNotFoundException of the model).
  - Deleting a vault that holds recovery points is refused unless O(delete_recovery_points=true), which deletes
    them first.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the vault (2 to 50 letters, digits, hyphens and underscores).
    type: str
    required: true
  encryption_key_id:
    description:
      - KMS key (id, alias or ARN) that encrypts the vault's recovery points; the AWS managed key C(aws/backup) when
        unset.
      - AWS sets the key when it creates the vault; a vault with another key makes the module fail.
    type: str
  lock:
    description:
      - The vault's Vault Lock. Not managed when unset.
      - In governance mode users with C(backup:DeleteBackupVaultLockConfiguration) can still remove the lock; in
        compliance mode nobody can, not even the root user, once O(lock.changeable_for_days) have passed.
    type: dict
    suboptions:
      enabled:
        description: V(false) removes the lock (refused once a compliance lock is immutable).
        type: bool
        default: true
      mode:
        description: Governance or compliance mode.
        type: str
        choices: [governance, compliance]
        default: governance
      min_retention_days:
        description: Shortest retention a recovery point of the vault may have.
        type: int
      max_retention_days:
        description: Longest retention a recovery point of the vault may have.
        type: int
      changeable_for_days:
        description: Grace time of a compliance lock, at least 3 days; required with O(lock.mode=compliance).
        type: int
  notifications:
    description:
      - SNS notifications of the vault's events. Not managed when unset.
    type: dict
    suboptions:
      enabled:
        description: V(false) removes the notifications.
        type: bool
        default: true
      sns_topic_arn:
        description: ARN of the topic; required unless O(notifications.enabled=false).
        type: str
      events:
        description:
          - Events to send. The default reports failed jobs, C(BACKUP_JOB_COMPLETED) carrying the job's state,
            which a subscription filter policy on C(State) narrows to C(FAILED).
          - Deprecated events, which AWS no longer sends, are refused.
        type: list
        elements: str
        default: [BACKUP_JOB_COMPLETED, COPY_JOB_FAILED, S3_BACKUP_OBJECT_FAILED, CONTINUOUS_BACKUP_INTERRUPTED]
  delete_recovery_points:
    description:
      - With O(state=absent), delete the vault's recovery points and then the vault. Without it a vault holding
        recovery points is refused and nothing changes.
    type: bool
    default: false
  state:
    description: Whether the vault exists.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Vault encrypted with the stack's key, governance lock, failed jobs to SNS
  storagekit.aws.backup_vault:
    name: storagekit
    encryption_key_id: alias/storagekit-backup
    lock:
      min_retention_days: 7
      max_retention_days: 400
    notifications:
      sns_topic_arn: arn:aws:sns:eu-west-1:123456789012:backup-events
    tags:
      managed-by: storagekit.aws

- name: Compliance lock (nobody can remove it after 3 days)
  storagekit.aws.backup_vault:
    name: audited
    lock:
      mode: compliance
      min_retention_days: 365
      max_retention_days: 2555
      changeable_for_days: 3

- name: Delete a vault; refused while it holds recovery points
  storagekit.aws.backup_vault:
    name: storagekit
    state: absent
"""

RETURN = r"""
vault:
  description: The vault after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the vault.
      type: str
      sample: storagekit
    arn:
      description: ARN of the vault.
      type: str
      sample: arn:aws:backup:eu-west-1:123456789012:backup-vault:storagekit
    encryption_key_arn:
      description: ARN of the KMS key of the vault.
      type: str
    number_of_recovery_points:
      description: Recovery points in the vault when it was read.
      type: int
      sample: 0
    lock:
      description: The Vault Lock (mode, min_retention_days, max_retention_days), null without one.
      type: dict
    notifications:
      description: sns_topic_arn and events, null without notifications; only when O(notifications) is set.
      type: dict
    tags:
      description: Tags of the vault; only when O(tags) is set.
      type: dict
"""

import datetime
import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup import SUPPORTED_EVENTS
from ansible_collections.storagekit.aws.plugins.module_utils.backup import describe_vault
from ansible_collections.storagekit.aws.plugins.module_utils.backup import read_notifications
from ansible_collections.storagekit.aws.plugins.module_utils.backup import recovery_point_arns
from ansible_collections.storagekit.aws.plugins.module_utils.backup import vault_lock
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import backup_tags
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import create_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import run_backup_state
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.resource_tags import with_tags

DEFAULT_EVENTS = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "S3_BACKUP_OBJECT_FAILED", "CONTINUOUS_BACKUP_INTERRUPTED"]
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    encryption_key_id=dict(type="str"),
    lock=dict(
        type="dict",
        options=dict(
            enabled=dict(type="bool", default=True),
            mode=dict(type="str", choices=["governance", "compliance"], default="governance"),
            min_retention_days=dict(type="int"),
            max_retention_days=dict(type="int"),
            changeable_for_days=dict(type="int"),
        ),
    ),
    notifications=dict(
        type="dict",
        options=dict(
            enabled=dict(type="bool", default=True),
            sns_topic_arn=dict(type="str"),
            events=dict(type="list", elements="str", default=DEFAULT_EVENTS),
        ),
    ),
    delete_recovery_points=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9\-_]{2,50}$")
MIN_CHANGEABLE_DAYS = 3


def option_problems(params):
    """What is wrong with the options, as messages (checked before any call)."""
    problems = []
    if not NAME_PATTERN.match(params["name"]):
        problems.append("name {0!r} must have 2 to 50 letters, digits, hyphens or underscores".format(params["name"]))
    lock = params["lock"]
    if lock and lock["enabled"]:
        low, high = lock["min_retention_days"], lock["max_retention_days"]
        if low is not None and high is not None and low > high:
            problems.append("lock.min_retention_days must not exceed lock.max_retention_days")
        if lock["mode"] == "compliance" and (low is None or high is None or lock["changeable_for_days"] is None):
            problems.append(
                "a compliance lock needs min_retention_days, max_retention_days and changeable_for_days: once its "
                "grace time ends nobody can change or remove it"
            )
        if lock["mode"] == "governance" and lock["changeable_for_days"] is not None:
            problems.append("lock.changeable_for_days makes a compliance lock; set lock.mode=compliance")
        if lock["changeable_for_days"] is not None and lock["changeable_for_days"] < MIN_CHANGEABLE_DAYS:
            problems.append("lock.changeable_for_days must be at least {0}".format(MIN_CHANGEABLE_DAYS))
    notifications = params["notifications"]
    if notifications and notifications["enabled"]:
        if not notifications["sns_topic_arn"]:
            problems.append("notifications.sns_topic_arn is required")
        unknown = sorted(set(notifications["events"]) - set(SUPPORTED_EVENTS))
        if unknown or not notifications["events"]:
            problems.append(
                "notifications.events takes {0} (AWS no longer sends the others): not {1}".format(
                    ", ".join(SUPPORTED_EVENTS), ", ".join(unknown) or "an empty list"
                )
            )
    return problems


def desired_lock(lock):
    if not lock["enabled"]:
        return None
    wanted = dict(mode=lock["mode"])
    for option in ("min_retention_days", "max_retention_days"):
        if lock[option] is not None:
            wanted[option] = lock[option]
    return wanted


def lock_is_immutable(vault):
    """A compliance lock cannot change or go once its LockDate has passed."""
    lock_date = vault.get("LockDate")
    return bool(lock_date) and lock_date <= datetime.datetime.now(lock_date.tzinfo)


def apply_lock(module, changes, client, vault):
    name = module.params["name"]
    current = vault_lock(vault) if vault else None
    wanted = desired_lock(module.params["lock"])
    if current == wanted:
        return current
    if vault and lock_is_immutable(vault):
        module.fail_json(
            msg="Vault {0} has a compliance lock that became immutable on {1}: it cannot change from {2} to {3}.".format(
                name, vault["LockDate"], current, wanted
            )
        )
    if wanted is None:
        changes.apply("lock", current, None, lambda: client.delete_backup_vault_lock_configuration(
            aws_retry=True, BackupVaultName=name))
        return None
    request = dict(BackupVaultName=name)
    for key, option in (("MinRetentionDays", "min_retention_days"), ("MaxRetentionDays", "max_retention_days"),
                        ("ChangeableForDays", "changeable_for_days")):
        if module.params["lock"][option] is not None:
            request[key] = module.params["lock"][option]
    changes.apply("lock", current, wanted, lambda: client.put_backup_vault_lock_configuration(aws_retry=True, **request))
    return wanted


def apply_notifications(module, changes, client, exists):
    name = module.params["name"]
    options = module.params["notifications"]
    current = read_notifications(client, name) if exists else None
    wanted = None
    if options["enabled"]:
        wanted = dict(sns_topic_arn=options["sns_topic_arn"], events=sorted(set(options["events"])))
    if current == wanted:
        return current
    if wanted is None:
        changes.apply("notifications", current, None, lambda: client.delete_backup_vault_notifications(
            aws_retry=True, BackupVaultName=name))
    else:
        changes.apply("notifications", current, wanted, lambda: client.put_backup_vault_notifications(
            aws_retry=True, BackupVaultName=name, SNSTopicArn=wanted["sns_topic_arn"], BackupVaultEvents=wanted["events"]))
    return wanted


def ensure_present(module, client):
    vault = describe_vault(client, module.params["name"])
    params = module.params
    name = params["name"]
    changes = ChangeSet(module)
    keys = KmsKeys(module)
    key_arn = keys.arn(params["encryption_key_id"], "encryption_key_id") if params["encryption_key_id"] else None
    if vault is None:
        keys.require_usable(params["encryption_key_id"], "encryption_key_id")
        request = dict(BackupVaultName=name)
        if key_arn:
            request["EncryptionKeyArn"] = key_arn
        create_request(module, request, "BackupVaultTags")
        created = changes.apply("vault", None, dict(name=name, encryption_key_arn=key_arn),
                                lambda: client.create_backup_vault(aws_retry=True, **request)) or {}
        result = with_tags(module, dict(name=name, arn=created.get("BackupVaultArn", ""), encryption_key_arn=key_arn,
                                        number_of_recovery_points=0))
    else:
        if key_arn and vault.get("EncryptionKeyArn") and vault["EncryptionKeyArn"] != key_arn:
            module.fail_json(
                msg="Vault {0} is encrypted with {1}, not {2}: AWS sets a vault's key when it creates the vault; "
                "use a new vault for the other key.".format(name, vault["EncryptionKeyArn"], key_arn)
            )
        result = with_tags(module, dict(name=name, arn=vault["BackupVaultArn"], encryption_key_arn=vault.get("EncryptionKeyArn"),
                                        number_of_recovery_points=vault.get("NumberOfRecoveryPoints", 0)),
                           lambda: backup_tags(module, changes, client, vault["BackupVaultArn"]))
    if params["lock"] is not None:
        result["lock"] = apply_lock(module, changes, client, vault)
    else:
        result["lock"] = vault_lock(vault) if vault else None
    if params["notifications"] is not None:
        result["notifications"] = apply_notifications(module, changes, client, vault is not None)
    return changes.result(vault=result)


def ensure_absent(module, client):
    vault = describe_vault(client, module.params["name"])
    name = module.params["name"]
    changes = ChangeSet(module)
    if vault is None:
        return changes.result(vault={})
    points = vault.get("NumberOfRecoveryPoints", 0)
    if points and not module.params["delete_recovery_points"]:
        module.fail_json(
            msg="Vault {0} holds {1} recovery points; deleting it would delete them. Set delete_recovery_points=true "
            "to delete them and the vault; nothing was changed.".format(name, points)
        )
    if points:
        for arn in recovery_point_arns(client, name):
            changes.apply("recovery_point " + arn, arn, None, lambda a=arn: client.delete_recovery_point(
                aws_retry=True, BackupVaultName=name, RecoveryPointArn=a))
    changes.apply("vault", dict(name=name, arn=vault["BackupVaultArn"]), None,
                  lambda: client.delete_backup_vault(aws_retry=True, BackupVaultName=name))
    return changes.result(vault={})


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    run_backup_state(module, "backup vault", "options", option_problems(module.params), ensure_present, ensure_absent)


if __name__ == "__main__":
    main()
