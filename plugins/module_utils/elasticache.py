# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading ElastiCache replication groups into the flat shape the modules compare against.

DescribeReplicationGroups holds most settings; the engine version, parameter group, subnet group,
security groups, maintenance window and notification topic live on the member cache clusters
only, so they are read from one member cluster, and only when a module manages them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import read_target_tracking
from ansible_collections.storagekit.aws.plugins.module_utils.reading import first_described

READY_STATUS = "available"
# Log deliveries in these states are in effect or about to be.
LIVE_LOG_STATUSES = ("active", "enabling", "modifying")
# The settings that DescribeReplicationGroups does not return.
MEMBER_CLUSTER_FACTS = (
    "engine_version",
    "parameter_group",
    "subnet_group",
    "security_group_ids",
    "maintenance_window",
    "notification_topic_arn",
)
# AUTH tokens may hold printable ASCII only, and of the punctuation only these characters.
AUTH_TOKEN_PUNCTUATION = "!&#$^<>-"
ALL_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
AUTH_TOKEN_EXCLUDED_CHARACTERS = "".join(c for c in ALL_PUNCTUATION if c not in AUTH_TOKEN_PUNCTUATION)
# Application Auto Scaling of a replication group: the shard count and the replicas per shard.
SCALING_NAMESPACE = "elasticache"
SCALABLE_DIMENSIONS = {
    "shards": "elasticache:replication-group:NodeGroups",
    "replicas": "elasticache:replication-group:Replicas",
}
SCALING_METRICS = (
    "ElastiCachePrimaryEngineCPUUtilization",
    "ElastiCacheReplicaEngineCPUUtilization",
    "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage",
)
DEFAULT_SCALING_METRICS = {
    "shards": "ElastiCachePrimaryEngineCPUUtilization",
    "replicas": "ElastiCacheReplicaEngineCPUUtilization",
}


def describe_replication_group(client, name):
    """The raw ReplicationGroup, or None when it does not exist."""
    return first_described(
        client.describe_replication_groups, "ReplicationGroups", "ReplicationGroupNotFoundFault", ReplicationGroupId=name
    )


def describe_member_cluster(client, raw):
    """The raw CacheCluster of the group's first member, or None while it has none."""
    members = raw.get("MemberClusters") or []
    if not members:
        return None
    return first_described(client.describe_cache_clusters, "CacheClusters", "CacheClusterNotFound", CacheClusterId=members[0])


def is_settled(raw):
    return raw is not None and raw.get("Status") == READY_STATUS


def shard_member_counts(raw):
    """Nodes per shard, from NodeGroupMembers, else spread evenly over MemberClusters."""
    node_groups = raw.get("NodeGroups") or []
    counts = [len(g.get("NodeGroupMembers") or []) for g in node_groups]
    if node_groups and all(counts):
        return counts
    members = len(raw.get("MemberClusters") or [])
    shards = max(len(node_groups), 1)
    return [members // shards] * shards


def endpoint(raw_endpoint):
    if not raw_endpoint:
        return None
    return dict(address=raw_endpoint.get("Address"), port=raw_endpoint.get("Port"))


def endpoints(raw):
    """The primary, reader and configuration endpoints that exist."""
    result = {}
    if raw.get("ConfigurationEndpoint"):
        result["configuration_endpoint"] = endpoint(raw["ConfigurationEndpoint"])
    node_groups = raw.get("NodeGroups") or []
    if not raw.get("ClusterEnabled") and node_groups:
        for key, field in (("primary_endpoint", "PrimaryEndpoint"), ("reader_endpoint", "ReaderEndpoint")):
            if node_groups[0].get(field):
                result[key] = endpoint(node_groups[0][field])
    return result


def normalize_log_delivery(raw_configurations):
    """``{log_type: {log_group, format}}`` of the deliveries in effect."""
    deliveries = {}
    for raw in raw_configurations or []:
        if raw.get("Status") not in LIVE_LOG_STATUSES:
            continue
        details = (raw.get("DestinationDetails") or {}).get("CloudWatchLogsDetails") or {}
        deliveries[raw["LogType"]] = dict(log_group=details.get("LogGroup"), format=raw.get("LogFormat"))
    return deliveries


def normalize_replication_group(raw):
    """The group's settings in the shape of the module options."""
    cluster_enabled = bool(raw.get("ClusterEnabled"))
    counts = shard_member_counts(raw)
    port = (endpoint(raw.get("ConfigurationEndpoint")) or {}).get("port")
    node_groups = raw.get("NodeGroups") or []
    if port is None and node_groups:
        port = (endpoint(node_groups[0].get("PrimaryEndpoint")) or {}).get("port")
    facts = dict(
        name=raw["ReplicationGroupId"],
        arn=raw.get("ARN"),
        status=raw.get("Status"),
        description=raw.get("Description"),
        engine=raw.get("Engine") or "redis",
        cluster_mode="enabled" if cluster_enabled else "disabled",
        node_type=raw.get("CacheNodeType"),
        multi_az=raw.get("MultiAZ") == "enabled",
        automatic_failover=raw.get("AutomaticFailover") in ("enabled", "enabling"),
        port=port,
        at_rest_encryption=bool(raw.get("AtRestEncryptionEnabled")),
        kms_key_id=raw.get("KmsKeyId"),
        transit_encryption=bool(raw.get("TransitEncryptionEnabled")),
        transit_encryption_mode=raw.get("TransitEncryptionMode"),
        auth_token_enabled=bool(raw.get("AuthTokenEnabled")),
        auth_token_last_modified=raw.get("AuthTokenLastModifiedDate") or raw.get("ReplicationGroupCreateTime"),
        snapshot_retention_limit=raw.get("SnapshotRetentionLimit"),
        snapshot_window=raw.get("SnapshotWindow"),
        auto_minor_version_upgrade=raw.get("AutoMinorVersionUpgrade"),
        log_delivery=normalize_log_delivery(raw.get("LogDeliveryConfigurations")),
        node_group_ids=sorted(g["NodeGroupId"] for g in node_groups if g.get("NodeGroupId")),
    )
    if cluster_enabled:
        facts["shards"] = len(node_groups)
        facts["replicas_per_shard"] = max(counts) - 1 if counts else 0
    else:
        facts["replicas"] = max(counts[0] - 1, 0) if counts else 0
    return facts


def normalize_member_cluster(raw):
    """The settings only a member cache cluster reports."""
    raw = raw or {}
    topic = raw.get("NotificationConfiguration") or {}
    return dict(
        engine_version=raw.get("EngineVersion"),
        parameter_group=(raw.get("CacheParameterGroup") or {}).get("CacheParameterGroupName"),
        subnet_group=raw.get("CacheSubnetGroupName"),
        security_group_ids=sorted(g["SecurityGroupId"] for g in raw.get("SecurityGroups") or []),
        maintenance_window=raw.get("PreferredMaintenanceWindow"),
        notification_topic_arn=topic.get("TopicArn") if topic.get("TopicStatus") != "inactive" else None,
    )


def auth_token_problem(token):
    """Why AWS would refuse ``token`` as an AUTH token, or None."""
    if not 16 <= len(token) <= 128:
        return "must have 16 to 128 characters"
    for character in token:
        if not (" " < character <= "~"):
            return "may hold printable ASCII characters only, without spaces"
        if character in AUTH_TOKEN_EXCLUDED_CHARACTERS:
            return "may only use these punctuation characters: {0}".format(AUTH_TOKEN_PUNCTUATION)
    return None


def scaling_resource_id(name):
    """The Application Auto Scaling ResourceId of a replication group."""
    return "replication-group/{0}".format(name)


def scaling_policy_name(dimension):
    """The name of the target-tracking policy this collection owns for one dimension."""
    return "storagekit-{0}-target-tracking".format(dimension)


def read_auto_scaling(autoscaling, name, policy_names=None):
    """``{"shards": settings, "replicas": settings}`` of a group, in two reads at most.

    ``policy_names`` (``{dimension: name}``) picks our policy when a dimension has several.
    """
    names = dict((SCALABLE_DIMENSIONS[d], n) for d, n in (policy_names or {}).items())
    resource_id = scaling_resource_id(name)
    found = read_target_tracking(autoscaling, SCALING_NAMESPACE, [resource_id], names)[resource_id]
    return dict((d, found.get(dimension_id) or dict(enabled=False)) for d, dimension_id in SCALABLE_DIMENSIONS.items())
