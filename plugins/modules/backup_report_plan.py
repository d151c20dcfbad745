#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_report_plan
short_description: An AWS Backup Audit Manager report plan delivering reports to S3
version_added: 0.1.0
description:
  - Creates, updates and deletes an AWS Backup Audit Manager report plan (a daily compliance or job report, CSV or
    JSON, delivered to an S3 bucket) with its tags; with check mode and diff.
  - A no-change run reads the plan and (with O(tags)) its tags, and writes nothing.
  - What AWS Backup refuses (names, a compliance report without frameworks) is refused before any call. The bucket's
    policy must let AWS Backup write the reports (C(s3:PutObject) for the service-linked role
    C(AWSServiceRoleForBackupReports)).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the report plan; 1 to 256 letters, digits and underscores, starting with a letter.
    type: str
    required: true
  description:
    description: Description of the report plan.
    type: str
    default: ""
  template:
    description: The report. The compliance reports need O(framework_arns).
    type: str
    choices: [RESOURCE_COMPLIANCE_REPORT, CONTROL_COMPLIANCE_REPORT, BACKUP_JOB_REPORT, COPY_JOB_REPORT, RESTORE_JOB_REPORT]
    default: RESOURCE_COMPLIANCE_REPORT
  framework_arns:
    description: The frameworks a compliance report covers.
    type: list
    elements: str
    default: []
  regions:
    description: Regions the report covers; empty for the plan's region.
    type: list
    elements: str
    default: []
  s3_bucket:
    description: The bucket the reports are delivered to. Required with O(state=present).
    type: str
  s3_key_prefix:
    description: Prefix of the reports in the bucket, without leading or trailing slash.
    type: str
    default: ""
  formats:
    description: Formats of the reports.
    type: list
    elements: str
    choices: [CSV, JSON]
    default: [CSV]
  state:
    description: Whether the report plan exists.
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
- name: Daily resource compliance report of the stack's framework, to the log bucket
  storagekit.aws.backup_report_plan:
    name: storagekit_compliance
    template: RESOURCE_COMPLIANCE_REPORT
    framework_arns: ["{{ framework.framework.arn }}"]
    s3_bucket: storagekit-logs
    s3_key_prefix: backup-audit
    formats: [CSV, JSON]
    tags:
      managed-by: storagekit.aws
"""

RETURN = r"""
report_plan:
  description: The report plan after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the plan.
      type: str
    arn:
      description: ARN of the plan (empty in check mode before it exists).
      type: str
    description:
      description: Description.
      type: str
    template:
      description: The report template.
      type: str
    framework_arns:
      description: The frameworks covered, sorted.
      type: list
      elements: str
    regions:
      description: The regions covered, sorted.
      type: list
      elements: str
    s3_bucket:
      description: The bucket of the reports.
      type: str
    s3_key_prefix:
      description: The prefix of the reports.
      type: str
    formats:
      description: The formats, sorted.
      type: list
      elements: str
    tags:
      description: Tags of the plan; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import REPORT_TEMPLATES
from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import describe_report_plan
from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import normalize_report_plan
from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import report_plan_problems
from ansible_collections.storagekit.aws.plugins.module_utils.backup_audit import report_plan_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import create_request
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import put_backup_resource
from ansible_collections.storagekit.aws.plugins.module_utils.backup_resource import run_backup_state
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    description=dict(type="str", default=""),
    template=dict(type="str", choices=list(REPORT_TEMPLATES), default="RESOURCE_COMPLIANCE_REPORT"),
    framework_arns=dict(type="list", elements="str", default=[]),
    regions=dict(type="list", elements="str", default=[]),
    s3_bucket=dict(type="str"),
    s3_key_prefix=dict(type="str", default="", no_log=False),  # an S3 key prefix, not a secret
    formats=dict(type="list", elements="str", choices=["CSV", "JSON"], default=["CSV"]),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def ensure_present(module, client):
    params = module.params
    name = params["name"]
    changes = ChangeSet(module)
    body = report_plan_request(params)
    if params["description"]:
        body["ReportPlanDescription"] = params["description"]
    wanted = normalize_report_plan(body)
    found = describe_report_plan(client, name)
    plan = put_backup_resource(
        module, changes, client, "report plan", found, found and normalize_report_plan(found), wanted,
        lambda: client.create_report_plan(aws_retry=True, **create_request(module, dict(body, ReportPlanName=name),
                                                                           "ReportPlanTags")),
        lambda: client.update_report_plan(aws_retry=True, ReportPlanName=name, **body),
        lambda answer: dict(wanted, name=name, arn=answer.get("ReportPlanArn", "")))
    return changes.result(report_plan=plan)


def ensure_absent(module, client):
    name = module.params["name"]
    return remove_one(module, "report_plan", "report plan", describe_report_plan(client, name), normalize_report_plan,
                      lambda found: client.delete_report_plan(aws_retry=True, ReportPlanName=name))


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC, supports_check_mode=True, required_if=[("state", "present", ["s3_bucket"])]
    )
    problems = report_plan_problems(module.params) if module.params["state"] == "present" else []
    run_backup_state(module, "backup report plan", "backup report plan", problems, ensure_present, ensure_absent)


if __name__ == "__main__":
    main()
