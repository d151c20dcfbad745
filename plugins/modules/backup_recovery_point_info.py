#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_recovery_point_info
short_description: The recovery point to restore of each protected resource in an AWS Backup vault
version_added: 0.1.0
description:
  - For each protected resource, the newest completed recovery point in a vault, the newest taken at or before
    O(restore_time), or the point O(recovery_point_arn) names; with its age in seconds, the recovery point
    objective it achieves.
  - C(amazon.aws) has no module that reads recovery points; C(amazon.aws.backup_restore_job_info) lists restore
    jobs only.
  - Only points in status C(COMPLETED) are chosen. A resource with none fails the module, naming the resource,
    unless O(missing=skip).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  vault_name:
    description: Name of the backup vault.
    type: str
    required: true
  resource_arns:
    description: ARNs of the protected resources.
    type: list
    elements: str
    default: []
  resource_tags:
    description:
      - Also every resource that carries all these tags (Resource Groups Tagging API C(GetResources)), for
        example C(backup-plan=web-app), the tag the backup role selects resources by.
    type: dict
    default: {}
  recovery_point_arn:
    description:
      - This recovery point, whatever its age; with one resource or none (then the point's own resource).
      - Mutually exclusive with O(restore_time).
    type: str
  restore_time:
    description:
      - The newest point created at or before this time (ISO 8601, for example C(2026-12-06T10:00:00Z)).
    type: str
  missing:
    description: What a resource without a completed recovery point does to the module.
    type: str
    choices: [fail, skip]
    default: fail
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.attributes.info
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Latest recovery point of each resource of the web-app plan
  storagekit.aws.backup_recovery_point_info:
    vault_name: web-app
    resource_tags:
      backup-plan: web-app
  register: points

- name: The point of the orders table as it was before the incident
  storagekit.aws.backup_recovery_point_info:
    vault_name: web-app
    resource_arns: [arn:aws:dynamodb:eu-west-1:123456789012:table/orders]
    restore_time: "2026-12-06T09:00:00Z"
"""

RETURN = r"""
recovery_points:
  description: One chosen recovery point per resource, in the order of the resources.
  returned: always
  type: list
  elements: dict
  contains:
    recovery_point_arn:
      description: ARN of the recovery point.
      type: str
      sample: arn:aws:backup:eu-west-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45
    resource_arn:
      description: ARN of the protected resource.
      type: str
    resource_type:
      description: AWS Backup's resource type (C(DynamoDB), C(RDS), C(S3), C(EFS), ...).
      type: str
    backup_vault_name:
      description: Vault of the point.
      type: str
    status:
      description: C(COMPLETED).
      type: str
    creation_date:
      description: When the backup started (ISO 8601).
      type: str
    completion_date:
      description: When it completed.
      type: str
    encryption_key_arn:
      description: KMS key that encrypts the point.
      type: str
    is_encrypted:
      description: Whether the point is encrypted.
      type: bool
    backup_size_in_bytes:
      description: Size of the backup.
      type: int
    iam_role_arn:
      description: Role the backup ran with.
      type: str
    age_seconds:
      description: Seconds from the point's creation to now, the RPO it achieves.
      type: int
      sample: 3600
without_recovery_point:
  description: Resources without a completed recovery point, with O(missing=skip).
  returned: always
  type: list
  elements: str
"""

import datetime

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup_recovery_points import named_point
from ansible_collections.storagekit.aws.plugins.module_utils.backup_recovery_points import newest
from ansible_collections.storagekit.aws.plugins.module_utils.backup_recovery_points import parse_time
from ansible_collections.storagekit.aws.plugins.module_utils.backup_recovery_points import resources_by_tags
from ansible_collections.storagekit.aws.plugins.module_utils.backup_recovery_points import summary
from ansible_collections.storagekit.aws.plugins.module_utils.backup_recovery_points import vault_points
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

ARGUMENT_SPEC = dict(
    vault_name=dict(type="str", required=True),
    resource_arns=dict(type="list", elements="str", default=[]),
    resource_tags=dict(type="dict", default={}),
    recovery_point_arn=dict(type="str"),
    restore_time=dict(type="str"),
    missing=dict(type="str", choices=["fail", "skip"], default="fail"),
)


def validated_time(module):
    try:
        return parse_time(module.params["restore_time"])
    except ValueError:
        module.fail_json(msg="restore_time {0!r} is not an ISO 8601 time such as 2026-12-06T10:00:00Z.".format(
            module.params["restore_time"]))


def resources(module):
    arns = list(module.params["resource_arns"])
    if module.params["resource_tags"]:
        tagged = resources_by_tags(aws_client(module, "resourcegroupstaggingapi"), module.params["resource_tags"])
        arns.extend(arn for arn in tagged if arn not in arns)
    return arns


def named(module, backup, arns):
    vault, arn = module.params["vault_name"], module.params["recovery_point_arn"]
    if len(arns) > 1:
        module.fail_json(msg="recovery_point_arn names one point: give one resource or none, not {0}.".format(len(arns)))
    point = named_point(backup, vault, arn)
    if point is None:
        module.fail_json(msg="Vault {0} has no recovery point {1}.".format(vault, arn))
    if arns and point["ResourceArn"] != arns[0]:
        module.fail_json(msg="Recovery point {0} is of {1}, not of {2}.".format(arn, point["ResourceArn"], arns[0]))
    if point.get("Status") != "COMPLETED":
        module.fail_json(msg="Recovery point {0} is {1}, not COMPLETED: it cannot be restored.".format(arn, point.get("Status")))
    return [point]


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True,
                              mutually_exclusive=[("recovery_point_arn", "restore_time")])
    before = validated_time(module)
    vault = module.params["vault_name"]
    now = datetime.datetime.now(datetime.timezone.utc)
    chosen, without = [], []
    try:
        arns = resources(module)
        backup = aws_client(module, "backup")
        if module.params["recovery_point_arn"]:
            chosen = named(module, backup, arns)
        elif not arns:
            module.fail_json(msg="No resource to look for: resource_arns is empty and no resource carries the tags {0}."
                             .format(module.params["resource_tags"]))
        for arn in arns if not chosen else []:
            point = newest(vault_points(backup, vault, arn, before), before)
            if point is not None:
                chosen.append(point)
            elif module.params["missing"] == "skip":
                without.append(arn)
            else:
                module.fail_json(msg="Vault {0} holds no completed recovery point of {1}{2}.".format(
                    vault, arn, " taken at or before {0}".format(before.isoformat()) if before else ""))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read the recovery points of vault {0}".format(vault))
    module.exit_json(changed=False, recovery_points=[summary(p, now) for p in chosen], without_recovery_point=without)


if __name__ == "__main__":
    main()
