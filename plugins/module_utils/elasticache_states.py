# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The states of a replication group: create it, bring an existing one to the desired settings, or delete it
with its final snapshot.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import deregister_targets
from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import describe_targets
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import MEMBER_CLUSTER_FACTS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import SCALABLE_DIMENSIONS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import SCALING_NAMESPACE
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import describe_member_cluster
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import describe_replication_group
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import endpoints
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import normalize_member_cluster
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import normalize_replication_group
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import read_auto_scaling
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import scaling_resource_id
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_apply import GroupWriter
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_apply import apply_auth_token
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_apply import apply_auto_scaling
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_apply import apply_replicas
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_apply import apply_shards
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_apply import apply_tags
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_apply import record
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_auth import HIDDEN
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_auth import auth_token_update
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_auth import token_source
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import Refused
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import check_engine_version
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import check_rules
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import check_transit_steps
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import check_unchangeable
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import create_request
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import desired_facts
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import desired_scaling
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import modify_request
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import plan_settings
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import predicted_group
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import scaling_enabled
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import summary
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import with_creation_defaults
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_plan import without_scaled_counts
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_deleted


def create_group(module, client, secrets, changes, desired):
    params = module.params
    group = with_creation_defaults(desired, params["name"])
    if group["node_type"] is None:
        module.fail_json(msg="node_type is required to create replication group {0}.".format(params["name"]))
    has_token = params["auth_token"] is not None or params["auth_token_secret"] is not None
    try:
        check_rules(group, has_token and params["auth_token_update_strategy"] != "delete")
        check_engine_version(client, group["engine"], group["engine_version"])
    except Refused as e:
        module.fail_json(msg=str(e))
    keys = KmsKeys(module)
    keys.require_usable(params["kms_key_id"])
    keys.require_usable(params["auth_token_secret_kms_key_id"], "auth_token_secret_kms_key_id")
    source = token_source(module, secrets, changes, params["name"])
    request = create_request(params, group, source.token if source else None)
    if source is not None and source.token is None:
        request["AuthToken"] = HIDDEN  # check mode: the secret is not created, but the group would get its token
    after = summary(group)
    if source is not None:
        after["auth_token"] = HIDDEN

    def write():
        try:
            return client.create_replication_group(aws_retry=True, **request)["ReplicationGroup"]
        except is_boto3_error_code("ReplicationGroupAlreadyExists"):
            return False

    raw = changes.apply("replication_group", None, after, write)
    if raw is False:
        return None, source, None
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
        settings = plan_settings(desired, current)
        if "engine_version" in settings:
            check_engine_version(client, after["engine"], desired["engine_version"])
    except Refused as e:
        module.fail_json(msg=str(e))
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


def ensure_present(module, client, secrets, autoscaling, changes=None):
    """``changes`` is given when a concurrent run created the group first and this run goes on with it."""
    adopting = changes is not None
    changes = changes or ChangeSet(module)
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
        if writer is None and adopting:
            module.fail_json(msg="Replication group {0} exists but cannot be read; run again.".format(name))
        if writer is None:
            # A concurrent run created the group first (group ids are unique in a region): bring it to these settings.
            return ensure_present(module, client, secrets, autoscaling, changes)
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
    found = describe_replication_group(client, module.params["name"])
    return remove_found(module, "replication_group", found, delete_replication_group, client, autoscaling)


def delete_replication_group(module, changes, raw, client, autoscaling):
    params = module.params
    name = params["name"]
    writer = GroupWriter(module, client, raw)

    def wait_gone():
        wait_deleted(module, lambda: describe_replication_group(client, name), "ElastiCache replication group {0}".format(name))

    if raw.get("Status") == "deleting":
        if params["wait"] and changes.writes_allowed:
            wait_gone()
        return
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
