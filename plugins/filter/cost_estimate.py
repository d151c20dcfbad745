# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The monthly cost of a stack's plan, so a check-mode run can say what an apply would cost."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cost_estimate
short_description: Monthly cost estimate of a planned stack, per resource and per tier
version_added: 0.1.0
description:
  - Prices what the roles are asked to make (the plan, not what exists) with the on-demand price table shipped with
    the collection (C(plugins/module_utils/cost_prices.py), its date in C(price_date)); C(make prices) regenerates
    the table from the AWS Price List bulk files.
  - A region, instance class, node type, storage type or resource type the table lacks fails the filter with a
    message naming it; it is never priced as zero.
  - Each resource is a dict with C(type), C(name), optionally C(tier) (default the type's tier), C(enabled) (false
    leaves it out) and the keys of its type.
  - C(rds_postgres) - C(instance_class), C(multi_az), C(storage_type) (gp3), C(storage_gb), C(iops),
    C(storage_throughput), C(backup_retention_days) (listed; automated backups within the free allowance),
    C(extra_backup_gb), C(read_replicas) (list of dicts with C(name), C(instance_class), C(multi_az)).
  - C(elasticache) - C(engine) (valkey or redis), C(node_type), C(nodes) (shards times replicas plus one).
  - C(dynamodb) - C(billing_mode) PROVISIONED with C(read_capacity), C(write_capacity) and C(indexes) (each with
    its capacities), or PAY_PER_REQUEST with C(read_requests_millions), C(write_requests_millions); C(storage_gb),
    C(point_in_time_recovery) (default true).
  - C(s3) - C(storage_class) (STANDARD), C(storage_gb), C(put_requests_thousands), C(get_requests_thousands).
  - C(efs) - C(storage_gb) (Standard), C(ia_gb), C(archive_gb), C(throughput_mode) (elastic with C(read_gb) and
    C(write_gb), provisioned with C(provisioned_mibps), or bursting).
  - C(cloudfront) - C(data_out_gb), C(requests_millions).
  - C(kms) - C(keys). C(secretsmanager) - C(secrets). C(backup) - C(resource_type) (RDS, DynamoDB, S3, EFS, EBS)
    and C(storage_gb).
options:
  _input:
    description:
      - The plan, a dict with C(region), C(resources) (list of dicts), optionally C(free_tier) (deduct the AWS
        always-free allowances of DynamoDB and CloudFront, default false) and C(assumptions) (list of strings added
        to the result's).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Print what the plan costs a month
  ansible.builtin.debug:
    msg: "{{ (plan | storagekit.aws.cost_estimate).summary }}"
  vars:
    plan:
      region: eu-west-1
      resources:
        - {type: rds_postgres, name: app-db, instance_class: db.t4g.medium, multi_az: true, storage_gb: 20}
        - {type: elasticache, name: sessions, node_type: cache.t4g.small, nodes: 2}
        - {type: s3, name: uploads, storage_gb: 300, put_requests_thousands: 300, get_requests_thousands: 3000}
        - {type: kms, name: keys, keys: 3}
"""

RETURN = r"""
_value:
  description: The estimate.
  type: dict
  contains:
    region: {description: The region priced., type: str}
    currency: {description: C(USD)., type: str}
    price_date: {description: The date of the price table., type: str}
    price_source: {description: Where the price table came from., type: str}
    total: {description: Monthly total., type: float}
    tiers: {description: Monthly amount per tier., type: dict}
    resources:
      description: Per resource its C(type), C(name), C(tier), C(monthly) and C(lines) (C(what), C(quantity),
        C(unit), C(unit_price), C(monthly)).
      type: list
      elements: dict
    assumptions: {description: What the estimate assumes., type: list, elements: str}
    summary: {description: Lines to print., type: list, elements: str}
"""

from ansible_collections.storagekit.aws.plugins.module_utils.cost_estimate import CostEstimateError, estimate
from ansible_collections.storagekit.aws.plugins.plugin_utils.filters import filter_errors


@filter_errors("cost_estimate", CostEstimateError)
def cost_estimate(plan):
    return estimate(plan)


class FilterModule(object):
    def filters(self):
        return {"cost_estimate": cost_estimate}
