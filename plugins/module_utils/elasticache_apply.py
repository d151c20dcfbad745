# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writing a planned change to a replication group: one writer for ModifyReplicationGroup and its waits, and
the replica, shard, AUTH token, tag and auto scaling changes, each recorded in the run's ChangeSet.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import apply_target_tracking
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import SCALABLE_DIMENSIONS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import SCALING_NAMESPACE
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import describe_replication_group
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import is_settled
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import scaling_resource_id
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache_auth import HIDDEN
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until


# Statuses a group stays in without further action: waiting longer changes nothing.
SETTLED_STATUSES = ("available", "create-failed")


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
    return apply_tag_options(
        module,
        changes,
        lambda: boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(aws_retry=True, ResourceName=arn)["TagList"]),
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
