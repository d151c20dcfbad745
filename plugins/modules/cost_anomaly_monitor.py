#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cost_anomaly_monitor
short_description: A Cost Anomaly Detection monitor per AWS service or per cost allocation tag value
version_added: 0.1.0
description:
  - Creates, renames, tags and deletes an AWS Cost Explorer cost anomaly monitor found by its name, with check mode
    and diff. Neither amazon.aws nor community.aws has a module for it.
  - A monitor of O(monitor_type=service) watches the spend of every AWS service of the account; one of
    O(monitor_type=tag) watches the spend of resources carrying O(tag_key) with one of O(tag_values), such as the
    stack's C(application) tag (activate it as a cost allocation tag with M(storagekit.aws.cost_allocation_tags)).
  - What a monitor watches cannot change once it exists (Cost Explorer updates only the name); a different
    O(monitor_type), O(tag_key) or O(tag_values) is refused before any write. Delete the monitor first.
  - A no-change run lists the monitors (and reads the tags when O(tags) is set) and writes nothing.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the monitor; unique among the account's monitors.
    type: str
    required: true
  monitor_type:
    description: Watch each AWS service (C(service)) or the resources with a tag value (C(tag)).
    type: str
    choices: [service, tag]
    default: service
  tag_key:
    description: Tag key of a O(monitor_type=tag) monitor.
    type: str
  tag_values:
    description: Tag values of a O(monitor_type=tag) monitor.
    type: list
    elements: str
  state:
    description: Whether the monitor exists.
notes:
  - Cost Explorer is a global service; its endpoint is in us-east-1 whatever O(region) says.
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
- name: A monitor of the spend of every resource of the shop stack
  storagekit.aws.cost_anomaly_monitor:
    name: shop-application
    monitor_type: tag
    tag_key: application
    tag_values: [shop]
    tags:
      application: shop
"""

RETURN = r"""
monitor:
  description: The monitor after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the monitor.
      type: str
    arn:
      description: ARN of the monitor (empty in check mode before it exists).
      type: str
    monitor_type:
      description: C(service) or C(tag).
      type: str
    tags:
      description: Tags of the monitor; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import put_resource
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import CE_REGION
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import find_monitor
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import manage_tags
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import resource_tags
from ansible_collections.storagekit.aws.plugins.module_utils.names import run_named_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    monitor_type=dict(type="str", choices=["service", "tag"], default="service"),
    tag_key=dict(type="str", no_log=False),
    tag_values=dict(type="list", elements="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def wanted_monitor(params):
    """The AnomalyMonitor of the options, as Cost Explorer takes and answers it."""
    monitor = dict(MonitorName=params["name"])
    if params["monitor_type"] == "service":
        monitor.update(MonitorType="DIMENSIONAL", MonitorDimension="SERVICE")
    else:
        monitor.update(MonitorType="CUSTOM", MonitorSpecification=dict(Tags=dict(
            Key=params["tag_key"], Values=sorted(params["tag_values"]), MatchOptions=["EQUALS"])))
    return monitor


def watched(monitor):
    """What a monitor watches, the part Cost Explorer cannot update."""
    spec = monitor.get("MonitorSpecification")
    if spec and spec.get("Tags"):
        spec = dict(Tags=dict(spec["Tags"], Values=sorted(spec["Tags"].get("Values") or [])))
    return dict(MonitorType=monitor.get("MonitorType"), MonitorDimension=monitor.get("MonitorDimension"),
                MonitorSpecification=spec)


def ensure_present(module, client):
    params = module.params
    changes = ChangeSet(module)
    wanted = wanted_monitor(params)
    current = find_monitor(client, params["name"])
    if current is not None and watched(current) != watched(wanted):
        module.fail_json(msg="Monitor {0} watches {1}, not {2}; Cost Explorer cannot change what a monitor watches: "
                             "delete it first (state=absent)".format(params["name"], watched(current), watched(wanted)))
    monitor = put_resource(
        module, changes, "monitor", current, None, wanted,
        lambda: client.create_anomaly_monitor(aws_retry=True, AnomalyMonitor=wanted, **resource_tags(params["tags"])), None,
        lambda answer: dict(name=params["name"], arn=answer.get("MonitorArn", ""), monitor_type=params["monitor_type"]),
        lambda arn: manage_tags(module, changes, client, arn))
    return changes.result(monitor=monitor)


def ensure_absent(module, client):
    name = module.params["name"]
    return remove_one(module, "monitor", "monitor", find_monitor(client, name), lambda found: dict(name=name, arn=found["MonitorArn"]),
                      lambda found: client.delete_anomaly_monitor(aws_retry=True, MonitorArn=found["MonitorArn"]))


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC,
        supports_check_mode=True,
        required_if=[("monitor_type", "tag", ("tag_key", "tag_values"))],
    )
    params = module.params
    if params["state"] == "present" and params["monitor_type"] == "tag" and not params["tag_values"]:
        module.fail_json(msg="tag_values must name at least one value of {0}".format(params["tag_key"]))
    if params["monitor_type"] == "service" and (params["tag_key"] or params["tag_values"]):
        module.fail_json(msg="tag_key and tag_values are for monitor_type=tag")
    client = aws_client(module, "ce", region=CE_REGION)
    run_named_state(module, "cost anomaly monitor", "Cost anomaly monitors", ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
