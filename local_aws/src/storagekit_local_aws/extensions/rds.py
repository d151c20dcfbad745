"""RDS DB instances: what moto 5.2.5 lacks, following the botocore service model.

- PerformanceInsightsEnabled / PerformanceInsightsKMSKeyId / PerformanceInsightsRetentionPeriod:
  moto drops EnablePerformanceInsights and the key, and reports the retention period only after
  a ModifyDBInstance (even with Performance Insights off). AWS reports the key as an ARN (the
  aws/rds key when none was given) and 7 days when no retention period was given.
- gp3 storage without Iops / StorageThroughput: AWS reports the gp3 baseline (under 400 GiB:
  3000 IOPS and 125 MiB/s; from 400 GiB: 12000 and 500), moto reports nothing. Setting either
  below 400 GiB is refused with InvalidParameterCombination, as AWS does.
- ModifyDBInstance without ApplyImmediately: moto applies everything at once. AWS keeps the
  instance class, storage, IOPS, throughput, storage type, engine version, Multi-AZ, port and CA
  certificate changes for the maintenance window and reports them in PendingModifiedValues; a
  later ModifyDBInstance with ApplyImmediately=true applies them together with its own changes.
- PromoteReadReplica leaves ReadReplicaSourceDBInstanceIdentifier set (and the source keeps
  listing the replica, also in another region); RestoreDBInstanceToPointInTime reports the source as
  replication source. PromoteReadReplica of an instance that is no read replica succeeds; AWS refuses it
  with InvalidDBInstanceState. A cross-region replica keeps its source's parameter group name, which does
  not exist in its region (moto then fails); AWS gives it the engine's default group unless the call names one.
- The managed master user secret holds username "admin" and a fixed password whatever
  MasterUsername was; AWS stores the real user name and a generated password.
- A read replica is a copy of its source with the source's MasterUserSecret (and deleting it deletes the
  source's secret); on AWS a replica has no managed secret: it signs in with its source's master user, and a
  promoted replica gets a secret of its own with ModifyDBInstance ManageMasterUserPassword.
- DescribeDBParameters lists only the parameters a user set and ignores Source; AWS lists the
  family's engine defaults too (see rds_parameters.py), each with its Source.
- DescribeDBEngineVersions is missing and CreateDBInstance takes any engine version and storage size:
  see rds_engines.py for the catalogue and AWS's refusals.
- DescribeDBInstanceAutomatedBackups answers only identifier and status, and DeleteDBInstanceAutomatedBackup
  is missing: see rds_automated_backups.py.
- DescribeDBRecommendations is missing: see rds_recommendations.py.
- DescribeDBParameterGroups naming a group that does not exist answers an empty list; AWS
  answers DBParameterGroupNotFound (404).
- A real PostgreSQL server behind each postgres instance, its replicas, snapshots and restores
  (rds_servers.py); Endpoint.Address is the server's loopback address.
- Log exports: moto records EnableCloudwatchLogsExports and publishes nothing. RDS publishes each exported log
  to /aws/rds/instance/<instance>/<log>, creating that log group without a retention (never expiring) when it
  does not exist; here the group is created so when an instance is created, restored, made a replica or
  modified with log exports.
- Latency hook (kind "rds:db-instance"): created, restored and replica instances are "creating",
  modified or promoted ones "modifying", an instance being snapshotted "backing-up", then
  "available"; meanwhile ModifyDBInstance, DeleteDBInstance, RebootDBInstance, CreateDBSnapshot,
  PromoteReadReplica and CreateDBInstanceReadReplica from it fail with InvalidDBInstanceState.
"""

import json
import threading
from xml.etree import ElementTree

from botocore.serialize import RestXMLSerializer

from ..latency import LatencyHook
from ..operations import service_model
from .base import ServiceExtension, aws_error, page, query_reply, query_request, set_query_request
from .rds_automated_backups import delete_db_instance_automated_backup, describe_db_instance_automated_backups
from .rds_engines import check_create_db_instance, describe_db_engine_versions
from .rds_parameters import engine_default_parameters
from .rds_recommendations import describe_db_recommendations
from .rds_servers import follow, is_true, new_password, server_name

# Operations whose answers carry DBInstance elements.
INSTANCE_OPERATIONS = {
    "CreateDBInstance", "CreateDBInstanceReadReplica", "DescribeDBInstances", "ModifyDBInstance",
    "DeleteDBInstance", "PromoteReadReplica", "RebootDBInstance", "StartDBInstance", "StopDBInstance",
    "RestoreDBInstanceFromDBSnapshot", "RestoreDBInstanceToPointInTime",
}
CREATES = {
    "CreateDBInstance": "DBInstanceIdentifier",
    "CreateDBInstanceReadReplica": "DBInstanceIdentifier",
    "RestoreDBInstanceFromDBSnapshot": "DBInstanceIdentifier",
    "RestoreDBInstanceToPointInTime": "TargetDBInstanceIdentifier",
}
# ModifyDBInstance parameters AWS defers to the maintenance window unless ApplyImmediately is
# true, with their name in PendingModifiedValues and moto's attribute holding the current value.
DEFERRED = {
    "DBInstanceClass": ("DBInstanceClass", "db_instance_class"),
    "AllocatedStorage": ("AllocatedStorage", "allocated_storage"),
    "StorageType": ("StorageType", "storage_type"),
    "Iops": ("Iops", "iops"),
    "StorageThroughput": ("StorageThroughput", "storage_throughput"),
    "EngineVersion": ("EngineVersion", "engine_version"),
    "MultiAZ": ("MultiAZ", "multi_az"),
    "DBPortNumber": ("Port", "port"),
    "CACertificateIdentifier": ("CACertificateIdentifier", "ca_certificate_identifier"),
}
PI_DEFAULT_RETENTION = 7
MASTER_SECRET_ROTATION_DAYS = 7


def instance_id(value):
    """An instance identifier as RDS keeps it (lower case); ARNs name the instance at the end."""
    if value and value.startswith("arn:") and ":db:" in value:
        value = value.split(":db:", 1)[1]
    return (value or "").lower()


def moto_backend(exchange):
    from moto.rds.models import rds_backends

    return rds_backends[exchange.account_id][exchange.call.region]


def moto_instance(exchange, identifier):
    return moto_backend(exchange).databases.get(instance_id(identifier))


def moto_source_instance(exchange, identifier):
    """A replication source, named by identifier (same region) or ARN (a cross-region replica's source)."""
    from moto.rds.models import rds_backends

    region = identifier.split(":")[3] if (identifier or "").startswith("arn:") else exchange.call.region
    return rds_backends[exchange.account_id][region].databases.get(instance_id(identifier))


def gp3_baseline(engine, allocated_storage):
    """(IOPS, MiB/s) AWS reports for gp3 storage nobody set IOPS or throughput for."""
    engine = engine or ""
    if engine.startswith("sqlserver"):
        return 3000, 125
    threshold = 200 if engine.startswith("oracle") else 400
    return (12000, 500) if int(allocated_storage or 0) >= threshold else (3000, 125)


def gp3_threshold(engine):
    return 200 if (engine or "").startswith("oracle") else 400


# --- reading and writing moto's XML answers --------------------------------------------------

def publish_log_groups(exchange, instance):
    """The log groups RDS makes for an instance's exported logs, with no retention, unless they exist."""
    from moto.logs.exceptions import ResourceAlreadyExistsException
    from moto.logs.models import logs_backends

    if instance is None:
        return
    groups = logs_backends[exchange.account_id][exchange.call.region]
    for log in instance.enabled_cloudwatch_logs_exports or []:
        try:
            groups.create_log_group(f"/aws/rds/instance/{instance.db_instance_identifier}/{log}", {})
        except ResourceAlreadyExistsException:
            pass  # made by the user first, with the retention they chose


def parse_answer(reply):
    """(root element without namespaces, namespace) of a query-protocol XML answer."""
    root = ElementTree.fromstring(reply.body)
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root, namespace


def write_answer(reply, root, namespace):
    if namespace:
        root.set("xmlns", namespace)
    reply.set_body(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root))


def child_text(element, name):
    child = element.find(name)
    return child.text if child is not None else None


def set_child(element, name, value):
    """Set (or with None remove) a scalar member of a structure element."""
    child = element.find(name)
    if value is None:
        if child is not None:
            element.remove(child)
        return
    if child is None:
        child = ElementTree.SubElement(element, name)
    child.text = ("true" if value else "false") if isinstance(value, bool) else str(value)


def set_structure(element, name, shape_name, value):
    """Replace a structure member, serialized by its botocore shape."""
    for child in element.findall(name):
        element.remove(child)
    shape = service_model("rds").shape_for(shape_name)
    RestXMLSerializer()._serialize(shape, value, element, name)


def typed(shape_name, member, text):
    """A wire (query string) value as the type of a member of a botocore shape."""
    kind = service_model("rds").shape_for(shape_name).members[member].type_name
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        return is_true(text)
    return text


def describe_db_parameters(exchange):
    """The group's parameters as AWS lists them: engine defaults, overridden by the user's values."""
    request = query_request(exchange)
    group = moto_backend(exchange).db_parameter_groups.get(request["DBParameterGroupName"])
    if group is None:
        return aws_error(exchange, "DBParameterGroupNotFound",
                         f"DBParameterGroup not found: {request['DBParameterGroupName']}", status=404)
    parameters = {p["ParameterName"]: p for p in engine_default_parameters(group.family)}
    for name, values in group.parameters.items():
        parameter = dict(parameters.get(name, {"ParameterName": name, "IsModifiable": True}))
        parameter.update(Source="user", ParameterValue=values.get("ParameterValue"))
        if values.get("ApplyMethod"):
            parameter["ApplyMethod"] = values["ApplyMethod"]
        parameters[name] = parameter
    listed = [parameters[name] for name in sorted(parameters)
              if request.get("Source") in (None, parameters[name]["Source"])]
    items, marker = page(listed, request)
    output = {"Parameters": items}
    if marker:
        output["Marker"] = marker
    return query_reply(exchange, output)


class RDSExtension(ServiceExtension):
    service = "rds"
    atomic = frozenset({"CreateDBInstance", "CreateDBInstanceReadReplica"})

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._insights = {}  # (account, region, id) -> {"enabled", "key", "retention"}
        self._pending = {}  # (account, region, id) -> {PendingModifiedValues member: wire value}
        self.latency_hooks = [RDSLatency()]

    def reset(self):
        with self._lock:
            self._insights.clear()
            self._pending.clear()

    @staticmethod
    def _key(exchange, identifier):
        return exchange.account_id, exchange.call.region, instance_id(identifier)

    # --- before moto --------------------------------------------------------------------------

    def handle(self, exchange):
        if exchange.operation == "DescribeDBParameters":
            return describe_db_parameters(exchange)
        if exchange.operation == "DescribeDBEngineVersions":
            return describe_db_engine_versions(exchange)
        if exchange.operation == "DescribeDBInstanceAutomatedBackups":
            return describe_db_instance_automated_backups(exchange, moto_backend(exchange))
        if exchange.operation == "DeleteDBInstanceAutomatedBackup":
            return delete_db_instance_automated_backup(exchange, moto_backend(exchange))
        if exchange.operation == "DescribeDBRecommendations":
            return describe_db_recommendations(exchange, moto_backend(exchange))
        if exchange.operation == "CreateDBInstance":
            error = check_create_db_instance(exchange)
            if error is not None:
                return error
        if exchange.operation in ("CreateDBInstance", "CreateDBInstanceReadReplica", "ModifyDBInstance"):
            error = self._check_gp3(exchange)
            if error is not None:
                return error
        if exchange.operation == "ModifyDBInstance":
            self._defer_or_apply(exchange)
        if exchange.operation == "PromoteReadReplica":
            return self._refuse_non_replica(exchange)
        if exchange.operation == "CreateDBInstanceReadReplica":
            self._cross_region_parameter_group(exchange)
        return None

    @staticmethod
    def _cross_region_parameter_group(exchange):
        """A cross-region replica gets the engine's default parameter group unless the call names one, as AWS
        documents; moto keeps the source's group name, which does not exist in the replica's region."""
        request = query_request(exchange)
        source_id = request.get("SourceDBInstanceIdentifier") or ""
        if request.get("DBParameterGroupName") or not source_id.startswith("arn:"):
            return
        source = moto_source_instance(exchange, source_id)
        if source is None or source.region == exchange.call.region:
            return
        request["DBParameterGroupName"] = source.default_db_parameter_group_details()[1]
        set_query_request(exchange, request)

    @staticmethod
    def _refuse_non_replica(exchange):
        """AWS promotes only read replicas (moto answers success for any instance)."""
        identifier = query_request(exchange).get("DBInstanceIdentifier")
        instance = moto_instance(exchange, identifier)
        if instance is None or instance.source_db_instance_identifier:
            return None
        return aws_error(exchange, "InvalidDBInstanceState", "DB Instance is not a read replica.")

    def _check_gp3(self, exchange):
        """AWS refuses IOPS or throughput for gp3 volumes below the baseline threshold."""
        request = query_request(exchange)
        if "Iops" not in request and "StorageThroughput" not in request:
            return None
        instance = moto_instance(exchange, request.get("DBInstanceIdentifier"))
        source = moto_instance(exchange, request.get("SourceDBInstanceIdentifier"))
        known = instance or source
        storage_type = request.get("StorageType") or (known.storage_type if known else None)
        engine = request.get("Engine") or (known.engine if known else None)
        storage = request.get("AllocatedStorage") or (known.allocated_storage if known else None)
        if storage_type != "gp3" or storage is None or int(storage) >= gp3_threshold(engine):
            return None
        return aws_error(
            exchange, "InvalidParameterCombination",
            f"You can't specify IOPS or storage throughput for engine {engine} and a storage size less "
            f"than {gp3_threshold(engine)}.")

    def _defer_or_apply(self, exchange):
        """Keep deferred changes out of moto unless ApplyImmediately; apply queued ones with it."""
        request = query_request(exchange)
        instance = moto_instance(exchange, request.get("DBInstanceIdentifier"))
        if instance is None:
            return
        key = self._key(exchange, request["DBInstanceIdentifier"])
        with self._lock:
            pending = dict(self._pending.get(key, {}))
            if is_true(request.get("ApplyImmediately")):
                by_member = {member: name for name, (member, dummy) in DEFERRED.items()}
                for member, value in pending.items():
                    request.setdefault(by_member[member], value)
                self._pending.pop(key, None)
            else:
                for name, (member, attribute) in DEFERRED.items():
                    if name not in request:
                        continue
                    value = request.pop(name)
                    current = getattr(instance, attribute, None)
                    if str(current).lower() == str(value).lower():
                        pending.pop(member, None)
                    else:
                        pending[member] = value
                if pending:
                    self._pending[key] = pending
                else:
                    self._pending.pop(key, None)
        set_query_request(exchange, request)

    # --- after moto ---------------------------------------------------------------------------

    def rewrite(self, exchange):
        if exchange.reply.status == 200 and exchange.operation == "DescribeDBParameterGroups":
            self._refuse_missing_group(exchange)
        if exchange.reply.status != 200:
            return
        if exchange.operation not in INSTANCE_OPERATIONS:
            follow(self.data, exchange, query_request(exchange), moto_instance)
            return
        request = query_request(exchange)
        if exchange.operation != "DeleteDBInstance":
            self._record(exchange, request)
        follow(self.data, exchange, request, moto_instance)
        root, namespace = parse_answer(exchange.reply)
        for element in root.iter("DBInstance"):
            self._complete(exchange, element)
        write_answer(exchange.reply, root, namespace)
        if exchange.operation == "DeleteDBInstance":
            self._record(exchange, request)

    @staticmethod
    def _refuse_missing_group(exchange):
        """AWS answers a named parameter group that does not exist with DBParameterGroupNotFound."""
        name = query_request(exchange).get("DBParameterGroupName")
        if not name:
            return
        root, _namespace = parse_answer(exchange.reply)
        if next(root.iter("DBParameterGroup"), None) is None:
            exchange.reply = aws_error(
                exchange, "DBParameterGroupNotFound", f"DBParameterGroup not found: {name}", status=404)

    def _record(self, exchange, request):
        """Keep what moto forgets, and correct moto's state where it is wrong."""
        operation = exchange.operation
        if operation in CREATES:
            identifier = request.get(CREATES[operation])
            key = self._key(exchange, identifier)
            with self._lock:
                self._pending.pop(key, None)
                self._insights[key] = self._insights_from(exchange, request, {"enabled": False})
            instance = moto_instance(exchange, identifier)
            if operation == "RestoreDBInstanceToPointInTime" and instance is not None:
                instance.is_replica = False
                instance.source_db_instance_identifier = None
                instance.replicas = []
            if operation == "RestoreDBInstanceFromDBSnapshot" and instance is not None:
                instance.replicas = []
            if operation == "CreateDBInstanceReadReplica" and instance is not None:
                # moto's replica is a copy of its source, managed secret included (and deleting the replica
                # would delete the source's secret); a replica has no secret of its own.
                instance.manage_master_user_password = False
                instance.__dict__.pop("master_user_secret", None)
            if instance is not None and is_true(request.get("ManageMasterUserPassword")):
                self._fix_master_secret(exchange, instance)
            publish_log_groups(exchange, instance)
        elif operation == "ModifyDBInstance":
            key = self._key(exchange, request.get("DBInstanceIdentifier"))
            with self._lock:
                current = self._insights.get(key, {"enabled": False})
                self._insights[key] = self._insights_from(exchange, request, current)
                if request.get("NewDBInstanceIdentifier"):
                    new_key = self._key(exchange, request["NewDBInstanceIdentifier"])
                    for table in (self._insights, self._pending):
                        if key in table:
                            table[new_key] = table.pop(key)
            instance = moto_instance(exchange, request.get("NewDBInstanceIdentifier")
                                     or request.get("DBInstanceIdentifier"))
            if instance is not None and is_true(request.get("ManageMasterUserPassword")):
                self._fix_master_secret(exchange, instance)
            publish_log_groups(exchange, instance)
        elif operation == "PromoteReadReplica":
            instance = moto_instance(exchange, request.get("DBInstanceIdentifier"))
            if instance is not None and instance.source_db_instance_identifier:
                source = moto_source_instance(exchange, instance.source_db_instance_identifier)
                # moto lists a cross-region replica by its ARN, a replica of the same region by its identifier
                for listed in (instance.db_instance_identifier, instance.db_instance_arn):
                    if source is not None and listed in source.replicas:
                        source.replicas.remove(listed)
                instance.source_db_instance_identifier = None
                instance.is_replica = False
        elif operation == "DeleteDBInstance":
            key = self._key(exchange, request.get("DBInstanceIdentifier"))
            with self._lock:
                self._insights.pop(key, None)
                self._pending.pop(key, None)

    @staticmethod
    def _insights_from(exchange, request, current):
        """Performance Insights settings after a call that may set them."""
        settings = dict(current)
        if "EnablePerformanceInsights" in request:
            settings["enabled"] = is_true(request["EnablePerformanceInsights"])
        if not settings.get("enabled"):
            return {"enabled": False}
        if request.get("PerformanceInsightsKMSKeyId") or not settings.get("key"):
            settings["key"] = kms_key_arn(exchange, request.get("PerformanceInsightsKMSKeyId") or "alias/aws/rds")
        if request.get("PerformanceInsightsRetentionPeriod"):
            settings["retention"] = int(request["PerformanceInsightsRetentionPeriod"])
        settings.setdefault("retention", PI_DEFAULT_RETENTION)
        return settings

    @staticmethod
    def _fix_master_secret(exchange, instance):
        """Put the instance's real master user name and a generated password in its secret,
        with the 7-day rotation AWS turns on for secrets RDS manages."""
        secret = getattr(getattr(instance, "master_user_secret", None), "secret", None)
        if secret is None:
            return
        password = new_password()
        value = json.dumps({"username": instance.master_username, "password": password})
        secret.secret_string = value
        for version in secret.versions.values():
            if "AWSCURRENT" in version.get("version_stages", []):
                version["secret_string"] = value
        secret.rotation_requested = True
        secret.rotation_enabled = True
        secret.auto_rotate_after_days = MASTER_SECRET_ROTATION_DAYS

    def _complete(self, exchange, element):
        """Fill one DBInstance element in with what AWS reports."""
        identifier = child_text(element, "DBInstanceIdentifier")
        key = self._key(exchange, identifier)
        with self._lock:
            insights = dict(self._insights.get(key, {"enabled": False}))
            pending = dict(self._pending.get(key, {}))
        set_child(element, "PerformanceInsightsEnabled", insights["enabled"])
        set_child(element, "PerformanceInsightsKMSKeyId", insights.get("key"))
        set_child(element, "PerformanceInsightsRetentionPeriod", insights.get("retention"))
        if child_text(element, "StorageType") == "gp3":
            iops, throughput = gp3_baseline(child_text(element, "Engine"), child_text(element, "AllocatedStorage"))
            if child_text(element, "Iops") is None:
                set_child(element, "Iops", iops)
            if child_text(element, "StorageThroughput") is None:
                set_child(element, "StorageThroughput", throughput)
        instance = moto_instance(exchange, identifier)
        if instance is not None and not instance.source_db_instance_identifier:
            set_child(element, "ReadReplicaSourceDBInstanceIdentifier", None)
        if instance is not None and getattr(instance, "master_user_secret", None) is None:
            set_child(element, "MasterUserSecret", None)
        server = self.data.get(server_name(exchange, identifier)) if self.data is not None else None
        if server is not None and element.find("Endpoint") is not None:
            set_child(element.find("Endpoint"), "Address", server.address)
        values = {member: typed("PendingModifiedValues", member, value) for member, value in pending.items()}
        set_structure(element, "PendingModifiedValues", "PendingModifiedValues", values)


def kms_key_arn(exchange, key_id):
    """The ARN of a KMS key named by id, ARN or alias (the AWS managed aws/rds key included)."""
    from moto.kms import kms_backends

    backend = kms_backends[exchange.account_id][exchange.call.region]
    try:
        return backend.describe_key(key_id).arn
    except Exception:
        if key_id.startswith("arn:"):
            return key_id
        return f"arn:aws:kms:{exchange.call.region}:{exchange.account_id}:key/{key_id}"


class RDSLatency(LatencyHook):
    """DB instances take time to create, modify, promote and back up; AWS refuses changes meanwhile."""

    service = "rds"
    kinds = ("rds:db-instance",)
    KIND = "rds:db-instance"
    REFUSED = {
        "ModifyDBInstance": "DBInstanceIdentifier",
        "DeleteDBInstance": "DBInstanceIdentifier",
        "RebootDBInstance": "DBInstanceIdentifier",
        "CreateDBSnapshot": "DBInstanceIdentifier",
        "PromoteReadReplica": "DBInstanceIdentifier",
        "CreateDBInstanceReadReplica": "SourceDBInstanceIdentifier",
    }

    def __init__(self):
        self._lock = threading.Lock()
        self._states = {}  # timer key -> status shown while pending

    @staticmethod
    def key(exchange, identifier):
        return f"{exchange.account_id}/{exchange.call.region}/{instance_id(identifier)}"

    def _start(self, model, key, state):
        model.start(self.KIND, key)
        with self._lock:
            self._states[key] = state

    def _state(self, model, key):
        if not model.pending(self.KIND, key):
            return None
        with self._lock:
            return self._states.get(key)

    def refuse(self, exchange, model):
        name = self.REFUSED.get(exchange.operation)
        if name is None:
            return None
        identifier = query_request(exchange).get(name)
        if not identifier:
            return None
        state = self._state(model, self.key(exchange, identifier))
        if state is None:
            return None
        return aws_error(exchange, "InvalidDBInstanceState",
                         f"Database instance {instance_id(identifier)} is not in available state ({state}).")

    def observe(self, exchange, model):
        operation = exchange.operation
        if exchange.reply.status != 200 or (operation not in INSTANCE_OPERATIONS and operation != "CreateDBSnapshot"):
            return
        request = query_request(exchange)
        if operation == "DeleteDBInstance":
            model.forget(self.KIND, self.key(exchange, request.get("DBInstanceIdentifier")))
            return
        if operation in CREATES:
            self._start(model, self.key(exchange, request.get(CREATES[operation])), "creating")
        elif operation == "ModifyDBInstance" and self._changes_instance(request):
            identifier = request.get("NewDBInstanceIdentifier") or request.get("DBInstanceIdentifier")
            self._start(model, self.key(exchange, identifier), "modifying")
        elif operation == "PromoteReadReplica":
            self._start(model, self.key(exchange, request.get("DBInstanceIdentifier")), "modifying")
        elif operation == "CreateDBSnapshot":
            self._start(model, self.key(exchange, request.get("DBInstanceIdentifier")), "backing-up")
            return
        root, namespace = parse_answer(exchange.reply)
        changed = False
        for element in root.iter("DBInstance"):
            state = self._state(model, self.key(exchange, child_text(element, "DBInstanceIdentifier")))
            if state is not None:
                set_child(element, "DBInstanceStatus", state)
                changed = True
        if changed:
            write_answer(exchange.reply, root, namespace)

    @staticmethod
    def _changes_instance(request):
        """True when a ModifyDBInstance changes anything but its bookkeeping settings (the request
        seen here no longer holds the changes kept for the maintenance window)."""
        quiet = {"DBInstanceIdentifier", "ApplyImmediately", "DeletionProtection", "CopyTagsToSnapshot",
                 "BackupRetentionPeriod", "PreferredBackupWindow", "PreferredMaintenanceWindow",
                 "AutoMinorVersionUpgrade", "MaxAllocatedStorage"}
        return any(name not in quiet for name in request)
