#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_framework
short_description: An AWS Backup Audit Manager framework of controls
version_added: 0.1.0
description:
  - Creates, updates and deletes an AWS Backup Audit Manager framework (controls that AWS Backup evaluates with AWS
    Config, proving that resources are backed up, encrypted, kept long enough, copied to another region, locked),
    with its tags; with check mode and diff.
  - A no-change run reads the framework and (with O(tags)) its tags, and writes nothing.
  - Control names and their input parameters AWS does not know, scopes AWS refuses and names AWS refuses are refused
    before any call. AWS Config must record the resource types of the controls for the controls to evaluate.
  - Neither C(amazon.aws) nor C(community.aws) manage frameworks.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the framework; 1 to 256 letters, digits and underscores, starting with a letter.
    type: str
    required: true
  description:
    description: Description of the framework.
    type: str
    default: ""
  controls:
    description:
      - The controls, compared and written as a whole list (a control not listed is removed). Required with
        O(state=present).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The control, for example C(BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN), C(BACKUP_RECOVERY_POINT_ENCRYPTED),
            C(BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK), C(BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK),
            C(BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION), C(BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK).
        type: str
        required: true
      parameters:
        description:
          - "The control's input parameters by name, for example C({requiredRetentionDays: 35}) or
            C({crossRegionList: eu-central-1}); values are sent as strings (a list is joined with commas)."
        type: dict
        default: {}
      scope:
        description: What the control evaluates; empty for every resource AWS Config records.
        type: dict
        default: {}
        suboptions:
          resource_types:
            description: Resource types, for example C(RDS), C(DynamoDB), C(S3), C(EFS).
            type: list
            elements: str
            default: []
          resource_ids:
            description: Up to 100 ids of resources of the one type in O(controls[].scope.resource_types).
            type: list
            elements: str
            default: []
          tags:
            description: One tag key and value the evaluated resources carry.
            type: dict
            default: {}
  state:
    description: Whether the framework exists.
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
- name: Prove that the tagged resources are backed up, encrypted, kept 35 days and copied to a second region
  storagekit.aws.backup_framework:
    name: storagekit_backup_audit
    description: Backup promises of the storagekit stack
    controls:
      - name: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN
        scope: {tags: {backup-plan: storagekit}}
      - name: BACKUP_RECOVERY_POINT_ENCRYPTED
      - name: BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK
        parameters: {requiredRetentionDays: 35}
      - name: BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK
        parameters: {requiredFrequencyUnit: days, requiredFrequencyValue: 1, requiredRetentionDays: 35}
      - name: BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION
        parameters: {crossRegionList: eu-central-1}
        scope: {tags: {backup-plan: storagekit}}
    tags:
      managed-by: storagekit.aws
"""

RETURN = r"""
framework:
  description: The framework after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the framework.
      type: str
    arn:
      description: ARN of the framework (empty in check mode before it exists).
      type: str
    description:
      description: Description.
      type: str
    controls:
      description: The controls, sorted by name, each with C(name), C(parameters) (strings) and C(scope).
      type: list
      elements: dict
    deployment_status:
      description: AWS's deployment status of the framework (C(COMPLETED), C(CREATE_IN_PROGRESS), ...).
      type: str
    tags:
      description: Tags of the framework; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import describe_framework
from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import framework_controls_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import framework_problems
from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import normalize_controls
from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import normalize_framework
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import create_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import put_backup_resource
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import run_backup_state
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS

SCOPE_SPEC = dict(
    resource_types=dict(type="list", elements="str", default=[]),
    resource_ids=dict(type="list", elements="str", default=[]),
    tags=dict(type="dict", default={}),
)
CONTROL_SPEC = dict(
    name=dict(type="str", required=True),
    parameters=dict(type="dict", default={}),
    scope=dict(type="dict", options=SCOPE_SPEC, default={}, apply_defaults=True),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    description=dict(type="str", default=""),
    controls=dict(type="list", elements="dict", options=CONTROL_SPEC),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def ensure_present(module, client):
    params = module.params
    name = params["name"]
    changes = ChangeSet(module)
    controls = framework_controls_request(params["controls"])
    wanted = dict(description=params["description"], controls=normalize_controls(controls))
    found = describe_framework(client, name)
    request = dict(FrameworkName=name, FrameworkControls=controls)
    if params["description"]:
        request["FrameworkDescription"] = params["description"]
    framework = put_backup_resource(
        module, changes, client, "framework", found, found and normalize_framework(found), wanted,
        lambda: client.create_framework(aws_retry=True, **create_request(module, dict(request), "FrameworkTags")),
        lambda: client.update_framework(aws_retry=True, **request),
        lambda answer: dict(wanted, name=name, arn=answer.get("FrameworkArn", ""),
                            deployment_status=answer.get("DeploymentStatus", "")))
    return changes.result(framework=framework)


def ensure_absent(module, client):
    name = module.params["name"]
    return remove_one(module, "framework", "framework", describe_framework(client, name), normalize_framework,
                      lambda found: client.delete_framework(aws_retry=True, FrameworkName=name))


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC, supports_check_mode=True, required_if=[("state", "present", ["controls"])]
    )
    problems = framework_problems(module.params) if module.params["state"] == "present" else []
    run_backup_state(module, "backup framework", "backup framework", problems, ensure_present, ensure_absent)


if __name__ == "__main__":
    main()
