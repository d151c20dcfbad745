# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading a DynamoDB table and its facets into the shape of the storagekit.aws module options.

Both dynamodb_table and dynamodb_table_info read through here, so what the info module returns
is exactly what dynamodb_table compares against. Each facet that lives behind its own API call
(point-in-time recovery, TTL, contributor insights, tags, auto scaling) is read only when asked.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import read_target_tracking
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_replicas import normalize_replicas
from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described

KEY_TYPES = {"S": "STRING", "N": "NUMBER", "B": "BINARY"}
KEY_TYPE_CODES = dict((v, k) for k, v in KEY_TYPES.items())
PROJECTIONS = {"ALL": "all", "KEYS_ONLY": "keys_only", "INCLUDE": "include"}
SCALABLE_DIMENSIONS = {
    ("table", "read"): "dynamodb:table:ReadCapacityUnits",
    ("table", "write"): "dynamodb:table:WriteCapacityUnits",
    ("index", "read"): "dynamodb:index:ReadCapacityUnits",
    ("index", "write"): "dynamodb:index:WriteCapacityUnits",
}
SCALING_METRICS = {"read": "DynamoDBReadCapacityUtilization", "write": "DynamoDBWriteCapacityUtilization"}
FACETS = ("point_in_time_recovery", "ttl", "contributor_insights", "tags", "auto_scaling")


def describe_table(client, name):
    """The raw TableDescription, or None when the table does not exist."""
    return described(client.describe_table, "Table", "ResourceNotFoundException", TableName=name)


def scaling_resource_id(table_name, index_name=None):
    """The Application Auto Scaling ResourceId of a table or of one of its global indexes."""
    if index_name:
        return "table/{0}/index/{1}".format(table_name, index_name)
    return "table/{0}".format(table_name)


def scaling_policy_name(dimension):
    """The name of the target-tracking policy this collection owns for one dimension."""
    return "storagekit-{0}-capacity-utilization".format(dimension)


def _keys(key_schema, attribute_types):
    keys = {"hash_key_name": None, "hash_key_type": None, "range_key_name": None, "range_key_type": None}
    for key in key_schema:
        prefix = "hash_key" if key["KeyType"] == "HASH" else "range_key"
        keys[prefix + "_name"] = key["AttributeName"]
        keys[prefix + "_type"] = KEY_TYPES.get(attribute_types.get(key["AttributeName"]))
    return keys


def _index(raw, kind, attribute_types):
    projection = raw.get("Projection", {})
    index = dict(name=raw["IndexName"], type=kind)
    index.update(_keys(raw["KeySchema"], attribute_types))
    index["projection"] = PROJECTIONS.get(projection.get("ProjectionType", "ALL"))
    index["includes"] = sorted(projection.get("NonKeyAttributes", []))
    if kind == "global":
        throughput = raw.get("ProvisionedThroughput") or {}
        index["read_capacity"] = throughput.get("ReadCapacityUnits")
        index["write_capacity"] = throughput.get("WriteCapacityUnits")
        index["status"] = raw.get("IndexStatus")
    return index


def _encryption(sse, aws_managed_key_arn):
    """Which of the three DynamoDB encryption choices ``sse`` describes, and its key."""
    if not sse or sse.get("Status") in ("DISABLED", "DISABLING"):
        return "aws_owned", None
    key_arn = sse.get("KMSMasterKeyArn")
    if aws_managed_key_arn is not None and key_arn == aws_managed_key_arn:
        return "aws_managed", key_arn
    return "customer_managed", key_arn


def normalize_table(raw, aws_managed_key_arn=None):
    """The table as storagekit.aws option names and values (keys, billing, indexes, stream, SSE...)."""
    attribute_types = dict((a["AttributeName"], a["AttributeType"]) for a in raw.get("AttributeDefinitions", []))
    billing = (raw.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    throughput = raw.get("ProvisionedThroughput") or {}
    stream = raw.get("StreamSpecification") or {}
    encryption, kms_key = _encryption(raw.get("SSEDescription"), aws_managed_key_arn)
    table = dict(
        name=raw["TableName"],
        arn=raw.get("TableArn"),
        id=raw.get("TableId"),
        status=raw.get("TableStatus"),
        billing_mode=billing,
        read_capacity=throughput.get("ReadCapacityUnits") if billing == "PROVISIONED" else None,
        write_capacity=throughput.get("WriteCapacityUnits") if billing == "PROVISIONED" else None,
        stream_enabled=bool(stream.get("StreamEnabled")),
        stream_view_type=stream.get("StreamViewType"),
        stream_arn=raw.get("LatestStreamArn") if stream.get("StreamEnabled") else None,
        encryption=encryption,
        kms_key_id=kms_key,
        table_class=(raw.get("TableClassSummary") or {}).get("TableClass", "STANDARD"),
        deletion_protection=bool(raw.get("DeletionProtectionEnabled")),
        item_count=raw.get("ItemCount"),
        size_bytes=raw.get("TableSizeBytes"),
    )
    table.update(_keys(raw["KeySchema"], attribute_types))
    table["indexes"] = [_index(i, "global", attribute_types) for i in raw.get("GlobalSecondaryIndexes") or []]
    table["indexes"] += [_index(i, "local", attribute_types) for i in raw.get("LocalSecondaryIndexes") or []]
    if raw.get("Replicas"):
        table["replicas"] = normalize_replicas(raw)
    return table


def is_settled(raw):
    """True when the table, every index and every replica are ACTIVE, so AWS accepts the next change."""
    if raw is None or raw.get("TableStatus") != "ACTIVE":
        return False
    if any(r.get("ReplicaStatus", "ACTIVE") != "ACTIVE" for r in raw.get("Replicas") or []):
        return False
    return all(i.get("IndexStatus", "ACTIVE") == "ACTIVE" for i in raw.get("GlobalSecondaryIndexes") or [])


def read_point_in_time_recovery(client, name):
    backups = client.describe_continuous_backups(aws_retry=True, TableName=name)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {})
    return dict(
        enabled=pitr.get("PointInTimeRecoveryStatus") == "ENABLED",
        recovery_period_days=pitr.get("RecoveryPeriodInDays"),
    )


def read_ttl(client, name):
    ttl = client.describe_time_to_live(aws_retry=True, TableName=name)["TimeToLiveDescription"]
    return dict(
        enabled=ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"),
        attribute_name=ttl.get("AttributeName"),
    )


def read_contributor_insights(client, name):
    response = client.describe_contributor_insights(aws_retry=True, TableName=name)
    return response.get("ContributorInsightsStatus") in ("ENABLED", "ENABLING")


def read_tags(client, arn):
    """The table's tags; list_tags_of_resource has no botocore paginator, so follow NextToken here."""
    return boto3_tag_list_to_ansible_dict(all_items(client.list_tags_of_resource, "Tags", ResourceArn=arn))


def dynamodb_settings(settings, dimension):
    """Target-tracking settings of one dimension as the dynamodb_table options name them.

    A policy on another metric than the dimension's own is not one of ours: only its target shows.
    """
    if not settings.get("enabled"):
        return dict(enabled=False)
    result = dict(enabled=True, min_capacity=settings["min_capacity"], max_capacity=settings["max_capacity"])
    if "policy_name" in settings and settings.get("metric") == SCALING_METRICS[dimension]:
        result.update(
            policy_name=settings["policy_name"],
            target_utilization=settings["target_value"],
            scale_in_cooldown=settings["scale_in_cooldown"],
            scale_out_cooldown=settings["scale_out_cooldown"],
        )
    return result


def target_tracking_settings(settings, dimension):
    """The dynamodb_table options of one dimension in the service-neutral auto scaling shape."""
    if settings is None:
        return None
    settings = dict(settings)
    if "target_utilization" in settings:
        settings["target_value"] = settings.pop("target_utilization")
        settings["metric"] = SCALING_METRICS[dimension]
    return settings


def read_auto_scaling(autoscaling, table_name, index_names):
    """Target-tracking auto scaling of the table and of ``index_names``, keyed by resource then dimension.

    One describe_scalable_targets call covers every resource; policies are read per resource
    that has a scalable target, so a table without auto scaling costs a single read.
    """
    resource_ids = dict((scaling_resource_id(table_name, i), i) for i in [None] + list(index_names))
    found = read_target_tracking(autoscaling, "dynamodb", list(resource_ids))
    scaling = {}
    for resource_id, index in resource_ids.items():
        kind = "index" if index else "table"
        scaling[index or ""] = dict(
            (dimension, dynamodb_settings(found[resource_id].get(SCALABLE_DIMENSIONS[(kind, dimension)], {}), dimension))
            for dimension in ("read", "write")
        )
    return scaling


def read_facets(client, autoscaling, table, facets):
    """Read the facets named in ``facets`` of a normalized ``table`` into it, one call per facet."""
    name = table["name"]
    if "point_in_time_recovery" in facets:
        table["point_in_time_recovery"] = read_point_in_time_recovery(client, name)
    if "ttl" in facets:
        table["ttl"] = read_ttl(client, name)
    if "contributor_insights" in facets:
        table["contributor_insights"] = read_contributor_insights(client, name)
    if "tags" in facets:
        table["tags"] = read_tags(client, table["arn"])
    if "auto_scaling" in facets:
        global_indexes = [i["name"] for i in table["indexes"] if i["type"] == "global"]
        scaling = read_auto_scaling(autoscaling, name, global_indexes)
        table["auto_scaling"] = scaling.pop("")
        for index in table["indexes"]:
            if index["name"] in scaling:
                index["auto_scaling"] = scaling[index["name"]]
    return table
