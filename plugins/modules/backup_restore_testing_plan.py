#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_restore_testing_plan
short_description: An AWS Backup restore testing plan with its selections and tags
version_added: 0.1.0
description:
  - Creates, updates and deletes an AWS Backup restore testing plan (scheduled restores AWS Backup runs itself to
    prove that recovery points restore) with its selections of protected resources and its tags, in one
    invocation; with check mode and diff.
  - A no-change run reads the plan, the list of its selections, each selection, and (with O(tags)) the plan's tags,
    and writes nothing.
  - What AWS Backup refuses (names, windows, ARNs together with tags, more than 30 ARNs) is refused before any call.
  - Neither C(amazon.aws) nor C(community.aws) manage restore testing plans.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the plan; 1 to 50 letters, digits and underscores, starting with a letter.
    type: str
    required: true
  schedule:
    description: C(cron(...)) or C(rate(...)) expression of the restore tests. Required with O(state=present).
    type: str
  schedule_timezone:
    description: Time zone of O(schedule).
    type: str
    default: Etc/UTC
  start_window_hours:
    description: Hours (1 to 168) a restore test may wait to start.
    type: int
    default: 24
  recovery_point_selection:
    description: Which recovery point each test restores.
    type: dict
    default: {}
    suboptions:
      algorithm:
        description: The latest recovery point in the window, or a random one.
        type: str
        choices: [LATEST_WITHIN_WINDOW, RANDOM_WITHIN_WINDOW]
        default: LATEST_WITHIN_WINDOW
      include_vaults:
        description: ARNs of the vaults the recovery points come from, or C(*) for all.
        type: list
        elements: str
        default: ["*"]
      exclude_vaults:
        description: ARNs of vaults whose recovery points are never tested.
        type: list
        elements: str
        default: []
      recovery_point_types:
        description: Snapshots, continuous (point-in-time) recovery points, or both.
        type: list
        elements: str
        choices: [SNAPSHOT, CONTINUOUS]
        default: [SNAPSHOT]
      selection_window_days:
        description: Age in days (1 to 365) of the recovery points a test may pick.
        type: int
        default: 30
  selections:
    description:
      - The plan's selections, compared and written as a whole list (an unlisted selection is deleted).
      - A selection changes in place; a new O(selections[].protected_resource_type), or a selection by tag
        that becomes one by ARN, replaces it.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Selection name, unique in the plan; 1 to 50 letters, digits and underscores.
        type: str
        required: true
      protected_resource_type:
        description: The type of the resources this selection tests.
        type: str
        required: true
        choices: [Aurora, DocumentDB, DynamoDB, EBS, EC2, EFS, FSx, Neptune, RDS, S3]
      iam_role_arn:
        description: Role AWS Backup assumes to restore (the restore permissions of the backup role).
        type: str
        required: true
      protected_resource_arns:
        description: Up to 30 ARNs of resources of the type; empty for all of them, or those that match O(selections[].tags).
        type: list
        elements: str
        default: []
      tags:
        description: Tags the resources must have (C(StringEquals) on C(aws:ResourceTag/<key>)).
        type: dict
        default: {}
      not_tags:
        description: Tags the resources must not have (C(StringNotEquals)).
        type: dict
        default: {}
      validation_window_hours:
        description: Hours (0 to 168) the restored copy is kept for validation before AWS Backup deletes it.
        type: int
        default: 0
      restore_metadata_overrides:
        description:
          - Restore metadata AWS Backup would otherwise infer from the recovery point, for example the subnet
            group or the security groups of a restored database. Sensitive for AWS; not shown in the output.
        type: dict
        default: {}
  state:
    description: Whether the plan exists; O(state=absent) deletes its selections, then the plan.
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
- name: Every Saturday, restore the latest snapshot of one tagged table and database from the stack's vault
  storagekit.aws.backup_restore_testing_plan:
    name: storagekit
    schedule: cron(0 6 ? * SAT *)
    start_window_hours: 24
    recovery_point_selection:
      algorithm: LATEST_WITHIN_WINDOW
      include_vaults: [arn:aws:backup:eu-west-1:123456789012:backup-vault:storagekit]
      recovery_point_types: [SNAPSHOT]
      selection_window_days: 7
    selections:
      - name: dynamodb
        protected_resource_type: DynamoDB
        iam_role_arn: arn:aws:iam::123456789012:role/storagekit-backup
        tags: {backup-plan: storagekit}
      - name: rds
        protected_resource_type: RDS
        iam_role_arn: arn:aws:iam::123456789012:role/storagekit-backup
        tags: {backup-plan: storagekit}
        validation_window_hours: 2
        restore_metadata_overrides:
          dbsubnetgroupname: storagekit-private
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
    arn:
      description: ARN of the plan (empty in check mode before it exists).
      type: str
    schedule:
      description: Schedule expression.
      type: str
    schedule_timezone:
      description: Time zone of the schedule.
      type: str
    start_window_hours:
      description: Hours a test may wait to start.
      type: int
    recovery_point_selection:
      description: Which recovery points are tested, in the shape of O(recovery_point_selection), lists sorted.
      type: dict
    selections:
      description: The selections, sorted by name, in the shape of O(selections).
      type: list
      elements: dict
    tags:
      description: Tags of the plan; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import create_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import put_backup_resource
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import run_backup_state
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import RESOURCE_TYPES
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import get_plan
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import normalize_plan
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import plan_problems
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import plan_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import read_selections
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import selection_problems
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import selection_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore_testing import wanted_selection
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS

POINTS_SPEC = dict(
    algorithm=dict(type="str", choices=["LATEST_WITHIN_WINDOW", "RANDOM_WITHIN_WINDOW"], default="LATEST_WITHIN_WINDOW"),
    include_vaults=dict(type="list", elements="str", default=["*"]),
    exclude_vaults=dict(type="list", elements="str", default=[]),
    recovery_point_types=dict(type="list", elements="str", choices=["SNAPSHOT", "CONTINUOUS"], default=["SNAPSHOT"]),
    selection_window_days=dict(type="int", default=30),
)
SELECTION_SPEC = dict(
    name=dict(type="str", required=True),
    protected_resource_type=dict(type="str", required=True, choices=list(RESOURCE_TYPES)),
    iam_role_arn=dict(type="str", required=True),
    protected_resource_arns=dict(type="list", elements="str", default=[]),
    tags=dict(type="dict", default={}),
    not_tags=dict(type="dict", default={}),
    validation_window_hours=dict(type="int", default=0),
    restore_metadata_overrides=dict(type="dict", default={}, no_log=True),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    schedule=dict(type="str"),
    schedule_timezone=dict(type="str", default="Etc/UTC"),
    start_window_hours=dict(type="int", default=24),
    recovery_point_selection=dict(type="dict", options=POINTS_SPEC, default={}, apply_defaults=True),
    selections=dict(type="list", elements="dict", options=SELECTION_SPEC, default=[]),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def selection_writes(client, plan_name, before, item):
    """The write that makes a selection ``item``: an update in place where AWS allows one, else delete and create.

    AWS cannot change a selection's resource type, and a selection by tag keeps its conditions on update.
    """
    name = item["name"]
    body = selection_request(item)
    replace = before is not None and (
        before["protected_resource_type"] != item["protected_resource_type"]
        or ((before["tags"] or before["not_tags"]) and "ProtectedResourceConditions" not in body))

    def write():
        if before is not None and not replace:
            client.update_restore_testing_selection(aws_retry=True, RestoreTestingPlanName=plan_name,
                                                    RestoreTestingSelectionName=name, RestoreTestingSelection=body)
            return
        if replace:
            client.delete_restore_testing_selection(aws_retry=True, RestoreTestingPlanName=plan_name,
                                                    RestoreTestingSelectionName=name)
        client.create_restore_testing_selection(
            aws_retry=True, RestoreTestingPlanName=plan_name,
            RestoreTestingSelection=dict(body, RestoreTestingSelectionName=name,
                                         ProtectedResourceType=item["protected_resource_type"]))

    return write


def ensure_selections(changes, client, plan_name, current, items):
    """Bring the plan's selections to ``items``; the selections after the run, sorted by name."""
    after = []
    for item in items:
        wanted = wanted_selection(item)
        before = current.get(item["name"])
        if before != wanted:
            changes.apply("selection " + item["name"], before, wanted, selection_writes(client, plan_name, before, item))
        after.append(wanted)
    for name in sorted(set(current) - set(item["name"] for item in items)):
        changes.apply("selection " + name, current[name], None, lambda name=name: client.delete_restore_testing_selection(
            aws_retry=True, RestoreTestingPlanName=plan_name, RestoreTestingSelectionName=name))
    return sorted(after, key=lambda s: s["name"])


def ensure_present(module, client):
    params = module.params
    name = params["name"]
    changes = ChangeSet(module)
    body = plan_request(params)
    wanted = normalize_plan(body)
    found = get_plan(client, name)

    def result_of(answer):
        current_selections = read_selections(client, name) if found is not None else {}
        return dict(wanted, name=name, arn=answer.get("RestoreTestingPlanArn", ""),
                    selections=ensure_selections(changes, client, name, current_selections, params["selections"]))

    plan = put_backup_resource(
        module, changes, client, "plan", found, found and normalize_plan(found), wanted,
        lambda: client.create_restore_testing_plan(aws_retry=True, **create_request(
            module, dict(RestoreTestingPlan=dict(body, RestoreTestingPlanName=name)), "Tags")),
        lambda: client.update_restore_testing_plan(aws_retry=True, RestoreTestingPlanName=name, RestoreTestingPlan=body),
        result_of)
    return changes.result(plan=plan)


def ensure_absent(module, client):
    name = module.params["name"]

    def delete(module_, changes, found):
        """The selections first: AWS deletes no plan that has any."""
        ensure_selections(changes, client, name, read_selections(client, name), [])
        changes.apply("plan", normalize_plan(found), None,
                      lambda: client.delete_restore_testing_plan(aws_retry=True, RestoreTestingPlanName=name))

    return remove_found(module, "plan", get_plan(client, name), delete)


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC, supports_check_mode=True, required_if=[("state", "present", ["schedule"])]
    )
    problems = []
    if module.params["state"] == "present":
        problems = plan_problems(module.params) + selection_problems(module.params["selections"])
    run_backup_state(module, "restore testing plan", "restore testing plan", problems, ensure_present, ensure_absent)


if __name__ == "__main__":
    main()
