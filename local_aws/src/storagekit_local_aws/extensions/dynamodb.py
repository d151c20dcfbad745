"""DynamoDB: what moto 5.2.5 lacks, following the botocore service model.

- TableId in the table description of CreateTable, DescribeTable, UpdateTable and DeleteTable
  (moto leaves it out; community.aws.dynamodb_table fails with KeyError 'table_id').
- DeleteTable reports TableStatus DELETING, as AWS does (moto says ACTIVE).
- UpdateContributorInsights, DescribeContributorInsights, ListContributorInsights (moto: 500).
- TableClass of CreateTable and UpdateTable, reported as TableClassSummary (moto drops it).
- SSESpecification of UpdateTable: switch between the AWS owned key, the AWS managed key and a
  customer managed key (moto ignores it).
- Re-enabling a stream that was disabled (moto refuses it once a table ever had a stream).
- DeleteTable of a table with point-in-time recovery on keeps a SYSTEM backup of it named
  <table>$DeletedTableBackup, as AWS does (for 35 days; moto keeps nothing).
- DescribeBackup reports SourceTableFeatureDetails.SSEDescription, the encryption of the backed-up
  table (moto leaves SourceTableFeatureDetails out).
- Global tables, version 2019.11.21: UpdateTable ReplicaUpdates and DescribeTable Replicas
  (dynamodb_replicas.py).
- Latency hook: tables, new global secondary indexes and new replicas report CREATING for a while,
  and the writes AWS refuses on a busy table are refused with ResourceInUseException.
"""

import threading
import time
import uuid

from ..latency import LatencyHook
from .base import ServiceExtension, aws_error, json_reply, validate_input
from .dynamodb_replicas import GLOBAL_TABLE_VERSION, GlobalTables

VALIDATION_ERROR = "com.amazon.coral.validate#ValidationException"
TABLE_DESCRIPTION_KEYS = ("TableDescription", "Table")


def table_name(name_or_arn):
    """DynamoDB accepts a table name or its ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME)."""
    if name_or_arn.startswith("arn:") and ":table/" in name_or_arn:
        return name_or_arn.split(":table/", 1)[1].split("/")[0]
    return name_or_arn


def moto_backend(exchange):
    """moto's own DynamoDB state for the call's account and region."""
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[exchange.account_id][exchange.call.region]


def table_description(data):
    """The table description inside an answer (TableDescription or Table), or None."""
    for key in TABLE_DESCRIPTION_KEYS:
        if isinstance(data.get(key), dict) and "TableArn" in data[key]:
            return data[key]
    return None


def not_found(exchange, message):
    return aws_error(exchange, "ResourceNotFoundException", f"Requested resource not found: {message}")


class DynamoDBExtension(ServiceExtension):
    service = "dynamodb"
    atomic = frozenset({"CreateTable"})

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._table_ids = {}  # table ARN -> TableId
        self._insights = {}  # (table ARN, index name or None) -> contributor insights settings
        self._table_classes = {}  # table ARN -> TableClassSummary
        self.global_tables = GlobalTables()
        self.latency_hooks = [DynamoDBLatency()]
        self._handlers = {
            "UpdateContributorInsights": self.update_contributor_insights,
            "DescribeContributorInsights": self.describe_contributor_insights,
            "ListContributorInsights": self.list_contributor_insights,
        }

    def reset(self):
        with self._lock:
            self._table_ids.clear()
            self._insights.clear()
            self._table_classes.clear()
        self.global_tables.reset()

    # --- fields moto leaves out -------------------------------------------------------------

    def rewrite(self, exchange):
        if exchange.reply.status != 200:
            return
        if exchange.operation == "DescribeBackup":
            self._add_feature_details(exchange)
            return
        data = exchange.reply.json() or {}
        description = table_description(data)
        if description is None:
            return
        arn = description["TableArn"]
        if exchange.operation in ("CreateTable", "UpdateTable"):
            request = exchange.request_json()
            if "SSESpecification" in request:
                description = self._update_sse(exchange, description, request["SSESpecification"])
                data[next(k for k in TABLE_DESCRIPTION_KEYS if k in data)] = description
        if exchange.operation in ("CreateTable", "UpdateTable"):
            table_class = exchange.request_json().get("TableClass")
            if table_class:
                with self._lock:
                    self._table_classes[arn] = {"TableClass": table_class, "LastUpdateDateTime": time.time()}
        with self._lock:
            description["TableId"] = self._table_ids.setdefault(arn, str(uuid.uuid4()))
            if arn in self._table_classes:
                description["TableClassSummary"] = dict(self._table_classes[arn])
            if exchange.operation == "DeleteTable":
                del self._table_ids[arn]
                self._table_classes.pop(arn, None)
                for key in [k for k in self._insights if k[0] == arn]:
                    del self._insights[key]
            if exchange.operation == "UpdateTable":
                for update in exchange.request_json().get("GlobalSecondaryIndexUpdates", []):
                    if "Delete" in update:
                        self._insights.pop((arn, update["Delete"].get("IndexName")), None)
        if exchange.operation == "DeleteTable":
            description["TableStatus"] = "DELETING"
            self.global_tables.forget_table(exchange.account_id, exchange.call.region, description["TableName"])
        else:
            replicas = self.global_tables.replicas_seen_from(
                exchange.account_id, exchange.call.region, description["TableName"])
            if replicas:
                description["Replicas"] = replicas
                description["GlobalTableVersion"] = GLOBAL_TABLE_VERSION
        exchange.reply.set_json(data)

    @staticmethod
    def _update_sse(exchange, description, spec):
        """Apply UpdateTable's SSESpecification to moto's table, as AWS does; the new description.

        Enabled=false goes back to the AWS owned key; KMS without a key id means the AWS managed
        key (alias/aws/dynamodb); a key id, alias or ARN is reported by its key ARN.
        """
        table = moto_backend(exchange).tables[description["TableName"]]
        if not spec.get("Enabled"):
            table.sse_specification = None
        else:
            from moto.kms import kms_backends

            key_id = spec.get("KMSMasterKeyId")
            if key_id:
                key_id = kms_backends[exchange.account_id][exchange.call.region].describe_key(key_id).arn
            else:
                key_id = table._get_default_encryption_key(exchange.account_id, exchange.call.region)
            table.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_id}
        return _with_sse(description, table.describe()["TableDescription"].get("SSEDescription"))

    @staticmethod
    def _allow_stream_reenable(exchange):
        """AWS lets a disabled stream be enabled again (with a new ARN); moto refuses once a table
        has ever had one, because it keeps the old stream label. Forget the label first."""
        try:
            spec = exchange.request_json().get("StreamSpecification") or {}
            name = exchange.request_json().get("TableName")
        except ValueError:
            return
        if not spec.get("StreamEnabled") or not isinstance(name, str):
            return
        table = moto_backend(exchange).tables.get(table_name(name))
        if table is not None and not (table.stream_specification or {}).get("StreamEnabled"):
            table.latest_stream_label = None

    @staticmethod
    def _keep_backup_of_deleted_table(exchange):
        """Before moto deletes a table with point-in-time recovery on, keep the SYSTEM backup AWS keeps."""
        from moto.dynamodb.models.table import Backup

        try:
            name = table_name(exchange.request_json().get("TableName") or "")
        except (ValueError, AttributeError):
            return
        backend = moto_backend(exchange)
        table = backend.tables.get(name)
        if table is None or getattr(table, "deletion_protection_enabled", False):
            return
        recovery = table.continuous_backups.get("PointInTimeRecoveryDescription") or {}
        if recovery.get("PointInTimeRecoveryStatus") == "ENABLED":
            backup = Backup(exchange.account_id, exchange.call.region, f"{name}$DeletedTableBackup", table,
                            type_="SYSTEM")
            backend.backups[backup.arn] = backup

    @staticmethod
    def _add_feature_details(exchange):
        data = exchange.reply.json() or {}
        description = data.get("BackupDescription") or {}
        arn = (description.get("BackupDetails") or {}).get("BackupArn")
        backup = moto_backend(exchange).backups.get(arn)
        if backup is None:
            return
        sse = backup.table.describe()["TableDescription"].get("SSEDescription")
        details = description.setdefault("SourceTableFeatureDetails", {})
        if sse:
            details["SSEDescription"] = sse
        exchange.reply.set_json(data)

    # --- operations moto lacks --------------------------------------------------------------

    def handle(self, exchange):
        if exchange.operation == "UpdateTable":
            self._allow_stream_reenable(exchange)
            return self._replica_updates(exchange)
        if exchange.operation == "DeleteTable":
            self._keep_backup_of_deleted_table(exchange)
            return None
        handler = self._handlers.get(exchange.operation)
        if handler is None:
            return None
        try:
            params = exchange.request_json()
        except ValueError:
            return aws_error(exchange, "SerializationException", "Start of structure or map found where not expected")
        problem = validate_input("dynamodb", exchange.operation, params)
        if problem:
            return aws_error(exchange, VALIDATION_ERROR, problem)
        return handler(exchange, params)

    def _replica_updates(self, exchange):
        """Apply ReplicaUpdates before moto makes the rest of the UpdateTable (it ignores them)."""
        try:
            params = exchange.request_json()
        except ValueError:
            return None
        if "ReplicaUpdates" not in params:
            return None
        problem = validate_input("dynamodb", "UpdateTable", params)
        if problem:
            return aws_error(exchange, VALIDATION_ERROR, problem)
        return self.global_tables.update(exchange, params)

    def _find(self, exchange, params):
        """(moto table, index name, None) or (None, None, error Reply)."""
        table = moto_backend(exchange).tables.get(table_name(params["TableName"]))
        if table is None:
            return None, None, not_found(exchange, f"Table: {params['TableName']} not found")
        index_name = params.get("IndexName")
        if index_name and index_name not in {index.name for index in table.all_indexes()}:
            return None, None, not_found(exchange, f"Index: {index_name} not found for table {table.name}")
        return table, index_name, None

    def _status(self, table, index_name):
        """Contributor insights of a table or index; a never configured one is DISABLED."""
        with self._lock:
            settings = self._insights.get((table.table_arn, index_name))
        answer = {"TableName": table.name}
        if index_name:
            answer["IndexName"] = index_name
        answer.update(settings or {"ContributorInsightsStatus": "DISABLED"})
        return answer

    def update_contributor_insights(self, exchange, params):
        table, index_name, error = self._find(exchange, params)
        if error:
            return error
        now = time.time()
        if params["ContributorInsightsAction"] == "ENABLE":
            mode = params.get("ContributorInsightsMode", "ACCESSED_AND_THROTTLED_KEYS")
            settings = {
                "ContributorInsightsStatus": "ENABLED",
                "ContributorInsightsMode": mode,
                "ContributorInsightsRuleList": rule_names(table, index_name, mode, now),
                "LastUpdateDateTime": now,
            }
        else:
            settings = {"ContributorInsightsStatus": "DISABLED", "LastUpdateDateTime": now}
        with self._lock:
            self._insights[(table.table_arn, index_name)] = settings
        answer = self._status(table, index_name)
        keys = ("TableName", "IndexName", "ContributorInsightsStatus", "ContributorInsightsMode")
        return json_reply(exchange, {k: answer[k] for k in keys if k in answer})

    def describe_contributor_insights(self, exchange, params):
        table, index_name, error = self._find(exchange, params)
        if error:
            return error
        return json_reply(exchange, self._status(table, index_name))

    def list_contributor_insights(self, exchange, params):
        """Summaries of a table and all its global secondary indexes (all tables without TableName)."""
        if "TableName" in params:
            table, dummy, error = self._find(exchange, params)
            if error:
                return error
            tables = [table]
        else:
            tables = list(moto_backend(exchange).tables.values())
        summaries = []
        for table in tables:
            for index_name in [None] + [index.name for index in table.global_indexes]:
                status = self._status(table, index_name)
                summaries.append({k: status[k] for k in
                                  ("TableName", "IndexName", "ContributorInsightsStatus", "ContributorInsightsMode")
                                  if k in status})
        try:
            start = int(params.get("NextToken", "0"))
        except ValueError:
            return aws_error(exchange, VALIDATION_ERROR, "Invalid NextToken")
        end = start + params.get("MaxResults", 100)
        answer = {"ContributorInsightsSummaries": summaries[start:end]}
        if end < len(summaries):
            answer["NextToken"] = str(end)
        return json_reply(exchange, answer)


def _with_sse(description, sse_description):
    """A copy of a table description with its SSEDescription replaced (or removed when None)."""
    description = {k: v for k, v in description.items() if k != "SSEDescription"}
    if sse_description:
        description["SSEDescription"] = sse_description
    return description


def rule_names(table, index_name, mode, now):
    """The CloudWatch Contributor Insights rules AWS creates: partition key (PK) and, for a
    composite key, sort key (SK) rules, for accessed (C) and throttled (T) keys."""
    schema = table.schema
    if index_name:
        schema = next(index.schema for index in table.all_indexes() if index.name == index_name)
    kinds = ["PKT"] if mode == "THROTTLED_KEYS" else ["PKC", "PKT"]
    if any(key["KeyType"] == "RANGE" for key in schema):
        kinds += [kind.replace("PK", "SK") for kind in kinds]
    resource = f"{table.name}-{index_name}" if index_name else table.name
    return [f"DynamoDBContributorInsights-{kind}-{resource}-{int(now * 1000)}" for kind in kinds]


class DynamoDBLatency(LatencyHook):
    """Tables are CREATING after CreateTable, and indexes CREATING (table UPDATING) after an
    UpdateTable that creates a global secondary index; AWS refuses these writes meanwhile."""

    service = "dynamodb"
    kinds = ("dynamodb:table", "dynamodb:index", "dynamodb:replica")
    REFUSED_WHILE_BUSY = {"UpdateTable", "DeleteTable", "UpdateContinuousBackups", "UpdateTimeToLive"}
    SHOWN = {"CreateTable", "DescribeTable", "UpdateTable"}

    @staticmethod
    def table_key(exchange, name):
        """Timer key of a table; its indexes' keys extend it (TABLE_KEY + index name)."""
        return f"{exchange.account_id}/{exchange.call.region}/{table_name(name)}/"

    @staticmethod
    def replica_key(exchange, name, region):
        """Timer key of the replica of a global table in one region (the same from every region)."""
        return f"{exchange.account_id}/{table_name(name)}/{region}"

    def refuse(self, exchange, model):
        if exchange.operation not in self.REFUSED_WHILE_BUSY:
            return None
        try:
            name = exchange.request_json().get("TableName")
        except ValueError:
            return None
        if not isinstance(name, str):
            return None
        key = self.table_key(exchange, name)
        if model.pending("dynamodb:table", key):
            state = "being created"
        elif model.pending_keys("dynamodb:index", key) or model.pending_keys(
                "dynamodb:replica", self.replica_key(exchange, name, "")):
            state = "being updated"
        else:
            return None
        return aws_error(exchange, "ResourceInUseException",
                         f"Attempt to change a resource which is still in use: Table is {state}: {table_name(name)}")

    def observe(self, exchange, model):
        if exchange.reply.status != 200 or exchange.operation not in self.SHOWN | {"DeleteTable"}:
            return
        data = exchange.reply.json() or {}
        description = table_description(data)
        if description is None:
            return
        key = self.table_key(exchange, description["TableName"])
        if exchange.operation == "DeleteTable":
            model.forget("dynamodb:table", key)
            model.forget_all("dynamodb:index", key)
            return
        if exchange.operation == "CreateTable":
            model.start("dynamodb:table", key)
        if exchange.operation == "UpdateTable":
            for update in exchange.request_json().get("GlobalSecondaryIndexUpdates", []):
                if "Create" in update:
                    model.start("dynamodb:index", key + update["Create"]["IndexName"])
                if "Delete" in update:
                    model.forget("dynamodb:index", key + update["Delete"]["IndexName"])
            for update in exchange.request_json().get("ReplicaUpdates", []):
                if "Create" in update:
                    model.start("dynamodb:replica", self.replica_key(exchange, description["TableName"],
                                                                     update["Create"]["RegionName"]))
                if "Delete" in update:
                    model.forget("dynamodb:replica", self.replica_key(exchange, description["TableName"],
                                                                      update["Delete"]["RegionName"]))
        changed = self._show_pending_replicas(exchange, description, model)
        if self._show_pending(description, key, model) or changed:
            exchange.reply.set_json(data)

    def _show_pending_replicas(self, exchange, description, model):
        """A replica table being created is CREATING in its region, and its source UPDATING."""
        name = description["TableName"]
        changed = False
        if model.pending("dynamodb:replica", self.replica_key(exchange, name, exchange.call.region)):
            description["TableStatus"] = "CREATING"
            changed = True
        for replica in description.get("Replicas", []):
            if model.pending("dynamodb:replica", self.replica_key(exchange, name, replica["RegionName"])):
                replica["ReplicaStatus"] = "CREATING"
                if description["TableStatus"] == "ACTIVE":
                    description["TableStatus"] = "UPDATING"
                changed = True
        return changed

    @staticmethod
    def _show_pending(description, key, model):
        """Put CREATING/UPDATING into a table description; True if anything changed."""
        indexes = description.get("GlobalSecondaryIndexes", [])
        if model.pending("dynamodb:table", key):
            description["TableStatus"] = "CREATING"
            for index in indexes:
                index["IndexStatus"] = "CREATING"
            return True
        creating = {k[len(key):] for k in model.pending_keys("dynamodb:index", key)}
        if not creating:
            return False
        description["TableStatus"] = "UPDATING"
        for index in indexes:
            if index["IndexName"] in creating:
                index["IndexStatus"] = "CREATING"
        return True
