# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cost Explorer: cost anomaly monitors and subscriptions found by name, threshold expressions, tags.

Cost Explorer names nothing by name: monitors and subscriptions have ARNs only, so the modules find them by
listing (one page of up to 100 holds a whole account's, there is a quota of 500 monitors) and refuse a name two
of them share. Cost Explorer is global; its endpoint is in us-east-1.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.names import only_one
from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items

CE_REGION = "us-east-1"
MAX_THRESHOLD = 10000000000
THRESHOLD_KEYS = {"absolute": "ANOMALY_TOTAL_IMPACT_ABSOLUTE", "percentage": "ANOMALY_TOTAL_IMPACT_PERCENTAGE"}


def _find_by_name(list_call, key, name_key, name):
    found = [item for item in all_items(list_call, key, "NextPageToken") if item.get(name_key) == name]
    return only_one(found, "resources are", name)


def find_monitor(client, name):
    """The anomaly monitor named ``name``, or None."""
    return _find_by_name(client.get_anomaly_monitors, "AnomalyMonitors", "MonitorName", name)


def find_subscription(client, name):
    """The anomaly subscription named ``name``, or None."""
    return _find_by_name(client.get_anomaly_subscriptions, "AnomalySubscriptions", "SubscriptionName", name)


def _number(value):
    text = "{0:.10f}".format(float(value)).rstrip("0").rstrip(".")
    return text or "0"


def threshold_expression(absolute=None, percentage=None, combine="or"):
    """The ThresholdExpression of an absolute (USD) and/or percentage threshold; both joined with And or Or."""
    parts = []
    for kind, value in (("absolute", absolute), ("percentage", percentage)):
        if value is not None:
            parts.append({"Dimensions": {"Key": THRESHOLD_KEYS[kind], "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
                                         "Values": [_number(value)]}})
    if len(parts) == 1:
        return parts[0]
    return {combine.capitalize(): parts}


def threshold_problems(absolute, percentage):
    """What is wrong with the thresholds, before any call: Cost Explorer takes numbers above 0 up to 10^10."""
    problems = []
    if absolute is None and percentage is None:
        problems.append("set threshold_absolute, threshold_percentage or both")
    for name, value in (("threshold_absolute", absolute), ("threshold_percentage", percentage)):
        if value is not None and not 0 < value <= MAX_THRESHOLD:
            problems.append("{0} must be above 0 and at most {1}, not {2}".format(name, MAX_THRESHOLD, value))
    return problems


def normalized_expression(expression):
    """A threshold expression with its numbers written one way and And/Or members in one order, to compare."""
    if not expression:
        return expression
    for key in ("And", "Or"):
        if key in expression:
            return {key: sorted((normalized_expression(e) for e in expression[key]), key=repr)}
    dims = dict(expression["Dimensions"])
    dims["Values"] = [_number(v) for v in dims.get("Values") or []]
    return {"Dimensions": dims}


def manage_tags(module, changes, client, arn):
    """O(tags) / O(purge_tags) of a Cost Explorer resource; the tags after the run (None when unmanaged)."""
    return apply_tag_options(
        module,
        changes,
        lambda: boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(aws_retry=True, ResourceArn=arn)["ResourceTags"]),
        lambda keys: client.untag_resource(aws_retry=True, ResourceArn=arn, ResourceTagKeys=list(keys)),
        lambda tags: client.tag_resource(aws_retry=True, ResourceArn=arn, ResourceTags=ansible_dict_to_boto3_tag_list(tags)),
    )


def resource_tags(tags):
    """ResourceTags of a create call, or nothing."""
    return dict(ResourceTags=ansible_dict_to_boto3_tag_list(tags)) if tags else {}
