#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudwatch_dashboard
short_description: A CloudWatch dashboard whose body is compared as JSON
version_added: 0.1.0
description:
  - Creates, replaces and deletes a CloudWatch dashboard, with check mode and diff.
  - The body AWS keeps is compared with O(body) as JSON (key order and spacing do not count), so a no-change
    run makes one C(GetDashboard) call (and C(ListTagsForResource) when O(tags) is set) and writes nothing;
    a dashboard changed out of band, for example a widget deleted in the console, is put back whole.
  - The body is checked before any write (a C(widgets) list, each widget of a known type, metric widgets with
    their C(metrics)); the warnings C(PutDashboard) answers with are returned as module warnings.
  - Neither amazon.aws nor community.aws has a dashboard module.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the dashboard (up to 255 letters, digits, hyphens and underscores). Dashboards are global.
    type: str
    required: true
  body:
    description:
      - The dashboard body (see AWS's Dashboard Body Structure and Syntax), as a dict or a JSON string.
      - Required with O(state=present).
    type: json
  state:
    description: Whether the dashboard exists.
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
- name: A dashboard with the CPU of a database
  storagekit.aws.cloudwatch_dashboard:
    name: shop
    body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: shop-db CPU
            region: eu-west-1
            metrics: [[AWS/RDS, CPUUtilization, DBInstanceIdentifier, shop-db]]
    tags:
      application: shop
"""

RETURN = r"""
dashboard:
  description: The dashboard after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the dashboard.
      type: str
    arn:
      description: ARN of the dashboard (empty in check mode before it exists).
      type: str
    widgets:
      description: Number of widgets of the body.
      type: int
    tags:
      description: Tags of the dashboard; only when O(tags) is set.
      type: dict
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import dashboard_problems
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import same_body
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    body=dict(type="json"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


def read_dashboard(client, name):
    """GetDashboard's answer, or None when there is no such dashboard."""
    try:
        return client.get_dashboard(aws_retry=True, DashboardName=name)
    except is_boto3_error_code("ResourceNotFound"):
        return None


def ensure_present(module, client):
    params = module.params
    name = params["name"]
    body = json.loads(params["body"])
    changes = ChangeSet(module)
    current = read_dashboard(client, name)
    dashboard = dict(name=name, arn=(current or {}).get("DashboardArn", ""), widgets=len(body["widgets"]))
    if current is None or not same_body(current.get("DashboardBody"), body):
        before = json.loads(current["DashboardBody"]) if current else None

        def put():
            answer = client.put_dashboard(aws_retry=True, DashboardName=name, DashboardBody=json.dumps(body, sort_keys=True))
            for message in answer.get("DashboardValidationMessages") or []:
                module.warn("{0}: {1}".format(message.get("DataPath", ""), message.get("Message", "")))

        changes.apply("body", before, body, put)
        if current is None and changes.writes_allowed:
            dashboard["arn"] = read_dashboard(client, name)["DashboardArn"]
    if dashboard["arn"]:
        arn = dashboard["arn"]
        tags = apply_tag_options(
            module,
            changes,
            lambda: {} if current is None else boto3_tag_list_to_ansible_dict(
                client.list_tags_for_resource(aws_retry=True, ResourceARN=arn)["Tags"]),
            lambda keys: client.untag_resource(aws_retry=True, ResourceARN=arn, TagKeys=list(keys)),
            lambda tags_: client.tag_resource(aws_retry=True, ResourceARN=arn, Tags=ansible_dict_to_boto3_tag_list(tags_)),
        )
    elif params["tags"] is not None:
        changes.apply("tags", {}, params["tags"])
        tags = params["tags"]
    if params["tags"] is not None:
        dashboard["tags"] = tags
    return changes.result(dashboard=dashboard)


def ensure_absent(module, client):
    name = module.params["name"]
    return remove_one(module, "dashboard", "body", read_dashboard(client, name),
                      lambda found: json.loads(found["DashboardBody"]),
                      lambda found: client.delete_dashboards(aws_retry=True, DashboardNames=[name]))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True,
                              required_if=[("state", "present", ["body"])])
    if not NAME_PATTERN.match(module.params["name"]):
        module.fail_json(msg="Invalid dashboard name {0!r}: up to 255 letters, digits, hyphens and underscores.".format(
            module.params["name"]))
    if module.params["state"] == "present":
        problems = dashboard_problems(json.loads(module.params["body"]))
        if problems:
            module.fail_json(msg="Invalid dashboard body: " + "; ".join(problems), problems=problems)
    client = aws_client(module, "cloudwatch")
    run_state(module, "CloudWatch dashboard {0}".format(module.params["name"]), ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
