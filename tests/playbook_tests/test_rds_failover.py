"""rds_failover against the local endpoint: a PostgreSQL primary made by the rds_postgres role in us-east-1 and a
cross-region read replica in us-west-2, both real servers (streaming replication); rows written on the primary are
on the promoted replica, which takes writes with its own managed secret; the report has RPO and RTO; a second run,
against what is no longer a replica, is refused before any write."""

import json
import time

import pytest
import yaml

from .conftest import REPO, ansible_playbook

pytestmark = pytest.mark.newest_line_only

NAME = "sk-fo-db"
REPLICA = "sk-fo-db-dr"
ZONE = "failover.example.internal"


def setup_play(endpoint):
    """The primary with the rds_postgres role (its network first), then the replica in the second region."""
    common = {"hosts": "localhost", "gather_facts": False,
              "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}}
    primary = dict(common, name="Primary", module_defaults={
        "group/storagekit.aws.aws": {"endpoint_url": endpoint, "region": "us-east-1"}}, roles=[
        {"role": "storagekit.aws.network", "vars": {
            "network_name": "sk-fo", "network_cidr": "10.44.0.0/16",
            "network_private_subnet_cidrs": ["10.44.0.0/20", "10.44.16.0/20", "10.44.32.0/20"],
            "network_data_tiers": [{"name": "postgres", "port": 5432}]}},
        {"role": "storagekit.aws.rds_postgres", "vars": {
            "rds_postgres_name": NAME, "rds_postgres_kms_key_alias": "alias/sk-fo-rds",
            "rds_postgres_kms_key_pending_window": 7, "rds_postgres_backup_retention_period": 14,
            "rds_postgres_deletion_protection": False,
            "rds_postgres_subnet_ids": "{{ network_results.private_subnet_ids }}",
            "rds_postgres_security_group_ids": ["{{ network_results.data_tier_security_group_ids.postgres }}"]}}])
    replica = dict(common, name="Cross-region replica", module_defaults={
        "group/storagekit.aws.aws": {"endpoint_url": endpoint, "region": "us-west-2"}}, tasks=[
        {"name": "Key of the DR region", "storagekit.aws.kms_key": {
            "alias": "alias/sk-fo-rds-dr", "description": "DR copy of sk-fo-db", "pending_window": 7},
         "register": "dr_key"},
        # What the role's read replica task does for an item with source_region.
        {"name": "Replica", "storagekit.aws.rds_db_instance": {
            "name": REPLICA, "source_db_instance_identifier": "{{ rds_postgres_results.instance_arn }}",
            "source_region": "us-east-1", "kms_key_id": "{{ dr_key.key.key_arn }}", "instance_class": "db.t4g.micro",
            "publicly_accessible": False, "deletion_protection": False, "wait": True}}])
    return [primary, replica]


def run_playbook(collections_path, playbook, *extra):
    started = time.monotonic()
    result = ansible_playbook(playbook, collections_path, "ansible.builtin.default", *extra)
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


def failover(collections_path, endpoint, **extra_vars):
    assert endpoint.startswith("http://127.0.0.1:")
    extra = {"ansible_python_interpreter": "{{ ansible_playbook_python }}", "rds_failover_aws_endpoint_url": endpoint}
    extra.update(extra_vars)
    return run_playbook(collections_path, REPO / "playbooks" / "rds_failover.yml", "-e", json.dumps(extra))


def secret_password(boto3_client, arn):
    client = boto3_client("secretsmanager", region_name=arn.split(":")[3])
    return json.loads(client.get_secret_value(SecretId=arn)["SecretString"])["password"]


def test_failover_promotes_the_cross_region_replica_and_reports_rpo_and_rto(aws, boto3_client, collections_path,
                                                                            tmp_path):
    import psycopg
    import requests

    began = time.monotonic()
    playbook = tmp_path / "setup.yml"
    playbook.write_text(yaml.safe_dump(setup_play(aws.url), sort_keys=False))
    rc, output, seconds = run_playbook(collections_path, playbook)
    assert rc == 0, output[-5000:]
    print(f"primary and replica: {seconds:.1f} s")
    rds, rds_west = boto3_client("rds"), boto3_client("rds", region_name="us-west-2")
    primary = rds.describe_db_instances(DBInstanceIdentifier=NAME)["DBInstances"][0]
    replica = rds_west.describe_db_instances(DBInstanceIdentifier=REPLICA)["DBInstances"][0]
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == primary["DBInstanceArn"]
    assert "MasterUserSecret" not in replica
    ca = tmp_path / "ca.pem"
    ca.write_text(requests.get(f"{aws.url}/_local_aws/ca", timeout=10).text)

    def connect(db, password):
        return psycopg.connect(host=db["Endpoint"]["Address"], port=db["Endpoint"]["Port"], dbname="app",
                               user=db["MasterUsername"], password=password, sslmode="verify-full",
                               sslrootcert=str(ca), connect_timeout=10, autocommit=True)

    primary_password = secret_password(boto3_client, primary["MasterUserSecret"]["SecretArn"])
    with connect(primary, primary_password) as connection:
        connection.execute("CREATE TABLE orders (id serial PRIMARY KEY, note text)")
        for number in range(3):
            connection.execute("INSERT INTO orders (note) VALUES (%s)", (f"order {number}",))
    with connect(replica, primary_password) as connection:
        for dummy in range(100):
            if connection.execute("SELECT to_regclass('orders') IS NOT NULL").fetchone() == (True,) and \
                    connection.execute("SELECT count(*) FROM orders").fetchone() == (3,):
                break
            time.sleep(0.1)
        assert connection.execute("SELECT count(*) FROM orders").fetchone() == (3,)

    boto3_client("route53").create_hosted_zone(Name=ZONE, CallerReference="sk-fo")
    report_dir = tmp_path / "reports"
    rc, output, seconds = failover(
        collections_path, aws.url, rds_failover_replica=REPLICA, rds_failover_region="us-west-2",
        rds_failover_ca_bundle=str(ca), rds_failover_report_dir=str(report_dir),
        rds_failover_route53={"zone": ZONE, "record": f"db.{ZONE}"}, rds_failover_ssm_parameter="/sk-fo/database")
    assert rc == 0, output[-5000:]
    print(f"failover: {seconds:.1f} s")

    promoted = rds_west.describe_db_instances(DBInstanceIdentifier=REPLICA)["DBInstances"][0]
    assert "ReadReplicaSourceDBInstanceIdentifier" not in promoted
    assert promoted["DBInstanceStatus"] == "available"
    assert promoted["BackupRetentionPeriod"] == 14  # the source's, not PromoteReadReplica's default of 1
    secret_arn = promoted["MasterUserSecret"]["SecretArn"]
    assert secret_arn.split(":")[3] == "us-west-2"
    assert rds.describe_db_instances(DBInstanceIdentifier=NAME)["DBInstances"][0].get(
        "ReadReplicaDBInstanceIdentifiers", []) == []
    # The application's view: its own secret in the DR region, the rows of the primary, and writes.
    with connect(promoted, secret_password(boto3_client, secret_arn)) as connection:
        assert connection.execute("SELECT count(*) FROM orders").fetchone() == (3,)
        connection.execute("INSERT INTO orders (note) VALUES ('after the failover')")
        assert connection.execute("SELECT count(*) FROM orders").fetchone() == (4,)

    (report_path,) = report_dir.glob("rds-failover-*.json")
    report = json.loads(report_path.read_text())
    assert report["replica"] == REPLICA and report["former_source"] == primary["DBInstanceArn"]
    assert report["replica_lag_source"] == "server" and 0 <= report["rpo_seconds"] < 60
    assert 0 < report["rto_seconds"] < seconds
    print(f"RPO {report['rpo_seconds']} s ({report['replica_lag_source']}), RTO {report['rto_seconds']} s")
    assert report["connection"] == {"host": promoted["Endpoint"]["Address"], "port": promoted["Endpoint"]["Port"],
                                    "database": "app", "user": promoted["MasterUsername"], "secret_arn": secret_arn}
    markdown = report_path.with_suffix(".md").read_text()
    assert f"| host | `{promoted['Endpoint']['Address']}` |" in markdown and secret_arn in markdown
    assert "RTO: promotion call to first write" in markdown
    assert f"Master user secret (RDS managed, in us-west-2): {secret_arn}" in output
    zone_id = boto3_client("route53").list_hosted_zones_by_name(DNSName=ZONE)["HostedZones"][0]["Id"]
    records = boto3_client("route53").list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    cname = [r for r in records if r["Type"] == "CNAME"]
    assert cname[0]["ResourceRecords"] == [{"Value": promoted["Endpoint"]["Address"]}]
    parameter = boto3_client("ssm", region_name="us-west-2").get_parameter(Name="/sk-fo/database")["Parameter"]
    assert json.loads(parameter["Value"])["secret_arn"] == secret_arn

    # Again: it is no replica any more. Refused with the reason, before any write.
    seq = aws.requests()["summary"]["last_seq"]
    rc, output, seconds = failover(collections_path, aws.url, rds_failover_replica=REPLICA,
                                   rds_failover_region="us-west-2", rds_failover_ca_bundle=str(ca),
                                   rds_failover_report_dir=str(tmp_path / "again"))
    assert rc != 0
    assert f"{REPLICA} in us-west-2 is not a read replica: nothing to promote" in output, output[-5000:]
    assert [e for e in aws.requests(since=seq)["requests"] if e["write"]] == []
    assert not (tmp_path / "again").exists()
    print(f"refused run: {seconds:.1f} s; whole test: {time.monotonic() - began:.1f} s")
