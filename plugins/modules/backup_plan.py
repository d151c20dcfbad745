#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_plan
short_description: An AWS Backup plan with its rules, copies to other vaults and tags
version_added: 0.1.0
description:
  - Creates, updates and deletes an AWS Backup plan found by its name, with rules (schedule, start and completion
    windows, lifecycle to cold storage and retention, continuous backup, copies to other vaults in other regions or
    accounts) and tags; with check mode and diff.
  - A no-change run reads the plan list, the plan and (with O(tags)) its tags, and writes nothing.
  - The rules AWS Backup enforces are checked before any call, each refusal naming its rule.
  - M(amazon.aws.backup_plan) reports C(changed) in check mode whenever the plan has tags, has no diff, and its
    calls are not retried on throttling.
  - The plan's selections are M(amazon.aws.backup_selection)'s; AWS refuses to delete a plan that still has some.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the plan.
    type: str
    required: true
  rules:
    description:
      - The rules, compared and written as a whole list (an unlisted rule is removed). Required with
        O(state=present).
    type: list
    elements: dict
    suboptions:
      name:
        description: Rule name, unique in the plan.
        type: str
        required: true
      target_vault:
        description: Name of the vault the rule's recovery points go to.
        type: str
        required: true
      schedule:
        description: C(cron(...)) or C(rate(...)) expression.
        type: str
        required: true
      schedule_timezone:
        description: Time zone of O(rules[].schedule).
        type: str
        default: Etc/UTC
      start_window_minutes:
        description: Minutes a job may wait to start (AWS's default is 480).
        type: int
        default: 480
      completion_window_minutes:
        description: Minutes a job may take (AWS's default is 10080).
        type: int
        default: 10080
      cold_storage_after_days:
        description: Days before a recovery point moves to cold storage; the retention must be 90 days longer.
        type: int
      delete_after_days:
        description: Retention in days; 1 to 35 with O(rules[].continuous).
        type: int
      continuous:
        description: Continuous backup (point-in-time restore) for the resource types that support it (RDS, S3, SAP HANA).
        type: bool
        default: false
      copy_to:
        description: Copies of each recovery point to other vaults.
        type: list
        elements: dict
        default: []
        suboptions:
          vault_arn:
            description: ARN of the destination vault (another region or account).
            type: str
            required: true
          cold_storage_after_days:
            description: Days before the copy moves to cold storage.
            type: int
          delete_after_days:
            description: Retention of the copy in days.
            type: int
  state:
    description: Whether the plan exists.
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
- name: Daily and monthly backups, copied to a vault in a second region
  storagekit.aws.backup_plan:
    name: storagekit
    rules:
      - name: daily
        target_vault: storagekit
        schedule: cron(0 5 ? * * *)
        start_window_minutes: 60
        completion_window_minutes: 480
        delete_after_days: 35
        copy_to:
          - vault_arn: arn:aws:backup:eu-central-1:123456789012:backup-vault:storagekit-dr
            delete_after_days: 35
      - name: monthly
        target_vault: storagekit
        schedule: cron(0 5 1 * ? *)
        cold_storage_after_days: 90
        delete_after_days: 365
    tags:
      managed-by: storagekit.aws
"""

RETURN = r"""
plan:
  description: The plan after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the plan.
      type: str
    id:
      description: Id of the plan (empty in check mode before it exists).
      type: str
    arn:
      description: ARN of the plan (empty in check mode before it exists).
      type: str
    rules:
      description: The rules, sorted by name, in the shape of O(rules).
      type: list
      elements: dict
    tags:
      description: Tags of the plan; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup import find_plan
from ansible_collections.storagekit.aws.plugins.module_utils.backup import normalize_rule
from ansible_collections.storagekit.aws.plugins.module_utils.backup import rule_problems
from ansible_collections.storagekit.aws.plugins.module_utils.backup import rule_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import create_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import put_backup_resource
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import run_backup_state
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS

COPY_SPEC = dict(
    vault_arn=dict(type="str", required=True),
    cold_storage_after_days=dict(type="int"),
    delete_after_days=dict(type="int"),
)
RULE_SPEC = dict(
    name=dict(type="str", required=True),
    target_vault=dict(type="str", required=True),
    schedule=dict(type="str", required=True),
    schedule_timezone=dict(type="str", default="Etc/UTC"),
    start_window_minutes=dict(type="int", default=480),
    completion_window_minutes=dict(type="int", default=10080),
    cold_storage_after_days=dict(type="int"),
    delete_after_days=dict(type="int"),
    continuous=dict(type="bool", default=False),
    copy_to=dict(type="list", elements="dict", options=COPY_SPEC, default=[]),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    rules=dict(type="list", elements="dict", options=RULE_SPEC),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def desired_rules(rules):
    """The rules of O(rules) in the shape normalize_rule gives, sorted by name."""
    return sorted((normalize_rule(rule_request(rule)) for rule in rules), key=lambda r: r["name"])


def ensure_present(module, client):
    found = find_plan(client, module.params["name"])
    params = module.params
    name = params["name"]
    changes = ChangeSet(module)
    wanted = desired_rules(params["rules"])
    body = dict(BackupPlanName=name, Rules=[rule_request(rule) for rule in params["rules"]])
    current_rules = None
    if found is not None:
        current = client.get_backup_plan(aws_retry=True, BackupPlanId=found["BackupPlanId"])["BackupPlan"]
        current_rules = sorted((normalize_rule(rule) for rule in current.get("Rules") or []), key=lambda r: r["name"])
    plan = put_backup_resource(
        module, changes, client, "rules", found, current_rules, wanted,
        lambda: client.create_backup_plan(aws_retry=True, **create_request(module, dict(BackupPlan=body), "BackupPlanTags")),
        lambda: client.update_backup_plan(aws_retry=True, BackupPlanId=found["BackupPlanId"], BackupPlan=body),
        lambda answer: dict(name=name, id=answer.get("BackupPlanId", ""), arn=answer.get("BackupPlanArn", ""), rules=wanted))
    return changes.result(plan=plan)


def ensure_absent(module, client):
    name = module.params["name"]
    return remove_one(module, "plan", "plan", find_plan(client, name), lambda found: dict(name=name, id=found["BackupPlanId"]),
                      lambda found: client.delete_backup_plan(aws_retry=True, BackupPlanId=found["BackupPlanId"]))


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC, supports_check_mode=True, required_if=[("state", "present", ["rules"])]
    )
    problems = rule_problems(module.params["rules"]) if module.params["state"] == "present" else []
    run_backup_state(module, "backup plan", "rules", problems, ensure_present, ensure_absent)


if __name__ == "__main__":
    main()
