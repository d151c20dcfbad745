# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The CloudWatch alarms and dashboard of a stack, for the storage_monitoring role (module_utils/monitoring_plan.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: monitoring_plan
short_description: The CloudWatch alarms and dashboard body of a stack's storage tiers
version_added: 0.1.0
description:
  - From the resources of each tier and the thresholds, the alarms of the stack by region (in the shape
    M(storagekit.aws.cloudwatch_alarms) takes; CloudFront's are in us-east-1, where CloudFront publishes its
    metrics), the body of its dashboard (a text header and metric graphs per tier) and the problems of the input
    (unknown threshold, negative threshold, a percentage above 100), so the role refuses them before any write.
  - Alarms are named C(<name>/<tier>/<resource>/<check>).
options:
  _input:
    description:
      - The stack, a dict with C(name), C(region), C(period), C(thresholds) (the role's threshold variables without
        their C(storage_monitoring_) prefix), C(rds_instances) (ids or dicts with C(id) and C(replica)),
        C(dynamodb_tables) (names or dicts with C(name), C(indexes) (names or dicts with C(name)), C(replica_regions),
        and for provisioned capacity C(read_capacity) and C(write_capacity), tables and index dicts alike, the
        units a second it can reach, against which consumed capacity is alarmed), C(dynamodb_operations),
        C(elasticache_nodes) (cache cluster ids), C(efs_file_systems) (ids or dicts with C(id) and C(bursting)),
        C(s3_buckets) (names or dicts with C(name) and C(filter_id)) and C(cloudfront_distributions) (ids).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: The alarms of one database
  ansible.builtin.debug:
    msg: >-
      {{ {'name': 'shop', 'region': 'eu-west-1', 'thresholds': {'rds_cpu_percent': 80, 'rds_free_storage_gb': 2,
          'rds_freeable_memory_mb': 256, 'rds_connections': 100, 'rds_read_latency_ms': 20,
          'rds_write_latency_ms': 20, 'rds_replica_lag_seconds': 60},
          'rds_instances': ['shop-db']} | storagekit.aws.monitoring_plan }}
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    alarms:
      description: The alarms of each region, region to list.
      type: dict
    dashboard:
      description: The dashboard body.
      type: dict
    problems:
      description: What is wrong with the input; empty when nothing.
      type: list
      elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.module_utils.monitoring_plan import monitoring_plan


def plan(stack):
    if not isinstance(stack, dict) or not stack.get("name"):
        raise AnsibleFilterError("monitoring_plan expects a dict with at least a name")
    return monitoring_plan(stack)


class FilterModule(object):
    def filters(self):
        return {"monitoring_plan": plan}
