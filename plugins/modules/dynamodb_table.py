#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: dynamodb_table
short_description: Manage a DynamoDB table with its indexes, auto scaling, streams, encryption, backups and TTL
version_added: 0.1.0
description:
  - Creates, updates and deletes an Amazon DynamoDB table, and manages the settings that live behind
    their own APIs (point-in-time recovery, time to live, contributor insights, tags, and Application
    Auto Scaling target tracking of read and write capacity for the table and each global secondary index).
  - Only the options you set are compared and changed. A run that changes nothing makes no write call,
    and reads only the settings you manage.
  - Changes that DynamoDB cannot make in place (key schema, local secondary indexes, the keys or
    projection of an existing global secondary index) are refused with a clear error before any write.
  - With O(tables), one run manages a list of tables, at most O(parallelism) at a time, with one wait for
    all of them. The creations and updates go out first, then the settings DynamoDB accepts only on an
    ACTIVE table (point-in-time recovery, TTL, contributor insights, auto scaling) once each table is ready.
    Each table has its own result, diff and error; a failed table does not stop the others, and the task
    fails naming every failed table.
  - Before the table is created or its encryption changes, the key in O(kms_key_id) must exist and be
    C(Enabled) (one KMS C(DescribeKey), shared with the one that turns an alias into its ARN).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - Name of the table. Required unless O(tables) is set.
    type: str
  tables:
    description:
      - A list of tables to manage in this one run, instead of O(name) and the other table options.
      - Each item takes the options of this module (O(name) required, O(state), O(hash_key_name), O(indexes),
        O(tags), O(wait) and so on), with the same defaults; the module-level table options are not used.
      - Every item is checked before the first call to AWS; an invalid item fails the task before any write.
    type: list
    elements: dict
    version_added: 0.2.0
  state:
    description:
      - Whether the table should exist.
      - O(state=absent) refuses to delete a table whose deletion protection is on;
        set O(deletion_protection=false) in a run with O(state=present) first.
  hash_key_name:
    description:
      - Name of the partition (hash) key attribute. Required to create a table.
    type: str
  hash_key_type:
    description:
      - Type of the partition key attribute.
    type: str
    choices: [STRING, NUMBER, BINARY]
    default: STRING
  range_key_name:
    description:
      - Name of the sort (range) key attribute, if the table has one.
    type: str
  range_key_type:
    description:
      - Type of the sort key attribute.
    type: str
    choices: [STRING, NUMBER, BINARY]
    default: STRING
  billing_mode:
    description:
      - V(PAY_PER_REQUEST) is on-demand capacity; V(PROVISIONED) needs O(read_capacity) and
        O(write_capacity) or O(auto_scaling).
      - Defaults to V(PAY_PER_REQUEST) when a table is created.
    type: str
    choices: [PAY_PER_REQUEST, PROVISIONED]
  read_capacity:
    description:
      - Provisioned read capacity units of the table.
      - When read auto scaling is enabled this is only the initial capacity at creation;
        afterwards the capacity auto scaling sets is left alone.
    type: int
  write_capacity:
    description:
      - Provisioned write capacity units of the table. See O(read_capacity) for auto scaling.
    type: int
  auto_scaling:
    description:
      - Application Auto Scaling target tracking of the table's read and write capacity.
      - Needs O(billing_mode=PROVISIONED).
    type: dict
    suboptions: &auto_scaling_options
      read:
        description: Auto scaling of read capacity units.
        type: dict
        suboptions: &dimension_options
          enabled:
            description: Whether this dimension is auto scaled. V(false) removes its scalable target and policy.
            type: bool
            default: true
          min_capacity:
            description: Lowest capacity auto scaling may set. Required when enabled.
            type: int
          max_capacity:
            description: Highest capacity auto scaling may set. Required when enabled.
            type: int
          target_utilization:
            description: Target consumed-to-provisioned capacity ratio, in percent (20 to 90).
            type: float
            default: 70.0
          scale_in_cooldown:
            description: Seconds after a scale-in before another scale-in.
            type: int
            default: 60
          scale_out_cooldown:
            description: Seconds after a scale-out before another scale-out.
            type: int
            default: 60
      write:
        description: Auto scaling of write capacity units.
        type: dict
        suboptions: *dimension_options
  indexes:
    description:
      - Secondary indexes of the table. Local indexes can only be defined when the table is created.
      - Global indexes missing from the list are deleted when O(purge_indexes=true).
      - Only one global index is created or deleted per UpdateTable call, as DynamoDB requires;
        the module waits for each before the next.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the index.
        type: str
        required: true
      type:
        description: V(global) or V(local) secondary index.
        type: str
        choices: [global, local]
        default: global
      hash_key_name:
        description: Partition key of a global index. Local indexes always use the table's partition key.
        type: str
      hash_key_type:
        description: Type of the index partition key.
        type: str
        choices: [STRING, NUMBER, BINARY]
        default: STRING
      range_key_name:
        description: Sort key of the index; required for a local index.
        type: str
      range_key_type:
        description: Type of the index sort key.
        type: str
        choices: [STRING, NUMBER, BINARY]
        default: STRING
      projection:
        description: Which attributes are copied into the index.
        type: str
        choices: [all, keys_only, include]
        default: all
      includes:
        description: Non-key attributes projected when O(indexes[].projection=include).
        type: list
        elements: str
      read_capacity:
        description: Provisioned read capacity of a global index (provisioned tables only).
        type: int
      write_capacity:
        description: Provisioned write capacity of a global index (provisioned tables only).
        type: int
      auto_scaling:
        description: Auto scaling of a global index, with the same options as O(auto_scaling).
        type: dict
        suboptions: *auto_scaling_options
  purge_indexes:
    description:
      - Delete global secondary indexes that are not listed in O(indexes). Only applies when O(indexes) is set.
    type: bool
    default: true
  stream_enabled:
    description:
      - Whether DynamoDB Streams is enabled.
    type: bool
  stream_view_type:
    description:
      - What each stream record holds. Changing it on an enabled stream disables and re-enables the
        stream, which gives it a new ARN.
      - Defaults to V(NEW_AND_OLD_IMAGES) when O(stream_enabled=true).
    type: str
    choices: [KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES]
  encryption:
    description:
      - Server-side encryption at rest. V(aws_owned) uses a key owned by DynamoDB, V(aws_managed) the
        C(aws/dynamodb) key in your account, V(customer_managed) the KMS key in O(kms_key_id).
    type: str
    choices: [aws_owned, aws_managed, customer_managed]
  kms_key_id:
    description:
      - KMS key id, ARN, alias name or alias ARN for O(encryption=customer_managed).
    type: str
  point_in_time_recovery:
    description:
      - Whether point-in-time recovery (continuous backups) is enabled.
    type: bool
  point_in_time_recovery_period_days:
    description:
      - How many days back the table can be restored to (1 to 35). Needs botocore 1.36 or newer.
    type: int
  ttl:
    description:
      - Time to live. Items whose O(ttl.attribute_name) holds an epoch time in the past are expired.
    type: dict
    suboptions:
      enabled:
        description: Whether TTL is enabled.
        type: bool
        required: true
      attribute_name:
        description: The attribute that holds the expiry time. Required when enabling.
        type: str
  deletion_protection:
    description:
      - Whether the table is protected against deletion. On by default when the module creates a table.
    type: bool
  table_class:
    description:
      - Storage class of the table.
    type: str
    choices: [STANDARD, STANDARD_INFREQUENT_ACCESS]
  contributor_insights:
    description:
      - Whether CloudWatch Contributor Insights is enabled for the table.
    type: bool
  replicas:
    description:
      - The other regions of a global table (version 2019.11.21), the replicas the table should have.
        Replicas missing from the list are removed; V([]) removes them all; unset leaves them alone.
      - One replica is added, changed or removed per UpdateTable call, as DynamoDB requires; the module
        waits for the table and its replicas to be C(ACTIVE) before each next change, and at the end with O(wait).
      - Refused before any write, naming the table and the rule, unless O(stream_enabled=true) with
        O(stream_view_type=NEW_AND_OLD_IMAGES); a provisioned table also needs O(auto_scaling.write), and a
        replica cannot be in the table's own region.
      - With O(state=absent), the replicas are deleted first, then the table.
    type: list
    elements: dict
    version_added: 0.2.0
    suboptions:
      region:
        description: Region of the replica.
        type: str
        required: true
      kms_key_id:
        description:
          - KMS key of the replica's region (id, ARN, alias name or alias ARN). Required with
            O(encryption=customer_managed), where each region has its own key. An alias is read in that region.
        type: str
      table_class:
        description: Table class of the replica.
        type: str
        choices: [STANDARD, STANDARD_INFREQUENT_ACCESS]
      read_capacity:
        description: Provisioned read capacity of the replica, instead of the table's (provisioned tables only).
        type: int
      indexes:
        description: Read capacity of global secondary indexes in this replica (provisioned tables only).
        type: list
        elements: dict
        suboptions:
          name:
            description: Name of the global secondary index.
            type: str
            required: true
          read_capacity:
            description: Provisioned read capacity of the index in this replica.
            type: int
            required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.wait
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
  - storagekit.aws.parallelism
"""

EXAMPLES = r"""
- name: On-demand table with a stream, a customer KMS key, PITR and TTL
  storagekit.aws.dynamodb_table:
    name: orders
    hash_key_name: customer_id
    range_key_name: order_id
    billing_mode: PAY_PER_REQUEST
    stream_enabled: true
    stream_view_type: NEW_AND_OLD_IMAGES
    encryption: customer_managed
    kms_key_id: alias/orders
    point_in_time_recovery: true
    ttl:
      enabled: true
      attribute_name: expires_at
    tags:
      team: payments

- name: Provisioned table with auto scaling on the table and a global index
  storagekit.aws.dynamodb_table:
    name: sessions
    hash_key_name: session_id
    billing_mode: PROVISIONED
    read_capacity: 5
    write_capacity: 5
    auto_scaling:
      read: {min_capacity: 5, max_capacity: 200, target_utilization: 70}
      write: {min_capacity: 5, max_capacity: 100}
    indexes:
      - name: by-user
        hash_key_name: user_id
        projection: keys_only
        read_capacity: 5
        write_capacity: 5
        auto_scaling:
          read: {min_capacity: 5, max_capacity: 50}
    contributor_insights: true

- name: Many tables in one task, ten at a time, with one wait for all of them
  storagekit.aws.dynamodb_table:
    tables:
      - name: orders
        hash_key_name: customer_id
        point_in_time_recovery: true
      - name: invoices
        hash_key_name: invoice_id
        point_in_time_recovery: true
        ttl: {enabled: true, attribute_name: expires_at}
    parallelism: 10
  register: applied

- name: A global table with a replica in a second region, encrypted there with that region's key
  storagekit.aws.dynamodb_table:
    name: orders
    hash_key_name: customer_id
    stream_enabled: true
    stream_view_type: NEW_AND_OLD_IMAGES
    encryption: customer_managed
    kms_key_id: alias/orders
    replicas:
      - region: us-west-2
        kms_key_id: alias/orders
        table_class: STANDARD_INFREQUENT_ACCESS

- name: Turn deletion protection off, then delete the table
  storagekit.aws.dynamodb_table:
    name: sessions
    deletion_protection: false
- storagekit.aws.dynamodb_table:
    name: sessions
    state: absent
"""

RETURN = r"""
tables:
  description:
    - With O(tables), one result per item, in the order given.
    - Each has C(name), C(changed), C(table) (as RV(table)) and, in diff mode, C(diff); a failed item has
      C(failed=true) and C(msg) instead of C(table).
  returned: when O(tables) is set
  type: list
  elements: dict
  sample: [{"name": "orders", "changed": false, "table": {"name": "orders", "status": "ACTIVE"}}]
table:
  description: The table after the run (predicted in check mode); empty after deletion.
  returned: when O(name) is set
  type: dict
  contains:
    name:
      description: Table name.
      type: str
      sample: orders
    arn:
      description: Table ARN.
      type: str
      sample: arn:aws:dynamodb:us-east-1:123456789012:table/orders
    id:
      description: Unique id of the table.
      type: str
    status:
      description: Table status, for example C(ACTIVE) or C(CREATING).
      type: str
    hash_key_name:
      description: Partition key attribute.
      type: str
    range_key_name:
      description: Sort key attribute, if any.
      type: str
    billing_mode:
      description: C(PAY_PER_REQUEST) or C(PROVISIONED).
      type: str
    read_capacity:
      description: Provisioned read capacity, for provisioned tables.
      type: int
    write_capacity:
      description: Provisioned write capacity, for provisioned tables.
      type: int
    indexes:
      description: Global and local secondary indexes.
      type: list
      elements: dict
    stream_enabled:
      description: Whether the stream is enabled.
      type: bool
    stream_view_type:
      description: Stream view type.
      type: str
    stream_arn:
      description: ARN of the latest stream, when enabled.
      type: str
    encryption:
      description: C(aws_owned), C(aws_managed) or C(customer_managed).
      type: str
    kms_key_id:
      description: ARN of the KMS key, for KMS encryption.
      type: str
    table_class:
      description: Table class.
      type: str
    deletion_protection:
      description: Whether deletion protection is on.
      type: bool
    point_in_time_recovery:
      description: Point-in-time recovery, when managed.
      type: dict
    ttl:
      description: Time to live, when managed.
      type: dict
    contributor_insights:
      description: Whether contributor insights is enabled, when managed.
      type: bool
    auto_scaling:
      description: Auto scaling of the table, when managed.
      type: dict
    tags:
      description: Tags of the table, when managed.
      type: dict
    replicas:
      description:
        - The other regions of a global table, each with C(region), C(status) (C(CREATING), C(ACTIVE) and
          so on), C(kms_key_id), C(table_class), C(read_capacity) and C(indexes); only for a global table.
      type: list
      elements: dict
      sample: [{"region": "us-west-2", "status": "ACTIVE", "table_class": "STANDARD"}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import validate_options
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_states import ensure_absent
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_states import ensure_present
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_states import ensure_tables
from ansible_collections.storagekit.aws.plugins.module_utils.pool import items_client
from ansible_collections.storagekit.aws.plugins.module_utils.pool import list_mode_options
from ansible_collections.storagekit.aws.plugins.module_utils.pool import run_list
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

KEY_TYPE_CHOICES = ["STRING", "NUMBER", "BINARY"]
DIMENSION_SPEC = dict(
    enabled=dict(type="bool", default=True),
    min_capacity=dict(type="int"),
    max_capacity=dict(type="int"),
    target_utilization=dict(type="float", default=70.0),
    scale_in_cooldown=dict(type="int", default=60),
    scale_out_cooldown=dict(type="int", default=60),
)
AUTO_SCALING_SPEC = dict(
    read=dict(type="dict", options=DIMENSION_SPEC),
    write=dict(type="dict", options=DIMENSION_SPEC),
)
# The key schema options of a table and of an index.
KEY_SPEC = dict(
    hash_key_name=dict(type="str"),
    hash_key_type=dict(type="str", choices=KEY_TYPE_CHOICES, default="STRING"),
    range_key_name=dict(type="str"),
    range_key_type=dict(type="str", choices=KEY_TYPE_CHOICES, default="STRING"),
)
INDEX_SPEC = dict(
    name=dict(type="str", required=True),
    type=dict(type="str", choices=["global", "local"], default="global"),
    **KEY_SPEC,
    projection=dict(type="str", choices=["all", "keys_only", "include"], default="all"),
    includes=dict(type="list", elements="str"),
    read_capacity=dict(type="int"),
    write_capacity=dict(type="int"),
    auto_scaling=dict(type="dict", options=AUTO_SCALING_SPEC),
)
REPLICA_SPEC = dict(
    region=dict(type="str", required=True),
    kms_key_id=dict(type="str"),
    table_class=dict(type="str", choices=["STANDARD", "STANDARD_INFREQUENT_ACCESS"]),
    read_capacity=dict(type="int"),
    indexes=dict(
        type="list",
        elements="dict",
        options=dict(name=dict(type="str", required=True), read_capacity=dict(type="int", required=True)),
    ),
)
TABLE_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **KEY_SPEC,
    billing_mode=dict(type="str", choices=["PAY_PER_REQUEST", "PROVISIONED"]),
    read_capacity=dict(type="int"),
    write_capacity=dict(type="int"),
    auto_scaling=dict(type="dict", options=AUTO_SCALING_SPEC),
    indexes=dict(type="list", elements="dict", options=INDEX_SPEC),
    purge_indexes=dict(type="bool", default=True),
    stream_enabled=dict(type="bool"),
    stream_view_type=dict(type="str", choices=["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]),
    encryption=dict(type="str", choices=["aws_owned", "aws_managed", "customer_managed"]),
    kms_key_id=dict(type="str"),
    point_in_time_recovery=dict(type="bool"),
    point_in_time_recovery_period_days=dict(type="int"),
    ttl=dict(
        type="dict",
        options=dict(enabled=dict(type="bool", required=True), attribute_name=dict(type="str")),
        required_if=[("enabled", True, ["attribute_name"])],
    ),
    deletion_protection=dict(type="bool"),
    table_class=dict(type="str", choices=["STANDARD", "STANDARD_INFREQUENT_ACCESS"]),
    contributor_insights=dict(type="bool"),
    replicas=dict(type="list", elements="dict", options=REPLICA_SPEC),
    **TAG_OPTIONS,
    **wait_options(),
)


MODULE_OPTIONS = list_mode_options(TABLE_SPEC, "tables")


def main():
    module = AnsibleAWSModule(supports_check_mode=True, **MODULE_OPTIONS)
    if module.params["tables"] is not None:
        clients = [
            items_client(module, service, codes)
            for service, codes in (("dynamodb", ["LimitExceededException"]), ("application-autoscaling", ["LimitExceededException"]), ("kms", None))
        ]
        run_list(module, "tables", TABLE_SPEC, "DynamoDB table {0}", "DynamoDB tables", lambda item: validate_options(item.module),
                 lambda items: ensure_tables(items, *clients, parallelism=module.params["parallelism"]))
    validate_options(module)
    client = aws_client(module, "dynamodb", ["LimitExceededException"])
    autoscaling = aws_client(module, "application-autoscaling", ["LimitExceededException"])

    def present(module, client, autoscaling):
        return ensure_present(module, client, autoscaling, KmsKeys(module))

    run_state(module, "DynamoDB table {0}".format(module.params["name"]), present, ensure_absent, client, autoscaling)


if __name__ == "__main__":
    main()
