#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: dynamodb_table_info
short_description: Look up DynamoDB tables and their settings
version_added: 0.1.0
description:
  - Returns DynamoDB tables in the same shape that M(storagekit.aws.dynamodb_table) takes as options,
    so a lookup can feed another task directly.
  - Settings behind their own API calls are read only when listed in O(facets).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - Name of one table. When omitted, every table in the region is returned.
    type: str
  facets:
    description:
      - Settings to read besides the table description, one API call each per table
        (auto scaling reads one call, plus one per scaled resource).
    type: list
    elements: str
    choices: [point_in_time_recovery, ttl, contributor_insights, tags, auto_scaling]
    default: [point_in_time_recovery, ttl, contributor_insights, tags, auto_scaling]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.attributes.info
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Look up one table with all its settings
  storagekit.aws.dynamodb_table_info:
    name: orders
  register: orders

- name: Stream ARN of the table, for a Lambda event source
  ansible.builtin.debug:
    msg: "{{ orders.tables[0].stream_arn }}"

- name: All tables, description only
  storagekit.aws.dynamodb_table_info:
    facets: []
"""

RETURN = r"""
tables:
  description:
    - The tables found; empty when O(name) does not exist. Each has the keys documented in the
      RV(storagekit.aws.dynamodb_table#module:table) return value of M(storagekit.aws.dynamodb_table).
  returned: always
  type: list
  elements: dict
  sample:
    - name: orders
      arn: arn:aws:dynamodb:us-east-1:123456789012:table/orders
      status: ACTIVE
      billing_mode: PAY_PER_REQUEST
      hash_key_name: customer_id
      hash_key_type: STRING
      stream_enabled: true
      stream_view_type: NEW_AND_OLD_IMAGES
      encryption: customer_managed
      deletion_protection: true
      point_in_time_recovery:
        enabled: true
        recovery_period_days: 35
      tags:
        team: payments
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import FACETS
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import normalize_table
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import read_facets
from ansible_collections.storagekit.aws.plugins.module_utils.kms import describe_key
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run

ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    facets=dict(type="list", elements="str", choices=list(FACETS), default=list(FACETS)),
)


def table_names(client, name):
    if name:
        return [name]
    paginator = client.get_paginator("list_tables")
    return paginator.paginate().build_full_result()["TableNames"]


def aws_managed_key_arn(module, raw, cache):
    """The aws/dynamodb key ARN, read once and only if a table uses KMS, to tell it from a customer key."""
    if "arn" not in cache and (raw.get("SSEDescription") or {}).get("SSEType") == "KMS":
        kms = aws_client(module, "kms")
        cache["arn"] = (describe_key(kms, "alias/aws/dynamodb") or {}).get("Arn")
    return cache.get("arn")


def read_tables(module, client, autoscaling):
    tables = []
    key_cache = {}
    for name in table_names(client, module.params["name"]):
        raw = describe_table(client, name)
        if raw is not None:
            table = normalize_table(raw, aws_managed_key_arn(module, raw, key_cache))
            tables.append(read_facets(client, autoscaling, table, module.params["facets"]))
    return dict(changed=False, tables=tables)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    client = aws_client(module, "dynamodb")
    autoscaling = None
    if "auto_scaling" in module.params["facets"]:
        autoscaling = aws_client(module, "application-autoscaling")
    run(module, "describe DynamoDB tables", read_tables, client, autoscaling)


if __name__ == "__main__":
    main()
