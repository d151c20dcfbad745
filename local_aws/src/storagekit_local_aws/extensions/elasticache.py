"""ElastiCache replication groups and cache parameter groups: what moto 5.2.5 lacks or gets
wrong, following the botocore service model.

- Replication groups are kept here (in moto's backend dict, so moto's CreateSnapshot,
  DescribeSnapshots, tags and reset still see them) and all their calls are answered here:
  moto ignores NumCacheClusters (one node only), reads cluster mode back only with
  ClusterMode="enabled" (a cluster-enabled parameter group or NumNodeGroups > 1 give
  ClusterEnabled=False and a broken member list), has no ReaderEndpoint, reports KmsKeyId as
  the key id, stores no engine version, parameter group, security groups or topic, and
  ModifyReplicationGroup changes only five settings without any of AWS's checks.
- What AWS checks on create and modify: AuthToken only with TransitEncryptionEnabled, 16 to 128
  printable characters without space, " / @; AuthTokenUpdateStrategy SET / ROTATE / DELETE
  (the token required except for DELETE, DELETE only on a group with a token) and only with
  ApplyImmediately; Multi-AZ only with automatic failover; automatic failover only with a
  replica (cluster mode disabled) and always on in cluster mode; a parameter group of the
  engine's family whose cluster-enabled matches the group; no engine downgrade; in-transit
  encryption switched on through TransitEncryptionMode "preferred" and off only from it;
  ClusterMode disabled -> compatible -> enabled.
- ModifyReplicationGroup without ApplyImmediately keeps CacheNodeType and EngineVersion for the
  maintenance window: the member clusters report them in PendingModifiedValues until a later
  call with ApplyImmediately applies them.
- ModifyReplicationGroupShardConfiguration, IncreaseReplicaCount and DecreaseReplicaCount are
  missing in moto: shards and replicas are added and removed with AWS's member naming
  (<group>-001 with cluster mode disabled, <group>-0001-001 with it enabled) and slot ranges.
- DeleteReplicationGroup leaves the group in moto forever ("deleting"); here it is gone, its
  tags too, and FinalSnapshotIdentifier makes a manual snapshot (DescribeSnapshots).
- DescribeCacheClusters does not list the member clusters of replication groups and has no
  CacheNodes: the members are listed here with engine version, parameter group status,
  security groups, notification topic and (ShowCacheNodeInfo) their node and endpoint.
- Cache parameter groups are missing in moto: the default groups of the redis6.x, redis7,
  valkey7 and valkey8 families (plain and .cluster.on), Create / Describe / Modify / Reset /
  Delete, DescribeCacheParameters with Source, tags by parameter group ARN.
- DeleteCacheSubnetGroup is missing in moto: the group and its tags are removed from moto's
  backend, refused with CacheSubnetGroupInUse while a replication group or a cache cluster uses
  it (moto never finishes deleting a cache cluster, so one marked "deleting" no longer counts).
- DescribeCacheEngineVersions is missing in moto: the redis and valkey versions AWS offers are listed
  (ENGINE_VERSIONS), and CreateReplicationGroup / ModifyReplicationGroup refuse any other version
  with InvalidParameterValue ("Cannot find version 9.9 for valkey"), as AWS does.
- Tag calls on a replication group ARN that does not exist fail with
  ReplicationGroupNotFoundFault, as on AWS.
- DescribeSnapshots with the ReplicationGroupId of a group that no longer exists lists its
  snapshots, as AWS does; moto refuses it with ReplicationGroupNotFoundFault.
- Latency hook (kind "elasticache:replication-group"): created groups are "creating", modified
  or rescaled ones "modifying", one being snapshotted "snapshotting", a deleted one "deleting"
  (then gone); meanwhile ModifyReplicationGroup, DeleteReplicationGroup, the shard and replica
  calls and CreateSnapshot of it fail with InvalidReplicationGroupState.
"""

import re
import threading
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qsl

from ..latency import LatencyHook
from .base import ServiceExtension, aws_error, page, query_output, query_reply
from .base import query_request as request
from .rds import kms_key_arn

DEFAULT_VERSION = {"redis": "7.1", "valkey": "8.0"}
DEFAULT_MAINTENANCE_WINDOW = "sun:05:00-sun:06:00"
DEFAULT_SNAPSHOT_WINDOW = "03:00-04:00"
DEFAULT_PORT = 6379
SLOTS = 16384
MAX_REPLICAS = 5
AUTH_TOKEN = re.compile(r'^[\x21-\x7e]{16,128}$')
AUTH_TOKEN_FORBIDDEN = set('"/@')

# Parameters of every family: name -> (default, data type, allowed values, change type).
PARAMETERS = {
    "activedefrag": ("no", "string", "yes,no", "immediate"),
    "appendonly": ("no", "string", "yes,no", "immediate"),
    "cluster-enabled": ("no", "string", "yes,no", "requires-reboot"),
    "databases": ("16", "integer", "1-1200000", "requires-reboot"),
    "lazyfree-lazy-eviction": ("no", "string", "yes,no", "immediate"),
    "maxmemory-policy": ("volatile-lru", "string",
                         "volatile-lru,allkeys-lru,volatile-lfu,allkeys-lfu,volatile-random,allkeys-random,"
                         "volatile-ttl,noeviction", "immediate"),
    "maxmemory-samples": ("3", "integer", "1-", "immediate"),
    "notify-keyspace-events": (None, "string", None, "immediate"),
    "reserved-memory-percent": ("25", "integer", "0-100", "immediate"),
    "slowlog-log-slower-than": ("10000", "integer", "0-", "immediate"),
    "slowlog-max-len": ("128", "integer", "0-", "immediate"),
    "tcp-keepalive": ("300", "integer", "0-", "immediate"),
    "timeout": ("0", "integer", "0,20-", "immediate"),
}
FAMILIES = {"redis6.x": "6.0", "redis7": "7.0", "valkey7": "7.2", "valkey8": "8.0"}


# The versions DescribeCacheEngineVersions lists (AWS also names redis 6 versions "6.x").
ENGINE_VERSIONS = {"redis": ("6.0", "6.2", "7.0", "7.1"), "valkey": ("7.2", "8.0", "8.1")}


def known_version(engine, version):
    """A listed version, a major alone ("7"), a patch of a listed one ("7.1.0") or "6.x"."""
    version = version or ""
    return any(version in (listed, listed.split(".")[0], listed.split(".")[0] + ".x")
               or version.startswith(listed + ".") for listed in ENGINE_VERSIONS.get(engine, ()))


def family_of(engine, version):
    """The parameter group family of an engine version, or None when AWS has no such version."""
    if not known_version(engine, version):
        return None
    major = (version or "").split(".", 1)[0]
    family = {("redis", "6"): "redis6.x", ("redis", "7"): "redis7",
              ("valkey", "7"): "valkey7", ("valkey", "8"): "valkey8"}.get((engine, major))
    return family


def version_key(version):
    return tuple(int(part) if part.isdigit() else 0 for part in (version or "0").split("."))


def now():
    return datetime.now(timezone.utc)


def moto_backend(exchange):
    from moto.elasticache.models import elasticache_backends

    return elasticache_backends[exchange.account_id][exchange.call.region]


class Refused(Exception):
    """An AWS error for the call: code, message, HTTP status."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def invalid(message):
    return Refused("InvalidParameterValue", message)


def combination(message):
    return Refused("InvalidParameterCombination", message)


def check_auth_token(token):
    if not AUTH_TOKEN.match(token) or AUTH_TOKEN_FORBIDDEN & set(token):
        raise invalid("The AUTH token must be 16 to 128 printable characters, without spaces, '\"', '/' or '@'.")


# --- cache parameter groups --------------------------------------------------------------------

class ParameterGroup:
    def __init__(self, account, region, name, family, description, is_default=False):
        self.name, self.family, self.description, self.is_default = name, family, description, is_default
        self.arn = f"arn:aws:elasticache:{region}:{account}:parametergroup:{name}"
        self.values = {}  # parameters set by the user
        self.cluster_default = "yes" if name.endswith(".cluster.on") and is_default else "no"

    def value(self, name):
        if name in self.values:
            return self.values[name]
        if name == "cluster-enabled":
            return self.cluster_default
        return PARAMETERS[name][0]

    @property
    def cluster_enabled(self):
        return self.value("cluster-enabled") == "yes"

    def describe(self):
        return {"CacheParameterGroupName": self.name, "CacheParameterGroupFamily": self.family,
                "Description": self.description, "IsGlobal": False, "ARN": self.arn}

    def parameters(self, source=None):
        listed = []
        for name, (default, data_type, allowed, change_type) in sorted(PARAMETERS.items()):
            origin = "user" if name in self.values else "system"
            if source and source != origin and not (source == "engine-default" and origin == "system"):
                continue
            parameter = {"ParameterName": name, "Description": f"{name} setting", "Source": origin,
                         "DataType": data_type, "IsModifiable": True,
                         "MinimumEngineVersion": FAMILIES[self.family], "ChangeType": change_type}
            value = self.value(name)
            if value is not None:
                parameter["ParameterValue"] = value
            if allowed:
                parameter["AllowedValues"] = allowed
            listed.append(parameter)
        return listed


def check_parameter_value(name, value):
    if name not in PARAMETERS:
        raise invalid(f"Unknown parameter: {name}")
    dummy, data_type, allowed, dummy = PARAMETERS[name]
    if allowed is None:
        return
    if data_type == "string":
        if value not in allowed.split(","):
            raise invalid(f"Invalid value for parameter {name}: {value}. Allowed values: {allowed}")
        return
    if not value.isdigit():
        raise invalid(f"Invalid value for parameter {name}: {value}. Allowed values: {allowed}")
    for span in allowed.split(","):
        low, dummy, high = span.partition("-")
        if int(value) >= int(low) and (not dummy and int(value) == int(low) or dummy and (not high or int(value) <= int(high))):
            return
    raise invalid(f"Invalid value for parameter {name}: {value}. Allowed values: {allowed}")


# --- replication groups ------------------------------------------------------------------------

class ReplicationGroup:
    """One replication group as AWS keeps it. moto's CreateSnapshot reads the snake_case
    attributes (engine, cache_node_type, node_groups, ...), so they keep moto's names."""

    def __init__(self, account, region, params, cluster_mode, parameter_group, kms_key):
        self.account, self.region = account, region
        self.replication_group_id = params["ReplicationGroupId"].lower()
        self.description = params["ReplicationGroupDescription"]
        self.engine = params.get("Engine", "redis").lower()
        self.engine_version = params.get("EngineVersion") or DEFAULT_VERSION[self.engine]
        self.cache_node_type = params["CacheNodeType"]
        self.cache_parameter_group_name = parameter_group
        self.cache_subnet_group_name = params.get("CacheSubnetGroupName")
        self.security_group_ids = list(params.get("SecurityGroupIds") or [])
        self.port = params.get("Port") or DEFAULT_PORT
        self.preferred_maintenance_window = (params.get("PreferredMaintenanceWindow")
                                             or DEFAULT_MAINTENANCE_WINDOW).lower()
        self.notification_topic_arn = params.get("NotificationTopicArn")
        self.notification_topic_status = "active" if self.notification_topic_arn else None
        self.auto_minor_version_upgrade = params.get("AutoMinorVersionUpgrade", True)
        self.snapshot_retention_limit = params.get("SnapshotRetentionLimit") or 0
        self.snapshot_window = params.get("SnapshotWindow") or DEFAULT_SNAPSHOT_WINDOW
        self.cluster_mode = cluster_mode
        failover_default = cluster_mode == "enabled"
        self.automatic_failover = "enabled" if params.get("AutomaticFailoverEnabled", failover_default) else "disabled"
        self.multi_az = "enabled" if params.get("MultiAZEnabled") else "disabled"
        self.transit_encryption_enabled = bool(params.get("TransitEncryptionEnabled"))
        self.transit_encryption_mode = (params.get("TransitEncryptionMode") or "required") \
            if self.transit_encryption_enabled else None
        self.at_rest_encryption_enabled = bool(params.get("AtRestEncryptionEnabled"))
        self.kms_key_id = kms_key if self.at_rest_encryption_enabled else None
        self.auth_token = params.get("AuthToken")
        self.auth_token_last_modified_date = now() if self.auth_token else None
        self.log_delivery_configurations = []
        self.apply_log_delivery(params.get("LogDeliveryConfigurations") or [])
        self.data_tiering = "enabled" if params.get("DataTieringEnabled") else "disabled"
        self.network_type = params.get("NetworkType") or "ipv4"
        self.ip_discovery = params.get("IpDiscovery") or "ipv4"
        self.create_time = now()
        self.arn = f"arn:aws:elasticache:{region}:{account}:replicationgroup:{self.replication_group_id}"
        self.domain = f"{self.replication_group_id}.{uuid.uuid4().hex[:6]}.{region_code(region)}.cache.amazonaws.com"
        self.pending_node_changes = {}  # CacheNodeType / EngineVersion kept for the maintenance window
        self.shards = []
        self._build_shards(params)

    # moto's CreateSnapshot counts these
    @property
    def node_groups(self):
        return self.shards

    @property
    def cluster_enabled(self):
        return self.cluster_mode == "enabled"

    def _azs(self):
        return [f"{self.region}{letter}" for letter in "abc"]

    def _build_shards(self, params):
        if not self.cluster_enabled:
            count = params.get("NumCacheClusters") or (params.get("ReplicasPerNodeGroup") or 0) + 1
            azs = params.get("PreferredCacheClusterAZs") or []
            shard = {"id": "0001", "slots": None, "members": []}
            self.shards.append(shard)
            for index in range(count):
                self.add_member(shard, azs[index] if index < len(azs) else None)
            return
        configs = params.get("NodeGroupConfiguration") or []
        count = params.get("NumNodeGroups") or len(configs) or 1
        replicas = params.get("ReplicasPerNodeGroup") or 0
        for index in range(count):
            config = configs[index] if index < len(configs) else {}
            shard = {"id": config.get("NodeGroupId") or f"{index + 1:04d}", "slots": config.get("Slots"), "members": []}
            self.shards.append(shard)
            azs = [config.get("PrimaryAvailabilityZone")] + list(config.get("ReplicaAvailabilityZones") or [])
            for member in range(1 + config.get("ReplicaCount", replicas)):
                self.add_member(shard, azs[member] if member < len(azs) else None)
        self.spread_slots()

    def spread_slots(self):
        """Even slot ranges over the shards, as AWS assigns them when none were given."""
        if any(shard["slots"] for shard in self.shards) and len(self.shards) == len(
                [shard for shard in self.shards if shard["slots"]]):
            return
        count = len(self.shards)
        for index, shard in enumerate(self.shards):
            shard["slots"] = f"{SLOTS * index // count}-{SLOTS * (index + 1) // count - 1}"

    def add_member(self, shard, az=None):
        used = [int(member["id"].rsplit("-", 1)[1]) for member in self.all_members()
                if not self.cluster_enabled or member["id"].startswith(f"{self.replication_group_id}-{shard['id']}-")]
        number = max(used, default=0) + 1
        prefix = f"{self.replication_group_id}-{shard['id']}" if self.cluster_enabled else self.replication_group_id
        az = az or self._azs()[(len(shard["members"])) % 3]
        shard["members"].append({"id": f"{prefix}-{number:03d}", "az": az, "created": now()})

    def all_members(self):
        return [member for shard in self.shards for member in shard["members"]]

    def replica_count(self):
        return len(self.shards[0]["members"]) - 1

    def apply_log_delivery(self, requested):
        """LogDeliveryConfigurations of a create or modify: Enabled=false drops a log type."""
        by_type = {config["LogType"]: config for config in self.log_delivery_configurations}
        for config in requested:
            if config.get("Enabled") is False:
                by_type.pop(config.get("LogType"), None)
                continue
            entry = {name: config[name] for name in ("LogType", "DestinationType", "DestinationDetails", "LogFormat")
                     if name in config}
            entry["LogFormat"] = entry.get("LogFormat", "text")
            entry["Status"] = "active"
            by_type[config["LogType"]] = entry
        self.log_delivery_configurations = [by_type[name] for name in sorted(by_type)]

    def snapshotting_cluster_id(self):
        if self.snapshot_retention_limit <= 0 or self.cluster_enabled:
            return None
        members = self.shards[0]["members"]
        return members[1]["id"] if len(members) > 1 else members[0]["id"]

    def endpoint(self, name):
        return {"Address": f"{name}.{self.domain}", "Port": self.port}

    def describe(self):
        group = {
            "ReplicationGroupId": self.replication_group_id, "Description": self.description,
            "Status": "available", "PendingModifiedValues": {},
            "MemberClusters": [member["id"] for member in self.all_members()],
            "NodeGroups": [self._describe_shard(shard) for shard in self.shards],
            "AutomaticFailover": self.automatic_failover, "MultiAZ": self.multi_az,
            "SnapshotRetentionLimit": self.snapshot_retention_limit, "SnapshotWindow": self.snapshot_window,
            "ClusterEnabled": self.cluster_enabled, "CacheNodeType": self.cache_node_type,
            "AuthTokenEnabled": bool(self.auth_token), "TransitEncryptionEnabled": self.transit_encryption_enabled,
            "AtRestEncryptionEnabled": self.at_rest_encryption_enabled, "ARN": self.arn,
            "LogDeliveryConfigurations": self.log_delivery_configurations,
            "ReplicationGroupCreateTime": self.create_time, "DataTiering": self.data_tiering,
            "AutoMinorVersionUpgrade": self.auto_minor_version_upgrade, "NetworkType": self.network_type,
            "IpDiscovery": self.ip_discovery, "ClusterMode": self.cluster_mode, "Engine": self.engine,
        }
        if self.snapshotting_cluster_id():
            group["SnapshottingClusterId"] = self.snapshotting_cluster_id()
        if self.cluster_enabled:
            group["ConfigurationEndpoint"] = self.endpoint("clustercfg")
        if self.auth_token:
            group["AuthTokenLastModifiedDate"] = self.auth_token_last_modified_date
        if self.transit_encryption_enabled:
            group["TransitEncryptionMode"] = self.transit_encryption_mode
        if self.kms_key_id:
            group["KmsKeyId"] = self.kms_key_id
        return group

    def _describe_shard(self, shard):
        described = {"NodeGroupId": shard["id"], "Status": "available"}
        if self.cluster_enabled:
            described["Slots"] = shard["slots"]
            described["NodeGroupMembers"] = [
                {"CacheClusterId": member["id"], "CacheNodeId": "0001", "PreferredAvailabilityZone": member["az"]}
                for member in shard["members"]]
            return described
        described["PrimaryEndpoint"] = self.endpoint("master")
        described["ReaderEndpoint"] = self.endpoint("replica")
        described["NodeGroupMembers"] = [
            {"CacheClusterId": member["id"], "CacheNodeId": "0001", "ReadEndpoint": self.endpoint(member["id"]),
             "PreferredAvailabilityZone": member["az"], "CurrentRole": "primary" if index == 0 else "replica"}
            for index, member in enumerate(shard["members"])]
        return described

    def describe_member(self, member, show_nodes):
        cluster = {
            "CacheClusterId": member["id"], "CacheNodeType": self.cache_node_type, "Engine": self.engine,
            "EngineVersion": self.engine_version, "CacheClusterStatus": "available", "NumCacheNodes": 1,
            "PreferredAvailabilityZone": member["az"], "CacheClusterCreateTime": member["created"],
            "PreferredMaintenanceWindow": self.preferred_maintenance_window,
            "PendingModifiedValues": dict(self.pending_node_changes), "CacheSecurityGroups": [],
            "CacheParameterGroup": {"CacheParameterGroupName": self.cache_parameter_group_name,
                                    "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []},
            "AutoMinorVersionUpgrade": self.auto_minor_version_upgrade,
            "SecurityGroups": [{"SecurityGroupId": group, "Status": "active"} for group in self.security_group_ids],
            "ReplicationGroupId": self.replication_group_id,
            "SnapshotRetentionLimit": self.snapshot_retention_limit, "SnapshotWindow": self.snapshot_window,
            "AuthTokenEnabled": bool(self.auth_token), "TransitEncryptionEnabled": self.transit_encryption_enabled,
            "AtRestEncryptionEnabled": self.at_rest_encryption_enabled,
            "ARN": f"arn:aws:elasticache:{self.region}:{self.account}:cluster:{member['id']}",
            "ReplicationGroupLogDeliveryEnabled": bool(self.log_delivery_configurations),
            "LogDeliveryConfigurations": self.log_delivery_configurations,
            "NetworkType": self.network_type, "IpDiscovery": self.ip_discovery,
        }
        if self.cache_subnet_group_name:
            cluster["CacheSubnetGroupName"] = self.cache_subnet_group_name
        if self.notification_topic_arn:
            cluster["NotificationConfiguration"] = {"TopicArn": self.notification_topic_arn,
                                                    "TopicStatus": self.notification_topic_status}
        if self.auth_token:
            cluster["AuthTokenLastModifiedDate"] = self.auth_token_last_modified_date
        if self.transit_encryption_enabled:
            cluster["TransitEncryptionMode"] = self.transit_encryption_mode
        if show_nodes:
            cluster["CacheNodes"] = [{
                "CacheNodeId": "0001", "CacheNodeStatus": "available", "CacheNodeCreateTime": member["created"],
                "Endpoint": self.endpoint(member["id"]), "ParameterGroupStatus": "in-sync",
                "CustomerAvailabilityZone": member["az"]}]
        return cluster


def region_code(region):
    """us-east-1 -> use1, as in ElastiCache endpoint names."""
    parts = region.split("-")
    return parts[0] + "".join(part[0] for part in parts[1:-1]) + parts[-1] if len(parts) >= 3 else region


class ElastiCacheExtension(ServiceExtension):
    service = "elasticache"
    atomic = frozenset({"CreateReplicationGroup"})

    OPERATIONS = {
        "CreateReplicationGroup", "DescribeReplicationGroups", "ModifyReplicationGroup", "DeleteReplicationGroup",
        "ModifyReplicationGroupShardConfiguration", "IncreaseReplicaCount", "DecreaseReplicaCount",
        "CreateCacheParameterGroup", "DescribeCacheParameterGroups", "ModifyCacheParameterGroup",
        "ResetCacheParameterGroup", "DeleteCacheParameterGroup", "DescribeCacheParameters",
        "DescribeCacheClusters", "DeleteCacheSubnetGroup", "DescribeCacheEngineVersions",
        "ListTagsForResource", "AddTagsToResource", "RemoveTagsFromResource",
    }

    def __init__(self):
        super().__init__()
        self._lock = threading.RLock()
        self._parameter_groups = {}  # (account, region) -> {name: ParameterGroup}
        self.latency_hooks = [ElastiCacheLatency()]

    def reset(self):
        with self._lock:
            self._parameter_groups.clear()

    # --- dispatch ---------------------------------------------------------------------------

    def handle(self, exchange):
        if exchange.operation not in self.OPERATIONS:
            return None
        method = getattr(self, "_" + re.sub(r"(?<!^)(?=[A-Z])", "_", exchange.operation).lower())
        try:
            with self._lock:
                return method(exchange, request(exchange))
        except Refused as error:
            return aws_error(exchange, error.code, error.message, error.status)

    def rewrite(self, exchange):
        if exchange.operation == "DescribeCacheClusters" and exchange.reply.status == 200:
            self._add_member_clusters(exchange)
        if exchange.operation == "DescribeSnapshots" and exchange.reply.status == 404:
            self._snapshots_of_a_deleted_group(exchange)

    def _snapshots_of_a_deleted_group(self, exchange):  # pylint: disable=import-outside-toplevel
        """AWS lists the snapshots of a replication group that no longer exists (its final snapshot is
        what restores it); moto refuses the call with ReplicationGroupNotFoundFault, which is not among
        DescribeSnapshots' errors."""
        from moto.core.serialize import XFormedAttributePicker

        params = request(exchange)
        identifier = params.get("ReplicationGroupId")
        if not identifier or params.get("CacheClusterId") or params.get("SnapshotName"):
            return
        snapshots = moto_backend(exchange)._get_snapshots_by_param(  # pylint: disable=protected-access
            ref_id=identifier, source=params.get("SnapshotSource"))
        listed, marker = page(snapshots, params)
        output = {"Snapshots": listed}
        if marker:
            output["Marker"] = marker
        # moto's model objects, serialized the way moto serializes them.
        exchange.reply = query_reply(exchange, output, value_picker=XFormedAttributePicker())

    # --- state ------------------------------------------------------------------------------

    def _groups(self, exchange):
        return moto_backend(exchange).replication_groups

    def _group(self, exchange, identifier):
        group = self._groups(exchange).get((identifier or "").lower())
        if not isinstance(group, ReplicationGroup):
            raise Refused("ReplicationGroupNotFoundFault", f"Replication group {identifier} not found.", 404)
        return group

    def _parameter_groups_of(self, exchange):
        key = (exchange.account_id, exchange.call.region)
        if key not in self._parameter_groups:
            groups = {}
            for family in FAMILIES:
                for name in (f"default.{family}", f"default.{family}.cluster.on"):
                    groups[name] = ParameterGroup(*key, name, family, f"Default parameter group for {family}",
                                                  is_default=True)
            self._parameter_groups[key] = groups
        return self._parameter_groups[key]

    def _parameter_group(self, exchange, name):
        group = self._parameter_groups_of(exchange).get((name or "").lower())
        if group is None:
            raise Refused("CacheParameterGroupNotFound", f"CacheParameterGroup {name} not found.", 404)
        return group

    # --- replication groups -----------------------------------------------------------------

    def _create_replication_group(self, exchange, params):
        identifier = params["ReplicationGroupId"].lower()
        if identifier in self._groups(exchange):
            raise Refused("ReplicationGroupAlreadyExists", f"Replication group {identifier} already exists.")
        if not params.get("CacheNodeType"):
            raise invalid("The parameter CacheNodeType must be provided and must not be null.")
        engine = params.get("Engine", "redis").lower()
        if engine not in DEFAULT_VERSION:
            raise invalid(f"Invalid engine {engine}; ElastiCache replication groups support redis and valkey.")
        family = family_of(engine, params.get("EngineVersion") or DEFAULT_VERSION[engine])
        if family is None:
            raise invalid(f"Cannot find version {params.get('EngineVersion')} for {engine}")
        subnet_group = params.get("CacheSubnetGroupName")
        if subnet_group and subnet_group not in moto_backend(exchange).cache_subnet_groups:
            raise Refused("CacheSubnetGroupNotFoundFault", f"CacheSubnetGroup {subnet_group} not found.", 404)
        self._check_encryption_request(params)
        cluster_mode, parameter_group = self._cluster_mode(exchange, params, family)
        self._check_failover(cluster_mode, params)
        snapshot = params.get("SnapshotName")
        if snapshot and snapshot not in moto_backend(exchange).snapshots:
            raise Refused("SnapshotNotFoundFault", f"Snapshot {snapshot} not found.", 404)
        key = params.get("KmsKeyId")
        if key and not params.get("AtRestEncryptionEnabled"):
            raise combination("KmsKeyId can be specified only when AtRestEncryptionEnabled is true.")
        key_arn = kms_key_arn(exchange, key) if key else None
        group = ReplicationGroup(exchange.account_id, exchange.call.region, params, cluster_mode,
                                 parameter_group, key_arn)
        self._groups(exchange)[group.replication_group_id] = group
        if params.get("Tags"):
            moto_backend(exchange).tagging_service.tag_resource(group.arn, params["Tags"])
        described = group.describe()
        described["Status"] = "creating"
        return query_reply(exchange, {"ReplicationGroup": described})

    @staticmethod
    def _check_encryption_request(params):
        if params.get("AuthToken") is not None:
            if not params.get("TransitEncryptionEnabled"):
                raise invalid("The AUTH token is only supported when encryption in transit is enabled.")
            check_auth_token(params["AuthToken"])
        if params.get("TransitEncryptionMode") and not params.get("TransitEncryptionEnabled"):
            raise combination("TransitEncryptionMode requires TransitEncryptionEnabled to be true.")

    def _cluster_mode(self, exchange, params, family):
        """(ClusterMode, parameter group name) of a new group, as AWS derives them."""
        requested = params.get("ClusterMode")
        shards = params.get("NumNodeGroups") or len(params.get("NodeGroupConfiguration") or []) or 1
        name = params.get("CacheParameterGroupName")
        if name:
            parameter_group = self._parameter_group(exchange, name)
            if parameter_group.family != family:
                raise combination(f"The parameter group {name} (family {parameter_group.family}) does not match "
                                  f"the engine version family {family}.")
            enabled = parameter_group.cluster_enabled
            if requested == "enabled" and not enabled:
                raise combination("Cluster mode enabled requires a parameter group with cluster-enabled set to yes.")
            if requested == "disabled" and enabled:
                raise combination("Cluster mode disabled requires a parameter group with cluster-enabled set to no.")
        else:
            enabled = requested in ("enabled", "compatible") or (requested is None and shards > 1)
            name = f"default.{family}.cluster.on" if enabled else f"default.{family}"
        if not enabled and shards > 1:
            raise combination("A replication group with more than one node group needs cluster mode enabled.")
        if enabled and params.get("NumCacheClusters"):
            raise combination("NumCacheClusters is for cluster mode disabled; use NumNodeGroups and "
                              "ReplicasPerNodeGroup.")
        mode = requested if requested == "compatible" else ("enabled" if enabled else "disabled")
        return mode, name

    @staticmethod
    def _check_failover(cluster_mode, params, replicas=None):
        failover = params.get("AutomaticFailoverEnabled", cluster_mode == "enabled")
        if params.get("MultiAZEnabled") and not failover:
            raise combination("Multi-AZ requires automatic failover to be enabled.")
        if cluster_mode == "enabled" and not failover:
            raise invalid("Automatic failover cannot be disabled for a cluster mode enabled replication group.")
        if replicas is None:
            replicas = (params.get("NumCacheClusters") or (params.get("ReplicasPerNodeGroup") or 0) + 1) - 1
        if replicas > MAX_REPLICAS:
            raise invalid(f"A node group can have at most {MAX_REPLICAS} replicas.")
        if failover and cluster_mode != "enabled" and replicas < 1:
            raise invalid("Automatic failover requires at least one read replica (NumCacheClusters of 2 or more).")

    def _describe_replication_groups(self, exchange, params):
        if params.get("ReplicationGroupId"):
            groups = [self._group(exchange, params["ReplicationGroupId"])]
        else:
            groups = [group for group in self._groups(exchange).values() if isinstance(group, ReplicationGroup)]
        listed, marker = page(groups, params)
        output = {"ReplicationGroups": [group.describe() for group in listed]}
        if marker:
            output["Marker"] = marker
        return query_reply(exchange, output)

    def _modify_replication_group(self, exchange, params):
        group = self._group(exchange, params["ReplicationGroupId"])
        apply_now = bool(params.get("ApplyImmediately"))
        self._check_modification(exchange, group, params, apply_now)
        # All checks passed: apply.
        if "ReplicationGroupDescription" in params:
            group.description = params["ReplicationGroupDescription"]
        if "AutomaticFailoverEnabled" in params:
            group.automatic_failover = "enabled" if params["AutomaticFailoverEnabled"] else "disabled"
        if "MultiAZEnabled" in params:
            group.multi_az = "enabled" if params["MultiAZEnabled"] else "disabled"
        if "SecurityGroupIds" in params:
            group.security_group_ids = list(params["SecurityGroupIds"])
        if "PreferredMaintenanceWindow" in params:
            group.preferred_maintenance_window = params["PreferredMaintenanceWindow"].lower()
        if "NotificationTopicArn" in params:
            group.notification_topic_arn = params["NotificationTopicArn"] or None
            group.notification_topic_status = "active" if group.notification_topic_arn else None
        if "NotificationTopicStatus" in params and group.notification_topic_arn:
            group.notification_topic_status = params["NotificationTopicStatus"]
        if "CacheParameterGroupName" in params:
            group.cache_parameter_group_name = params["CacheParameterGroupName"].lower()
        if "AutoMinorVersionUpgrade" in params:
            group.auto_minor_version_upgrade = params["AutoMinorVersionUpgrade"]
        if "SnapshotRetentionLimit" in params:
            group.snapshot_retention_limit = params["SnapshotRetentionLimit"]
        if "SnapshotWindow" in params:
            group.snapshot_window = params["SnapshotWindow"]
        if "Engine" in params:
            group.engine = params["Engine"].lower()
        if "LogDeliveryConfigurations" in params:
            group.apply_log_delivery(params["LogDeliveryConfigurations"])
        if "ClusterMode" in params:
            group.cluster_mode = params["ClusterMode"]
        if "TransitEncryptionEnabled" in params:
            group.transit_encryption_enabled = params["TransitEncryptionEnabled"]
            if not group.transit_encryption_enabled:
                group.transit_encryption_mode = None
        if "TransitEncryptionMode" in params and group.transit_encryption_enabled:
            group.transit_encryption_mode = params["TransitEncryptionMode"]
        self._apply_auth_token(group, params)
        self._apply_node_changes(group, params, apply_now)
        described = group.describe()
        if ElastiCacheLatency.changes_nodes(params):
            described["Status"] = "modifying"
        return query_reply(exchange, {"ReplicationGroup": described})

    def _check_modification(self, exchange, group, params, apply_now):
        """Refuse what AWS refuses, before anything changes."""
        cluster_mode = params.get("ClusterMode", group.cluster_mode)
        failover = params.get("AutomaticFailoverEnabled", group.automatic_failover == "enabled")
        multi_az = params.get("MultiAZEnabled", group.multi_az == "enabled")
        self._check_failover(cluster_mode, {"AutomaticFailoverEnabled": failover, "MultiAZEnabled": multi_az},
                             replicas=group.replica_count() if not group.cluster_enabled else 1)
        engine = params.get("Engine", group.engine).lower()
        if engine not in DEFAULT_VERSION:
            raise invalid(f"Invalid engine {engine}.")
        if group.engine == "valkey" and engine == "redis":
            raise combination("A valkey replication group cannot be changed to redis.")
        version = params.get("EngineVersion") or group.engine_version
        if family_of(engine, version) is None:
            raise invalid(f"Cannot find version {version} for {engine}")
        if version_key(version) < version_key(group.engine_version) and engine == group.engine:
            raise combination(f"Cannot downgrade {engine} from {group.engine_version} to {version}.")
        if "CacheParameterGroupName" in params or "EngineVersion" in params or "Engine" in params:
            name = params.get("CacheParameterGroupName") or group.cache_parameter_group_name
            parameter_group = self._parameter_group(exchange, name)
            family = family_of(engine, version)
            if parameter_group.family != family and "CacheParameterGroupName" in params:
                raise combination(f"The parameter group {name} (family {parameter_group.family}) does not match "
                                  f"the engine version family {family}.")
            if "CacheParameterGroupName" in params and parameter_group.cluster_enabled != (cluster_mode == "enabled"):
                raise combination("The parameter group's cluster-enabled setting does not match the replication "
                                  "group's cluster mode.")
        if "ClusterMode" in params and params["ClusterMode"] != group.cluster_mode:
            allowed = {("disabled", "compatible"), ("compatible", "enabled"), ("compatible", "disabled")}
            if (group.cluster_mode, params["ClusterMode"]) not in allowed:
                raise invalid(f"Cluster mode can change from {group.cluster_mode} only through compatible.")
        if "TransitEncryptionEnabled" in params or "TransitEncryptionMode" in params:
            self._check_transit_change(group, params)
        self._check_auth_token_change(group, params, apply_now)

    @staticmethod
    def _check_transit_change(group, params):
        enabled = params.get("TransitEncryptionEnabled", group.transit_encryption_enabled)
        mode = params.get("TransitEncryptionMode")
        if enabled and not group.transit_encryption_enabled and mode != "preferred":
            raise invalid("To enable encryption in transit on an existing replication group, set "
                          "TransitEncryptionMode to preferred first.")
        if not enabled and group.transit_encryption_enabled and group.transit_encryption_mode != "preferred":
            raise invalid("To disable encryption in transit, set TransitEncryptionMode to preferred first.")
        if mode and not enabled:
            raise combination("TransitEncryptionMode requires TransitEncryptionEnabled to be true.")

    @staticmethod
    def _check_auth_token_change(group, params, apply_now):
        token = params.get("AuthToken")
        strategy = params.get("AuthTokenUpdateStrategy")
        if token is None and strategy is None:
            return
        if not group.transit_encryption_enabled:
            raise invalid("The AUTH token can be modified only when encryption in transit is enabled.")
        if not apply_now:
            raise invalid("Modifying the AUTH token requires ApplyImmediately to be true.")
        if strategy == "DELETE":
            if token is not None:
                raise combination("AuthToken cannot be specified with the DELETE update strategy.")
            if not group.auth_token:
                raise invalid("The replication group has no AUTH token to delete.")
            return
        if token is None:
            raise combination(f"AuthToken is required with the {strategy} update strategy.")
        check_auth_token(token)

    @staticmethod
    def _apply_auth_token(group, params):
        strategy = params.get("AuthTokenUpdateStrategy")
        if strategy is None and params.get("AuthToken") is None:
            return
        if strategy == "DELETE":
            group.auth_token = None
            group.auth_token_last_modified_date = None
            return
        # SET replaces the token; ROTATE (the default) adds it next to the current one and
        # the next SET or ROTATE retires the old one. Only the newest is kept here.
        group.auth_token = params["AuthToken"]
        group.auth_token_last_modified_date = now()

    @staticmethod
    def _apply_node_changes(group, params, apply_now):
        requested = {name: params[name] for name in ("CacheNodeType", "EngineVersion") if name in params}
        if apply_now:
            changes = {**group.pending_node_changes, **requested}
            group.pending_node_changes = {}
        else:
            for name, value in requested.items():
                if value == getattr(group, "cache_node_type" if name == "CacheNodeType" else "engine_version"):
                    group.pending_node_changes.pop(name, None)
                else:
                    group.pending_node_changes[name] = value
            changes = {}
        if "CacheNodeType" in changes:
            group.cache_node_type = changes["CacheNodeType"]
        if "EngineVersion" in changes:
            group.engine_version = changes["EngineVersion"]

    def _delete_replication_group(self, exchange, params):
        group = self._group(exchange, params["ReplicationGroupId"])
        backend = moto_backend(exchange)
        final = params.get("FinalSnapshotIdentifier")
        if final:
            if final in backend.snapshots:
                raise Refused("SnapshotAlreadyExistsFault", f"Snapshot {final} already exists.")
            backend.create_snapshot(snapshot_name=final, replication_group_id=group.replication_group_id,
                                    cache_cluster_id=None, kms_key_id=group.kms_key_id, tags=None)
        described = group.describe()
        described["Status"] = "deleting"
        del self._groups(exchange)[group.replication_group_id]
        backend.tagging_service.delete_all_tags_for_resource(group.arn)
        return query_reply(exchange, {"ReplicationGroup": described})

    def _modify_replication_group_shard_configuration(self, exchange, params):
        group = self._group(exchange, params["ReplicationGroupId"])
        if not group.cluster_enabled:
            raise invalid("Resharding is supported only for cluster mode enabled replication groups.")
        if not params.get("ApplyImmediately"):
            raise invalid("ApplyImmediately=false is not supported for resharding.")
        count = params["NodeGroupCount"]
        current = [shard["id"] for shard in group.shards]
        if count == len(current):
            raise invalid(f"The replication group already has {count} node groups.")
        if count > len(current):
            replicas = group.replica_count()
            for dummy in range(count - len(current)):
                number = max(int(identifier) for identifier in [shard["id"] for shard in group.shards]) + 1
                shard = {"id": f"{number:04d}", "slots": None, "members": []}
                group.shards.append(shard)
                for dummy_member in range(1 + replicas):
                    group.add_member(shard)
        else:
            remove = params.get("NodeGroupsToRemove")
            retain = params.get("NodeGroupsToRetain")
            if not remove and not retain:
                raise invalid("Either NodeGroupsToRemove or NodeGroupsToRetain is required to decrease the "
                              "number of node groups.")
            keep = set(retain) if retain else set(current) - set(remove)
            unknown = (set(retain or []) | set(remove or [])) - set(current)
            if unknown or len(keep) != count:
                raise invalid("NodeGroupsToRemove / NodeGroupsToRetain do not match NodeGroupCount and the "
                              "replication group's node groups.")
            group.shards = [shard for shard in group.shards if shard["id"] in keep]
        for shard in group.shards:
            shard["slots"] = None
        group.spread_slots()
        described = group.describe()
        described["Status"] = "modifying"
        return query_reply(exchange, {"ReplicationGroup": described})

    def _increase_replica_count(self, exchange, params):
        return self._change_replicas(exchange, params, increase=True)

    def _decrease_replica_count(self, exchange, params):
        return self._change_replicas(exchange, params, increase=False)

    def _change_replicas(self, exchange, params, increase):
        group = self._group(exchange, params["ReplicationGroupId"])
        if not params.get("ApplyImmediately"):
            raise invalid("ApplyImmediately=false is not supported for changing the replica count.")
        targets = {}  # shard id -> new replica count
        for config in params.get("ReplicaConfiguration") or []:
            targets[config["NodeGroupId"]] = config["NewReplicaCount"]
        if params.get("NewReplicaCount") is not None:
            for shard in group.shards:
                targets.setdefault(shard["id"], params["NewReplicaCount"])
        removed = set(params.get("ReplicasToRemove") or [])
        if not targets and not removed:
            raise invalid("One of NewReplicaCount, ReplicaConfiguration or ReplicasToRemove is required.")
        minimum = 1 if group.multi_az == "enabled" or (
            group.automatic_failover == "enabled" and not group.cluster_enabled) else 0
        shards = {shard["id"]: shard for shard in group.shards}
        members = {member["id"] for member in group.all_members()}
        if removed - members:
            raise invalid(f"Unknown replicas to remove: {', '.join(sorted(removed - members))}")
        for shard_id, count in targets.items():
            if shard_id not in shards:
                raise invalid(f"Node group {shard_id} does not exist.")
            current = len(shards[shard_id]["members"]) - 1
            if increase and count <= current:
                raise invalid(f"The new replica count {count} must be greater than the current {current}.")
            if not increase and count >= current:
                raise invalid(f"The new replica count {count} must be less than the current {current}.")
            if count > MAX_REPLICAS:
                raise invalid(f"A node group can have at most {MAX_REPLICAS} replicas.")
            if count < minimum:
                raise invalid(f"The replica count cannot go below {minimum} while automatic failover or "
                              "Multi-AZ is enabled.")
        for shard in group.shards:
            primary = shard["members"][0]["id"]
            if primary in removed:
                raise invalid(f"{primary} is the primary of its node group and cannot be removed.")
            shard["members"] = [member for member in shard["members"] if member["id"] not in removed]
            target = targets.get(shard["id"])
            if target is None:
                continue
            while len(shard["members"]) - 1 < target:
                group.add_member(shard)
            while len(shard["members"]) - 1 > target:
                shard["members"].pop()
        described = group.describe()
        described["Status"] = "modifying"
        return query_reply(exchange, {"ReplicationGroup": described})

    # --- member clusters --------------------------------------------------------------------

    def _describe_cache_clusters(self, exchange, params):
        """Member clusters by id are answered here; listings are completed in rewrite()."""
        identifier = (params.get("CacheClusterId") or "").lower()
        if not identifier:
            return None
        for group in self._groups(exchange).values():
            if isinstance(group, ReplicationGroup):
                for member in group.all_members():
                    if member["id"] == identifier:
                        return query_reply(exchange, {"CacheClusters": [
                            group.describe_member(member, bool(params.get("ShowCacheNodeInfo")))]})
        return None

    def _add_member_clusters(self, exchange):
        params = request(exchange)
        if params.get("CacheClusterId"):
            return
        output = query_output(exchange)
        clusters = output.get("CacheClusters", [])
        show_nodes = bool(params.get("ShowCacheNodeInfo"))
        for cluster in clusters:
            if show_nodes and "CacheNodes" not in cluster:
                cluster["CacheNodes"] = [{
                    "CacheNodeId": f"{index:04d}", "CacheNodeStatus": cluster.get("CacheClusterStatus", "available"),
                    "CacheNodeCreateTime": cluster.get("CacheClusterCreateTime"),
                    "Endpoint": {"Address": f"{cluster['CacheClusterId']}.{index:04d}.{region_code(exchange.call.region)}"
                                            ".cache.amazonaws.com", "Port": DEFAULT_PORT},
                    "ParameterGroupStatus": "in-sync",
                    "CustomerAvailabilityZone": cluster.get("PreferredAvailabilityZone")}
                    for index in range(1, (cluster.get("NumCacheNodes") or 1) + 1)]
        if not params.get("ShowCacheClustersNotInReplicationGroups"):
            with self._lock:
                for group in list(self._groups(exchange).values()):
                    if isinstance(group, ReplicationGroup):
                        clusters.extend(group.describe_member(member, show_nodes) for member in group.all_members())
        output["CacheClusters"] = clusters
        exchange.reply = query_reply(exchange, output)

    # --- parameter groups -------------------------------------------------------------------

    def _create_cache_parameter_group(self, exchange, params):
        groups = self._parameter_groups_of(exchange)
        name = params["CacheParameterGroupName"].lower()
        if name in groups:
            raise Refused("CacheParameterGroupAlreadyExists", f"Parameter group {name} already exists.")
        if params["CacheParameterGroupFamily"] not in FAMILIES:
            raise invalid(f"The parameter CacheParameterGroupFamily is not a valid family: "
                          f"{params['CacheParameterGroupFamily']}")
        if name.startswith("default."):
            raise invalid("Parameter group names starting with 'default.' are reserved.")
        group = ParameterGroup(exchange.account_id, exchange.call.region, name,
                               params["CacheParameterGroupFamily"], params["Description"])
        groups[name] = group
        if params.get("Tags"):
            moto_backend(exchange).tagging_service.tag_resource(group.arn, params["Tags"])
        return query_reply(exchange, {"CacheParameterGroup": group.describe()})

    def _describe_cache_parameter_groups(self, exchange, params):
        if params.get("CacheParameterGroupName"):
            groups = [self._parameter_group(exchange, params["CacheParameterGroupName"])]
        else:
            groups = sorted(self._parameter_groups_of(exchange).values(), key=lambda group: group.name)
        listed, marker = page(groups, params)
        output = {"CacheParameterGroups": [group.describe() for group in listed]}
        if marker:
            output["Marker"] = marker
        return query_reply(exchange, output)

    def _describe_cache_engine_versions(self, exchange, params):
        listed = []
        for engine, versions in sorted(ENGINE_VERSIONS.items()):
            for version in versions:
                family = family_of(engine, version)
                wanted = (params.get("Engine") in (None, engine)
                          and params.get("EngineVersion") in (None, version)
                          and params.get("CacheParameterGroupFamily") in (None, family)
                          and (not params.get("DefaultOnly") or version == DEFAULT_VERSION[engine]))
                if wanted:
                    listed.append({
                        "Engine": engine, "EngineVersion": version, "CacheParameterGroupFamily": family,
                        "CacheEngineDescription": engine.capitalize(),
                        "CacheEngineVersionDescription": f"{engine.capitalize()} {version}",
                    })
        items, marker = page(listed, params)
        output = {"CacheEngineVersions": items}
        if marker:
            output["Marker"] = marker
        return query_reply(exchange, output)

    def _describe_cache_parameters(self, exchange, params):
        group = self._parameter_group(exchange, params["CacheParameterGroupName"])
        listed, marker = page(group.parameters(params.get("Source")), params)
        output = {"Parameters": listed}
        if marker:
            output["Marker"] = marker
        return query_reply(exchange, output)

    def _changeable_parameter_group(self, exchange, name):
        group = self._parameter_group(exchange, name)
        if group.is_default:
            raise invalid(f"The default parameter group {group.name} cannot be modified or deleted.")
        return group

    def _modify_cache_parameter_group(self, exchange, params):
        group = self._changeable_parameter_group(exchange, params["CacheParameterGroupName"])
        changes = {item["ParameterName"]: item.get("ParameterValue") for item in params["ParameterNameValues"]}
        for name, value in changes.items():
            check_parameter_value(name, value or "")
        if "cluster-enabled" in changes and changes["cluster-enabled"] != group.value("cluster-enabled"):
            if self._parameter_group_users(exchange, group.name):
                raise Refused("InvalidCacheParameterGroupState",
                              f"cluster-enabled cannot change in {group.name}: replication groups use it.")
        group.values.update(changes)
        return query_reply(exchange, {"CacheParameterGroupName": group.name})

    def _reset_cache_parameter_group(self, exchange, params):
        group = self._changeable_parameter_group(exchange, params["CacheParameterGroupName"])
        names = [item["ParameterName"] for item in params.get("ParameterNameValues") or []]
        if params.get("ResetAllParameters"):
            if names:
                raise combination("ResetAllParameters cannot be combined with ParameterNameValues.")
            group.values.clear()
        elif not names:
            raise invalid("Either ResetAllParameters or ParameterNameValues is required.")
        for name in names:
            if name not in PARAMETERS:
                raise invalid(f"Unknown parameter: {name}")
            group.values.pop(name, None)
        return query_reply(exchange, {"CacheParameterGroupName": group.name})

    def _delete_cache_parameter_group(self, exchange, params):
        group = self._changeable_parameter_group(exchange, params["CacheParameterGroupName"])
        users = self._parameter_group_users(exchange, group.name)
        if users:
            raise Refused("InvalidCacheParameterGroupState",
                          f"Parameter group {group.name} is in use by {', '.join(users)}.")
        del self._parameter_groups_of(exchange)[group.name]
        moto_backend(exchange).tagging_service.delete_all_tags_for_resource(group.arn)
        return query_reply(exchange, {})

    def _parameter_group_users(self, exchange, name):
        return sorted(group.replication_group_id for group in self._groups(exchange).values()
                      if isinstance(group, ReplicationGroup) and group.cache_parameter_group_name == name)

    # --- cache subnet groups ----------------------------------------------------------------

    def _delete_cache_subnet_group(self, exchange, params):
        backend = moto_backend(exchange)
        name = params["CacheSubnetGroupName"]
        subnet_group = backend.cache_subnet_groups.get(name)
        if subnet_group is None:
            raise Refused("CacheSubnetGroupNotFoundFault", f"CacheSubnetGroup {name} not found.")
        users = self._subnet_group_users(exchange, name)
        if users:
            raise Refused("CacheSubnetGroupInUse", f"Cache subnet group {name} is in use by {', '.join(users)}.")
        del backend.cache_subnet_groups[name]
        backend.tagging_service.delete_all_tags_for_resource(subnet_group.arn)
        return query_reply(exchange, {})

    def _subnet_group_users(self, exchange, name):
        """Replication groups and cache clusters in the subnet group; moto's "deleting" clusters never go."""
        backend = moto_backend(exchange)
        groups = [group.replication_group_id for group in self._groups(exchange).values()
                  if group.cache_subnet_group_name == name]
        clusters = [cluster.cache_cluster_id for cluster in backend.cache_clusters.values()
                    if cluster.cache_subnet_group_name == name and cluster.cache_cluster_status != "deleting"]
        return sorted(groups + clusters)

    # --- tags -------------------------------------------------------------------------------

    def _tagged(self, exchange, arn):
        """True when this extension owns the resource the ARN names; refuse missing ones."""
        parts = arn.split(":", 6)
        if len(parts) < 7:
            return False
        kind, name = parts[5], parts[6]
        if kind == "replicationgroup":
            self._group(exchange, name)
            return True
        if kind == "parametergroup":
            self._parameter_group(exchange, name)
            return True
        return False

    def _list_tags_for_resource(self, exchange, params):
        if not self._tagged(exchange, params["ResourceName"]):
            return None
        tags = moto_backend(exchange).tagging_service.list_tags_for_resource(params["ResourceName"])["Tags"]
        return query_reply(exchange, {"TagList": tags})

    def _add_tags_to_resource(self, exchange, params):
        if not self._tagged(exchange, params["ResourceName"]):
            return None
        service = moto_backend(exchange).tagging_service
        service.tag_resource(params["ResourceName"], params["Tags"])
        return query_reply(exchange, {"TagList": service.list_tags_for_resource(params["ResourceName"])["Tags"]})

    def _remove_tags_from_resource(self, exchange, params):
        if not self._tagged(exchange, params["ResourceName"]):
            return None
        service = moto_backend(exchange).tagging_service
        service.untag_resource_using_names(params["ResourceName"], params["TagKeys"])
        return query_reply(exchange, {"TagList": service.list_tags_for_resource(params["ResourceName"])["Tags"]})


class ElastiCacheLatency(LatencyHook):
    """Replication groups take time to create, modify, rescale, snapshot and delete; AWS refuses
    changes meanwhile."""

    service = "elasticache"
    kinds = ("elasticache:replication-group",)
    KIND = "elasticache:replication-group"
    REFUSED = {"ModifyReplicationGroup", "DeleteReplicationGroup", "ModifyReplicationGroupShardConfiguration",
               "IncreaseReplicaCount", "DecreaseReplicaCount", "CreateSnapshot"}
    RESCALES = {"ModifyReplicationGroupShardConfiguration", "IncreaseReplicaCount", "DecreaseReplicaCount"}

    def __init__(self):
        self._lock = threading.Lock()
        self._states = {}  # timer key -> status shown while pending
        self._deleting = {}  # timer key -> the deleted group's description

    @staticmethod
    def key(exchange, identifier):
        return f"{exchange.account_id}/{exchange.call.region}/{(identifier or '').lower()}"

    @staticmethod
    def changes_nodes(params):
        """True when a ModifyReplicationGroup touches the nodes (not only bookkeeping settings);
        node type and engine version changes kept for the maintenance window do not."""
        quiet = {"ReplicationGroupId", "ApplyImmediately", "ReplicationGroupDescription", "SnapshotRetentionLimit",
                 "SnapshotWindow", "PreferredMaintenanceWindow", "NotificationTopicArn", "NotificationTopicStatus",
                 "AutoMinorVersionUpgrade", "SnapshottingClusterId"}
        if not params.get("ApplyImmediately"):
            quiet |= {"CacheNodeType", "EngineVersion"}
        return any(name not in quiet for name in params)

    def _start(self, model, key, state):
        model.start(self.KIND, key)
        with self._lock:
            self._states[key] = state

    def _state(self, model, key):
        if not model.pending(self.KIND, key):
            with self._lock:
                self._deleting.pop(key, None)
            return None
        with self._lock:
            return self._states.get(key)

    def refuse(self, exchange, model):
        if exchange.operation == "CreateReplicationGroup":
            identifier = dict(parse_qsl(exchange.body.decode("utf-8", "replace"))).get("ReplicationGroupId")
            if self._state(model, self.key(exchange, identifier)) == "deleting":
                return aws_error(exchange, "ReplicationGroupAlreadyExists",
                                 f"Replication group {identifier} already exists.")
            return None
        if exchange.operation not in self.REFUSED:
            return None
        identifier = dict(parse_qsl(exchange.body.decode("utf-8", "replace"))).get("ReplicationGroupId")
        if not identifier:
            return None
        state = self._state(model, self.key(exchange, identifier))
        if state is None:
            return None
        return aws_error(exchange, "InvalidReplicationGroupState",
                         f"Replication group {identifier.lower()} is not in available state ({state}).")

    def observe(self, exchange, model):
        operation = exchange.operation
        if operation == "DescribeReplicationGroups":
            self._show_states(exchange, model)
            return
        if exchange.reply.status != 200:
            return
        params = dict(parse_qsl(exchange.body.decode("utf-8", "replace")))
        key = self.key(exchange, params.get("ReplicationGroupId"))
        if operation == "CreateReplicationGroup":
            self._start(model, key, "creating")
        elif operation == "ModifyReplicationGroup":
            if self.changes_nodes(request(exchange)):
                self._start(model, key, "modifying")
        elif operation in self.RESCALES:
            self._start(model, key, "modifying")
        elif operation == "CreateSnapshot" and params.get("ReplicationGroupId"):
            self._start(model, key, "snapshotting")
            return
        elif operation == "DeleteReplicationGroup":
            model.forget(self.KIND, key)
            self._start(model, key, "deleting")
            if model.pending(self.KIND, key):
                with self._lock:
                    self._deleting[key] = query_output(exchange)["ReplicationGroup"]
            return
        if operation in ("CreateReplicationGroup", "ModifyReplicationGroup") or operation in self.RESCALES:
            output = query_output(exchange)
            state = self._state(model, key)
            output["ReplicationGroup"]["Status"] = state or "available"
            exchange.reply = query_reply(exchange, output)

    def _show_states(self, exchange, model):
        """Pending states in a describe answer; groups being deleted stay listed until gone."""
        params = dict(parse_qsl(exchange.body.decode("utf-8", "replace")))
        identifier = params.get("ReplicationGroupId")
        prefix = f"{exchange.account_id}/{exchange.call.region}/"
        with self._lock:
            deleting = {key: group for key, group in self._deleting.items() if key.startswith(prefix)}
        deleting = {key: group for key, group in deleting.items() if self._state(model, key) == "deleting"}
        if identifier and exchange.reply.status == 404:
            group = deleting.get(self.key(exchange, identifier))
            if group is not None:
                exchange.reply = query_reply(exchange, {"ReplicationGroups": [group]})
            return
        if exchange.reply.status != 200:
            return
        output = query_output(exchange)
        groups = output.get("ReplicationGroups", [])
        for group in groups:
            state = self._state(model, self.key(exchange, group["ReplicationGroupId"]))
            if state is not None:
                group["Status"] = state
        if not identifier and not params.get("Marker"):
            groups.extend(deleting.values())
        exchange.reply = query_reply(exchange, output)
