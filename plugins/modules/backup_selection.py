#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_selection
short_description: The resource selections of an AWS Backup plan
version_added: 0.1.0
description:
  - Creates, replaces and deletes the named resource selections of an AWS Backup plan found by its name, with the
    resources by ARN (wildcards allowed), the resources excluded, and the tags a resource must carry (all of them).
  - AWS cannot change a selection; one that differs is deleted and created again.
  - A no-change run makes one ListBackupPlans, one ListBackupSelections and one GetBackupSelection per listed
    selection, and writes nothing.
  - M(amazon.aws.backup_selection) on ansible-core 2.21 sends no selection name unless given by its alias
    C(selection_name), fails in check mode when the plan does not exist yet, and fails with O(state=absent) when
    the plan is already gone.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  plan:
    description: Name of the backup plan.
    type: str
    required: true
  selections:
    description: The selections.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the selection, unique in the plan.
        type: str
        required: true
      iam_role_arn:
        description: Role AWS Backup assumes to back the resources up; required with O(state=present).
        type: str
      resources:
        description: ARNs of the resources (wildcards allowed, for example C(arn:aws:dynamodb:*:*:table/*)).
        type: list
        elements: str
        default: []
      not_resources:
        description: ARNs excluded.
        type: list
        elements: str
        default: []
      tags:
        description: Tags a resource must carry, all of them (C(StringEquals) conditions on C(aws:ResourceTag/<key>)).
        type: dict
        default: {}
  state:
    description: Whether the selections exist. With V(absent) a plan that does not exist has none.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: The tables and databases tagged backup-plan=storagekit, and one bucket by ARN
  storagekit.aws.backup_selection:
    plan: storagekit
    selections:
      - name: storagekit-tagged
        iam_role_arn: arn:aws:iam::123456789012:role/storagekit-backup
        resources: ["arn:aws:dynamodb:*:*:table/*", "arn:aws:rds:*:*:db:*"]
        tags: {backup-plan: storagekit}
      - name: storagekit-resources
        iam_role_arn: arn:aws:iam::123456789012:role/storagekit-backup
        resources: [arn:aws:s3:::acme-uploads]
"""

RETURN = r"""
selections:
  description: The selections after the run (predicted in check mode), in the shape of O(selections).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup import find_plan
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run

SELECTION_SPEC = dict(
    name=dict(type="str", required=True),
    iam_role_arn=dict(type="str"),
    resources=dict(type="list", elements="str", default=[]),
    not_resources=dict(type="list", elements="str", default=[]),
    tags=dict(type="dict", default={}),
)
ARGUMENT_SPEC = dict(
    plan=dict(type="str", required=True),
    selections=dict(type="list", elements="dict", options=SELECTION_SPEC, required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
TAG_KEY_PREFIX = "aws:ResourceTag/"


def wanted_selection(item):
    return dict(name=item["name"], iam_role_arn=item["iam_role_arn"], resources=sorted(item["resources"]),
                not_resources=sorted(item["not_resources"]),
                tags=dict((k, str(v)) for k, v in (item["tags"] or {}).items()))


def normalize_selection(raw):
    """A BackupSelection as read, in the shape of O(selections)."""
    tags = {}
    for condition in (raw.get("Conditions") or {}).get("StringEquals") or []:
        key = condition["ConditionKey"]
        tags[key[len(TAG_KEY_PREFIX):] if key.startswith(TAG_KEY_PREFIX) else key] = condition["ConditionValue"]
    for condition in raw.get("ListOfTags") or []:
        tags[condition["ConditionKey"]] = condition["ConditionValue"]
    return dict(name=raw["SelectionName"], iam_role_arn=raw["IamRoleArn"], resources=sorted(raw.get("Resources") or []),
                not_resources=sorted(raw.get("NotResources") or []), tags=tags)


def selection_request(selection):
    request = dict(SelectionName=selection["name"], IamRoleArn=selection["iam_role_arn"],
                   Resources=selection["resources"])
    if selection["not_resources"]:
        request["NotResources"] = selection["not_resources"]
    if selection["tags"]:
        request["Conditions"] = dict(StringEquals=[
            dict(ConditionKey=TAG_KEY_PREFIX + key, ConditionValue=value) for key, value in sorted(selection["tags"].items())
        ])
    return request


def read_selections(client, plan_id, names):
    """The plan's selections of these names: name -> (selection id, normalized selection)."""
    found = {}
    request = dict(BackupPlanId=plan_id)
    while True:
        page = client.list_backup_selections(aws_retry=True, **request)
        for entry in page.get("BackupSelectionsList") or []:
            if entry["SelectionName"] in names:
                raw = client.get_backup_selection(aws_retry=True, BackupPlanId=plan_id, SelectionId=entry["SelectionId"])
                found[entry["SelectionName"]] = (entry["SelectionId"], normalize_selection(raw["BackupSelection"]))
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]


def replacer(client, plan_id, selection_id, wanted):
    """The writes that make a selection what is wanted: AWS has no update, so delete the old one and create anew."""

    def write():
        if selection_id:
            client.delete_backup_selection(aws_retry=True, BackupPlanId=plan_id, SelectionId=selection_id)
        if wanted:
            client.create_backup_selection(aws_retry=True, BackupPlanId=plan_id, BackupSelection=selection_request(wanted))

    return write


def ensure(module, client):
    params = module.params
    present = params["state"] == "present"
    changes = ChangeSet(module)
    names = [item["name"] for item in params["selections"]]
    plan = find_plan(client, params["plan"])
    if plan is None and present and not module.check_mode:
        module.fail_json(msg="Backup plan {0} does not exist; create it before its selections.".format(params["plan"]))
    current = read_selections(client, plan["BackupPlanId"], names) if plan else {}
    after = []
    for item in params["selections"]:
        name = item["name"]
        selection_id, before = current.get(name, (None, None))
        wanted = wanted_selection(item) if present else None
        if before == wanted:
            if wanted:
                after.append(wanted)
            continue
        plan_id = plan["BackupPlanId"] if plan else None
        changes.apply(name, before, wanted, replacer(client, plan_id, selection_id, wanted))
        if wanted:
            after.append(wanted)
    return changes.result(selections=after)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    present = params["state"] == "present"
    problems = []
    for item in params["selections"]:
        if present and not item["iam_role_arn"]:
            problems.append("selection {0} needs iam_role_arn".format(item["name"]))
        if present and not item["resources"] and not item["tags"]:
            problems.append("selection {0} needs resources or tags".format(item["name"]))
    fail_on_problems(module, problems, "selections")
    run(module, "manage the selections of backup plan {0}".format(params["plan"]), ensure, aws_client(module, "backup"))


if __name__ == "__main__":
    main()
