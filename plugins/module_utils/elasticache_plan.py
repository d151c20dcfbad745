# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What an ElastiCache replication group should be: desired settings from the options, the checks made before
any write, the creating request, and the plan of changes to an existing group.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.compare import differs
from ansible_collections.storagekit.aws.plugins.module_utils.compare import same_engine_version
from ansible_collections.storagekit.aws.plugins.module_utils.compare import without_unset
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import DEFAULT_SCALING_METRICS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import auth_token_problem
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import scaling_policy_name
from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems


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
# What CreateReplicationGroup calls the settings that only creation takes; the others are named as in MODIFIABLE.
CREATION_ONLY = dict(port="Port", subnet_group="CacheSubnetGroupName", kms_key_id="KmsKeyId")
# The settings CreateReplicationGroup is given only when they are set.
CREATION_OPTIONAL = (
    "engine_version",
    "port",
    "subnet_group",
    "security_group_ids",
    "parameter_group",
    "kms_key_id",
    "snapshot_retention_limit",
    "snapshot_window",
    "maintenance_window",
    "auto_minor_version_upgrade",
    "notification_topic_arn",
)


MAX_REPLICAS = 5


MAX_SHARDS = 500
# Node types are cache.<family>.<size>: cache.t4g.micro, cache.r7g.xlarge, cache.r6gd.2xlarge.
NODE_TYPE = re.compile(r"^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$")


class Refused(Exception):
    """A change AWS would refuse; raised while planning, before any write."""


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


def known_engine_version(client, engine, version):
    """Whether DescribeCacheEngineVersions lists ``version`` of ``engine``, exactly or as a major/minor prefix."""
    paginator = client.get_paginator("describe_cache_engine_versions")
    pages = paginator.paginate(Engine=engine).build_full_result()
    return any(same_engine_version(version, v["EngineVersion"]) for v in pages.get("CacheEngineVersions", []))


def check_engine_version(client, engine, version):
    """Refuse an engine_version ElastiCache does not offer, with one listing of the engine's versions."""
    if version and not known_engine_version(client, engine, version):
        raise Refused("engine_version {0} is not a version of {1} that ElastiCache offers "
                      "(DescribeCacheEngineVersions).".format(version, engine))


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


OPT_OUTS = (
    ("at_rest_encryption", "the cache's data on disk, its backups and snapshots are not encrypted"),
    ("transit_encryption", "clients connect without TLS, and AUTH tokens need TLS, so any client in the security groups "
                           "can connect without one"),
)


def validate_options(module):
    """Refuse contradictory options before any API call."""
    params = module.params
    problems = []
    if params["node_type"] and not NODE_TYPE.match(params["node_type"]):
        problems.append("node_type must look like cache.<family>.<size>, for example cache.t4g.micro, not {0}".format(
            params["node_type"]))
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
    fail_on_problems(module, problems)
    # Secure by default; switching encryption off is allowed, and said out loud on every run.
    if params["state"] == "present":
        for option, meaning in OPT_OUTS:
            if params[option] is False:
                module.warn("{0}=false: {1}.".format(option, meaning))


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
    for key in CREATION_OPTIONAL:
        if group[key] is not None:
            request[CREATION_ONLY.get(key) or MODIFIABLE[key]] = group[key]
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
