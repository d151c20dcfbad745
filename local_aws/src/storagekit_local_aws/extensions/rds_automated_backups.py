"""RDS automated backups of DB instances (DescribeDBInstanceAutomatedBackups, DeleteDBInstanceAutomatedBackup).

moto 5.2.5 answers DescribeDBInstanceAutomatedBackups with the instance identifier and status only, and
has no DeleteDBInstanceAutomatedBackup. AWS identifies the automated backups of an instance by their
DbiResourceId and DBInstanceAutomatedBackupsArn, reports the key, engine and retention, and keeps them
"retained" after the instance is deleted without DeleteAutomatedBackups, until their retention period ends
or DeleteDBInstanceAutomatedBackup deletes them; an instance's "active" backups cannot be deleted that way
(InvalidDBInstanceAutomatedBackupState). Here the backups of an instance are moto's automated snapshots
of it, and the ids are derived from the instance's identifier and creation time, so that the backups of
a later instance of the same name get ids of their own.
"""

import hashlib

from .base import aws_error, query_reply, query_request


def _backups(backend):
    """{DBInstanceAutomatedBackupsArn: backup output} of moto's automated snapshots, by instance."""
    groups = {}
    for snapshot in backend.database_snapshots.values():
        if snapshot.snapshot_type == "automated":
            groups.setdefault((snapshot.db_instance_identifier, str(snapshot.instance_create_time)), []).append(snapshot)
    backups = {}
    for (identifier, created), snapshots in groups.items():
        digest = hashlib.sha256("{0}|{1}".format(identifier, created).encode()).hexdigest()
        first = snapshots[0]
        arn = "arn:aws:rds:{0}:{1}:auto-backup:ab-{2}".format(backend.region_name, backend.account_id, digest[:26])
        database = backend.databases.get(identifier)
        alive = database is not None and str(database.created) == created
        backups[arn] = dict(
            output=dict(
                DBInstanceArn="arn:aws:rds:{0}:{1}:db:{2}".format(backend.region_name, backend.account_id, identifier),
                DbiResourceId="db-" + digest[26:52].upper(),
                Region=backend.region_name,
                DBInstanceIdentifier=identifier,
                Status="active" if alive else "retained",
                AllocatedStorage=int(first.allocated_storage),
                Engine=first.engine,
                EngineVersion=first.engine_version,
                MasterUsername=first.master_username,
                Encrypted=bool(first.encrypted),
                KmsKeyId=first.kms_key_id or "",
                BackupRetentionPeriod=int(first.database.backup_retention_period or 0),
                DBInstanceAutomatedBackupsArn=arn,
            ),
            snapshots=snapshots,
        )
    return backups


def describe_db_instance_automated_backups(exchange, backend):
    request = query_request(exchange)
    found = []
    for arn, backup in _backups(backend).items():
        output = backup["output"]
        if request.get("DBInstanceIdentifier") not in (None, output["DBInstanceIdentifier"]):
            continue
        if request.get("DbiResourceId") not in (None, output["DbiResourceId"]):
            continue
        if request.get("DBInstanceAutomatedBackupsArn") not in (None, arn):
            continue
        if not output["KmsKeyId"]:
            del output["KmsKeyId"]
        found.append(output)
    return query_reply(exchange, dict(DBInstanceAutomatedBackups=found))


def delete_db_instance_automated_backup(exchange, backend):
    request = query_request(exchange)
    wanted = request.get("DBInstanceAutomatedBackupsArn") or request.get("DbiResourceId")
    if not wanted:
        return aws_error(exchange, "InvalidParameterCombination",
                         "One of DbiResourceId or DBInstanceAutomatedBackupsArn must be specified.")
    for arn, backup in _backups(backend).items():
        output = backup["output"]
        if wanted not in (arn, output["DbiResourceId"]):
            continue
        if output["Status"] != "retained":
            return aws_error(exchange, "InvalidDBInstanceAutomatedBackupState",
                             "Automated backups of the existing DB instance {0} can't be deleted; they are deleted "
                             "with the instance.".format(output["DBInstanceIdentifier"]))
        for snapshot in backup["snapshots"]:
            backend.database_snapshots.pop(snapshot.db_snapshot_identifier, None)
        output["Status"] = "deleting"
        if not output["KmsKeyId"]:
            del output["KmsKeyId"]
        return query_reply(exchange, dict(DBInstanceAutomatedBackup=output))
    return aws_error(exchange, "DBInstanceAutomatedBackupNotFound",
                     "Automated backup {0} not found.".format(wanted), status=404)
