# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writing a planned change to a DynamoDB table: one writer for UpdateTable and its waits, and the index,
point-in-time recovery, TTL, contributor insights, tag and auto scaling changes, each recorded in the
run's ChangeSet.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import apply_target_tracking
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.compare import differs
from ansible_collections.storagekit.aws.plugins.module_utils.compare import without_unset
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import SCALABLE_DIMENSIONS
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import is_settled
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import scaling_resource_id
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import target_tracking_settings
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import attribute_definitions
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import global_index_request
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import sse_specification
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import stream_specification
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import throughput
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until


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

    def update(enabled, attribute_name):
        writer.call(
            "ttl",
            have,
            want,
            writer.client.update_time_to_live,
            TableName=desired["name"],
            TimeToLiveSpecification=dict(Enabled=enabled, AttributeName=attribute_name),
        )

    if want["enabled"] and have["enabled"]:
        # TTL cannot move to another attribute in one call.
        update(False, have["attribute_name"])
    update(want["enabled"], attribute)


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
    apply_tag_options(
        module,
        changes,
        lambda: current_tags,
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
