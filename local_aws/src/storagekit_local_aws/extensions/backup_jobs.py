"""AWS Backup jobs and recovery points, which moto 5.2.5 lacks entirely.

- StartBackupJob of an RDS DB instance, a DynamoDB table, an S3 bucket or an EFS file system (other
  resource types: InvalidParameterValueException; an unknown vault or resource: ResourceNotFoundException)
  makes a recovery point in the vault that holds the data as it was at the call: a DynamoDB recovery
  point is moto's table backup (items, key schema, indexes), an S3 one the objects (keys, bodies, ETags,
  content types, metadata), an RDS one a DB snapshot named `awsbackup:job-ID` (with a PostgreSQL
  server's base backup behind it, as CreateDBSnapshot takes one), an EFS one the file system's settings
  (no file data: EFS file systems hold none here). Recovery point ARNs are the snapshot's ARN for RDS
  and `arn:aws:backup:REGION:ACCOUNT:recovery-point:ID` for the others, as AWS names them.
- Lifecycle: DeleteAfterDays at least 90 days after MoveToColdStorageAfterDays
  (InvalidParameterValueException); a vault lock's MinRetentionDays / MaxRetentionDays that the
  lifecycle breaks fails the job (FAILED, no recovery point), as AWS fails it.
- StartCopyJob to a vault of another region (regions are separate backends) or the same one: the copy
  holds the same data; DescribeCopyJob, ListCopyJobs.
- StartRestoreJob: DynamoDB into a new table (`targetTableName`) with the items, S3 into a new bucket
  (`DestinationBucketName`) with the objects, RDS into a new DB instance (`DBInstanceIdentifier`)
  from the snapshot with its own PostgreSQL server, EFS into a new file system; DescribeRestoreJob,
  ListRestoreJobs (CreatedResourceArn), GetRecoveryPointRestoreMetadata.
- DescribeBackupJob, ListBackupJobs (by resource, state, vault, resource type, creation time),
  ListRecoveryPointsByBackupVault, ListRecoveryPointsByResource, DescribeRecoveryPoint (Lifecycle,
  CalculatedLifecycle, Status, EncryptionKeyArn, IsEncrypted), DeleteRecoveryPoint (refused under a
  compliance-mode vault lock before MinRetentionDays, InvalidRequestException; the RDS snapshot goes
  with it).
- Latency hook (kind "backup:job"): jobs are RUNNING for the configured seconds, then
  COMPLETED; their recovery points are CREATING meanwhile. Without latency they complete at once. The
  data is taken (and a restored resource made) when the job starts.
"""

import copy
import re
import time
import uuid
from types import SimpleNamespace

from ..latency import LatencyHook
from .base import aws_error

JOB_KIND = "backup:job"
DAY = 86400
RESOURCE_TYPES = (
    (re.compile(r"^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:db:(.+)$"), "RDS"),
    (re.compile(r"^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):\d{12}:table/([^/]+)$"), "DynamoDB"),
    (re.compile(r"^arn:aws[a-z-]*:s3:::()([^/]+)$"), "S3"),
    (re.compile(r"^arn:aws[a-z-]*:elasticfilesystem:([a-z0-9-]+):\d{12}:file-system/(fs-[0-9a-f]+)$"), "EFS"),
)


def resource_of(arn):
    """(resource type, region or '', name) of a supported resource ARN, or None."""
    for pattern, kind in RESOURCE_TYPES:
        match = pattern.match(arn or "")
        if match:
            return kind, match.group(1), match.group(2)
    return None


def backend(service, exchange, region):
    if service == "dynamodb":
        from moto.dynamodb.models import dynamodb_backends as backends
    elif service == "rds":
        from moto.rds.models import rds_backends as backends
    elif service == "efs":
        from moto.efs.models import efs_backends as backends
    else:
        from moto.s3.models import s3_backends

        return s3_backends[exchange.account_id]["global"]
    return backends[exchange.account_id][region]


class BackupJobsLatency(LatencyHook):
    """Jobs run for the `backup:job` latency; the model is kept to answer job states."""

    service = "backup"
    kinds = (JOB_KIND,)

    def __init__(self):
        self.model = None

    def observe(self, exchange, model):
        self.model = model
        if exchange.operation in ("StartBackupJob", "StartCopyJob", "StartRestoreJob") and exchange.reply.status == 200:
            data = exchange.reply.json() or {}
            job_id = data.get("BackupJobId") or data.get("CopyJobId") or data.get("RestoreJobId")
            if job_id:
                model.start(JOB_KIND, job_id)

    def running(self, job_id):
        return self.model is not None and self.model.pending(JOB_KIND, job_id)


class BackupJobs:
    """Backup, copy and restore jobs and the recovery points they make (one store per account)."""

    def __init__(self, extension):
        self.extension = extension
        self.latency = BackupJobsLatency()
        self.recovery_points = {}  # (account, recovery point ARN) -> record
        self.backup_jobs = {}  # (account, region) -> {job id: record}
        self.copy_jobs = {}
        self.restore_jobs = {}

    def handlers(self):
        return {
            "StartBackupJob": self.start_backup_job,
            "DescribeBackupJob": self.describe_backup_job,
            "ListBackupJobs": self.list_backup_jobs,
            "ListRecoveryPointsByBackupVault": self.list_by_vault,
            "ListRecoveryPointsByResource": self.list_by_resource,
            "DescribeRecoveryPoint": self.describe_recovery_point,
            "DeleteRecoveryPoint": self.delete_recovery_point,
            "GetRecoveryPointRestoreMetadata": self.restore_metadata,
            "StartCopyJob": self.start_copy_job,
            "DescribeCopyJob": self.describe_copy_job,
            "ListCopyJobs": self.list_copy_jobs,
            "StartRestoreJob": self.start_restore_job,
            "DescribeRestoreJob": self.describe_restore_job,
            "ListRestoreJobs": self.list_restore_jobs,
        }

    def reset(self):
        self.recovery_points.clear()
        self.backup_jobs.clear()
        self.copy_jobs.clear()
        self.restore_jobs.clear()

    # --- helpers ----------------------------------------------------------------------------------

    def reply(self, exchange, data):
        from .backup import reply

        return reply(exchange, data)

    def _jobs(self, store, exchange):
        return store.setdefault((exchange.account_id, exchange.call.region), {})

    def points_in(self, exchange, vault):
        return [p for (account, dummy), p in self.recovery_points.items()
                if account == exchange.account_id and p["BackupVaultArn"] == vault.backup_vault_arn]

    def count_recovery_points(self, exchange, vault):
        return len(self.points_in(exchange, vault))

    def _state(self, job):
        """The job's state now: RUNNING while the latency model holds it, then its final state."""
        if job["final"] == "COMPLETED" and self.latency.running(job["id"]):
            return "RUNNING"
        return job["final"]

    def _point_view(self, point):
        view = {k: v for k, v in point.items() if not k.startswith("_")}
        view["Status"] = "CREATING" if self.latency.running(point["_job"]) else "COMPLETED"
        if view["Status"] == "CREATING":
            view.pop("CompletionDate", None)
        return view

    @staticmethod
    def lifecycle_problem(lifecycle):
        cold, delete = lifecycle.get("MoveToColdStorageAfterDays"), lifecycle.get("DeleteAfterDays")
        if cold is not None and delete is not None and delete < cold + 90:
            return ("Error in Lifecycle: DeleteAfterDays must be at least 90 days greater than "
                    "MoveToColdStorageAfterDays")
        return None

    @staticmethod
    def lock_problem(vault, lifecycle):
        """Why a locked vault fails a job with this lifecycle, or None."""
        if not vault.locked:
            return None
        delete = lifecycle.get("DeleteAfterDays")
        if vault.min_retention_days is not None and delete is not None and delete < vault.min_retention_days:
            return (f"The retention period {delete} days is shorter than the vault lock's minimum of "
                    f"{vault.min_retention_days} days")
        if vault.max_retention_days is not None and (delete is None or delete > vault.max_retention_days):
            return f"The retention period exceeds the vault lock's maximum of {vault.max_retention_days} days"
        return None

    @staticmethod
    def calculated(lifecycle, created):
        out = {}
        if lifecycle.get("MoveToColdStorageAfterDays") is not None:
            out["MoveToColdStorageAt"] = created + lifecycle["MoveToColdStorageAfterDays"] * DAY
        if lifecycle.get("DeleteAfterDays") is not None:
            out["DeleteAt"] = created + lifecycle["DeleteAfterDays"] * DAY
        return out

    def vault_key(self, exchange, vault, region):
        return vault.encryption_key_arn or f"arn:aws:kms:{region}:{exchange.account_id}:alias/aws/backup"

    # --- taking and restoring the data --------------------------------------------------------------

    def capture(self, exchange, kind, region, name, job_id):
        """(payload, source description) of the resource now, or None when it does not exist."""
        region = region or exchange.call.region
        if kind == "DynamoDB":
            from moto.dynamodb.models.table import Backup

            table = backend("dynamodb", exchange, region).tables.get(name)
            if table is None:
                return None
            return {"backup": Backup(exchange.account_id, region, f"awsbackup-{job_id}", table, type_="AWS_BACKUP"),
                    "size": sum(item.size() for item in table.all_items())}
        if kind == "S3":
            bucket = backend("s3", exchange, region).buckets.get(name)
            if bucket is None:
                return None
            objects = [{"key": key.name, "body": bytes(key.value), "etag": key.etag, "metadata": dict(key.metadata)}
                       for key in bucket.keys.values() if hasattr(key, "value")]  # not delete markers
            return {"objects": objects, "size": sum(len(o["body"]) for o in objects)}
        if kind == "EFS":
            fs = backend("efs", exchange, region).file_systems_by_id.get(name)
            if fs is None:
                return None
            return {"settings": {"performance_mode": fs.performance_mode, "throughput_mode": fs.throughput_mode,
                                 "encrypted": fs.encrypted, "kms_key_id": fs.kms_key_id}, "size": 0}
        rds = backend("rds", exchange, region)
        instance = rds.databases.get(name)
        if instance is None:
            return None
        snapshot_id = f"awsbackup:job-{job_id}"
        snapshot = rds.create_db_snapshot(name, snapshot_id, snapshot_type="awsbackup")
        self._follow_rds(exchange, region, "CreateDBSnapshot",
                         {"DBInstanceIdentifier": name, "DBSnapshotIdentifier": snapshot_id})
        return {"snapshot_id": snapshot_id, "snapshot_arn": snapshot.db_snapshot_arn, "region": region,
                "kms_key_id": instance.kms_key_id, "size": int(instance.allocated_storage or 0) * 2**30}

    def _follow_rds(self, exchange, region, operation, request):
        """Let the PostgreSQL servers follow an RDS change made here, as they follow RDS calls."""
        from .rds import moto_instance
        from .rds_servers import follow

        call = SimpleNamespace(region=region, service="rds", operation=operation)
        follow(self.extension.data, SimpleNamespace(operation=operation, call=call, account_id=exchange.account_id),
               request, moto_instance)

    def restore(self, exchange, point, metadata, region):
        """Make the new resource from the recovery point; (ARN, None) or (None, error message)."""
        payload, kind = point["_payload"], point["ResourceType"]
        if kind == "DynamoDB":
            from moto.dynamodb.models.table import RestoredTable

            target = metadata.get("targetTableName")
            dynamodb = backend("dynamodb", exchange, region)
            if not target or target in dynamodb.tables:
                return None, f"targetTableName {target!r} is missing or names an existing table"
            table = RestoredTable(target, account_id=exchange.account_id, region=region, backup=payload["backup"])
            dynamodb.tables[target] = table
            return table.table_arn, None
        if kind == "S3":
            s3 = backend("s3", exchange, region)
            target = metadata.get("DestinationBucketName")
            if not target:
                return None, "DestinationBucketName is required"
            if target not in s3.buckets:
                s3.create_bucket(target, region)
            for obj in payload["objects"]:
                s3.put_object(target, obj["key"], obj["body"]).set_metadata(dict(obj["metadata"]), replace=True)
            return f"arn:aws:s3:::{target}", None
        if kind == "EFS":
            settings = payload["settings"]
            fs = backend("efs", exchange, region).create_file_system(
                creation_token=metadata.get("CreationToken") or str(uuid.uuid4()),
                performance_mode=metadata.get("PerformanceMode") or settings["performance_mode"],
                encrypted=str(metadata.get("Encrypted", settings["encrypted"])).lower() == "true",
                kms_key_id=metadata.get("KmsKeyId") or settings["kms_key_id"],
                throughput_mode=settings["throughput_mode"], provisioned_throughput_in_mibps=None,
                availability_zone_name=None, backup=False, tags=[])
            return fs.file_system_arn, None
        target = metadata.get("DBInstanceIdentifier")
        if not target:
            return None, "DBInstanceIdentifier is required"
        rds = backend("rds", exchange, region)
        if payload["region"] != region:
            return None, "restoring an RDS recovery point copied to another region is not supported here"
        overrides = {"db_instance_identifier": target}
        for key, name in (("DBInstanceClass", "db_instance_class"), ("DBSubnetGroupName", "db_subnet_group_name"),
                          ("DBParameterGroupName", "db_parameter_group_name"), ("Port", "port")):
            if metadata.get(key):
                overrides[name] = metadata[key]
        snapshot = rds.database_snapshots.get(payload["snapshot_id"])
        if snapshot is None:
            return None, f"snapshot {payload['snapshot_id']} is gone"
        # moto's restore finds only manual and automated snapshots; AWS restores awsbackup ones too.
        snapshot.snapshot_type = "manual"
        try:
            instance = rds.restore_db_instance_from_db_snapshot(payload["snapshot_id"], overrides)
        finally:
            snapshot.snapshot_type = "awsbackup"
        self._follow_rds(exchange, region, "RestoreDBInstanceFromDBSnapshot",
                         {"DBInstanceIdentifier": target, "DBSnapshotIdentifier": payload["snapshot_id"],
                          "ManageMasterUserPassword": metadata.get("ManageMasterUserPassword")})
        return instance.db_instance_arn, None

    # --- backup jobs ----------------------------------------------------------------------------

    def start_backup_job(self, exchange, params):
        region = exchange.call.region
        vault = self.extension.vault(exchange, params["BackupVaultName"])
        if vault is None:
            return aws_error(exchange, "ResourceNotFoundException", f"Backup vault {params['BackupVaultName']} not found")
        resource = resource_of(params["ResourceArn"])
        if resource is None:
            return aws_error(exchange, "InvalidParameterValueException",
                             f"Resource type of {params['ResourceArn']} is not supported (RDS, DynamoDB, S3, EFS)")
        kind, resource_region, name = resource
        if resource_region and resource_region != region:
            return aws_error(exchange, "InvalidParameterValueException",
                             "The resource must be in the region of the backup vault")
        lifecycle = params.get("Lifecycle") or {}
        problem = self.lifecycle_problem(lifecycle)
        if problem:
            return aws_error(exchange, "InvalidParameterValueException", problem)
        jobs = self._jobs(self.backup_jobs, exchange)
        token = params.get("IdempotencyToken")
        for job in jobs.values():
            if token and job["token"] == token:
                return self.reply(exchange, {"BackupJobId": job["id"], "RecoveryPointArn": job["RecoveryPointArn"],
                                             "CreationDate": job["CreationDate"], "IsParent": False})
        job_id = str(uuid.uuid4()).upper()
        now = time.time()
        job = {"id": job_id, "token": token, "final": "COMPLETED", "AccountId": exchange.account_id,
               "BackupJobId": job_id, "BackupVaultName": vault.backup_vault_name,
               "BackupVaultArn": vault.backup_vault_arn, "ResourceArn": params["ResourceArn"],
               "ResourceType": kind, "ResourceName": name, "CreationDate": now, "IamRoleArn": params["IamRoleArn"],
               "RecoveryPointLifecycle": lifecycle or None, "CreatedBy": None, "BackupType": "FULL",
               "StartBy": now + (params.get("StartWindowMinutes") or 480) * 60}
        jobs[job_id] = job
        problem = self.lock_problem(vault, lifecycle)
        payload = None if problem else self.capture(exchange, kind, resource_region, name, job_id)
        if problem or payload is None:
            job.update(final="FAILED", StatusMessage=problem or f"Resource {params['ResourceArn']} not found")
            if not problem:
                del jobs[job_id]
                return aws_error(exchange, "ResourceNotFoundException", job["StatusMessage"])
            return self.reply(exchange, {"BackupJobId": job_id, "CreationDate": now, "IsParent": False})
        if kind == "RDS":
            point_arn = payload["snapshot_arn"]
            key = payload["kms_key_id"] or self.vault_key(exchange, vault, region)
        else:
            point_arn = f"arn:aws:backup:{region}:{exchange.account_id}:recovery-point:{uuid.uuid4()}"
            key = self.vault_key(exchange, vault, region)
        point = {"_payload": payload, "_job": job_id, "_region": region,
                 "RecoveryPointArn": point_arn, "BackupVaultName": vault.backup_vault_name,
                 "BackupVaultArn": vault.backup_vault_arn, "ResourceArn": params["ResourceArn"], "ResourceType": kind,
                 "ResourceName": name, "IamRoleArn": params["IamRoleArn"], "CreationDate": now,
                 "CompletionDate": now, "BackupSizeInBytes": payload["size"], "Lifecycle": lifecycle or None,
                 "CalculatedLifecycle": self.calculated(lifecycle, now) or None, "EncryptionKeyArn": key,
                 "IsEncrypted": True, "StorageClass": "WARM", "IsParent": False, "VaultType": "BACKUP_VAULT"}
        self.recovery_points[(exchange.account_id, point_arn)] = point
        job.update(RecoveryPointArn=point_arn, EncryptionKeyArn=key, IsEncrypted=True, CompletionDate=now,
                   BackupSizeInBytes=payload["size"], PercentDone="100.0")
        return self.reply(exchange, {"BackupJobId": job_id, "RecoveryPointArn": point_arn, "CreationDate": now,
                                     "IsParent": False})

    def _backup_job_view(self, job):
        view = {k: v for k, v in job.items() if k[0].isupper()}
        view["State"] = self._state(job)
        if view["State"] == "RUNNING":
            view.pop("CompletionDate", None)
            view["PercentDone"] = "50.0"
        return view

    def describe_backup_job(self, exchange, params):
        job = self._jobs(self.backup_jobs, exchange).get(params["BackupJobId"])
        if job is None:
            return aws_error(exchange, "ResourceNotFoundException", f"Backup job {params['BackupJobId']} not found")
        return self.reply(exchange, self._backup_job_view(job))

    def list_backup_jobs(self, exchange, params):
        from .backup import page

        views = [self._backup_job_view(j) for j in self._jobs(self.backup_jobs, exchange).values()]
        filters = {"ByResourceArn": "ResourceArn", "ByState": "State", "ByBackupVaultName": "BackupVaultName",
                   "ByResourceType": "ResourceType", "ByAccountId": "AccountId"}
        views = [v for v in views if all(params.get(f) in (None, v.get(k)) for f, k in filters.items())]
        views = [v for v in views if within(v["CreationDate"], params.get("ByCreatedAfter"), params.get("ByCreatedBefore"))]
        items, token = page(sorted(views, key=lambda v: v["CreationDate"]), params)
        return self.reply(exchange, {"BackupJobs": items, "NextToken": token})

    # --- recovery points ------------------------------------------------------------------------

    def _point(self, exchange, vault_name, arn):
        """(point, None) or (None, error Reply)."""
        vault = self.extension.vault(exchange, vault_name)
        point = self.recovery_points.get((exchange.account_id, arn))
        if vault is None or point is None or point["BackupVaultArn"] != vault.backup_vault_arn:
            return None, aws_error(exchange, "ResourceNotFoundException",
                                   f"Recovery point {arn} not found in backup vault {vault_name}")
        return point, None

    def list_by_vault(self, exchange, params):
        from .backup import no_such_vault, page

        vault = self.extension.vault(exchange, params["BackupVaultName"])
        if vault is None:
            return no_such_vault(exchange)
        views = [self._point_view(p) for p in self.points_in(exchange, vault)]
        views = [v for v in views if params.get("ByResourceArn") in (None, v["ResourceArn"])
                 and params.get("ByResourceType") in (None, v["ResourceType"])
                 and within(v["CreationDate"], params.get("ByCreatedAfter"), params.get("ByCreatedBefore"))]
        items, token = page(sorted(views, key=lambda v: v["CreationDate"]), params)
        return self.reply(exchange, {"RecoveryPoints": items, "NextToken": token})

    def list_by_resource(self, exchange, params):
        from .backup import page

        fields = ("RecoveryPointArn", "CreationDate", "Status", "EncryptionKeyArn", "BackupSizeInBytes",
                  "BackupVaultName", "IsParent", "ResourceName", "VaultType")
        views = [self._point_view(p) for (account, dummy), p in self.recovery_points.items()
                 if account == exchange.account_id and p["ResourceArn"] == params["ResourceArn"]
                 and p["_region"] == exchange.call.region]
        views = [{"BackupSizeBytes": v["BackupSizeInBytes"], **{k: v[k] for k in fields if k in v}} for v in views]
        items, token = page(sorted(views, key=lambda v: v["CreationDate"]), params)
        return self.reply(exchange, {"RecoveryPoints": items, "NextToken": token})

    def describe_recovery_point(self, exchange, params):
        point, error = self._point(exchange, params["BackupVaultName"], params["RecoveryPointArn"])
        return error or self.reply(exchange, self._point_view(point))

    def delete_recovery_point(self, exchange, params):
        point, error = self._point(exchange, params["BackupVaultName"], params["RecoveryPointArn"])
        if error:
            return error
        vault = self.extension.vault(exchange, params["BackupVaultName"])
        if vault.locked and vault.changeable_for_days is not None and vault.min_retention_days:
            until = point["CreationDate"] + vault.min_retention_days * DAY
            if time.time() < until:
                return aws_error(exchange, "InvalidRequestException",
                                 "Recovery point is protected by the vault lock's minimum retention period")
        del self.recovery_points[(exchange.account_id, point["RecoveryPointArn"])]
        payload = point["_payload"]
        if point["ResourceType"] == "RDS" and payload["snapshot_arn"] == point["RecoveryPointArn"]:
            backend("rds", exchange, point["_region"]).database_snapshots.pop(payload["snapshot_id"], None)
            if self.extension.data is not None:
                self.extension.data.forget_snapshot("postgres", payload["snapshot_id"])
        return self.reply(exchange, {})

    def restore_metadata(self, exchange, params):
        point, error = self._point(exchange, params["BackupVaultName"], params["RecoveryPointArn"])
        if error:
            return error
        metadata = {
            "DynamoDB": lambda p: {"originalTableName": point["ResourceName"]},
            "S3": lambda p: {"DestinationBucketName": point["ResourceName"], "NewBucket": "true"},
            "EFS": lambda p: {"file-system-id": point["ResourceName"], "newFileSystem": "true",
                              "PerformanceMode": p["settings"]["performance_mode"],
                              "Encrypted": str(bool(p["settings"]["encrypted"])).lower()},
            "RDS": lambda p: {"DBInstanceIdentifier": point["ResourceName"]},
        }[point["ResourceType"]](point["_payload"])
        return self.reply(exchange, {"BackupVaultArn": point["BackupVaultArn"], "ResourceType": point["ResourceType"],
                                     "RecoveryPointArn": point["RecoveryPointArn"], "RestoreMetadata": metadata})

    # --- copy jobs ------------------------------------------------------------------------------

    def start_copy_job(self, exchange, params):
        point, error = self._point(exchange, params["SourceBackupVaultName"], params["RecoveryPointArn"])
        if error:
            return error
        match = re.match(r"^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d{12}):backup-vault:(.+)$",
                         params["DestinationBackupVaultArn"])
        if match is None:
            return aws_error(exchange, "InvalidParameterValueException",
                             f"Invalid destination vault ARN {params['DestinationBackupVaultArn']}")
        region, account, vault_name = match.groups()
        destination = self.extension.vault(exchange, vault_name, region) if account == exchange.account_id else None
        if destination is None:
            return aws_error(exchange, "ResourceNotFoundException", f"Backup vault {params['DestinationBackupVaultArn']} "
                                                                    "not found")
        lifecycle = params.get("Lifecycle") or point["Lifecycle"] or {}
        problem = self.lifecycle_problem(lifecycle)
        if problem:
            return aws_error(exchange, "InvalidParameterValueException", problem)
        jobs = self._jobs(self.copy_jobs, exchange)
        token = params.get("IdempotencyToken")
        for job in jobs.values():
            if token and job["token"] == token:
                return self.reply(exchange, {"CopyJobId": job["id"], "CreationDate": job["CreationDate"],
                                             "IsParent": False})
        job_id = str(uuid.uuid4())
        now = time.time()
        job = {"id": job_id, "token": token, "final": "COMPLETED", "AccountId": exchange.account_id,
               "CopyJobId": job_id, "SourceBackupVaultArn": point["BackupVaultArn"],
               "SourceRecoveryPointArn": point["RecoveryPointArn"], "DestinationBackupVaultArn": destination.backup_vault_arn,
               "ResourceArn": point["ResourceArn"], "ResourceType": point["ResourceType"],
               "ResourceName": point["ResourceName"], "CreationDate": now, "IamRoleArn": params["IamRoleArn"],
               "BackupSizeInBytes": point["BackupSizeInBytes"], "DestinationRecoveryPointLifecycle": lifecycle or None}
        jobs[job_id] = job
        problem = self.lock_problem(destination, lifecycle)
        if problem:
            job.update(final="FAILED", StatusMessage=problem)
            return self.reply(exchange, {"CopyJobId": job_id, "CreationDate": now, "IsParent": False})
        copy_arn = f"arn:aws:backup:{region}:{account}:recovery-point:{uuid.uuid4()}"
        copied = dict(point, _payload=copy.deepcopy(point["_payload"]) if point["ResourceType"] != "RDS"
                      else point["_payload"], _job=job_id, _region=region, RecoveryPointArn=copy_arn,
                      BackupVaultName=destination.backup_vault_name, BackupVaultArn=destination.backup_vault_arn,
                      SourceBackupVaultArn=point["BackupVaultArn"], CreationDate=now, CompletionDate=now,
                      Lifecycle=lifecycle or None, CalculatedLifecycle=self.calculated(lifecycle, now) or None,
                      EncryptionKeyArn=self.vault_key(exchange, destination, region))
        self.recovery_points[(exchange.account_id, copy_arn)] = copied
        job.update(DestinationRecoveryPointArn=copy_arn, CompletionDate=now)
        return self.reply(exchange, {"CopyJobId": job_id, "CreationDate": now, "IsParent": False})

    def _copy_job_view(self, job):
        view = {k: v for k, v in job.items() if k[0].isupper()}
        view["State"] = self._state(job)
        if view["State"] == "RUNNING":
            view.pop("CompletionDate", None)
        return view

    def describe_copy_job(self, exchange, params):
        job = self._jobs(self.copy_jobs, exchange).get(params["CopyJobId"])
        if job is None:
            return aws_error(exchange, "ResourceNotFoundException", f"Copy job {params['CopyJobId']} not found")
        return self.reply(exchange, {"CopyJob": self._copy_job_view(job)})

    def list_copy_jobs(self, exchange, params):
        from .backup import page

        views = [self._copy_job_view(j) for j in self._jobs(self.copy_jobs, exchange).values()]
        filters = {"ByResourceArn": "ResourceArn", "ByState": "State", "ByResourceType": "ResourceType",
                   "ByDestinationVaultArn": "DestinationBackupVaultArn", "ByAccountId": "AccountId",
                   "BySourceRecoveryPointArn": "SourceRecoveryPointArn"}
        views = [v for v in views if all(params.get(f) in (None, v.get(k)) for f, k in filters.items())]
        items, token = page(sorted(views, key=lambda v: v["CreationDate"]), params)
        return self.reply(exchange, {"CopyJobs": items, "NextToken": token})

    # --- restore jobs ---------------------------------------------------------------------------

    def start_restore_job(self, exchange, params):
        point = self.recovery_points.get((exchange.account_id, params["RecoveryPointArn"]))
        if point is None or point["_region"] != exchange.call.region:
            return aws_error(exchange, "ResourceNotFoundException", f"Recovery point {params['RecoveryPointArn']} not found")
        if params.get("ResourceType") not in (None, point["ResourceType"]):
            return aws_error(exchange, "InvalidParameterValueException",
                             f"ResourceType {params['ResourceType']} does not match the recovery point's "
                             f"{point['ResourceType']}")
        jobs = self._jobs(self.restore_jobs, exchange)
        token = params.get("IdempotencyToken")
        for job in jobs.values():
            if token and job["token"] == token:
                return self.reply(exchange, {"RestoreJobId": job["id"]})
        created, problem = self.restore(exchange, point, params["Metadata"], exchange.call.region)
        if problem:
            return aws_error(exchange, "InvalidParameterValueException", problem)
        job_id = str(uuid.uuid4().int)[:12]
        now = time.time()
        jobs[job_id] = {"id": job_id, "token": token, "final": "COMPLETED", "AccountId": exchange.account_id,
                        "RestoreJobId": job_id, "RecoveryPointArn": point["RecoveryPointArn"],
                        "SourceResourceArn": point["ResourceArn"], "BackupVaultArn": point["BackupVaultArn"],
                        "CreationDate": now, "CompletionDate": now, "PercentDone": "100.00",
                        "BackupSizeInBytes": point["BackupSizeInBytes"], "IamRoleArn": params.get("IamRoleArn"),
                        "CreatedResourceArn": created, "ResourceType": point["ResourceType"],
                        "RecoveryPointCreationDate": point["CreationDate"]}
        return self.reply(exchange, {"RestoreJobId": job_id})

    def _restore_job_view(self, job):
        view = {k: v for k, v in job.items() if k[0].isupper()}
        view["Status"] = self._state(job)
        if view["Status"] == "RUNNING":
            view.pop("CompletionDate", None)
            view["PercentDone"] = "50.00"
        return view

    def describe_restore_job(self, exchange, params):
        job = self._jobs(self.restore_jobs, exchange).get(params["RestoreJobId"])
        if job is None:
            return aws_error(exchange, "ResourceNotFoundException", f"Restore job {params['RestoreJobId']} not found")
        return self.reply(exchange, self._restore_job_view(job))

    def list_restore_jobs(self, exchange, params):
        from .backup import page

        views = [self._restore_job_view(j) for j in self._jobs(self.restore_jobs, exchange).values()]
        views = [v for v in views if params.get("ByStatus") in (None, v["Status"])
                 and params.get("ByResourceType") in (None, v["ResourceType"])
                 and params.get("ByAccountId") in (None, v["AccountId"])
                 and within(v["CreationDate"], params.get("ByCreatedAfter"), params.get("ByCreatedBefore"))]
        items, token = page(sorted(views, key=lambda v: v["CreationDate"]), params)
        return self.reply(exchange, {"RestoreJobs": items, "NextToken": token})


def within(moment, after, before):
    """True when the epoch time `moment` lies in the (ISO 8601 or epoch) bounds given."""
    from datetime import datetime

    def seconds(value):
        if value is None or isinstance(value, (int, float)):
            return value
        try:
            return float(value)
        except ValueError:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()

    after, before = seconds(after), seconds(before)
    return (after is None or moment >= after) and (before is None or moment <= before)
