#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: rds_rightsizing_info
short_description: Suggests a DB instance class for RDS instances from their metrics, with the monthly saving
version_added: 0.1.0
description:
  - Reads, for the given RDS DB instances, the last O(days) days of C(CPUUtilization), C(FreeableMemory) and
    C(DatabaseConnections) from CloudWatch (hourly data points, one C(GetMetricData) call for up to 166 instances)
    and RDS's own recommendations (C(DescribeDBRecommendations)), and suggests a class for each.
  - C(down-size) one step in the family when the 95th percentile of the hourly average CPU is below
    O(rules.down_cpu) and the 5th percentile of the hourly minimum free memory is above O(rules.down_free_memory)
    percent of the class's memory; C(up-size) one step when p95 CPU is above O(rules.up_cpu) or p5 free memory is
    below O(rules.up_free_memory) percent; else C(keep). Fewer than O(rules.min_hours) hourly data points is too
    little data, and the answer is C(keep).
  - The monthly cost of both classes comes from the on-demand price table shipped with the collection (the one
    the C(storagekit.aws.cost_estimate) filter reads); a class or region it has no price for gets no saving
    (null) and a note, never 0.
  - Report only, it never changes an instance. Read calls only; check mode runs the same.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  db_instance_identifiers:
    description: The instances to report on.
    type: list
    elements: str
    required: true
  days:
    description: How many days of metrics to read, up to now (CloudWatch keeps hourly data points 455 days).
    type: int
    default: 14
  rules:
    description: The thresholds of the suggestion.
    type: dict
    default: {}
    suboptions:
      down_cpu:
        description: p95 CPU (percent) below which an instance may down-size.
        type: float
        default: 20
      down_free_memory:
        description: p5 free memory (percent of the class's memory) above which an instance may down-size.
        type: float
        default: 50
      up_cpu:
        description: p95 CPU (percent) above which an instance up-sizes.
        type: float
        default: 80
      up_free_memory:
        description: p5 free memory (percent of the class's memory) below which an instance up-sizes.
        type: float
        default: 10
      min_hours:
        description: Hourly CPU data points needed for any suggestion but C(keep).
        type: int
        default: 24
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.attributes.info
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Right-sizing report of the stack's database and its replica
  storagekit.aws.rds_rightsizing_info:
    db_instance_identifiers: [shop-db, shop-db-replica]
  register: rightsizing

- name: Show what would be saved
  ansible.builtin.debug:
    msg: "{{ rightsizing.instances | map(attribute='summary') | list }} ({{ rightsizing.total_monthly_saving }} USD a month)"
"""

RETURN = r"""
instances:
  description: One entry per instance, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    db_instance_identifier:
      description: The instance.
      type: str
    instance_class:
      description: Its class now.
      type: str
    action:
      description: C(down-size), C(up-size) or C(keep).
      type: str
    suggested_class:
      description: The class suggested (the current one on C(keep)).
      type: str
    reasons:
      description: Why, in words, with the statistics that decided.
      type: list
      elements: str
    statistics:
      description: hours of data, cpu_p95, cpu_max, free_memory_p5_gib, free_memory_p5_percent, connections_p95.
      type: dict
    monthly_cost:
      description: On-demand monthly price of the current class (USD), null when the price table lacks it.
      type: float
    suggested_monthly_cost:
      description: On-demand monthly price of the suggested class (USD), null when the price table lacks it.
      type: float
    monthly_saving:
      description: monthly_cost minus suggested_monthly_cost (negative on up-size), null when either is unknown.
      type: float
    recommendations:
      description: RDS's own recommendations of the instance (type_id, severity, category, detection, recommendation).
      type: list
      elements: dict
    summary:
      description: One line for a report.
      type: str
total_monthly_saving:
  description: Sum of the known monthly savings (USD).
  returned: always
  type: float
price_source:
  description: Where the prices come from, and as of when.
  returned: always
  type: str
"""

import datetime

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils import cost_prices
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import DEFAULT_RULES
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import metric_queries
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import monthly_price
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import suggest
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run

RULE_OPTIONS = dict(
    down_cpu=dict(type="float", default=DEFAULT_RULES["down_cpu"]),
    down_free_memory=dict(type="float", default=DEFAULT_RULES["down_free_memory"]),
    up_cpu=dict(type="float", default=DEFAULT_RULES["up_cpu"]),
    up_free_memory=dict(type="float", default=DEFAULT_RULES["up_free_memory"]),
    min_hours=dict(type="int", default=DEFAULT_RULES["min_hours"]),
)
ARGUMENT_SPEC = dict(
    db_instance_identifiers=dict(type="list", elements="str", required=True),
    days=dict(type="int", default=14),
    rules=dict(type="dict", default={}, options=RULE_OPTIONS),
)
MAX_QUERIES = 500  # GetMetricData's limit per call


def describe_instances(client, identifiers):
    found = {}
    request = dict(Filters=[dict(Name="db-instance-id", Values=list(identifiers))])
    while True:
        page = client.describe_db_instances(aws_retry=True, **request)
        found.update((i["DBInstanceIdentifier"], i) for i in page.get("DBInstances") or [])
        if not page.get("Marker"):
            return found
        request["Marker"] = page["Marker"]


def recommendations_by_arn(client, arns):
    found = dict((arn, []) for arn in arns)
    request = {}
    while True:
        page = client.describe_db_recommendations(aws_retry=True, **request)
        for rec in page.get("DBRecommendations") or []:
            if rec.get("ResourceArn") in found and rec.get("Status") == "active":
                found[rec["ResourceArn"]].append(dict(
                    type_id=rec.get("TypeId"), severity=rec.get("Severity"), category=rec.get("Category"),
                    detection=rec.get("Detection"), recommendation=rec.get("Recommendation")))
        if not page.get("Marker"):
            return found
        request["Marker"] = page["Marker"]


def hourly_series(client, identifiers, days):
    """{identifier: {cpu: [...], free_memory: [...], connections: [...]}} of the last ``days`` days."""
    end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = end - datetime.timedelta(days=days)
    queries = metric_queries(identifiers)
    values = {}
    for first in range(0, len(queries), MAX_QUERIES):
        request = dict(MetricDataQueries=queries[first:first + MAX_QUERIES], StartTime=start, EndTime=end,
                       ScanBy="TimestampAscending")
        while True:
            page = client.get_metric_data(aws_retry=True, **request)
            for result in page.get("MetricDataResults") or []:
                values.setdefault(result["Id"], []).extend(result.get("Values") or [])
            if not page.get("NextToken"):
                break
            request["NextToken"] = page["NextToken"]
    series = {}
    for index, identifier in enumerate(identifiers):
        series[identifier] = dict((key, values.get("m{0}_{1}".format(index, key), []))
                                  for key in ("cpu", "free_memory", "connections"))
    return series


def report(module, clients):
    rds, cloudwatch = clients
    params = module.params
    identifiers = list(dict.fromkeys(params["db_instance_identifiers"]))
    instances = describe_instances(rds, identifiers)
    missing = [i for i in identifiers if i not in instances]
    if missing:
        module.fail_json(msg="No DB instance {0} in {1}".format(", ".join(missing), module.region))
    recommendations = recommendations_by_arn(rds, [instances[i]["DBInstanceArn"] for i in identifiers])
    series = hourly_series(cloudwatch, identifiers, params["days"])
    entries, total = [], 0.0
    for identifier in identifiers:
        instance = instances[identifier]
        cls, multi_az = instance["DBInstanceClass"], bool(instance.get("MultiAZ"))
        action, suggested, reasons, stats = suggest(cls, series[identifier], params["rules"])
        cost, new_cost = monthly_price(module.region, cls, multi_az), monthly_price(module.region, suggested, multi_az)
        saving = None if cost is None or new_cost is None else round(cost - new_cost, 2)
        if saving is None:
            reasons.append("no price of {0} in {1} in the price table".format(
                cls if cost is None else suggested, module.region))
        else:
            total += saving
        summary = "{0}: {1} {2}".format(identifier, action, cls if action == "keep" else "{0} -> {1}".format(cls, suggested))
        if saving:
            summary += " ({0:+.2f} USD a month)".format(-saving)
        entries.append(dict(
            db_instance_identifier=identifier, instance_class=cls, multi_az=multi_az, action=action,
            suggested_class=suggested, reasons=reasons, statistics=stats, monthly_cost=cost,
            suggested_monthly_cost=new_cost, monthly_saving=saving,
            recommendations=recommendations[instance["DBInstanceArn"]], summary=summary,
        ))
    return dict(changed=False, instances=entries, total_monthly_saving=round(total, 2),
                price_source="{0} ({1}, {2})".format(cost_prices.SOURCE, cost_prices.SOURCE_DATE, cost_prices.CURRENCY))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    if not 1 <= module.params["days"] <= 455:
        module.fail_json(msg="days must be from 1 to 455, not {0}".format(module.params["days"]))
    clients = (aws_client(module, "rds"), aws_client(module, "cloudwatch"))
    run(module, "read the right-sizing data of RDS instances", report, clients)


if __name__ == "__main__":
    main()
