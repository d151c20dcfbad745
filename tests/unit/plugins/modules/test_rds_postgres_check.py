"""rds_postgres_check: the exact read calls (instance, source, secret, CloudWatch), where the lag comes from, and the
write proof's retries; psycopg is replaced by a stand-in that answers the module's SQL."""

import contextlib
import datetime
import decimal
import re

import pytest
from botocore.stub import ANY

from ansible_collections.storagekit.aws.plugins.module_utils.rds_probe import LAG_SQL
from ansible_collections.storagekit.aws.plugins.module_utils.rds_probe import WRITE_SQL
from ansible_collections.storagekit.aws.plugins.modules import rds_postgres_check

SOURCE_ARN = "arn:aws:rds:us-east-1:123456789012:db:app-db"
SOURCE_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1111-AbCdEf"
OWN_SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!db-2222-GhIjKl"


def db(name, source=None, secret=None):
    found = dict(DBInstanceIdentifier=name, DBInstanceStatus="available", MasterUsername="app_admin", DBName="app",
                 Endpoint=dict(Address="{0}.x.us-west-2.rds.amazonaws.com".format(name), Port=5432))
    if source:
        found["ReadReplicaSourceDBInstanceIdentifier"] = source
    if secret:
        found["MasterUserSecret"] = dict(SecretArn=secret, SecretStatus="active")
    return found


def expect_instance(stubs, instance):
    stubs["rds"].add_response("describe_db_instances", dict(DBInstances=[instance]),
                              dict(DBInstanceIdentifier=instance["DBInstanceIdentifier"]))


def expect_secret(stubs, arn):
    stubs["secretsmanager"].add_response("get_secret_value", dict(
        ARN=arn, SecretString='{"username": "app_admin", "password": "pw-from-the-secret"}'), dict(SecretId=arn))


def expect_lag(stubs, points):
    stubs["cloudwatch"].add_response("get_metric_statistics", dict(Label="ReplicaLag", Datapoints=points), dict(
        Namespace="AWS/RDS", MetricName="ReplicaLag", Dimensions=[dict(Name="DBInstanceIdentifier", Value="app-db-dr")],
        StartTime=ANY, EndTime=ANY, Period=60, Statistics=["Maximum"]))


class Server:
    """Stands in for psycopg.connect: answers the module's SQL; ``refusals`` writes fail first."""

    def __init__(self, in_recovery=False, lag=None, refusals=0):
        self.in_recovery, self.lag, self.refusals = in_recovery, lag, refusals
        self.connections = []

    def __call__(self, **kwargs):
        self.connections.append(kwargs)
        return Connection(self)


class Connection:
    def __init__(self, server):
        self.server = server

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    @contextlib.contextmanager
    def transaction(self):
        yield

    def execute(self, sql):
        import psycopg

        if sql == LAG_SQL:
            row = (self.server.in_recovery, self.server.lag)
        elif sql in WRITE_SQL:
            if self.server.refusals:
                self.server.refusals -= 1
                raise psycopg.errors.ReadOnlySqlTransaction("cannot execute CREATE TABLE in a read-only transaction")
            row = (1,)
        else:
            raise AssertionError(sql)
        return type("Cursor", (), {"fetchone": lambda self: row})()


@pytest.fixture
def server(monkeypatch):
    found = Server()
    monkeypatch.setattr(rds_postgres_check.psycopg, "connect", found)
    return found


@pytest.fixture
def regions(run_module, monkeypatch):
    """The region of each client the module makes (the harness's clients answer any region)."""
    from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

    made, stubbed = [], AnsibleAWSModule.client

    def client(self, service, retry_decorator=None, **kwargs):
        made.append((service, kwargs.get("region", "us-east-1")))
        return stubbed(self, service, retry_decorator)

    monkeypatch.setattr(AnsibleAWSModule, "client", client)
    return made


ARGS = dict(name="app-db-dr", ca_bundle="/tmp/ca.pem")


def test_lag_from_cloudwatch_needs_no_sign_in(stubs, run_module, server):
    expect_instance(stubs, db("app-db-dr", source=SOURCE_ARN))
    now = datetime.datetime(2026, 12, 6, 16, 0, tzinfo=datetime.timezone.utc)
    expect_lag(stubs, [dict(Timestamp=now, Maximum=4.0), dict(Timestamp=now + datetime.timedelta(minutes=1), Maximum=2.0)])
    result = run_module(rds_postgres_check, dict(ARGS, replica_lag=True))
    assert (result["replica_lag_seconds"], result["replica_lag_source"]) == (2.0, "cloudwatch")
    assert result["in_recovery"] is None and result["master_user_secret_arn"] is None and not result["changed"]
    assert server.connections == []


def test_lag_from_the_server_signs_in_with_the_source_secret_of_the_source_region(stubs, run_module, server, regions):
    expect_instance(stubs, db("app-db-dr", source=SOURCE_ARN))
    expect_lag(stubs, [])
    expect_instance(stubs, db("app-db", secret=SOURCE_SECRET))
    expect_secret(stubs, SOURCE_SECRET)
    server.in_recovery, server.lag = True, decimal.Decimal("1.25")
    result = run_module(rds_postgres_check, dict(ARGS, replica_lag=True))
    assert (result["replica_lag_seconds"], result["replica_lag_source"]) == (1.25, "server")
    assert result["in_recovery"] is True and result["master_user_secret_arn"] == SOURCE_SECRET
    assert result["writable"] is None
    (connection,) = server.connections
    assert connection == dict(host="app-db-dr.x.us-west-2.rds.amazonaws.com", port=5432, dbname="app", user="app_admin",
                              password="pw-from-the-secret", sslmode="verify-full", sslrootcert="/tmp/ca.pem",
                              connect_timeout=10, autocommit=True)
    assert ("rds", "us-east-1") in regions and ("secretsmanager", "us-east-1") in regions


def test_write_is_retried_until_the_promoted_instance_takes_it(stubs, run_module, server):
    expect_instance(stubs, db("app-db-dr", secret=OWN_SECRET))
    expect_secret(stubs, OWN_SECRET)
    server.refusals = 2
    result = run_module(rds_postgres_check, dict(ARGS, write=True, wait_timeout=60))
    assert result["writable"] is True and result["attempts"] == 3 and result["in_recovery"] is False
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", result["writable_at"])
    assert result["master_user_secret_arn"] == OWN_SECRET and "error" not in result


def test_a_standby_that_refuses_writes_fails_with_the_server_error(stubs, run_module, server):
    expect_instance(stubs, db("app-db-dr", source=SOURCE_ARN))
    expect_instance(stubs, db("app-db", secret=SOURCE_SECRET))
    expect_secret(stubs, SOURCE_SECRET)
    server.refusals = 5
    result = run_module(rds_postgres_check, dict(ARGS, write=True), expect_failure=True)
    assert result["msg"] == ("DB instance app-db-dr refused writes for 0 s: "
                             "cannot execute CREATE TABLE in a read-only transaction")
    assert result["writable"] is False and result["attempts"] == 1


def test_check_mode_does_not_try_the_write(stubs, run_module, server):
    expect_instance(stubs, db("app-db-dr", secret=OWN_SECRET))
    result = run_module(rds_postgres_check, dict(ARGS, write=True), check_mode=True)
    assert result["writable"] is None and server.connections == []


def test_an_instance_without_any_managed_secret_asks_for_one(stubs, run_module, server):
    expect_instance(stubs, db("app-db-dr"))
    result = run_module(rds_postgres_check, dict(ARGS, write=True), expect_failure=True)
    assert result["msg"] == ("DB instance app-db-dr has no RDS managed master user secret, nor has its source: "
                             "give master_user_secret_arn.")


def test_a_missing_instance_fails(stubs, run_module, server):
    stubs["rds"].add_client_error("describe_db_instances", "DBInstanceNotFound", http_status_code=404,
                                  expected_params=dict(DBInstanceIdentifier="app-db-dr"))
    result = run_module(rds_postgres_check, dict(ARGS, replica_lag=True), expect_failure=True)
    assert result["msg"] == "DB instance app-db-dr not found in us-east-1."
