#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cost_anomaly_subscription
short_description: A Cost Anomaly Detection alert subscription with absolute and/or percentage thresholds
version_added: 0.1.0
description:
  - Creates, updates, tags and deletes an AWS Cost Explorer cost anomaly subscription found by its name, with the
    monitors it covers, an SNS topic (O(frequency=IMMEDIATE)) or e-mail addresses (C(DAILY), C(WEEKLY)) it
    notifies, and a threshold on the anomaly's total impact in USD, in percent of the expected spend, or both;
    with check mode and diff.
  - Thresholds are sent as a C(ThresholdExpression) (the C(Threshold) number is deprecated). A threshold that is
    not above 0, a frequency that does not fit the subscribers, or no threshold at all are refused before any call.
  - A no-change run lists the subscriptions (and reads the tags when O(tags) is set) and writes nothing.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the subscription; unique among the account's subscriptions.
    type: str
    required: true
  monitor_arns:
    description: ARNs of the monitors whose anomalies it notifies (M(storagekit.aws.cost_anomaly_monitor) returns them).
    type: list
    elements: str
  frequency:
    description: C(IMMEDIATE) notifies O(sns_topic_arn) at once; C(DAILY) and C(WEEKLY) send O(emails) a summary.
    type: str
    choices: [IMMEDIATE, DAILY, WEEKLY]
    default: IMMEDIATE
  sns_topic_arn:
    description: The SNS topic of an C(IMMEDIATE) subscription. Its policy must let C(costalerts.amazonaws.com) publish.
    type: str
  emails:
    description: E-mail addresses of a C(DAILY) or C(WEEKLY) subscription (at most 10).
    type: list
    elements: str
  threshold_absolute:
    description: Notify anomalies whose total impact is at least this many USD.
    type: float
  threshold_percentage:
    description: Notify anomalies whose total impact is at least this percentage of the expected spend.
    type: float
  threshold_combine:
    description: With both thresholds, whether an anomaly must reach both (C(and)) or either (C(or)).
    type: str
    choices: [and, or]
    default: or
  state:
    description: Whether the subscription exists.
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
- name: Anomalies of at least 100 USD or 20 % to the stack's alarm topic, at once
  storagekit.aws.cost_anomaly_subscription:
    name: shop-anomalies
    monitor_arns: ["{{ monitor.monitor.arn }}"]
    frequency: IMMEDIATE
    sns_topic_arn: arn:aws:sns:us-east-1:123456789012:shop-alarms
    threshold_absolute: 100
    threshold_percentage: 20
    threshold_combine: or
"""

RETURN = r"""
subscription:
  description: The subscription after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the subscription.
      type: str
    arn:
      description: ARN of the subscription (empty in check mode before it exists).
      type: str
    threshold_expression:
      description: The threshold expression as Cost Explorer keeps it.
      type: dict
    tags:
      description: Tags of the subscription; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import put_resource
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import CE_REGION
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import find_subscription
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import manage_tags
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import normalized_expression
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import resource_tags
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import threshold_expression
from ansible_collections.storagekit.aws.plugins.module_utils.cost_explorer import threshold_problems
from ansible_collections.storagekit.aws.plugins.module_utils.names import run_named_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    monitor_arns=dict(type="list", elements="str"),
    frequency=dict(type="str", choices=["IMMEDIATE", "DAILY", "WEEKLY"], default="IMMEDIATE"),
    sns_topic_arn=dict(type="str"),
    emails=dict(type="list", elements="str"),
    threshold_absolute=dict(type="float"),
    threshold_percentage=dict(type="float"),
    threshold_combine=dict(type="str", choices=["and", "or"], default="or"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)
UPDATABLE = ("MonitorArnList", "Subscribers", "Frequency", "ThresholdExpression")


def input_problems(params):
    """Everything wrong with the options of state=present, found before any call."""
    problems = threshold_problems(params["threshold_absolute"], params["threshold_percentage"])
    if not params["monitor_arns"]:
        problems.append("monitor_arns must name at least one monitor")
    if params["frequency"] == "IMMEDIATE":
        if not params["sns_topic_arn"] or params["emails"]:
            problems.append("frequency IMMEDIATE notifies an SNS topic: set sns_topic_arn and no emails")
    elif not params["emails"] or params["sns_topic_arn"]:
        problems.append("frequency {0} sends e-mail: set emails and no sns_topic_arn".format(params["frequency"]))
    if params["emails"] and len(params["emails"]) > 10:
        problems.append("at most 10 e-mail addresses")
    return problems


def wanted_subscription(params):
    if params["sns_topic_arn"]:
        subscribers = [dict(Address=params["sns_topic_arn"], Type="SNS")]
    else:
        subscribers = [dict(Address=address, Type="EMAIL") for address in sorted(params["emails"])]
    return dict(
        SubscriptionName=params["name"], MonitorArnList=sorted(params["monitor_arns"]), Subscribers=subscribers,
        Frequency=params["frequency"],
        ThresholdExpression=threshold_expression(params["threshold_absolute"], params["threshold_percentage"],
                                                 params["threshold_combine"]),
    )


def comparable(subscription):
    """The updatable part of a subscription, in one order, without the subscribers' status."""
    return dict(
        MonitorArnList=sorted(subscription.get("MonitorArnList") or []),
        Subscribers=sorted((dict(Address=s["Address"], Type=s["Type"]) for s in subscription.get("Subscribers") or []),
                           key=lambda s: (s["Type"], s["Address"])),
        Frequency=subscription.get("Frequency"),
        ThresholdExpression=normalized_expression(subscription.get("ThresholdExpression")),
    )


def update(changes, client, current, wanted):
    """Write the updatable parts of ``wanted`` that differ from the ``current`` subscription, and only those."""
    before, after = comparable(current), comparable(wanted)
    differing = [key for key in UPDATABLE if before[key] != after[key]]
    if differing:
        changes.apply("subscription", dict((k, before[k]) for k in differing), dict((k, after[k]) for k in differing),
                      lambda: client.update_anomaly_subscription(aws_retry=True, SubscriptionArn=current["SubscriptionArn"],
                                                                 **dict((k, wanted[k]) for k in differing)))


def ensure_present(module, client):
    params = module.params
    changes = ChangeSet(module)
    wanted = wanted_subscription(params)
    current = find_subscription(client, params["name"])
    if current is not None:
        update(changes, client, current, wanted)
    subscription = put_resource(
        module, changes, "subscription", current, None, wanted,
        lambda: client.create_anomaly_subscription(aws_retry=True, AnomalySubscription=wanted, **resource_tags(params["tags"])),
        None,
        lambda answer: dict(name=params["name"], arn=answer.get("SubscriptionArn", ""),
                            threshold_expression=wanted["ThresholdExpression"]),
        lambda arn: manage_tags(module, changes, client, arn))
    return changes.result(subscription=subscription)


def ensure_absent(module, client):
    name = module.params["name"]
    return remove_one(module, "subscription", "subscription", find_subscription(client, name),
                      lambda found: dict(name=name, arn=found["SubscriptionArn"]),
                      lambda found: client.delete_anomaly_subscription(aws_retry=True, SubscriptionArn=found["SubscriptionArn"]))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    if params["state"] == "present":
        problems = input_problems(params)
        if problems:
            module.fail_json(msg="Cost anomaly subscription {0}: {1}".format(params["name"], "; ".join(problems)))
    client = aws_client(module, "ce", region=CE_REGION)
    run_named_state(module, "cost anomaly subscription", "Cost anomaly subscriptions", ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
