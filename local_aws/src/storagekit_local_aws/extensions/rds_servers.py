"""Real PostgreSQL servers behind RDS DB instances (data_servers.py starts them).

After moto answered a call successfully, the RDS extension calls `follow(data, exchange, request)`:

- CreateDBInstance (engine postgres): initdb and start a server on its own loopback address and the
  instance's port; the master user (with the managed secret's password, or MasterUserPassword), the
  rds_superuser and rds_iam roles and the DBName database; `rds.force_ssl` of the instance's parameter
  group (default 1 from postgres15) leaves only `hostssl` lines in pg_hba.conf. Endpoint.Address is that
  loopback address.
- CreateDBInstanceReadReplica: a standby made with pg_basebackup -R, streaming from the source (named by
  identifier, or by ARN in another region: a cross-region replica streams from the source region's server);
  PromoteReadReplica promotes it (pg_promote), so it accepts writes.
- CreateDBSnapshot and the final snapshot of DeleteDBInstance: pg_basebackup of the running server;
  RestoreDBInstanceFromDBSnapshot starts a server from that copy. RestoreDBInstanceToPointInTime with
  UseLatestRestorableTime (or no time) copies the source as it is now; with a RestoreTime it restores the
  newest snapshot of the source taken at or before that time (no WAL replay).
- ModifyDBInstance: a new password (MasterUserPassword, RotateMasterUserPassword, ManageMasterUserPassword)
  is set with ALTER ROLE; another parameter group or ModifyDBParameterGroup applies rds.force_ssl
  (reloaded at once); NewDBInstanceIdentifier keeps the server.
- StopDBInstance / StartDBInstance stop and start the server; DeleteDBInstance stops and removes it.
"""

import json
import secrets
import string
from datetime import datetime, timezone

from ..data_servers import log, postgres_bin

PASSWORD_ALPHABET = string.ascii_letters + string.digits + "!#$%&()*+,-.:;<=>?[]^_{|}~"


def server_name(exchange, identifier):
    """The server of an instance named by identifier (the call's region) or by ARN (the ARN's region)."""
    identifier = identifier or ""
    if identifier.startswith("arn:") and ":db:" in identifier:
        return f"rds-{identifier.split(':')[3]}-{identifier.split(':db:', 1)[1].lower()}"
    return f"rds-{exchange.call.region}-{identifier.lower()}"


def is_true(value):
    return str(value).lower() == "true"


def new_password():
    return "".join(secrets.choice(PASSWORD_ALPHABET) for dummy in range(28))


def secret_of(instance):
    return getattr(getattr(instance, "master_user_secret", None), "secret", None)


def current_value(secret):
    """The secret's AWSCURRENT value as a dict ({} when it is not JSON)."""
    text = secret.secret_string
    for version in secret.versions.values():
        if "AWSCURRENT" in version.get("version_stages", []) and "secret_string" in version:
            text = version["secret_string"]
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def secret_password(instance):
    """(secret ARN, password) of the instance's managed master secret, or (None, None)."""
    secret = secret_of(instance)
    if secret is None:
        return None, None
    return secret.arn, current_value(secret).get("password")


def store_password(secret, password):
    """Put a new password in the managed secret's current value (what RDS's managed rotation does)."""
    value = current_value(secret)
    value["password"] = password
    secret.secret_string = json.dumps(value)
    for version in secret.versions.values():
        if "AWSCURRENT" in version.get("version_stages", []):
            version["secret_string"] = secret.secret_string


def force_ssl(instance):
    """rds.force_ssl of the instance's parameter group; AWS's default is 1 from the postgres15 family."""
    try:
        groups = instance.db_parameter_groups()
    except Exception:
        groups = []
    for group in groups:
        value = (group.parameters.get("rds.force_ssl") or {}).get("ParameterValue")
        if value is not None:
            return str(value) == "1"
        family = group.family or ""
        major = int("".join(ch for ch in family if ch.isdigit()) or 0)
        return major >= 15
    return True


def follow(data, exchange, request, moto_instance):
    """Make the servers follow a successful RDS call (see the module docstring)."""
    handler = FOLLOWERS.get(exchange.operation)
    if handler is None or data is None:
        return
    try:
        handler(data, exchange, request, moto_instance)
    except Exception as error:  # the API answers as without a server; the log says why
        log(f"{exchange.operation}: the PostgreSQL server did not follow: {error!r}")


def _check_version(data, instance):
    asked = str(getattr(instance, "engine_version", "") or "").split(".", maxsplit=1)[0]
    bin_dir = postgres_bin()
    installed = bin_dir.parent.name if bin_dir else None
    if asked and installed and installed.isdigit() and asked != installed:
        data.warn_once(f"postgres-version-{asked}",
                       f"PostgreSQL {asked} asked, {installed} installed: servers run {installed}; "
                       f"the API still reports {asked}")


def _start(data, exchange, instance, identifier, password=None, use_secret=True, **kwargs):
    """Start the instance's server; the managed secret's password wins when `use_secret`."""
    if instance is None or not str(instance.engine).startswith("postgres"):
        return None
    _check_version(data, instance)
    secret_arn, secret_value = secret_password(instance) if use_secret else (None, None)
    password = secret_value or password
    server = data.start_postgres(server_name(exchange, identifier), int(instance.port or 5432),
                                 instance.master_username, password, instance.db_name, force_ssl(instance),
                                 **kwargs)
    if server is not None:
        server.secret_arn = secret_arn
    return server


def _create(data, exchange, request, moto_instance):
    identifier = request.get("DBInstanceIdentifier")
    _start(data, exchange, moto_instance(exchange, identifier), identifier,
           password=request.get("MasterUserPassword"))


def _replica(data, exchange, request, moto_instance):
    identifier = request.get("DBInstanceIdentifier")
    source = data.get(server_name(exchange, request.get("SourceDBInstanceIdentifier")))
    if source is None:
        data.warn_once(f"replica-{identifier}", f"replica {identifier}: its source has no running server")
        return
    # A standby has its source's users and passwords; rotation reaches it through replication.
    _start(data, exchange, moto_instance(exchange, identifier), identifier, standby_of=source, use_secret=False)


def _restore_snapshot(data, exchange, request, moto_instance):
    identifier = request.get("DBInstanceIdentifier")
    source = data.snapshot_path("postgres", request.get("DBSnapshotIdentifier"))
    if source is None:
        data.warn_once(f"restore-{identifier}", f"restore {identifier}: snapshot "
                       f"{request.get('DBSnapshotIdentifier')} holds no data; the server starts empty")
    _start(data, exchange, moto_instance(exchange, identifier), identifier, source=source,
           password=request.get("MasterUserPassword"), use_secret=is_true(request.get("ManageMasterUserPassword")))


def _restore_time(data, exchange, request, moto_instance):
    identifier = request.get("TargetDBInstanceIdentifier")
    source_id = request.get("SourceDBInstanceIdentifier")
    source_name = server_name(exchange, source_id)
    restore_time = request.get("RestoreTime")
    snapshot = None
    if restore_time is None or is_true(request.get("UseLatestRestorableTime")):
        copy = f"pitr-{identifier}-{datetime.now(timezone.utc):%Y%m%d%H%M%S}"
        if data.snapshot(source_name, copy):
            snapshot = data.snapshot_path("postgres", copy)
    else:
        if isinstance(restore_time, str):
            restore_time = datetime.fromisoformat(restore_time.replace("Z", "+00:00"))
        snapshot = data.latest_postgres_snapshot(source_name, restore_time.timestamp())
    if snapshot is None:
        data.warn_once(f"restore-{identifier}", f"point-in-time restore {identifier}: no copy of {source_id} "
                       "at or before that time; the server starts empty")
    _start(data, exchange, moto_instance(exchange, identifier), identifier, source=snapshot,
           password=request.get("MasterUserPassword"), use_secret=is_true(request.get("ManageMasterUserPassword")))


def _snapshot(data, exchange, request, moto_instance):
    data.snapshot(server_name(exchange, request.get("DBInstanceIdentifier")), request.get("DBSnapshotIdentifier"))


def _delete_snapshot(data, exchange, request, moto_instance):
    data.forget_snapshot("postgres", request.get("DBSnapshotIdentifier"))


def _delete(data, exchange, request, moto_instance):
    name = server_name(exchange, request.get("DBInstanceIdentifier"))
    final = request.get("FinalDBSnapshotIdentifier")
    if final and not is_true(request.get("SkipFinalSnapshot")):
        data.snapshot(name, final)
    data.stop(name)


def _modify(data, exchange, request, moto_instance):
    old = server_name(exchange, request.get("DBInstanceIdentifier"))
    identifier = request.get("NewDBInstanceIdentifier") or request.get("DBInstanceIdentifier")
    if request.get("NewDBInstanceIdentifier"):
        data.rename(old, server_name(exchange, identifier))
    server = data.get(server_name(exchange, identifier))
    instance = moto_instance(exchange, identifier)
    if server is None or instance is None:
        return
    password = request.get("MasterUserPassword")
    secret = secret_of(instance)
    if secret is not None and is_true(request.get("RotateMasterUserPassword")):
        password = new_password()
        store_password(secret, password)
    elif secret is not None and is_true(request.get("ManageMasterUserPassword")):
        password = secret_password(instance)[1]
    server.secret_arn = secret.arn if secret is not None else None
    if password and not server.is_standby():
        server.set_password(instance.master_username, password)
    server.set_force_ssl(force_ssl(instance))


def _parameters(data, exchange, request, moto_instance):
    """A changed rds.force_ssl reaches every server whose instance uses the group."""
    from moto.rds.models import rds_backends

    backend = rds_backends[exchange.account_id][exchange.call.region]
    for identifier, instance in list(backend.databases.items()):
        server = data.get(server_name(exchange, identifier))
        if server is not None:
            server.set_force_ssl(force_ssl(instance))


def _promote(data, exchange, request, moto_instance):
    server = data.get(server_name(exchange, request.get("DBInstanceIdentifier")))
    if server is not None:
        server.promote()


def _stop(data, exchange, request, moto_instance):
    server = data.get(server_name(exchange, request.get("DBInstanceIdentifier")))
    if server is not None:
        server.stop()


def _start_again(data, exchange, request, moto_instance):
    server = data.get(server_name(exchange, request.get("DBInstanceIdentifier")))
    if server is not None and not server.running():
        server.start()


FOLLOWERS = {
    "CreateDBInstance": _create,
    "CreateDBInstanceReadReplica": _replica,
    "RestoreDBInstanceFromDBSnapshot": _restore_snapshot,
    "RestoreDBInstanceToPointInTime": _restore_time,
    "CreateDBSnapshot": _snapshot,
    "DeleteDBSnapshot": _delete_snapshot,
    "DeleteDBInstance": _delete,
    "ModifyDBInstance": _modify,
    "ModifyDBParameterGroup": _parameters,
    "ResetDBParameterGroup": _parameters,
    "PromoteReadReplica": _promote,
    "StopDBInstance": _stop,
    "StartDBInstance": _start_again,
}


def rotate_secret(data, secret):
    """RotateSecret / PutSecretValue / UpdateSecret on a master secret: the server's password follows.

    RotateSecret of a secret RDS manages gets a new generated password (RDS's managed rotation); a value
    put by the caller is taken as it is."""
    servers = data.postgres_with_secret(secret.arn)
    for server in servers:
        if not server.running() or server.is_standby():
            continue
        password = current_value(secret).get("password")
        if password:
            server.set_password(server.master_username, password)
