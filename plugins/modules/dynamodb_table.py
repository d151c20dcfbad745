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
  - Supports check mode and diff mode.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - Name of the table.
    type: str
    required: true
  state:
    description:
      - Whether the table should exist.
      - O(state=absent) refuses to delete a table whose deletion protection is on;
        set O(deletion_protection=false) in a run with O(state=present) first.
    type: str
    choices: [present, absent]
    default: present
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
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - storagekit.aws.wait
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
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

- name: Turn deletion protection off, then delete the table
  storagekit.aws.dynamodb_table:
    name: sessions
    deletion_protection: false
- storagekit.aws.dynamodb_table:
    name: sessions
    state: absent
"""

RETURN = r"""
table:
  description: The table after the run (predicted in check mode); empty after deletion.
  returned: always
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
"""

import copy

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import apply_target_tracking
from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import deregister_targets
from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import describe_targets
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.compare import changed_facets
from ansible_collections.storagekit.aws.plugins.module_utils.compare import differs
from ansible_collections.storagekit.aws.plugins.module_utils.compare import without_unset
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import KEY_TYPE_CODES
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import SCALABLE_DIMENSIONS
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import is_settled
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import normalize_table
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import read_facets
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import resolve_kms_key_arn
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import scaling_policy_name
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import scaling_resource_id
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import target_tracking_settings
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until

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
INDEX_SPEC = dict(
    name=dict(type="str", required=True),
    type=dict(type="str", choices=["global", "local"], default="global"),
    hash_key_name=dict(type="str"),
    hash_key_type=dict(type="str", choices=KEY_TYPE_CHOICES, default="STRING"),
    range_key_name=dict(type="str"),
    range_key_type=dict(type="str", choices=KEY_TYPE_CHOICES, default="STRING"),
    projection=dict(type="str", choices=["all", "keys_only", "include"], default="all"),
    includes=dict(type="list", elements="str"),
    read_capacity=dict(type="int"),
    write_capacity=dict(type="int"),
    auto_scaling=dict(type="dict", options=AUTO_SCALING_SPEC),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    hash_key_name=dict(type="str"),
    hash_key_type=dict(type="str", choices=KEY_TYPE_CHOICES, default="STRING"),
    range_key_name=dict(type="str"),
    range_key_type=dict(type="str", choices=KEY_TYPE_CHOICES, default="STRING"),
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
    tags=dict(type="dict", aliases=["resource_tags"]),
    purge_tags=dict(type="bool", default=True),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=900),
)
AWS_MANAGED_KEY_ALIAS = "alias/aws/dynamodb"
SETTINGS = ("billing", "stream", "encryption", "table_class", "deletion_protection")


class ImpossibleChange(Exception):
    """A change DynamoDB cannot make in place; raised while planning, before any write."""


# ---------------------------------------------------------------------------------------------
# Desired state from the module parameters
# ---------------------------------------------------------------------------------------------


def desired_scaling(options):
    """Auto scaling options as compared against the table: disabled dimensions keep only ``enabled``."""
    if options is None:
        return None
    scaling = {}
    for dimension in ("read", "write"):
        settings = options.get(dimension)
        if settings is None:
            continue
        if not settings["enabled"]:
            scaling[dimension] = dict(enabled=False)
        else:
            scaling[dimension] = dict(settings, policy_name=scaling_policy_name(dimension))
    return scaling


def desired_index(params, index, billing_mode):
    wanted = dict(
        name=index["name"],
        type=index["type"],
        hash_key_name=params["hash_key_name"] if index["type"] == "local" else index["hash_key_name"],
        hash_key_type=params["hash_key_type"] if index["type"] == "local" else index["hash_key_type"],
        range_key_name=index["range_key_name"],
        range_key_type=index["range_key_type"] if index["range_key_name"] else None,
        projection=index["projection"],
        includes=sorted(index["includes"] or []),
    )
    if index["type"] == "global":
        scaling = desired_scaling(index["auto_scaling"])
        wanted["read_capacity"] = initial_capacity(index, scaling, "read", billing_mode)
        wanted["write_capacity"] = initial_capacity(index, scaling, "write", billing_mode)
        wanted["auto_scaling"] = scaling
    return wanted


def initial_capacity(options, scaling, dimension, billing_mode):
    """The capacity to provision: the option, else the auto scaling minimum, for provisioned tables."""
    if billing_mode == "PAY_PER_REQUEST":
        return None
    value = options[dimension + "_capacity"]
    settings = (scaling or {}).get(dimension)
    if value is None and settings and settings.get("enabled"):
        value = settings["min_capacity"]
    return value


def desired_state(module, kms):
    """The table as the user wants it, in the shape normalize_table gives; unset options are None."""
    params = module.params
    billing_mode = params["billing_mode"]
    scaling = desired_scaling(params["auto_scaling"])
    desired = dict(
        name=params["name"],
        hash_key_name=params["hash_key_name"],
        hash_key_type=params["hash_key_type"] if params["hash_key_name"] else None,
        range_key_name=params["range_key_name"],
        range_key_type=params["range_key_type"] if params["range_key_name"] else None,
        billing_mode=billing_mode,
        read_capacity=initial_capacity(params, scaling, "read", billing_mode),
        write_capacity=initial_capacity(params, scaling, "write", billing_mode),
        auto_scaling=scaling,
        stream_enabled=params["stream_enabled"],
        stream_view_type=params["stream_view_type"],
        encryption=params["encryption"],
        kms_key_id=None,
        table_class=params["table_class"],
        deletion_protection=params["deletion_protection"],
        contributor_insights=params["contributor_insights"],
        tags=params["tags"],
        point_in_time_recovery=None,
        ttl=None,
        indexes=None,
    )
    if params["stream_enabled"] and not params["stream_view_type"]:
        desired["stream_view_type"] = "NEW_AND_OLD_IMAGES"
    if params["stream_enabled"] is False:
        desired["stream_view_type"] = None
    if params["encryption"] == "customer_managed":
        desired["kms_key_id"] = resolve_kms_key_arn(kms, params["kms_key_id"])
        if desired["kms_key_id"] is None:
            if not module.check_mode:
                module.fail_json(msg="KMS key {0} was not found.".format(params["kms_key_id"]))
            # In check mode the key may be created by an earlier task that did not run.
            desired["kms_key_id"] = params["kms_key_id"]
    if params["point_in_time_recovery"] is not None:
        desired["point_in_time_recovery"] = dict(
            enabled=params["point_in_time_recovery"],
            recovery_period_days=params["point_in_time_recovery_period_days"],
        )
    if params["ttl"] is not None:
        desired["ttl"] = dict(params["ttl"])
        if not params["ttl"]["enabled"]:
            desired["ttl"]["attribute_name"] = None
    if params["indexes"] is not None:
        desired["indexes"] = [desired_index(params, i, billing_mode) for i in params["indexes"]]
    return desired


def validate_options(module):
    """Refuse inconsistent options before any API call."""
    params = module.params
    if params["encryption"] == "customer_managed" and not params["kms_key_id"]:
        module.fail_json(msg="encryption=customer_managed needs kms_key_id.")
    if params["kms_key_id"] and params["encryption"] != "customer_managed":
        module.fail_json(msg="kms_key_id is only used with encryption=customer_managed.")
    if params["stream_view_type"] and params["stream_enabled"] is not True:
        module.fail_json(msg="stream_view_type needs stream_enabled=true.")
    if params["point_in_time_recovery_period_days"] is not None:
        if not params["point_in_time_recovery"]:
            module.fail_json(msg="point_in_time_recovery_period_days needs point_in_time_recovery=true.")
        module.require_botocore_at_least("1.36.0", reason="to set point_in_time_recovery_period_days")
    scaled = [("table", params["auto_scaling"])]
    scaled += [("index " + i["name"], i["auto_scaling"]) for i in params["indexes"] or []]
    for owner, scaling in scaled:
        for dimension, settings in (scaling or {}).items():
            if not settings or not settings["enabled"]:
                continue
            if params["billing_mode"] == "PAY_PER_REQUEST":
                module.fail_json(msg="Auto scaling of the {0} needs billing_mode=PROVISIONED.".format(owner))
            if settings["min_capacity"] is None or settings["max_capacity"] is None:
                module.fail_json(
                    msg="{0} auto scaling of the {1} needs min_capacity and max_capacity.".format(dimension, owner)
                )
            if settings["min_capacity"] > settings["max_capacity"]:
                module.fail_json(msg="{0} auto scaling of the {1}: min_capacity > max_capacity.".format(dimension, owner))
    for index in params["indexes"] or []:
        if index["type"] == "local" and not index["range_key_name"]:
            module.fail_json(msg="Local index {0} needs range_key_name.".format(index["name"]))
        if index["type"] == "global" and not index["hash_key_name"]:
            module.fail_json(msg="Global index {0} needs hash_key_name.".format(index["name"]))
        if index["projection"] == "include" and not index["includes"]:
            module.fail_json(msg="Index {0} with projection=include needs includes.".format(index["name"]))
        if index["type"] == "local" and index["auto_scaling"]:
            module.fail_json(msg="Local index {0} has no capacity of its own to auto scale.".format(index["name"]))


# ---------------------------------------------------------------------------------------------
# Request building
# ---------------------------------------------------------------------------------------------


def key_schema(item):
    schema = [dict(AttributeName=item["hash_key_name"], KeyType="HASH")]
    if item.get("range_key_name"):
        schema.append(dict(AttributeName=item["range_key_name"], KeyType="RANGE"))
    return schema


def attribute_definitions(items):
    """One definition per key attribute of the table and its indexes."""
    types = {}
    for item in items:
        types[item["hash_key_name"]] = KEY_TYPE_CODES[item["hash_key_type"]]
        if item.get("range_key_name"):
            types[item["range_key_name"]] = KEY_TYPE_CODES[item["range_key_type"]]
    return [dict(AttributeName=name, AttributeType=code) for name, code in sorted(types.items())]


def projection(index):
    spec = dict(ProjectionType=index["projection"].upper())
    if index["projection"] == "include":
        spec["NonKeyAttributes"] = index["includes"]
    return spec


def throughput(item):
    return dict(ReadCapacityUnits=item["read_capacity"], WriteCapacityUnits=item["write_capacity"])


def sse_specification(desired):
    if desired["encryption"] == "aws_owned":
        return dict(Enabled=False)
    spec = dict(Enabled=True, SSEType="KMS")
    if desired["encryption"] == "customer_managed":
        spec["KMSMasterKeyId"] = desired["kms_key_id"]
    return spec


def stream_specification(desired):
    if not desired["stream_enabled"]:
        return dict(StreamEnabled=False)
    return dict(StreamEnabled=True, StreamViewType=desired["stream_view_type"])


def global_index_request(index, billing_mode):
    request = dict(IndexName=index["name"], KeySchema=key_schema(index), Projection=projection(index))
    if billing_mode == "PROVISIONED":
        request["ProvisionedThroughput"] = throughput(index)
    return request


def create_table_request(module, desired):
    """CreateTable parameters: everything DynamoDB accepts at creation, so later calls are few."""
    indexes = desired["indexes"] or []
    billing_mode = desired["billing_mode"]
    request = dict(
        TableName=desired["name"],
        KeySchema=key_schema(desired),
        AttributeDefinitions=attribute_definitions([desired] + indexes),
        BillingMode=billing_mode,
        DeletionProtectionEnabled=desired["deletion_protection"],
    )
    if billing_mode == "PROVISIONED":
        request["ProvisionedThroughput"] = throughput(desired)
    global_indexes = [global_index_request(i, billing_mode) for i in indexes if i["type"] == "global"]
    local_indexes = [
        dict(IndexName=i["name"], KeySchema=key_schema(i), Projection=projection(i)) for i in indexes if i["type"] == "local"
    ]
    if global_indexes:
        request["GlobalSecondaryIndexes"] = global_indexes
    if local_indexes:
        request["LocalSecondaryIndexes"] = local_indexes
    if desired["stream_enabled"]:
        request["StreamSpecification"] = stream_specification(desired)
    if desired["encryption"] in ("aws_managed", "customer_managed"):
        request["SSESpecification"] = sse_specification(desired)
    if desired["table_class"]:
        request["TableClass"] = desired["table_class"]
    if desired["tags"]:
        request["Tags"] = ansible_dict_to_boto3_tag_list(desired["tags"])
    return request


# ---------------------------------------------------------------------------------------------
# Planning changes of an existing table
# ---------------------------------------------------------------------------------------------


def scaled_dimensions(scaling):
    return set(d for d, s in (scaling or {}).items() if s.get("enabled"))


def check_keys(desired, current):
    for part in ("hash_key_name", "hash_key_type", "range_key_name", "range_key_type"):
        if desired[part] is not None and desired[part] != current[part]:
            raise ImpossibleChange(
                "The key schema of table {0} cannot change ({1}: {2} -> {3}); create a new table instead.".format(
                    current["name"], part, current[part], desired[part]
                )
            )


def index_shape(index):
    """What an index cannot change in place: its keys and projection."""
    keys = ("type", "hash_key_name", "hash_key_type", "range_key_name", "range_key_type", "projection", "includes")
    return dict((k, index.get(k)) for k in keys)


def plan_indexes(desired, current, purge):
    """Global index creates, deletes and capacity updates; refuses what cannot change in place."""
    wanted = dict((i["name"], i) for i in desired["indexes"])
    existing = dict((i["name"], i) for i in current["indexes"])
    for name in set(wanted) | set(existing):
        want, have = wanted.get(name), existing.get(name)
        local = (want or have)["type"] == "local"
        if local and want is None:
            if purge:
                raise ImpossibleChange(
                    "Local index {0} of table {1} cannot be removed; list it in indexes or set "
                    "purge_indexes=false.".format(name, current["name"])
                )
            continue
        if local and (have is None or index_shape(want) != index_shape(have)):
            raise ImpossibleChange(
                "Local index {0} of table {1} can only be defined when the table is created.".format(name, current["name"])
            )
        if want and have and index_shape(want) != index_shape(have):
            raise ImpossibleChange(
                "Global index {0} of table {1} cannot change its keys or projection in place; "
                "give the new definition another name and remove the old one.".format(name, current["name"])
            )
    creates = [wanted[n] for n in wanted if n not in existing]
    deletes = [n for n in existing if n not in wanted and existing[n]["type"] == "global"] if purge else []
    updates = []
    billing_mode = desired["billing_mode"] or current["billing_mode"]
    if billing_mode == "PROVISIONED":
        for name, want in wanted.items():
            have = existing.get(name)
            if have is None or want["type"] != "global":
                continue
            scaled = scaled_dimensions(want.get("auto_scaling") or have.get("auto_scaling"))
            for dimension in ("read", "write"):
                key = dimension + "_capacity"
                if dimension not in scaled and want[key] is not None and want[key] != have[key]:
                    updates.append(want)
                    break
    return creates, deletes, updates


def billing_change(desired, current):
    """The billing mode and table capacity to set, or None; auto scaled capacity is left alone.

    UpdateTable needs both capacities when either changes, so the unchanged one is carried over.
    """
    mode = desired["billing_mode"] or current["billing_mode"]
    switching = current["billing_mode"] != mode
    if mode == "PAY_PER_REQUEST":
        return dict(billing_mode=mode) if switching else None
    scaled = scaled_dimensions(desired["auto_scaling"]) if not switching else set()
    wanted = {}
    for dimension in ("read", "write"):
        key = dimension + "_capacity"
        if desired[key] is not None and dimension not in scaled:
            wanted[key] = desired[key]
    if not switching and not any(current[k] != v for k, v in wanted.items()):
        return None
    change = dict(billing_mode=mode)
    for key in ("read_capacity", "write_capacity"):
        change[key] = wanted.get(key, current[key])
        if change[key] is None:
            raise ImpossibleChange("billing_mode=PROVISIONED needs read_capacity and write_capacity (or auto_scaling).")
    return change


def plan_settings(desired, current):
    """The table-level settings that differ, as ``{setting: (before, after)}``."""
    plan = {}
    billing = billing_change(desired, current)
    if billing:
        plan["billing"] = (dict((k, current[k]) for k in billing), billing)
    if desired["stream_enabled"] is not None:
        want = dict(stream_enabled=desired["stream_enabled"], stream_view_type=desired["stream_view_type"])
        have = dict(stream_enabled=current["stream_enabled"], stream_view_type=current["stream_view_type"])
        if want != have:
            plan["stream"] = (have, want)
    if desired["encryption"] is not None:
        want = dict(encryption=desired["encryption"], kms_key_id=desired["kms_key_id"])
        have = dict(encryption=current["encryption"], kms_key_id=current["kms_key_id"])
        if desired["encryption"] == "aws_managed":
            have["kms_key_id"] = want["kms_key_id"] = None
        if want != have:
            plan["encryption"] = (have, want)
    plan.update(changed_facets(desired, current, ("table_class", "deletion_protection")))
    return plan


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class TableWriter:
    """Runs the writes of one table in order, waiting for the table to settle between them."""

    def __init__(self, module, client, changes, raw):
        self.module = module
        self.client = client
        self.changes = changes
        self.raw = raw
        self.pending = raw is not None and not is_settled(raw)

    def settle(self):
        if not self.pending or not self.changes.writes_allowed:
            return
        self.raw = wait_until(
            self.module,
            lambda: describe_table(self.client, self.module.params["name"]),
            is_settled,
            self.module.params["wait_timeout"],
            "DynamoDB table {0} to become ACTIVE".format(self.module.params["name"]),
        )
        self.pending = False

    def update_table(self, facet, before, after, unsettles=True, **request):
        """One UpdateTable call, after the previous one has settled."""

        def write():
            self.settle()
            self.raw = self.client.update_table(aws_retry=True, TableName=self.module.params["name"], **request)[
                "TableDescription"
            ]
            self.pending = unsettles

        self.changes.apply(facet, before, after, write)

    def call(self, facet, before, after, operation, **request):
        """A write that AWS only accepts on a settled table (PITR, TTL, contributor insights)."""

        def write():
            self.settle()
            operation(aws_retry=True, **request)

        self.changes.apply(facet, before, after, write)


def apply_settings(writer, plan):
    if "billing" in plan:
        before, after = plan["billing"]
        request = dict(BillingMode=after["billing_mode"])
        if after["billing_mode"] == "PROVISIONED" and "read_capacity" in after:
            request["ProvisionedThroughput"] = throughput(after)
        writer.update_table("billing", before, after, **request)
    if "stream" in plan:
        before, after = plan["stream"]
        if before["stream_enabled"] and after["stream_enabled"]:
            # DynamoDB cannot change the view type of an enabled stream: disable it first.
            writer.update_table("stream", before, after, StreamSpecification=dict(StreamEnabled=False))
        writer.update_table("stream", before, after, StreamSpecification=stream_specification(after))
    if "encryption" in plan:
        before, after = plan["encryption"]
        writer.update_table("encryption", before, after, SSESpecification=sse_specification(after))
    if "table_class" in plan:
        before, after = plan["table_class"]
        writer.update_table("table_class", before, after, TableClass=after)
    if "deletion_protection" in plan:
        before, after = plan["deletion_protection"]
        writer.update_table("deletion_protection", before, after, unsettles=False, DeletionProtectionEnabled=after)


def apply_indexes(writer, desired, current, creates, deletes, updates):
    billing_mode = desired["billing_mode"] or current["billing_mode"]
    before = [index_summary(i) for i in current["indexes"]]
    after = [index_summary(i) for i in desired["indexes"]]
    if updates:
        request = [
            dict(Update=dict(IndexName=i["name"], ProvisionedThroughput=throughput(i))) for i in updates
        ]
        writer.update_table("indexes", before, after, GlobalSecondaryIndexUpdates=request)
    for name in deletes:
        writer.update_table("indexes", before, after, GlobalSecondaryIndexUpdates=[dict(Delete=dict(IndexName=name))])
    for index in creates:
        request = dict(Create=global_index_request(index, billing_mode))
        definitions = attribute_definitions([current] + [index])
        writer.update_table(
            "indexes", before, after, AttributeDefinitions=definitions, GlobalSecondaryIndexUpdates=[request]
        )


def index_summary(index):
    return dict((k, v) for k, v in index.items() if k not in ("status", "auto_scaling") and v not in (None, []))


def apply_point_in_time_recovery(writer, desired, current):
    want, have = desired["point_in_time_recovery"], current.get("point_in_time_recovery")
    if want is None or not differs(want, have):
        return
    spec = dict(PointInTimeRecoveryEnabled=want["enabled"])
    if want["recovery_period_days"] is not None:
        spec["RecoveryPeriodInDays"] = want["recovery_period_days"]
    writer.call(
        "point_in_time_recovery",
        have,
        without_unset(want),
        writer.client.update_continuous_backups,
        TableName=desired["name"],
        PointInTimeRecoverySpecification=spec,
    )


def apply_ttl(writer, desired, current):
    want, have = desired["ttl"], current.get("ttl") or dict(enabled=False, attribute_name=None)
    if want is None or not differs(want, have) or (not want["enabled"] and not have["enabled"]):
        return
    # Disabling TTL must name the attribute it is enabled on.
    attribute = want["attribute_name"] if want["enabled"] else have["attribute_name"]
    if want["enabled"] and have["enabled"]:
        # TTL cannot move to another attribute in one call.
        writer.call(
            "ttl",
            have,
            want,
            writer.client.update_time_to_live,
            TableName=desired["name"],
            TimeToLiveSpecification=dict(Enabled=False, AttributeName=have["attribute_name"]),
        )
    writer.call(
        "ttl",
        have,
        want,
        writer.client.update_time_to_live,
        TableName=desired["name"],
        TimeToLiveSpecification=dict(Enabled=want["enabled"], AttributeName=attribute),
    )


def apply_contributor_insights(writer, desired, current):
    want, have = desired["contributor_insights"], current.get("contributor_insights")
    if want is None or want == have:
        return
    writer.call(
        "contributor_insights",
        have,
        want,
        writer.client.update_contributor_insights,
        TableName=desired["name"],
        ContributorInsightsAction="ENABLE" if want else "DISABLE",
    )


def apply_tags(changes, client, module, arn, current_tags):
    if module.params["tags"] is None:
        return
    apply_tag_changes(
        changes,
        current_tags,
        module.params["tags"],
        module.params["purge_tags"],
        lambda keys: client.untag_resource(aws_retry=True, ResourceArn=arn, TagKeys=keys),
        lambda tags: client.tag_resource(aws_retry=True, ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags)),
    )


def apply_scaling(writer, autoscaling, table_name, index_name, want, have):
    """Register, update or remove the scalable targets and target-tracking policies of one resource."""
    if want is None:
        return
    owner = "auto_scaling" if index_name is None else "indexes/{0}/auto_scaling".format(index_name)
    kind = "table" if index_name is None else "index"
    have = have or {}
    for dimension, settings in sorted(want.items()):
        current = have.get(dimension) or dict(enabled=False)
        facet = "{0}/{1}".format(owner, dimension)
        target = dict(
            ServiceNamespace="dynamodb",
            ResourceId=scaling_resource_id(table_name, index_name),
            ScalableDimension=SCALABLE_DIMENSIONS[(kind, dimension)],
        )
        apply_target_tracking(
            lambda operation, facet=facet, current=current, settings=settings, **request: writer.call(
                facet, current, settings, operation, **request
            ),
            autoscaling,
            target,
            target_tracking_settings(settings, dimension),
            target_tracking_settings(current, dimension),
        )


# ---------------------------------------------------------------------------------------------
# States
# ---------------------------------------------------------------------------------------------


def managed_facets(desired):
    facets = set(k for k in ("point_in_time_recovery", "ttl", "contributor_insights", "tags") if desired[k] is not None)
    if desired["auto_scaling"] is not None or any(i.get("auto_scaling") for i in desired["indexes"] or []):
        facets.add("auto_scaling")
    return facets


def new_table_facets(desired):
    """What a table has just after CreateTable, for the facets that CreateTable cannot set."""
    return dict(
        point_in_time_recovery=dict(enabled=False, recovery_period_days=None),
        ttl=dict(enabled=False, attribute_name=None),
        contributor_insights=False,
        tags=desired["tags"],
        auto_scaling={},
    )


def create_table(module, client, changes, desired):
    if desired["hash_key_name"] is None:
        module.fail_json(msg="hash_key_name is required to create table {0}.".format(desired["name"]))
    desired["billing_mode"] = desired["billing_mode"] or "PAY_PER_REQUEST"
    if desired["deletion_protection"] is None:
        desired["deletion_protection"] = True
    if desired["billing_mode"] == "PROVISIONED" and (desired["read_capacity"] is None or desired["write_capacity"] is None):
        module.fail_json(msg="billing_mode=PROVISIONED needs read_capacity and write_capacity (or auto_scaling).")
    if desired["indexes"] is not None and desired["billing_mode"] == "PROVISIONED":
        for index in desired["indexes"]:
            if index["type"] == "global" and (index["read_capacity"] is None or index["write_capacity"] is None):
                module.fail_json(msg="Global index {0} of a provisioned table needs read_capacity and write_capacity.".format(index["name"]))
    request = create_table_request(module, desired)
    raw = changes.apply("table", None, dict(name=desired["name"], state="present"), lambda: client.create_table(aws_retry=True, **request)["TableDescription"])
    return raw


def ensure_present(module, client, autoscaling, kms):
    changes = ChangeSet(module)
    desired = desired_state(module, kms)
    raw = describe_table(client, desired["name"])
    aws_managed_key = None
    if desired["encryption"] == "aws_managed":
        aws_managed_key = resolve_kms_key_arn(kms, AWS_MANAGED_KEY_ALIAS)
    facets = managed_facets(desired)
    if raw is None:
        raw = create_table(module, client, changes, desired)
        writer = TableWriter(module, client, changes, raw)
        writer.pending = True
        current = dict(desired, **new_table_facets(desired))
        current["indexes"] = [dict(i, auto_scaling={}) for i in desired["indexes"] or []]
    else:
        current = normalize_table(raw, aws_managed_key)
        try:
            check_keys(desired, current)
            plan = plan_settings(desired, current)
            index_plan = plan_indexes(desired, current, module.params["purge_indexes"]) if desired["indexes"] is not None else None
        except ImpossibleChange as e:
            module.fail_json(msg=str(e))
        read_facets(client, autoscaling, current, facets)
        writer = TableWriter(module, client, changes, raw)
        apply_settings(writer, plan)
        if index_plan:
            apply_indexes(writer, desired, current, *index_plan)
        apply_tags(changes, client, module, current["arn"], current.get("tags"))
    apply_point_in_time_recovery(writer, desired, current)
    apply_ttl(writer, desired, current)
    apply_contributor_insights(writer, desired, current)
    apply_scaling(writer, autoscaling, desired["name"], None, desired["auto_scaling"], current.get("auto_scaling"))
    current_indexes = dict((i["name"], i) for i in current["indexes"])
    for index in desired["indexes"] or []:
        if index["type"] == "global":
            have = current_indexes.get(index["name"], {}).get("auto_scaling")
            apply_scaling(writer, autoscaling, desired["name"], index["name"], index.get("auto_scaling"), have)
    if module.params["wait"]:
        writer.settle()
    return changes.result(table=final_table(changes, writer, desired, current, aws_managed_key))


def final_table(changes, writer, desired, current, aws_managed_key):
    """The table after the run: read back after writes, predicted in check mode, as read otherwise."""
    table = copy.deepcopy(current)
    if not changes.changed:
        return table
    if changes.writes_allowed:
        # The last describe or UpdateTable answer is current enough: no extra read.
        table.update(normalize_table(writer.raw, aws_managed_key))
        predicted = without_unset(dict((k, desired[k]) for k in managed_facets(desired) if k != "tags"))
        scaling = dict((i["name"], i["auto_scaling"]) for i in desired["indexes"] or [] if i.get("auto_scaling"))
        for index in table["indexes"]:
            if index["name"] in scaling:
                index["auto_scaling"] = without_unset(scaling[index["name"]])
    else:
        predicted = without_unset(desired)
    table.update(predicted)
    if "tags" in changes.after:
        table["tags"] = changes.after["tags"]
    return table


def ensure_absent(module, client, autoscaling):
    changes = ChangeSet(module)
    name = module.params["name"]
    raw = describe_table(client, name)
    if raw is None:
        return changes.result(table={})
    if raw.get("DeletionProtectionEnabled"):
        module.fail_json(
            msg="Table {0} has deletion protection on; run with deletion_protection=false first to delete it.".format(name)
        )
    resource_ids = [scaling_resource_id(name)] + [
        scaling_resource_id(name, i["IndexName"]) for i in raw.get("GlobalSecondaryIndexes") or []
    ]
    targets = describe_targets(autoscaling, "dynamodb", resource_ids)

    def write():
        deregister_targets(autoscaling, targets)
        client.delete_table(aws_retry=True, TableName=name)
        if module.params["wait"]:
            wait_until(
                module,
                lambda: describe_table(client, name),
                lambda raw: raw is None,
                module.params["wait_timeout"],
                "DynamoDB table {0} to be deleted".format(name),
            )

    changes.apply("table", dict(name=name, state="present"), dict(name=name, state="absent"), write)
    return changes.result(table={})


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    validate_options(module)
    retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["LimitExceededException"])
    client = module.client("dynamodb", retry_decorator=retry)
    autoscaling = module.client("application-autoscaling", retry_decorator=retry)
    try:
        if module.params["state"] == "absent":
            result = ensure_absent(module, client, autoscaling)
        else:
            kms = module.client("kms", retry_decorator=AWSRetry.jittered_backoff())
            result = ensure_present(module, client, autoscaling, kms)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage DynamoDB table {0}".format(module.params["name"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
