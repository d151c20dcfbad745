#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cost_allocation_tags
short_description: Activate or deactivate user-defined cost allocation tags
version_added: 0.1.0
description:
  - Sets the status of user-defined cost allocation tag keys (Cost Explorer C(UpdateCostAllocationTagsStatus)), so
    that Cost Explorer, AWS Budgets and cost anomaly monitors can group and filter spend by them; with check mode
    and diff. Only the keys named are read and changed.
  - AWS knows a tag key only once a resource carries it, up to 24 hours after it is first used; activating an
    unknown key fails with the error AWS answers for it.
  - A no-change run reads the keys' status once and writes nothing.
  - Needs the management account of an organization, or a standalone account.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  keys:
    description: Tag keys to set (at most 20).
    type: list
    elements: str
    required: true
  status:
    description: Status of the keys.
    type: str
    choices: [active, inactive]
    default: active
notes:
  - Cost Explorer is a global service; its endpoint is in us-east-1 whatever O(region) says.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Costs by the stack's application and environment tags
  storagekit.aws.cost_allocation_tags:
    keys: [application, environment]
"""

RETURN = r"""
cost_allocation_tags:
  description: Status of each key after the run (predicted in check mode).
  returned: always
  type: dict
  sample: {"application": "Active"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import CE_REGION
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run

ARGUMENT_SPEC = dict(
    keys=dict(type="list", elements="str", required=True, no_log=False),
    status=dict(type="str", choices=["active", "inactive"], default="active"),
)
MAX_KEYS = 20


def current_status(client, keys):
    """{key: status} of the keys Cost Explorer knows among ``keys``."""
    found = {}
    request = dict(TagKeys=list(keys), Type="UserDefined")
    while True:
        page = client.list_cost_allocation_tags(aws_retry=True, **request)
        found.update((tag["TagKey"], tag["Status"]) for tag in page.get("CostAllocationTags") or [])
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]


def ensure(module, client):
    keys = sorted(set(module.params["keys"]))
    status = module.params["status"].capitalize()
    changes = ChangeSet(module)
    before = current_status(client, keys)
    after = dict((key, status) for key in keys)
    differing = [key for key in keys if before.get(key) != status]
    if differing:
        def write():
            answer = client.update_cost_allocation_tags_status(
                aws_retry=True, CostAllocationTagsStatus=[dict(TagKey=key, Status=status) for key in differing])
            if answer.get("Errors"):
                module.fail_json(msg="Cost allocation tags not set: " + "; ".join(
                    "{0}: {1} {2}".format(e.get("TagKey"), e.get("Code"), e.get("Message")) for e in answer["Errors"]))
        changes.apply("cost_allocation_tags", dict((k, before.get(k)) for k in differing),
                      dict((k, status) for k in differing), write)
    return changes.result(cost_allocation_tags=after)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    keys = module.params["keys"]
    if not keys or len(set(keys)) > MAX_KEYS or not all(keys):
        module.fail_json(msg="keys must name 1 to {0} non-empty tag keys".format(MAX_KEYS))
    client = aws_client(module, "ce", region=CE_REGION)
    run(module, "set the status of cost allocation tags", ensure, client)


if __name__ == "__main__":
    main()
