#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: elasticache_replication_group
short_description: Manage an ElastiCache Valkey or Redis OSS replication group, with or without cluster mode
version_added: 0.1.0
description:
  - Creates, updates and deletes an Amazon ElastiCache replication group running Valkey or Redis OSS,
    a primary with read replicas (cluster mode disabled) or several shards with replicas each (cluster mode enabled).
  - Secure by default when it creates a group - encryption at rest and in transit (TLS required), an AUTH token,
    automatic failover and Multi-AZ once there is a replica, and a final snapshot before deletion.
  - The AUTH token can come from a Secrets Manager secret, which the module creates with a random token
    when it does not exist. The token is never returned or logged.
  - Only the options you set are compared and changed. A run that changes nothing reads the group once
    (plus its tags when O(tags) is set, its first member cluster when an option that only a cache cluster
    reports is set, and the secret when O(auth_token_secret) is set) and writes nothing.
  - Node type, replica count and shard count change online; the other modifiable settings change in one
    C(ModifyReplicationGroup) call. Settings AWS cannot change after creation (cluster mode, encryption at
    rest and its key, subnet group, port, and the engine except from Redis OSS to Valkey) are refused with a
    clear error before any write, as are option combinations AWS would refuse.
  - Optionally auto scales the shards and replicas with Application Auto Scaling target tracking (O(auto_scaling)).
  - Supports check mode and diff mode. The diff never shows the token.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - The replication group id.
    type: str
    required: true
  description:
    description:
      - Description of the replication group. Defaults to O(name) when the group is created.
    type: str
  state:
    description:
      - Whether the replication group should exist.
      - O(state=absent) takes a final snapshot first unless O(final_snapshot=false).
    type: str
    choices: [present, absent]
    default: present
  engine:
    description:
      - The cache engine. Defaults to V(valkey) when the group is created.
      - An existing Redis OSS group can be upgraded to Valkey in place (with O(engine_version));
        Valkey cannot go back to Redis OSS.
    type: str
    choices: [valkey, redis]
  engine_version:
    description:
      - Engine version, for example V(8.0) or V(7.1). A version given without its patch level matches
        any patch level of it.
    type: str
  node_type:
    description:
      - Node type, for example V(cache.r7g.large). Required to create a group; changes online.
    type: str
  cluster_mode:
    description:
      - V(disabled) is one primary with O(replicas) read replicas; V(enabled) spreads the data over
        O(shards) shards of O(replicas_per_shard) replicas each.
      - Defaults to V(disabled) when the group is created; cannot change afterwards.
    type: str
    choices: [disabled, enabled]
  replicas:
    description:
      - Number of read replicas (0 to 5) with O(cluster_mode=disabled). Defaults to V(1) when the group is created.
    type: int
  shards:
    description:
      - Number of shards (node groups) with O(cluster_mode=enabled). Defaults to V(1) when the group is created.
      - Removing shards removes those with the highest ids.
    type: int
  replicas_per_shard:
    description:
      - Number of read replicas in each shard (0 to 5) with O(cluster_mode=enabled).
        Defaults to V(1) when the group is created.
    type: int
  multi_az:
    description:
      - Whether Multi-AZ is enabled. Needs automatic failover and at least one replica.
      - Defaults to V(true) when a group with at least one replica and automatic failover is created.
    type: bool
  automatic_failover:
    description:
      - Whether a replica is promoted automatically when the primary fails. Needs at least one replica with
        O(cluster_mode=disabled); always needed with O(cluster_mode=enabled).
      - Defaults to V(true) when a group with cluster mode or at least one replica is created.
    type: bool
  port:
    description:
      - Port the nodes listen on. AWS uses C(6379) when unset. Cannot change after creation.
    type: int
  subnet_group:
    description:
      - Cache subnet group of the nodes. Cannot change after creation.
    type: str
  security_group_ids:
    description:
      - VPC security groups of the nodes.
    type: list
    elements: str
  parameter_group:
    description:
      - Name of the cache parameter group, which must exist and match the engine family.
    type: str
  at_rest_encryption:
    description:
      - Whether data at rest is encrypted. Defaults to V(true) when the group is created; cannot change afterwards.
    type: bool
  transit_encryption:
    description:
      - Whether connections use TLS. Defaults to V(true) when the group is created.
      - Needed for an AUTH token.
    type: bool
  transit_encryption_mode:
    description:
      - V(required) accepts TLS connections only; V(preferred) accepts both while clients migrate.
      - Defaults to V(required) when a group with in-transit encryption is created.
      - AWS changes an existing group in steps - enabling in-transit encryption goes through V(preferred)
        before V(required), and disabling it needs V(preferred) first.
    type: str
    choices: [preferred, required]
  auth_token:
    description:
      - The AUTH token (16 to 128 printable characters; of the punctuation only C(!&#$^<>-)).
      - Used when the group is created, when AUTH is added to a group without a token, and on every run
        with O(auth_token_update_strategy=rotate) or O(auth_token_update_strategy=set), since AWS cannot
        read a token back for comparison.
      - Mutually exclusive with O(auth_token_secret).
    type: str
  auth_token_secret:
    description:
      - Name or ARN of a Secrets Manager secret whose secret string is the AUTH token.
      - When no secret of that name exists, the module creates it with a random token from
        C(GetRandomPassword) (see O(auth_token_length) and O(auth_token_punctuation)).
      - When the secret's current version is newer than the group's token, the group's token is replaced,
        with the C(ROTATE) strategy (old and new token both valid) unless O(auth_token_update_strategy=set).
    type: str
  auth_token_secret_kms_key_id:
    description:
      - KMS key that encrypts a secret the module creates. Secrets Manager uses C(aws/secretsmanager) when unset.
    type: str
  auth_token_length:
    description:
      - Length of a generated token (32 to 128).
    type: int
    default: 64
  auth_token_punctuation:
    description:
      - Whether a generated token may use the punctuation AWS allows in a token. Letters and digits only by default.
    type: bool
    default: false
  auth_token_update_strategy:
    description:
      - V(rotate) adds the token from O(auth_token) or O(auth_token_secret) next to the current one,
        V(set) replaces the current token with it, V(delete) removes the token from the group.
      - With O(auth_token), V(rotate) and V(set) apply the token on every run; set them only for the run
        that should change the token.
      - V(delete) only changes a group that has a token, and cannot be combined with a token.
    type: str
    choices: [rotate, set, delete]
  snapshot_retention_limit:
    description:
      - Days automatic snapshots are kept; V(0) turns automatic snapshots off.
    type: int
  snapshot_window:
    description:
      - Daily UTC time range of the automatic snapshot, for example V(05:00-06:00).
    type: str
  final_snapshot:
    description:
      - Whether O(state=absent) takes a final snapshot before deleting the group.
    type: bool
    default: true
  final_snapshot_identifier:
    description:
      - Name of the final snapshot. Defaults to O(name) followed by C(-final-) and a UTC timestamp.
    type: str
  maintenance_window:
    description:
      - Weekly UTC maintenance window, for example V(sun:05:00-sun:06:00).
    type: str
  auto_minor_version_upgrade:
    description:
      - Whether minor engine versions are applied automatically in the maintenance window.
    type: bool
  notification_topic_arn:
    description:
      - SNS topic that receives the group's events.
    type: str
  log_delivery:
    description:
      - Log types delivered to CloudWatch Logs. Log types not listed are turned off; V([]) turns all off.
    type: list
    elements: dict
    suboptions:
      type:
        description: The log type.
        type: str
        choices: [slow-log, engine-log]
        required: true
      log_group:
        description: Name of the CloudWatch Logs log group, which must exist.
        type: str
        required: true
      format:
        description: Format of the log records.
        type: str
        choices: [json, text]
        default: json
  auto_scaling:
    description:
      - Application Auto Scaling target tracking of the shard count and of the replicas per shard.
        Unset leaves the group's auto scaling alone; a dimension left out is not changed either.
      - Applied once the group is available, so a run that creates the group or changes it waits for
        it even with O(wait=false) when auto scaling changes. O(state=absent) removes the scalable
        targets before deleting the group.
      - AWS auto scales ElastiCache only with cluster mode enabled (O(cluster_mode=enabled)), for both
        dimensions; the module refuses it for a group with cluster mode disabled before any write.
      - AWS also limits it to some node types (large, xlarge and 2xlarge sizes of the r, m and c7gn families)
        and engine versions (Valkey 7.2 or Redis OSS 6.0 and later); it refuses the others when the target
        is registered.
      - While a dimension is auto scaled, O(shards), O(replicas_per_shard) or O(replicas) of it
        are only used to create the group; afterwards the count auto scaling sets is left alone.
    type: dict
    suboptions:
      shards:
        description:
          - Auto scaling of the number of shards (C(elasticache:replication-group:NodeGroups)).
        type: dict
        suboptions: &scaling_options
          enabled:
            description: Whether this dimension is auto scaled. V(false) removes its scalable target and policies.
            type: bool
            default: true
          min_capacity:
            description: Lowest count auto scaling may set. Required when enabled.
            type: int
          max_capacity:
            description: Highest count auto scaling may set. Required when enabled.
            type: int
          target_value:
            description: The metric value, in percent, that auto scaling keeps the group at. Required when enabled.
            type: float
          metric:
            description:
              - The predefined metric tracked.
              - Defaults to V(ElastiCachePrimaryEngineCPUUtilization) for O(auto_scaling.shards) and to
                V(ElastiCacheReplicaEngineCPUUtilization) for O(auto_scaling.replicas).
            type: str
            choices:
              - ElastiCachePrimaryEngineCPUUtilization
              - ElastiCacheReplicaEngineCPUUtilization
              - ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage
          scale_in_cooldown:
            description: Seconds after a scale-in before another scale-in.
            type: int
            default: 600
          scale_out_cooldown:
            description: Seconds after a scale-out before another scale-out.
            type: int
            default: 600
          policy_name:
            description:
              - Name of the target-tracking policy.
              - Defaults to C(storagekit-shards-target-tracking) or C(storagekit-replicas-target-tracking).
            type: str
          disable_scale_in:
            description: Whether auto scaling only adds capacity and never removes it.
            type: bool
            default: false
      replicas:
        description:
          - Auto scaling of the number of replicas in each shard (C(elasticache:replication-group:Replicas)).
        type: dict
        suboptions: *scaling_options
  apply_immediately:
    description:
      - Whether modifications apply at once rather than in the next maintenance window.
      - Replica, shard and token changes always apply at once.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - storagekit.aws.wait
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
  - storagekit.aws.kms
notes:
  - O(kms_key_id) given as an alias is not compared against an existing group, since the group reports the key ARN.
"""

EXAMPLES = r"""
- name: Valkey primary with two replicas, TLS, AUTH token from a generated secret
  storagekit.aws.elasticache_replication_group:
    name: sessions
    node_type: cache.r7g.large
    engine_version: "8.0"
    replicas: 2
    subnet_group: data-private
    security_group_ids: [sg-0123456789abcdef0]
    kms_key_id: alias/storage
    auth_token_secret: elasticache/sessions/auth-token
    snapshot_retention_limit: 7
    log_delivery:
      - type: slow-log
        log_group: /elasticache/sessions/slow-log
    tags:
      team: platform

- name: Cluster mode with three shards, created side by side with other tiers
  storagekit.aws.elasticache_replication_group:
    name: cache
    cluster_mode: enabled
    shards: 3
    replicas_per_shard: 1
    node_type: cache.r7g.large
    subnet_group: data-private
    auth_token_secret: elasticache/cache/auth-token
    wait: false

- name: Cluster mode with shards and replicas auto scaled on CPU
  storagekit.aws.elasticache_replication_group:
    name: cache
    cluster_mode: enabled
    node_type: cache.r7g.large
    auth_token_secret: elasticache/cache/auth-token
    auto_scaling:
      shards:
        min_capacity: 2
        max_capacity: 10
        target_value: 60
      replicas:
        min_capacity: 1
        max_capacity: 3
        target_value: 70
        metric: ElastiCacheReplicaEngineCPUUtilization
        disable_scale_in: true

- name: Stop auto scaling the shards, keeping the replicas auto scaled
  storagekit.aws.elasticache_replication_group:
    name: cache
    auto_scaling:
      shards:
        enabled: false

- name: Put a rotated secret into effect with the old token still valid
  storagekit.aws.elasticache_replication_group:
    name: sessions
    auth_token_secret: elasticache/sessions/auth-token

- name: Delete the group after a final snapshot with a name of our choosing
  storagekit.aws.elasticache_replication_group:
    name: sessions
    state: absent
    final_snapshot_identifier: sessions-before-migration
"""

RETURN = r"""
replication_group:
  description:
    - The replication group as DescribeReplicationGroups gives it, in snake case, after the run.
      Predicted when check mode creates it, as read when check mode changes it; empty after deletion.
      Never holds the token.
  returned: always
  type: dict
  contains:
    replication_group_id:
      description: The group id.
      type: str
      sample: sessions
    arn:
      description: ARN of the group.
      type: str
    status:
      description: Status, for example C(available), C(creating) or C(modifying).
      type: str
    engine:
      description: C(valkey) or C(redis).
      type: str
    cache_node_type:
      description: Node type.
      type: str
    cluster_enabled:
      description: Whether cluster mode is enabled.
      type: bool
    member_clusters:
      description: Ids of the member cache clusters.
      type: list
      elements: str
    node_groups:
      description: The shards with their members and endpoints.
      type: list
      elements: dict
    auth_token_enabled:
      description: Whether the group has an AUTH token.
      type: bool
    tags:
      description: Tags of the group, when O(tags) is set.
      type: dict
primary_endpoint:
  description: Address and port of the primary, with cluster mode disabled.
  returned: when the group has it
  type: dict
  sample: {"address": "sessions.abc123.ng.0001.euw1.cache.amazonaws.com", "port": 6379}
reader_endpoint:
  description: Address and port that spread reads over the replicas, with cluster mode disabled.
  returned: when the group has it
  type: dict
configuration_endpoint:
  description: Address and port of the configuration endpoint, with cluster mode enabled.
  returned: when the group has it
  type: dict
auto_scaling:
  description:
    - Auto scaling of the group after the run, by dimension. Predicted in check mode.
  returned: when O(auto_scaling) is set
  type: dict
  contains:
    shards:
      description:
        - Auto scaling of the shard count. Only C(enabled=false) when there is no scalable target.
      type: dict
      sample:
        enabled: true
        min_capacity: 2
        max_capacity: 10
        target_value: 60.0
        metric: ElastiCachePrimaryEngineCPUUtilization
        policy_name: storagekit-shards-target-tracking
        scale_in_cooldown: 600
        scale_out_cooldown: 600
        disable_scale_in: false
    replicas:
      description: Auto scaling of the replicas per shard, with the same keys as RV(auto_scaling.shards).
      type: dict
auth_token_secret_arn:
  description: ARN of the secret holding the AUTH token (not the token).
  returned: when O(auth_token_secret) is set and the secret exists
  type: str
"""

import datetime

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import apply_target_tracking
from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import deregister_targets
from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import describe_targets
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.compare import differs
from ansible_collections.storagekit.aws.plugins.module_utils.compare import without_unset
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import AUTH_TOKEN_EXCLUDED_CHARACTERS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import DEFAULT_SCALING_METRICS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import MEMBER_CLUSTER_FACTS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import SCALABLE_DIMENSIONS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import SCALING_METRICS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import SCALING_NAMESPACE
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import auth_token_problem
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import describe_member_cluster
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import describe_replication_group
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import endpoints
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import is_settled
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import normalize_member_cluster
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import normalize_replication_group
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import read_auto_scaling
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import scaling_policy_name
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import scaling_resource_id
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until

LOG_DELIVERY_SPEC = dict(
    type=dict(type="str", choices=["slow-log", "engine-log"], required=True),
    log_group=dict(type="str", required=True),
    format=dict(type="str", choices=["json", "text"], default="json"),
)
SCALING_DIMENSION_SPEC = dict(
    enabled=dict(type="bool", default=True),
    min_capacity=dict(type="int"),
    max_capacity=dict(type="int"),
    target_value=dict(type="float"),
    metric=dict(type="str", choices=list(SCALING_METRICS)),
    scale_in_cooldown=dict(type="int", default=600),
    scale_out_cooldown=dict(type="int", default=600),
    policy_name=dict(type="str"),
    disable_scale_in=dict(type="bool", default=False),
)
AUTO_SCALING_SPEC = dict(
    shards=dict(type="dict", options=SCALING_DIMENSION_SPEC),
    replicas=dict(type="dict", options=SCALING_DIMENSION_SPEC),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    description=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    engine=dict(type="str", choices=["valkey", "redis"]),
    engine_version=dict(type="str"),
    node_type=dict(type="str"),
    cluster_mode=dict(type="str", choices=["disabled", "enabled"]),
    replicas=dict(type="int"),
    shards=dict(type="int"),
    replicas_per_shard=dict(type="int"),
    multi_az=dict(type="bool"),
    automatic_failover=dict(type="bool"),
    port=dict(type="int"),
    subnet_group=dict(type="str"),
    security_group_ids=dict(type="list", elements="str"),
    parameter_group=dict(type="str"),
    at_rest_encryption=dict(type="bool"),
    kms_key_id=dict(type="str", no_log=False),
    transit_encryption=dict(type="bool"),
    transit_encryption_mode=dict(type="str", choices=["preferred", "required"]),
    auth_token=dict(type="str", no_log=True),
    auth_token_secret=dict(type="str", no_log=False),
    auth_token_secret_kms_key_id=dict(type="str", no_log=False),
    auth_token_length=dict(type="int", default=64, no_log=False),
    auth_token_punctuation=dict(type="bool", default=False, no_log=False),
    auth_token_update_strategy=dict(type="str", choices=["rotate", "set", "delete"], no_log=False),
    snapshot_retention_limit=dict(type="int"),
    snapshot_window=dict(type="str"),
    final_snapshot=dict(type="bool", default=True),
    final_snapshot_identifier=dict(type="str"),
    maintenance_window=dict(type="str"),
    auto_minor_version_upgrade=dict(type="bool"),
    notification_topic_arn=dict(type="str"),
    log_delivery=dict(type="list", elements="dict", options=LOG_DELIVERY_SPEC),
    tags=dict(type="dict", aliases=["resource_tags"]),
    purge_tags=dict(type="bool", default=True),
    auto_scaling=dict(type="dict", options=AUTO_SCALING_SPEC),
    apply_immediately=dict(type="bool", default=True),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=900),
)
MUTUALLY_EXCLUSIVE = [("auth_token", "auth_token_secret")]

# The options compared against the group, in the shape normalize_replication_group gives.
FACTS = (
    "description",
    "engine",
    "engine_version",
    "cluster_mode",
    "node_type",
    "replicas",
    "shards",
    "replicas_per_shard",
    "multi_az",
    "automatic_failover",
    "port",
    "subnet_group",
    "security_group_ids",
    "parameter_group",
    "at_rest_encryption",
    "kms_key_id",
    "transit_encryption",
    "transit_encryption_mode",
    "snapshot_retention_limit",
    "snapshot_window",
    "maintenance_window",
    "auto_minor_version_upgrade",
    "notification_topic_arn",
    "log_delivery",
)
# What ModifyReplicationGroup calls each setting it can change.
MODIFIABLE = dict(
    description="ReplicationGroupDescription",
    engine="Engine",
    engine_version="EngineVersion",
    automatic_failover="AutomaticFailoverEnabled",
    multi_az="MultiAZEnabled",
    parameter_group="CacheParameterGroupName",
    security_group_ids="SecurityGroupIds",
    maintenance_window="PreferredMaintenanceWindow",
    notification_topic_arn="NotificationTopicArn",
    snapshot_retention_limit="SnapshotRetentionLimit",
    snapshot_window="SnapshotWindow",
    auto_minor_version_upgrade="AutoMinorVersionUpgrade",
    transit_encryption="TransitEncryptionEnabled",
    transit_encryption_mode="TransitEncryptionMode",
    log_delivery="LogDeliveryConfigurations",
)
MAX_REPLICAS = 5
MAX_SHARDS = 500
HIDDEN = "<hidden>"
# Statuses a group stays in without further action: waiting longer changes nothing.
SETTLED_STATUSES = ("available", "create-failed")


class Refused(Exception):
    """A change AWS would refuse; raised while planning, before any write."""


# ---------------------------------------------------------------------------------------------
# Desired state and validation
# ---------------------------------------------------------------------------------------------


def desired_facts(params):
    """The options in the shape normalize_replication_group gives; unset options are None."""
    desired = dict((key, params.get(key)) for key in FACTS)
    if desired["security_group_ids"] is not None:
        desired["security_group_ids"] = sorted(desired["security_group_ids"])
    if desired["maintenance_window"] is not None:
        desired["maintenance_window"] = desired["maintenance_window"].lower()
    if params["log_delivery"] is not None:
        desired["log_delivery"] = dict(
            (item["type"], dict(log_group=item["log_group"], format=item["format"])) for item in params["log_delivery"]
        )
    return desired


def with_creation_defaults(desired, name):
    """The desired state completed with what the module sets when it creates a group."""
    group = dict(desired)
    group["description"] = group["description"] or name
    group["engine"] = group["engine"] or "valkey"
    group["cluster_mode"] = group["cluster_mode"] or "disabled"
    if group["cluster_mode"] == "enabled":
        group["shards"] = 1 if group["shards"] is None else group["shards"]
        group["replicas_per_shard"] = 1 if group["replicas_per_shard"] is None else group["replicas_per_shard"]
    else:
        group["replicas"] = 1 if group["replicas"] is None else group["replicas"]
    has_replica = replica_count(group) > 0
    if group["automatic_failover"] is None:
        group["automatic_failover"] = has_replica or group["cluster_mode"] == "enabled"
    if group["multi_az"] is None:
        group["multi_az"] = has_replica and group["automatic_failover"]
    if group["at_rest_encryption"] is None:
        group["at_rest_encryption"] = True
    if group["transit_encryption"] is None:
        group["transit_encryption"] = True
    if group["transit_encryption"] and group["transit_encryption_mode"] is None:
        group["transit_encryption_mode"] = "required"
    return group


def replica_count(group):
    if group.get("cluster_mode") == "enabled":
        return group.get("replicas_per_shard") or 0
    return group.get("replicas") or 0


def validate_options(module):
    """Refuse contradictory options before any API call."""
    params = module.params
    problems = []
    if params["cluster_mode"] == "enabled" and params["replicas"] is not None:
        problems.append("replicas is for cluster_mode=disabled; use replicas_per_shard")
    if params["cluster_mode"] == "disabled" and (params["shards"] is not None or params["replicas_per_shard"] is not None):
        problems.append("shards and replicas_per_shard are for cluster_mode=enabled")
    for option, low, high in (("replicas", 0, MAX_REPLICAS), ("replicas_per_shard", 0, MAX_REPLICAS), ("shards", 1, MAX_SHARDS)):
        if params[option] is not None and not low <= params[option] <= high:
            problems.append("{0} must be from {1} to {2}".format(option, low, high))
    if params["kms_key_id"] and params["at_rest_encryption"] is False:
        problems.append("kms_key_id needs at_rest_encryption")
    if params["transit_encryption_mode"] and params["transit_encryption"] is False:
        problems.append("transit_encryption_mode needs transit_encryption")
    if params["auth_token"] is not None:
        problem = auth_token_problem(params["auth_token"])
        if problem:
            problems.append("auth_token " + problem)
    if not 32 <= params["auth_token_length"] <= 128:
        problems.append("auth_token_length must be from 32 to 128")
    if params["auth_token_secret_kms_key_id"] and not params["auth_token_secret"]:
        problems.append("auth_token_secret_kms_key_id needs auth_token_secret")
    has_token = params["auth_token"] is not None or params["auth_token_secret"] is not None
    strategy = params["auth_token_update_strategy"]
    if strategy == "delete" and has_token:
        problems.append("auth_token_update_strategy=delete cannot be combined with auth_token or auth_token_secret")
    if strategy in ("rotate", "set") and not has_token:
        problems.append("auth_token_update_strategy={0} needs auth_token or auth_token_secret".format(strategy))
    if params["final_snapshot_identifier"] and not params["final_snapshot"]:
        problems.append("final_snapshot_identifier needs final_snapshot")
    problems.extend(auto_scaling_problems(params))
    types = [item["type"] for item in params["log_delivery"] or []]
    if len(types) != len(set(types)):
        problems.append("each log type may be listed once in log_delivery")
    if problems:
        module.fail_json(msg="Invalid options: {0}.".format("; ".join(problems)))


def auto_scaling_problems(params):
    """What is wrong with O(auto_scaling), as messages."""
    problems = []
    limits = dict(shards=(1, MAX_SHARDS), replicas=(0, MAX_REPLICAS))
    for dimension, settings in sorted((params["auto_scaling"] or {}).items()):
        if not settings or not settings["enabled"]:
            continue
        prefix = "auto_scaling.{0}".format(dimension)
        if settings["min_capacity"] is None or settings["max_capacity"] is None or settings["target_value"] is None:
            problems.append("{0} needs min_capacity, max_capacity and target_value".format(prefix))
            continue
        low, high = limits[dimension]
        if not low <= settings["min_capacity"] <= settings["max_capacity"] <= high:
            problems.append("{0} needs {1} <= min_capacity <= max_capacity <= {2}".format(prefix, low, high))
        if not 0 < settings["target_value"] <= 100:
            problems.append("{0}.target_value is a percentage, above 0 and at most 100".format(prefix))
    if params["cluster_mode"] == "disabled" and scaling_enabled(params):
        problems.append("auto_scaling needs cluster_mode=enabled: AWS auto scales only groups with cluster mode")
    return problems


def without_scaled_counts(desired, scaling, current_scaling, raw):
    """The desired state without the counts auto scaling owns, so that a run never undoes a scaling."""
    if scaling is None:
        return desired
    desired = dict(desired)
    replica_key = "replicas_per_shard" if raw.get("ClusterEnabled") else "replicas"
    for dimension, key in (("shards", "shards"), ("replicas", replica_key)):
        settings = scaling.get(dimension) or current_scaling[dimension]
        if settings.get("enabled"):
            desired[key] = None
    return desired


def scaling_enabled(params):
    """Whether O(auto_scaling) turns on any dimension."""
    return any((settings or {}).get("enabled") for settings in (params["auto_scaling"] or {}).values())


def desired_scaling(params):
    """O(auto_scaling) in the shape read_auto_scaling gives; None when unset."""
    if params["auto_scaling"] is None:
        return None
    scaling = {}
    for dimension, settings in params["auto_scaling"].items():
        if settings is None:
            continue
        if not settings["enabled"]:
            scaling[dimension] = dict(enabled=False)
            continue
        scaling[dimension] = dict(
            settings,
            metric=settings["metric"] or DEFAULT_SCALING_METRICS[dimension],
            policy_name=settings["policy_name"] or scaling_policy_name(dimension),
        )
    return scaling


def check_rules(group, has_token):
    """AWS's rules on the group as it will be after the run."""
    replicas = replica_count(group)
    if group["cluster_mode"] == "enabled" and group["automatic_failover"] is False:
        raise Refused("cluster_mode=enabled needs automatic_failover.")
    if group["multi_az"] and replicas < 1:
        raise Refused("multi_az needs at least one replica; set multi_az=false to run without replicas.")
    if group["multi_az"] and not group["automatic_failover"]:
        raise Refused("multi_az needs automatic_failover.")
    if group["automatic_failover"] and group["cluster_mode"] == "disabled" and replicas < 1:
        raise Refused("automatic_failover needs at least one replica; set automatic_failover=false to run without replicas.")
    if has_token and not group["transit_encryption"]:
        raise Refused("An AUTH token needs transit_encryption.")


def check_unchangeable(desired, current):
    """Refuse changes AWS cannot make to an existing group."""
    name = current["name"]
    if desired["engine"] == "redis" and current["engine"] == "valkey":
        raise Refused("Replication group {0} runs valkey, which cannot go back to redis.".format(name))
    if desired["engine"] == "valkey" and current["engine"] == "redis" and desired["engine_version"] is None:
        raise Refused("Upgrading replication group {0} from redis to valkey needs engine_version.".format(name))
    if desired["cluster_mode"] is not None and desired["cluster_mode"] != current["cluster_mode"]:
        raise Refused(
            "The cluster mode of replication group {0} cannot change from {1} to {2} with this module; "
            "create a new group instead.".format(name, current["cluster_mode"], desired["cluster_mode"])
        )
    for option in ("at_rest_encryption", "subnet_group", "port"):
        if desired[option] is not None and desired[option] != current.get(option):
            raise Refused(
                "{0} of replication group {1} cannot change after creation ({2} -> {3}).".format(
                    option, name, current.get(option), desired[option]
                )
            )
    if desired["kms_key_id"] and not same_kms_key(desired["kms_key_id"], current["kms_key_id"]):
        raise Refused("kms_key_id of replication group {0} cannot change after creation.".format(name))
    if desired["cluster_mode"] == "disabled" or current["cluster_mode"] == "disabled":
        if desired["shards"] is not None or desired["replicas_per_shard"] is not None:
            raise Refused("Replication group {0} has cluster mode disabled: use replicas.".format(name))
    elif desired["replicas"] is not None:
        raise Refused("Replication group {0} has cluster mode enabled: use shards and replicas_per_shard.".format(name))


def check_transit_steps(desired, current):
    """AWS changes in-transit encryption of an existing group through the preferred mode."""
    enable = desired["transit_encryption"] is True and not current["transit_encryption"]
    if enable and desired["transit_encryption_mode"] == "required":
        raise Refused(
            "AWS enables in-transit encryption on an existing group with transit_encryption_mode=preferred first; "
            "set required in a later run."
        )
    if desired["transit_encryption"] is False and current["transit_encryption_mode"] == "required":
        raise Refused("AWS disables in-transit encryption only from transit_encryption_mode=preferred; set that first.")


def same_kms_key(wanted, arn):
    if arn is None:
        return False
    if wanted.startswith("alias/") or ":alias/" in wanted:
        return True
    return wanted == arn or arn.endswith("/" + wanted)


def same_engine_version(wanted, have):
    return have is not None and (wanted == have or have.startswith(wanted + "."))


# ---------------------------------------------------------------------------------------------
# The AUTH token and its secret
# ---------------------------------------------------------------------------------------------


def read_secret(module, secrets):
    """GetSecretValue of O(auth_token_secret), or None when it does not exist. The token is masked."""
    try:
        secret = secrets.get_secret_value(aws_retry=True, SecretId=module.params["auth_token_secret"])
    except is_boto3_error_code("ResourceNotFoundException"):
        return None
    token = secret.get("SecretString")
    if not token:
        module.fail_json(msg="Secret {0} has no secret string to use as the AUTH token.".format(secret["Name"]))
    module.no_log_values.add(token)
    problem = auth_token_problem(token)
    if problem:
        module.fail_json(msg="The AUTH token in secret {0} {1}.".format(secret["Name"], problem))
    return secret


def create_secret(module, secrets, changes, group_name):
    """Create O(auth_token_secret) with a random token; returns (token, ARN), or (None, None) in check mode."""
    params = module.params
    name = params["auth_token_secret"]
    if name.startswith("arn:"):
        module.fail_json(msg="Secret {0} does not exist; give a secret name to have it created.".format(name))

    def write():
        request = dict(PasswordLength=params["auth_token_length"])
        if params["auth_token_punctuation"]:
            request["ExcludeCharacters"] = AUTH_TOKEN_EXCLUDED_CHARACTERS
        else:
            request["ExcludePunctuation"] = True
        token = secrets.get_random_password(aws_retry=True, **request)["RandomPassword"]
        module.no_log_values.add(token)
        create = dict(
            Name=name,
            Description="AUTH token of ElastiCache replication group {0}".format(group_name),
            SecretString=token,
        )
        if params["auth_token_secret_kms_key_id"]:
            create["KmsKeyId"] = params["auth_token_secret_kms_key_id"]
        return token, secrets.create_secret(aws_retry=True, **create)["ARN"]

    created = changes.apply("auth_token_secret", None, dict(name=name, created=True), write)
    return created or (None, None)


class TokenSource:
    """Where this run's AUTH token comes from; ``token`` is None when there is none (or in check mode)."""

    def __init__(self, token=None, secret_arn=None, version_date=None, new_secret=False):
        self.token = token
        self.secret_arn = secret_arn
        self.version_date = version_date
        self.new_secret = new_secret


def token_source(module, secrets, changes, group_name):
    params = module.params
    if params["auth_token"] is not None:
        return TokenSource(token=params["auth_token"])
    if params["auth_token_secret"] is None:
        return None
    secret = read_secret(module, secrets)
    if secret is not None:
        return TokenSource(secret["SecretString"], secret["ARN"], secret.get("CreatedDate"))
    token, arn = create_secret(module, secrets, changes, group_name)
    return TokenSource(token, arn, new_secret=True)


def auth_token_update(params, current, source):
    """The AuthTokenUpdateStrategy to apply to an existing group, or None."""
    strategy = params["auth_token_update_strategy"]
    if strategy == "delete":
        return "DELETE" if current["auth_token_enabled"] else None
    if source is None:
        return None
    if not current["auth_token_enabled"]:
        return "ROTATE"
    if params["auth_token"] is not None:
        return strategy.upper() if strategy else None
    last_modified = current["auth_token_last_modified"]
    if source.new_secret or (source.version_date and last_modified and source.version_date > last_modified):
        return (strategy or "rotate").upper()
    return None


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------


def log_delivery_request(deliveries, current=None):
    """LogDeliveryConfigurations enabling ``deliveries`` and disabling the other types in ``current``."""
    request = []
    for log_type, settings in sorted(deliveries.items()):
        request.append(
            dict(
                LogType=log_type,
                DestinationType="cloudwatch-logs",
                DestinationDetails=dict(CloudWatchLogsDetails=dict(LogGroup=settings["log_group"])),
                LogFormat=settings["format"],
                Enabled=True,
            )
        )
    for log_type in sorted(set(current or {}) - set(deliveries)):
        request.append(dict(LogType=log_type, Enabled=False))
    return request


def create_request(params, group, token):
    """CreateReplicationGroup parameters: everything AWS takes at creation, so no later call is needed."""
    request = dict(
        ReplicationGroupId=params["name"],
        ReplicationGroupDescription=group["description"],
        Engine=group["engine"],
        CacheNodeType=group["node_type"],
        AutomaticFailoverEnabled=group["automatic_failover"],
        MultiAZEnabled=group["multi_az"],
        AtRestEncryptionEnabled=group["at_rest_encryption"],
        TransitEncryptionEnabled=group["transit_encryption"],
    )
    if group["cluster_mode"] == "enabled":
        request.update(ClusterMode="enabled", NumNodeGroups=group["shards"], ReplicasPerNodeGroup=group["replicas_per_shard"])
    else:
        request["NumCacheClusters"] = group["replicas"] + 1
    if group["transit_encryption"]:
        request["TransitEncryptionMode"] = group["transit_encryption_mode"]
    optional = dict(
        EngineVersion="engine_version",
        Port="port",
        CacheSubnetGroupName="subnet_group",
        SecurityGroupIds="security_group_ids",
        CacheParameterGroupName="parameter_group",
        KmsKeyId="kms_key_id",
        SnapshotRetentionLimit="snapshot_retention_limit",
        SnapshotWindow="snapshot_window",
        PreferredMaintenanceWindow="maintenance_window",
        AutoMinorVersionUpgrade="auto_minor_version_upgrade",
        NotificationTopicArn="notification_topic_arn",
    )
    for field, key in optional.items():
        if group[key] is not None:
            request[field] = group[key]
    if group["log_delivery"]:
        request["LogDeliveryConfigurations"] = log_delivery_request(group["log_delivery"])
    if token is not None:
        request["AuthToken"] = token
    if params["tags"]:
        request["Tags"] = ansible_dict_to_boto3_tag_list(params["tags"])
    return request


def predicted_group(request):
    """What DescribeReplicationGroups will show of a group created with ``request`` (check mode)."""
    raw = dict(
        ReplicationGroupId=request["ReplicationGroupId"],
        Description=request["ReplicationGroupDescription"],
        Status="creating",
        Engine=request["Engine"],
        CacheNodeType=request["CacheNodeType"],
        ClusterEnabled=request.get("ClusterMode") == "enabled",
        AutomaticFailover="enabled" if request["AutomaticFailoverEnabled"] else "disabled",
        MultiAZ="enabled" if request["MultiAZEnabled"] else "disabled",
        AtRestEncryptionEnabled=request["AtRestEncryptionEnabled"],
        TransitEncryptionEnabled=request["TransitEncryptionEnabled"],
        AuthTokenEnabled="AuthToken" in request,
    )
    for field in ("KmsKeyId", "TransitEncryptionMode", "SnapshotRetentionLimit", "SnapshotWindow", "AutoMinorVersionUpgrade"):
        if field in request:
            raw[field] = request[field]
    return raw


# ---------------------------------------------------------------------------------------------
# Planning changes of an existing group
# ---------------------------------------------------------------------------------------------


def plan_settings(desired, current):
    """``{option: (before, after)}`` of the settings one ModifyReplicationGroup call changes."""
    plan = {}
    for option in MODIFIABLE:
        want, have = desired[option], current.get(option)
        if want is None:
            continue
        if option == "engine_version" and same_engine_version(want, have):
            continue
        if option == "maintenance_window" and have is not None and want == have.lower():
            continue
        if option == "log_delivery" and want == have:
            continue
        if option != "log_delivery" and not differs(want, have):
            continue
        plan[option] = (have, want)
    if "transit_encryption" in plan and plan["transit_encryption"][1] and "transit_encryption_mode" not in plan:
        plan["transit_encryption_mode"] = (current["transit_encryption_mode"], desired["transit_encryption_mode"] or "preferred")
    return plan


def modify_request(plan, current, params):
    request = dict(ApplyImmediately=params["apply_immediately"])
    for option, (_before, after) in plan.items():
        if option == "log_delivery":
            request[MODIFIABLE[option]] = log_delivery_request(after, current["log_delivery"])
        else:
            request[MODIFIABLE[option]] = after
    if "TransitEncryptionMode" in request and "TransitEncryptionEnabled" not in request:
        request["TransitEncryptionEnabled"] = True
    if "Engine" in request:
        request["EngineVersion"] = params["engine_version"]
    return request


def summary(facts):
    """A group's settings for the diff: the options, never internal bookkeeping or the token."""
    return without_unset(dict((k, facts.get(k)) for k in FACTS))


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class GroupWriter:
    """Runs the writes of one group in order; AWS accepts each only once the group is available again."""

    def __init__(self, module, client, raw):
        self.module = module
        self.client = client
        self.raw = raw
        self.pending = raw is not None and not is_settled(raw)

    def settle(self):
        if not self.pending:
            return
        name = self.module.params["name"]
        self.raw = wait_until(
            self.module,
            lambda: describe_replication_group(self.client, name),
            lambda raw: raw is None or raw.get("Status") in SETTLED_STATUSES,
            self.module.params["wait_timeout"],
            "ElastiCache replication group {0} to become available".format(name),
        )
        if not is_settled(self.raw):
            status = self.raw.get("Status") if self.raw else "gone"
            self.module.fail_json(msg="ElastiCache replication group {0} is {1}, not available.".format(name, status))
        self.pending = False

    def call(self, operation, **request):
        self.settle()
        self.raw = operation(aws_retry=True, ReplicationGroupId=self.module.params["name"], **request)["ReplicationGroup"]
        self.pending = True


def record(changes, plan, write=None):
    """Record each facet of ``plan`` in the diff and make one write for all of them."""
    for facet, (before, after) in plan.items():
        changes.apply(facet, before, after)
    if plan and write is not None and changes.writes_allowed:
        write()


def apply_replicas(changes, writer, key, want, have, increase):
    if want is None or want == have or (want > have) != increase:
        return
    operation = writer.client.increase_replica_count if increase else writer.client.decrease_replica_count
    record(changes, {key: (have, want)}, lambda: writer.call(operation, NewReplicaCount=want, ApplyImmediately=True))


def apply_shards(changes, writer, want, current, increase):
    have = current.get("shards")
    if want is None or want == have or (want > have) != increase:
        return
    request = dict(NodeGroupCount=want, ApplyImmediately=True)
    if not increase:
        request["NodeGroupsToRemove"] = current["node_group_ids"][want:]
    record(
        changes,
        dict(shards=(have, want)),
        lambda: writer.call(writer.client.modify_replication_group_shard_configuration, **request),
    )


def apply_auth_token(changes, writer, strategy, current, source):
    if strategy is None:
        return
    before = dict(enabled=current["auth_token_enabled"])
    if current["auth_token_enabled"]:
        before["token"] = HIDDEN
    after = dict(enabled=strategy != "DELETE", update_strategy=strategy.lower())
    request = dict(AuthTokenUpdateStrategy=strategy, ApplyImmediately=True)
    if strategy != "DELETE":
        after["token"] = HIDDEN
        request["AuthToken"] = source.token
    record(changes, dict(auth_token=(before, after)), lambda: writer.call(writer.client.modify_replication_group, **request))


def apply_tags(module, changes, client, arn):
    """Reconcile tags; returns the tags after the run, or None when O(tags) is unset."""
    if module.params["tags"] is None:
        return None
    current = boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(aws_retry=True, ResourceName=arn)["TagList"])
    return apply_tag_changes(
        changes,
        current,
        module.params["tags"],
        module.params["purge_tags"],
        lambda keys: client.remove_tags_from_resource(aws_retry=True, ResourceName=arn, TagKeys=keys),
        lambda tags: client.add_tags_to_resource(aws_retry=True, ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(tags)),
    )


def apply_auto_scaling(changes, writer, autoscaling, want, have):
    """Register, update or remove the scalable targets and policies of the group, once it is available.

    Returns the auto scaling after the run.
    """
    after = dict(have)
    for dimension in sorted(want):
        settings, current = want[dimension], have[dimension]
        facet = "auto_scaling/{0}".format(dimension)
        target = dict(
            ServiceNamespace=SCALING_NAMESPACE,
            ResourceId=scaling_resource_id(writer.module.params["name"]),
            ScalableDimension=SCALABLE_DIMENSIONS[dimension],
        )

        def write(operation, facet=facet, current=current, settings=settings, **request):
            def call():
                writer.settle()
                operation(aws_retry=True, **request)

            changes.apply(facet, current, settings, call)

        if apply_target_tracking(write, autoscaling, target, settings, current):
            after[dimension] = settings
    return after


# ---------------------------------------------------------------------------------------------
# States
# ---------------------------------------------------------------------------------------------


def create_group(module, client, secrets, changes, desired):
    params = module.params
    group = with_creation_defaults(desired, params["name"])
    if group["node_type"] is None:
        module.fail_json(msg="node_type is required to create replication group {0}.".format(params["name"]))
    has_token = params["auth_token"] is not None or params["auth_token_secret"] is not None
    try:
        check_rules(group, has_token and params["auth_token_update_strategy"] != "delete")
    except Refused as e:
        module.fail_json(msg=str(e))
    source = token_source(module, secrets, changes, params["name"])
    request = create_request(params, group, source.token if source else None)
    if source is not None and source.token is None:
        request["AuthToken"] = HIDDEN  # check mode: the secret is not created, but the group would get its token
    after = summary(group)
    if source is not None:
        after["auth_token"] = HIDDEN
    raw = changes.apply(
        "replication_group",
        None,
        after,
        lambda: client.create_replication_group(aws_retry=True, **request)["ReplicationGroup"],
    )
    writer = GroupWriter(module, client, raw)
    writer.pending = raw is not None
    if raw is None:
        writer.raw = predicted_group(request)
    tags = params["tags"] if params["tags"] is not None else None
    return writer, source, tags


def update_group(module, client, secrets, changes, desired, raw):
    params = module.params
    current = normalize_replication_group(raw)
    if any(desired[key] is not None for key in MEMBER_CLUSTER_FACTS):
        current.update(normalize_member_cluster(describe_member_cluster(client, raw)))
    has_token = params["auth_token"] is not None or params["auth_token_secret"] is not None
    try:
        check_unchangeable(desired, current)
        check_transit_steps(desired, current)
        after = dict(current)
        after.update((k, v) for k, v in desired.items() if v is not None)
        deleting_token = params["auth_token_update_strategy"] == "delete"
        check_rules(after, (has_token or current["auth_token_enabled"]) and not deleting_token)
    except Refused as e:
        module.fail_json(msg=str(e))
    settings = plan_settings(desired, current)
    source = token_source(module, secrets, changes, params["name"])
    strategy = auth_token_update(params, current, source)
    writer = GroupWriter(module, client, raw)
    replica_key = "replicas_per_shard" if current["cluster_mode"] == "enabled" else "replicas"
    want_replicas, have_replicas = desired[replica_key], current[replica_key]
    # Grow first and shrink last, so failover and Multi-AZ always have the replicas they need.
    apply_replicas(changes, writer, replica_key, want_replicas, have_replicas, increase=True)
    apply_shards(changes, writer, desired["shards"], current, increase=True)
    if desired["node_type"] is not None and desired["node_type"] != current["node_type"]:
        record(
            changes,
            dict(node_type=(current["node_type"], desired["node_type"])),
            lambda: writer.call(
                client.modify_replication_group, CacheNodeType=desired["node_type"], ApplyImmediately=params["apply_immediately"]
            ),
        )
    record(changes, settings, lambda: writer.call(client.modify_replication_group, **modify_request(settings, current, params)))
    apply_auth_token(changes, writer, strategy, current, source)
    apply_shards(changes, writer, desired["shards"], current, increase=False)
    apply_replicas(changes, writer, replica_key, want_replicas, have_replicas, increase=False)
    tags = apply_tags(module, changes, client, raw["ARN"])
    return writer, source, tags


def ensure_present(module, client, secrets, autoscaling):
    changes = ChangeSet(module)
    name = module.params["name"]
    desired = desired_facts(module.params)
    raw = describe_replication_group(client, name)
    if raw is not None and raw.get("Status") == "deleting":
        module.fail_json(msg="Replication group {0} is being deleted; run again once it is gone.".format(name))
    scaling = desired_scaling(module.params)
    if raw is not None and not raw.get("ClusterEnabled") and scaling_enabled(module.params):
        module.fail_json(msg="Replication group {0} has cluster mode disabled: AWS auto scales only groups with cluster mode enabled.".format(name))
    if raw is None and (desired["cluster_mode"] or "disabled") == "disabled" and scaling_enabled(module.params):
        module.fail_json(msg="auto_scaling needs cluster_mode=enabled: AWS auto scales only groups with cluster mode.")
    current_scaling = None
    if scaling is not None:
        current_scaling = dict((d, dict(enabled=False)) for d in SCALABLE_DIMENSIONS)
        if raw is not None:
            policy_names = dict((d, s["policy_name"]) for d, s in scaling.items() if s.get("enabled"))
            current_scaling = read_auto_scaling(autoscaling, name, policy_names)
    if raw is None:
        writer, source, tags = create_group(module, client, secrets, changes, desired)
    else:
        desired = without_scaled_counts(desired, scaling, current_scaling, raw)
        writer, source, tags = update_group(module, client, secrets, changes, desired, raw)
    scaling_after = None
    if scaling is not None:
        scaling_after = apply_auto_scaling(changes, writer, autoscaling, scaling, current_scaling)
    if module.params["wait"] and changes.writes_allowed:
        writer.settle()
    group = camel_dict_to_snake_dict(writer.raw)
    if tags is not None:
        group["tags"] = tags
    result = dict(replication_group=group)
    result.update(endpoints(writer.raw))
    if source is not None and source.secret_arn:
        result["auth_token_secret_arn"] = source.secret_arn
    if scaling_after is not None:
        result["auto_scaling"] = scaling_after
    return changes.result(**result)


def final_snapshot_name(params):
    if not params["final_snapshot"]:
        return None
    if params["final_snapshot_identifier"]:
        return params["final_snapshot_identifier"]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
    return "{0}-final-{1}".format(params["name"], stamp)


def ensure_absent(module, client, autoscaling):
    changes = ChangeSet(module)
    params = module.params
    name = params["name"]
    raw = describe_replication_group(client, name)
    if raw is None:
        return changes.result(replication_group={})
    writer = GroupWriter(module, client, raw)

    def wait_gone():
        wait_until(
            module,
            lambda: describe_replication_group(client, name),
            lambda found: found is None,
            params["wait_timeout"],
            "ElastiCache replication group {0} to be deleted".format(name),
        )

    if raw.get("Status") == "deleting":
        if params["wait"] and changes.writes_allowed:
            wait_gone()
        return changes.result(replication_group={})
    snapshot = final_snapshot_name(params)
    request = dict(FinalSnapshotIdentifier=snapshot) if snapshot else {}
    targets = describe_targets(autoscaling, SCALING_NAMESPACE, [scaling_resource_id(name)])

    def write():
        deregister_targets(autoscaling, targets)
        # AWS deletes only an available group.
        writer.call(client.delete_replication_group, **request)
        if params["wait"]:
            wait_gone()

    before = summary(normalize_replication_group(raw))
    changes.apply("replication_group", before, dict(state="absent", final_snapshot_identifier=snapshot), write)
    return changes.result(replication_group={})


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, mutually_exclusive=MUTUALLY_EXCLUSIVE, supports_check_mode=True)
    validate_options(module)
    client = module.client("elasticache", retry_decorator=AWSRetry.jittered_backoff())
    autoscaling = None
    if module.params["state"] == "absent" or module.params["auto_scaling"] is not None:
        autoscaling = module.client("application-autoscaling", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            result = ensure_absent(module, client, autoscaling)
        else:
            secrets = None
            if module.params["auth_token_secret"] is not None:
                secrets = module.client("secretsmanager", retry_decorator=AWSRetry.jittered_backoff())
            result = ensure_present(module, client, secrets, autoscaling)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage ElastiCache replication group {0}".format(module.params["name"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
