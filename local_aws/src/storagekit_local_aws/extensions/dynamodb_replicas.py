"""DynamoDB global tables, version 2019.11.21 (moto 5.2.5 ignores UpdateTable's ReplicaUpdates).

- UpdateTable ReplicaUpdates Create makes the table in the replica region (same keys, indexes, billing
  and stream; the replica's own KMS key and table class), Update changes a replica's KMS key, table class
  and read capacity overrides, Delete removes the replica table.
- The tables of a global table share one item store: an item written in any region is readable in every
  other at once (AWS replicates asynchronously, usually within a second).
- DescribeTable (and UpdateTable's answer) in any region lists the other regions under Replicas, with
  GlobalTableVersion 2019.11.21, as AWS does.
- AWS's validation: one replica change per call, no replica in the table's own region or twice in a
  region, a stream with NEW_AND_OLD_IMAGES, on-demand or auto scaled write capacity, a KMS key of the
  replica region when the table uses a customer managed key.
- With the latency model on, a new replica is CREATING (its table too, and the source table UPDATING)
  for the "dynamodb:replica" latency.
"""

import threading

from .base import aws_error

VALIDATION_ERROR = "com.amazon.coral.validate#ValidationException"
GLOBAL_TABLE_VERSION = "2019.11.21"


def _backend(account_id, region):
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[account_id][region]


def _kms_key_arn(account_id, region, key_id):
    """The ARN of a key (id, ARN, alias) of the region, or None when the region has no such key."""
    from moto.kms import kms_backends

    try:
        return kms_backends[account_id][region].describe_key(key_id).arn
    except Exception:  # moto raises NotFoundException and others
        return None


def _aws_managed_key_arn(account_id, region):
    """The ARN of the region's AWS managed DynamoDB key, or None while nothing has made it."""
    from moto.kms import kms_backends

    kms = kms_backends[account_id][region]
    if not kms.alias_exists("alias/aws/dynamodb"):
        return None
    return kms.describe_key("alias/aws/dynamodb").arn


def _write_auto_scaled(account_id, region, table_name):
    from moto.applicationautoscaling.models import applicationautoscaling_backends

    targets = applicationautoscaling_backends[account_id][region].targets
    return f"table/{table_name}" in targets.get("dynamodb:table:WriteCapacityUnits", {})


class GlobalTables:
    """The replica groups of the endpoint: (account, table name) -> {region: replica settings}."""

    def __init__(self):
        self._lock = threading.Lock()
        self._groups = {}

    def reset(self):
        with self._lock:
            self._groups.clear()

    def replicas_seen_from(self, account_id, region, name):
        """The Replicas AWS lists in a DescribeTable of the table in ``region``: every other region."""
        with self._lock:
            group = self._groups.get((account_id, name)) or {}
            if region not in group or len(group) < 2:
                return None
            return [dict(settings) for other, settings in sorted(group.items()) if other != region]

    def forget_table(self, account_id, region, name):
        """DeleteTable of one member: the others stay a global table."""
        with self._lock:
            group = self._groups.get((account_id, name))
            if group is not None:
                group.pop(region, None)
                if len(group) < 2:
                    del self._groups[(account_id, name)]

    def update(self, exchange, params):
        """Apply UpdateTable's ReplicaUpdates; an error Reply, or None when done."""
        updates = params.get("ReplicaUpdates") or []
        if len(updates) != 1 or len(updates[0]) != 1:
            return aws_error(exchange, VALIDATION_ERROR,
                             "Only one replica update (Create, Update or Delete) is allowed per UpdateTable request")
        account, region = exchange.account_id, exchange.call.region
        name = params["TableName"].split(":table/", 1)[-1]
        table = _backend(account, region).tables.get(name)
        if table is None:
            return aws_error(exchange, "ResourceNotFoundException",
                             f"Requested resource not found: Table: {name} not found")
        action, spec = next(iter(updates[0].items()))
        target = spec["RegionName"]
        with self._lock:
            group = self._groups.setdefault((account, name), {})
            if region not in group:
                group[region] = {"RegionName": region, "ReplicaStatus": "ACTIVE"}
                sse = table.sse_specification or {}
                if sse.get("Enabled") and sse.get("KMSMasterKeyId"):
                    group[region]["KMSMasterKeyId"] = sse["KMSMasterKeyId"]
            try:
                handler = {"Create": self._create, "Update": self._update, "Delete": self._delete}[action]
                return handler(exchange, table, group, target, spec)
            finally:
                if len(group) < 2:
                    del self._groups[(account, name)]

    def _create(self, exchange, table, group, target, spec):
        account, region = exchange.account_id, exchange.call.region
        if target == region:
            return aws_error(exchange, VALIDATION_ERROR,
                             f"Cannot add a replica of table {table.name} in its own region {region}")
        if target in group:
            return aws_error(exchange, VALIDATION_ERROR,
                             f"Failed to create the new replica of table with name: '{table.name}' because one or "
                             f"more replicas already existed as tables: region {target}")
        stream = table.stream_specification or {}
        if not stream.get("StreamEnabled") or stream.get("StreamViewType") != "NEW_AND_OLD_IMAGES":
            return aws_error(exchange, VALIDATION_ERROR,
                             f"Table {table.name} needs a DynamoDB stream with StreamViewType NEW_AND_OLD_IMAGES "
                             "to have replicas")
        if table.billing_mode != "PAY_PER_REQUEST" and not _write_auto_scaled(account, region, table.name):
            return aws_error(exchange, VALIDATION_ERROR, "Table write capacity should either be Pay-Per-Request or AutoScaled.")
        sse = None
        if table.sse_specification and table.sse_specification.get("Enabled"):
            key = spec.get("KMSMasterKeyId")
            home_key = table.sse_specification.get("KMSMasterKeyId")
            if home_key == _aws_managed_key_arn(account, region):
                sse = {"Enabled": True, "SSEType": "KMS",
                       "KMSMasterKeyId": table._get_default_encryption_key(account, target)}
            elif not key:
                return aws_error(exchange, VALIDATION_ERROR,
                                 f"KMSMasterKeyId must be specified for replica region {target}: table {table.name} "
                                 "is encrypted with a customer managed key")
            else:
                arn = _kms_key_arn(account, target, key)
                if arn is None:
                    return aws_error(exchange, VALIDATION_ERROR, f"KMS key {key} does not exist in region {target}")
                sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": arn}
        backend = _backend(account, target)
        if table.name in backend.tables:
            return aws_error(exchange, VALIDATION_ERROR,
                             f"Failed to create the new replica of table with name: '{table.name}' because one or "
                             f"more replicas already existed as tables: region {target}")
        replica = backend.create_table(
            table.name,
            schema=table.schema,
            throughput={k: v for k, v in table.throughput.items() if k.endswith("CapacityUnits")},
            attr=table.attr,
            global_indexes=[index.describe() for index in table.global_indexes],
            indexes=[index.describe() for index in table.indexes],
            streams=dict(stream),
            billing_mode=table.billing_mode,
            sse_specification=sse,
            tags=[],
            deletion_protection_enabled=False,
            warm_throughput=None,
        )
        replica.items = table.items  # one item store for every region of the global table
        settings = {"RegionName": target, "ReplicaStatus": "ACTIVE"}
        if sse:
            settings["KMSMasterKeyId"] = sse["KMSMasterKeyId"]
        group[target] = settings
        return self._apply_overrides(exchange, table, settings, spec)

    def _update(self, exchange, table, group, target, spec):
        if target not in group or target == exchange.call.region:
            return aws_error(exchange, VALIDATION_ERROR,
                             f"Table {table.name} has no replica in region {target} to update")
        settings = group[target]
        if "KMSMasterKeyId" in spec:
            arn = _kms_key_arn(exchange.account_id, target, spec["KMSMasterKeyId"])
            if arn is None:
                return aws_error(exchange, VALIDATION_ERROR, f"KMS key {spec['KMSMasterKeyId']} does not exist in region {target}")
            settings["KMSMasterKeyId"] = arn
            replica = _backend(exchange.account_id, target).tables.get(table.name)
            if replica is not None:
                replica.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": arn}
        return self._apply_overrides(exchange, table, settings, spec)

    @staticmethod
    def _apply_overrides(exchange, table, settings, spec):
        override = spec.get("ProvisionedThroughputOverride")
        if override is not None:
            if table.billing_mode == "PAY_PER_REQUEST":
                return aws_error(exchange, VALIDATION_ERROR,
                                 "ProvisionedThroughputOverride is only valid for tables in PROVISIONED billing mode")
            settings["ProvisionedThroughputOverride"] = dict(override)
        if spec.get("TableClassOverride"):
            settings["ReplicaTableClassSummary"] = {"TableClass": spec["TableClassOverride"]}
        index_names = {index.name for index in table.global_indexes}
        indexes = {i["IndexName"]: dict(i) for i in settings.get("GlobalSecondaryIndexes", [])}
        for index in spec.get("GlobalSecondaryIndexes") or []:
            if index["IndexName"] not in index_names:
                return aws_error(exchange, VALIDATION_ERROR,
                                 f"Global secondary index {index['IndexName']} does not exist on table {table.name}")
            indexes[index["IndexName"]] = dict(index)
        if indexes:
            settings["GlobalSecondaryIndexes"] = [indexes[n] for n in sorted(indexes)]
        return None

    @staticmethod
    def _delete(exchange, table, group, target, spec):
        if target not in group or target == exchange.call.region:
            return aws_error(exchange, VALIDATION_ERROR,
                             f"Table {table.name} has no replica in region {target} to delete")
        del group[target]
        _backend(exchange.account_id, target).tables.pop(table.name, None)
        return None
