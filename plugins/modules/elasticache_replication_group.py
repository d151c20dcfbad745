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
  - The diff never shows the AUTH token.
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
      - V(false) is allowed and warned about on every run.
    type: bool
  transit_encryption:
    description:
      - Whether connections use TLS. Defaults to V(true) when the group is created.
      - Needed for an AUTH token.
      - V(false) is allowed and warned about on every run.
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
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.wait
  - storagekit.aws.kms
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - O(kms_key_id) given as an alias is not compared against an existing group, since the group reports the key ARN.
  - O(node_type) must have the form C(cache.<family>.<size>); checked before any call.
  - Before a create or a version change, O(engine_version) must be listed by C(DescribeCacheEngineVersions), and
    before a create the KMS keys must exist and be C(Enabled). A run that changes nothing makes neither call.
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


from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import SCALING_METRICS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import validate_options
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_states import ensure_absent
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_states import ensure_present
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

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
    **TAG_OPTIONS,
    auto_scaling=dict(type="dict", options=AUTO_SCALING_SPEC),
    apply_immediately=dict(type="bool", default=True),
    **wait_options(),
)
MUTUALLY_EXCLUSIVE = [("auth_token", "auth_token_secret")]


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, mutually_exclusive=MUTUALLY_EXCLUSIVE, supports_check_mode=True)
    validate_options(module)
    client = aws_client(module, "elasticache")
    autoscaling = None
    if module.params["state"] == "absent" or module.params["auto_scaling"] is not None:
        autoscaling = aws_client(module, "application-autoscaling")

    def present(module, client, autoscaling):
        secrets = None
        if module.params["auth_token_secret"] is not None:
            secrets = aws_client(module, "secretsmanager")
        return ensure_present(module, client, secrets, autoscaling)

    what = "ElastiCache replication group {0}".format(module.params["name"])
    run_state(module, what, present, ensure_absent, client, autoscaling)


if __name__ == "__main__":
    main()
