"""Real PostgreSQL and Redis servers behind RDS instances and ElastiCache replication groups."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
import redis

from storagekit_local_aws import data_servers
from storagekit_local_aws.data_servers import postgres_bin, redis_bin

from .helpers import assert_local

pytestmark = pytest.mark.skipif(
    (postgres_bin() is None or redis_bin() is None) and not os.environ.get("CI"),
    reason="PostgreSQL or redis-server is not installed: run tests/install_servers.sh (CI never skips)",
)

TOKEN = "a-first-auth-token-0123"
NEW_TOKEN = "a-second-auth-token-4567"


@pytest.fixture
def clients(aws, boto3_client):
    assert_local(aws)
    return {name: boto3_client(name, attempts=1)
            for name in ("rds", "secretsmanager", "elasticache", "ec2")}


@pytest.fixture
def ca_bundle(aws, tmp_path):
    import urllib.request

    path = tmp_path / "ca.pem"
    with urllib.request.urlopen(aws.url + "/_local_aws/ca", timeout=10) as answer:
        path.write_bytes(answer.read())
    return str(path)


def create_postgres(rds, name="pg1", force_ssl=True, **kwargs):
    rds.create_db_parameter_group(DBParameterGroupName=f"{name}-params", DBParameterGroupFamily="postgres15",
                                  Description="test")
    rds.modify_db_parameter_group(DBParameterGroupName=f"{name}-params", Parameters=[{
        "ParameterName": "rds.force_ssl", "ParameterValue": "1" if force_ssl else "0",
        "ApplyMethod": "immediate"}])
    return rds.create_db_instance(
        DBInstanceIdentifier=name, Engine="postgres", EngineVersion="15.12", DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20, MasterUsername="app_admin", ManageMasterUserPassword=True, DBName="app",
        DBParameterGroupName=f"{name}-params", **kwargs)["DBInstance"]


def master_password(secretsmanager, instance):
    value = secretsmanager.get_secret_value(SecretId=instance["MasterUserSecret"]["SecretArn"])
    return json.loads(value["SecretString"])["password"]


def described(rds, name):
    return rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]


def connect(instance, password, ca_bundle, sslmode="verify-full", database="app"):
    return psycopg.connect(host=instance["Endpoint"]["Address"], port=instance["Endpoint"]["Port"],
                           user=instance["MasterUsername"], password=password, dbname=database,
                           sslmode=sslmode, sslrootcert=ca_bundle, connect_timeout=10, autocommit=True)


def uses_tls(connection):
    return connection.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0]


def test_postgres_instance_is_a_real_server_with_tls_only(clients, ca_bundle):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    create_postgres(rds)
    instance = described(rds, "pg1")
    assert instance["Endpoint"]["Address"].startswith("127.")
    assert instance["Endpoint"]["Port"] == 5432
    password = master_password(secretsmanager, instance)
    with connect(instance, password, ca_bundle) as connection:
        assert uses_tls(connection)
        assert connection.execute("SELECT current_database(), current_user").fetchone() == ("app", "app_admin")
        assert connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (False,)
        assert connection.execute("SELECT pg_has_role('rds_iam', 'USAGE')").fetchone() == (True,)
    with pytest.raises(psycopg.OperationalError, match="no encryption"):
        connect(instance, password, ca_bundle, sslmode="disable")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(instance, "wrong-password", ca_bundle)


def test_force_ssl_0_allows_plain_connections_and_a_change_reloads(clients, ca_bundle):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    create_postgres(rds, force_ssl=False)
    instance = described(rds, "pg1")
    password = master_password(secretsmanager, instance)
    with connect(instance, password, ca_bundle, sslmode="disable") as connection:
        assert not uses_tls(connection)
    rds.modify_db_parameter_group(DBParameterGroupName="pg1-params", Parameters=[{
        "ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}])
    time.sleep(0.5)  # the reload is asynchronous in the server
    with pytest.raises(psycopg.OperationalError, match="no encryption"):
        connect(instance, password, ca_bundle, sslmode="disable")


def test_rotating_the_master_secret_changes_the_password(clients, ca_bundle):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    create_postgres(rds)
    instance = described(rds, "pg1")
    old = master_password(secretsmanager, instance)
    secretsmanager.rotate_secret(SecretId=instance["MasterUserSecret"]["SecretArn"], RotateImmediately=True)
    new = master_password(secretsmanager, instance)
    assert new != old
    with connect(instance, new, ca_bundle) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(instance, old, ca_bundle)
    secret = json.loads(secretsmanager.get_secret_value(
        SecretId=instance["MasterUserSecret"]["SecretArn"])["SecretString"])
    secret["password"] = "put-by-the-caller-1234"
    secretsmanager.put_secret_value(SecretId=instance["MasterUserSecret"]["SecretArn"],
                                    SecretString=json.dumps(secret))
    with connect(instance, "put-by-the-caller-1234", ca_bundle) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_snapshot_restore_and_point_in_time_restore_carry_the_data(clients, ca_bundle):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    create_postgres(rds)
    instance = described(rds, "pg1")
    password = master_password(secretsmanager, instance)
    with connect(instance, password, ca_bundle) as connection:
        connection.execute("CREATE TABLE orders (id int)")
        connection.execute("INSERT INTO orders VALUES (1), (2)")
    rds.create_db_snapshot(DBInstanceIdentifier="pg1", DBSnapshotIdentifier="snap1")
    after_snapshot = datetime.now(timezone.utc)
    with connect(instance, password, ca_bundle) as connection:
        connection.execute("INSERT INTO orders VALUES (3)")

    rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier="pg1-restored", DBSnapshotIdentifier="snap1",
                                             DBParameterGroupName="pg1-params")
    restored = described(rds, "pg1-restored")
    assert restored["Endpoint"]["Address"] != instance["Endpoint"]["Address"]
    with connect(restored, password, ca_bundle) as connection:
        assert connection.execute("SELECT count(*) FROM orders").fetchone() == (2,)

    # Restored with a managed password of its own: that one works, the source's does not.
    rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier="pg1-managed", DBSnapshotIdentifier="snap1",
                                             DBParameterGroupName="pg1-params", ManageMasterUserPassword=True)
    managed = described(rds, "pg1-managed")
    with connect(managed, master_password(secretsmanager, managed), ca_bundle) as connection:
        assert connection.execute("SELECT count(*) FROM orders").fetchone() == (2,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(managed, password, ca_bundle)

    rds.restore_db_instance_to_point_in_time(SourceDBInstanceIdentifier="pg1", TargetDBInstanceIdentifier="pg1-latest",
                                             UseLatestRestorableTime=True, DBParameterGroupName="pg1-params")
    with connect(described(rds, "pg1-latest"), password, ca_bundle) as connection:
        assert connection.execute("SELECT count(*) FROM orders").fetchone() == (3,)

    # A time: the newest snapshot at or before it.
    rds.restore_db_instance_to_point_in_time(
        SourceDBInstanceIdentifier="pg1", TargetDBInstanceIdentifier="pg1-at-time",
        RestoreTime=after_snapshot + timedelta(milliseconds=1), DBParameterGroupName="pg1-params")
    with connect(described(rds, "pg1-at-time"), password, ca_bundle) as connection:
        assert connection.execute("SELECT count(*) FROM orders").fetchone() == (2,)


def test_final_snapshot_keeps_the_data_of_a_deleted_instance(clients, ca_bundle, aws):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    create_postgres(rds)
    instance = described(rds, "pg1")
    password = master_password(secretsmanager, instance)
    with connect(instance, password, ca_bundle) as connection:
        connection.execute("CREATE TABLE kept AS SELECT 42 AS answer")
    rds.delete_db_instance(DBInstanceIdentifier="pg1", FinalDBSnapshotIdentifier="pg1-final")
    assert not [s for s in aws.servers()["servers"] if s["name"].endswith("-pg1")]
    rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier="pg2", DBSnapshotIdentifier="pg1-final",
                                             DBParameterGroupName="pg1-params")
    with connect(described(rds, "pg2"), password, ca_bundle) as connection:
        assert connection.execute("SELECT answer FROM kept").fetchone() == (42,)


def test_read_replica_streams_and_promotion_makes_it_writable(clients, ca_bundle):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    create_postgres(rds)
    primary = described(rds, "pg1")
    password = master_password(secretsmanager, primary)
    rds.create_db_instance_read_replica(DBInstanceIdentifier="pg1-replica", SourceDBInstanceIdentifier="pg1")
    replica = described(rds, "pg1-replica")
    with connect(primary, password, ca_bundle) as connection:
        connection.execute("CREATE TABLE events AS SELECT 'written on the primary' AS what")
    with connect(replica, password, ca_bundle) as connection:
        for dummy in range(50):
            rows = connection.execute("SELECT to_regclass('events') IS NOT NULL").fetchone()
            if rows == (True,):
                break
            time.sleep(0.1)
        assert connection.execute("SELECT what FROM events").fetchone() == ("written on the primary",)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            connection.execute("INSERT INTO events VALUES ('on the replica')")
    rds.promote_read_replica(DBInstanceIdentifier="pg1-replica")
    with connect(replica, password, ca_bundle) as connection:
        connection.execute("INSERT INTO events VALUES ('on the promoted replica')")
        assert connection.execute("SELECT count(*) FROM events").fetchone() == (2,)


def test_cross_region_replica_follows_its_source_and_promotion_makes_it_writable(clients, ca_bundle, boto3_client):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    rds_west = boto3_client("rds", attempts=1, region_name="us-west-2")
    primary = create_postgres(rds)
    password = master_password(secretsmanager, described(rds, "pg1"))
    rds_west.create_db_instance_read_replica(DBInstanceIdentifier="pg1-dr", SourceDBInstanceIdentifier=primary[
        "DBInstanceArn"], SourceRegion="us-east-1")
    replica = described(rds_west, "pg1-dr")
    assert replica["Endpoint"]["Address"] != described(rds, "pg1")["Endpoint"]["Address"]
    # No group named: the engine's default one of the replica's region (rds.force_ssl 1 from postgres15).
    assert replica["DBParameterGroups"][0]["DBParameterGroupName"] == "default.postgres15"
    with connect(described(rds, "pg1"), password, ca_bundle) as connection:
        connection.execute("CREATE TABLE events AS SELECT 'written in us-east-1' AS what")
    with connect(replica, password, ca_bundle) as connection:
        for dummy in range(50):
            if connection.execute("SELECT to_regclass('events') IS NOT NULL").fetchone() == (True,):
                break
            time.sleep(0.1)
        assert connection.execute("SELECT what FROM events").fetchone() == ("written in us-east-1",)
        assert connection.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            connection.execute("INSERT INTO events VALUES ('in us-west-2')")
    rds_west.promote_read_replica(DBInstanceIdentifier="pg1-dr")
    with connect(replica, password, ca_bundle) as connection:
        assert connection.execute("SELECT pg_is_in_recovery()").fetchone() == (False,)
        connection.execute("INSERT INTO events VALUES ('in us-west-2')")
        assert connection.execute("SELECT count(*) FROM events").fetchone() == (2,)
    # The promoted database no longer follows its former source.
    with connect(described(rds, "pg1"), password, ca_bundle) as connection:
        connection.execute("INSERT INTO events VALUES ('in us-east-1 after the promotion')")
    time.sleep(0.5)
    with connect(replica, password, ca_bundle) as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone() == (2,)


def test_stop_start_and_delete_stop_the_server(clients, ca_bundle, aws):
    rds, secretsmanager = clients["rds"], clients["secretsmanager"]
    create_postgres(rds)
    instance = described(rds, "pg1")
    password = master_password(secretsmanager, instance)
    rds.stop_db_instance(DBInstanceIdentifier="pg1")
    with pytest.raises(psycopg.OperationalError):
        connect(instance, password, ca_bundle)
    rds.start_db_instance(DBInstanceIdentifier="pg1")
    with connect(instance, password, ca_bundle) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
    pid = next(s["pid"] for s in aws.servers()["servers"] if s["name"].endswith("-pg1"))
    rds.delete_db_instance(DBInstanceIdentifier="pg1", SkipFinalSnapshot=True)
    assert aws.servers()["servers"] == []
    assert not Path(f"/proc/{pid}").exists()


# --- ElastiCache ------------------------------------------------------------------------------

def create_cache(clients, name="cache1", tls=True, token=TOKEN, **kwargs):
    settings = {"ReplicationGroupId": name, "ReplicationGroupDescription": "test", "Engine": "valkey",
                "CacheNodeType": "cache.t4g.micro", "NumCacheClusters": 2, "AutomaticFailoverEnabled": True,
                "TransitEncryptionEnabled": tls}
    if token:
        settings["AuthToken"] = token
    settings.update(kwargs)
    clients["elasticache"].create_replication_group(**settings)
    return clients["elasticache"].describe_replication_groups(ReplicationGroupId=name)["ReplicationGroups"][0]


def cache_client(group, password, ca_bundle, tls=True, endpoint="PrimaryEndpoint"):
    address = group["NodeGroups"][0][endpoint]
    options = {"ssl": True, "ssl_ca_certs": ca_bundle} if tls else {}
    return redis.Redis(host=address["Address"], port=address["Port"], password=password, socket_timeout=10,
                       **options)


def test_replication_group_is_a_real_server_with_tls_and_auth(clients, ca_bundle):
    group = create_cache(clients)
    primary = group["NodeGroups"][0]["PrimaryEndpoint"]
    assert primary["Address"].startswith("127.") and primary["Port"] == 6379
    assert group["NodeGroups"][0]["ReaderEndpoint"]["Address"] == primary["Address"]
    client = cache_client(group, TOKEN, ca_bundle)
    assert client.set("session", "abc") and client.get("session") == b"abc"
    with pytest.raises(redis.AuthenticationError):
        cache_client(group, "not-the-token-at-all", ca_bundle).ping()
    with pytest.raises(redis.ConnectionError):
        cache_client(group, TOKEN, ca_bundle, tls=False).ping()


def test_auth_token_rotate_keeps_both_and_set_keeps_only_the_new(clients, ca_bundle):
    group = create_cache(clients)
    elasticache = clients["elasticache"]
    elasticache.modify_replication_group(ReplicationGroupId="cache1", AuthToken=NEW_TOKEN,
                                         AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)
    assert cache_client(group, TOKEN, ca_bundle).ping()
    assert cache_client(group, NEW_TOKEN, ca_bundle).ping()
    elasticache.modify_replication_group(ReplicationGroupId="cache1", AuthToken=NEW_TOKEN,
                                         AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    assert cache_client(group, NEW_TOKEN, ca_bundle).ping()
    with pytest.raises(redis.AuthenticationError):
        cache_client(group, TOKEN, ca_bundle).ping()


def test_plain_group_without_token(clients, ca_bundle):
    group = create_cache(clients, tls=False, token=None)
    assert cache_client(group, None, ca_bundle, tls=False).ping()


def test_snapshots_carry_the_rdb_file(clients, ca_bundle, aws):
    group = create_cache(clients)
    cache_client(group, TOKEN, ca_bundle).set("kept", "yes")
    clients["elasticache"].create_snapshot(ReplicationGroupId="cache1", SnapshotName="cache1-manual")
    restored = create_cache(clients, name="cache2", SnapshotName="cache1-manual")
    assert cache_client(restored, TOKEN, ca_bundle).get("kept") == b"yes"
    clients["elasticache"].delete_replication_group(ReplicationGroupId="cache2", FinalSnapshotIdentifier="cache2-final")
    assert [s["name"] for s in aws.servers()["servers"]] == ["elasticache-us-east-1-cache1"]
    again = create_cache(clients, name="cache3", SnapshotName="cache2-final")
    assert cache_client(again, TOKEN, ca_bundle).get("kept") == b"yes"


# --- lifetime -----------------------------------------------------------------------------------

def endpoint_cli(*args):
    return subprocess.run([sys.executable, "-m", "storagekit_local_aws", *args], capture_output=True, text=True,
                          timeout=120, check=True).stdout.strip()


def make_servers(url):
    import boto3

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    session.client("rds", endpoint_url=url).create_db_instance(
        DBInstanceIdentifier="pg1", Engine="postgres", DBInstanceClass="db.t4g.micro", AllocatedStorage=20,
        MasterUsername="app_admin", MasterUserPassword="a-long-password-1")
    session.client("elasticache", endpoint_url=url).create_replication_group(
        ReplicationGroupId="c1", ReplicationGroupDescription="t", CacheNodeType="cache.t4g.micro")
    with urllib_open(url + "/_local_aws/servers") as answer:
        servers = json.loads(answer.read())["servers"]
    assert len(servers) == 2 and all(s["running"] for s in servers)
    return [s["pid"] for s in servers]


def urllib_open(url):
    import urllib.request

    return urllib.request.urlopen(url, timeout=10)


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def wait_gone(pids, timeout=20):
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


def test_servers_never_outlive_the_endpoint(tmp_path):
    """A crash leaves the servers running until the next `up` sweeps them; `down` stops them all."""
    directory = tmp_path / "endpoint"
    url = endpoint_cli("up", "--dir", str(directory))
    try:
        pids = make_servers(url)
        os.kill(int((directory / "pid").read_text()), signal.SIGKILL)  # a crash: nothing stops the servers
        time.sleep(0.5)
        assert all(alive(pid) for pid in pids)
        url = endpoint_cli("up", "--dir", str(directory))
        assert wait_gone(pids) == []
        pids = make_servers(url)
    finally:
        endpoint_cli("down", "--dir", str(directory))
    assert wait_gone(pids) == []
    assert list((directory / "servers" / "pids").glob("*.json")) == []
    assert not (directory / "servers" / "data_root").exists()


def test_sweep_leaves_other_processes_alone(tmp_path):
    (tmp_path / "pids").mkdir()
    sleeper = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        (tmp_path / "pids" / "x.json").write_text(json.dumps({"pid": sleeper.pid, "binary": "postgres"}))
        assert data_servers.sweep(tmp_path) == 0
        assert sleeper.poll() is None
    finally:
        sleeper.kill()
        sleeper.wait()
