"""The restore drill against the local endpoint: serverless_app's two tables, with items written before AWS Backup jobs,
are restored side by side into scratch copies, compared, reported and removed; a check-mode drill writes nothing; a
drill expecting a wrong value fails naming the check and both values, and still removes its copy. The sources are
never written by a drill."""

import json
import time

import pytest

from .conftest import REPO, ansible_playbook

pytestmark = pytest.mark.newest_line_only

NAME = "sk-drill"
TABLE = f"{NAME}-items"
EVENTS = f"{NAME}-events"
ROLE = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"


# Encrypted with the stack's customer managed key: the drill restores with the source's key and compares them.
TABLES = [dict(name=TABLE, hash_key_name="pk", range_key_name="sk", stream_enabled=True,
               stream_view_type="NEW_AND_OLD_IMAGES", ttl=dict(enabled=True, attribute_name="expires_at"),
               indexes=[dict(name="gsi1", hash_key_name="gsi1pk", range_key_name="gsi1sk")]),
          dict(name=EVENTS, hash_key_name="pk")]


def run(collections_path, endpoint, playbook, *options, **extra_vars):
    assert endpoint.startswith("http://127.0.0.1:")
    extra = {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    extra.update(extra_vars)
    started = time.monotonic()
    result = ansible_playbook(REPO / "playbooks" / f"{playbook}.yml", collections_path, "ansible.builtin.default",
                              "-e", json.dumps(extra), *options)
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


def writes_since(aws, seq):
    return [e for e in aws.requests(since=seq)["requests"] if e["write"]]


def reports(directory):
    found = sorted(directory.glob("restore-drill-*.json"))
    return [json.loads(path.read_text()) for path in found], sorted(directory.glob("restore-drill-*.md"))


def test_drill_restores_verifies_reports_and_removes_the_copy_also_when_a_check_fails(aws, boto3_client, collections_path,
                                                                                      tmp_path):
    rc, output, dummy = run(collections_path, aws.url, "serverless_app", serverless_app_name=NAME,
                            serverless_app_aws_endpoint_url=aws.url, serverless_app_aws_region="us-east-1",
                            serverless_app_kms_key_pending_window=7, serverless_app_tables=TABLES)
    assert rc == 0, output[-5000:]
    dynamodb, backup = boto3_client("dynamodb"), boto3_client("backup")
    for number in range(3):
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": f"order#{number}"}, "sk": {"S": "v1"}})
    for number in range(2):
        dynamodb.put_item(TableName=EVENTS, Item={"pk": {"S": f"event#{number}"}})
    table_arn = dynamodb.describe_table(TableName=TABLE)["Table"]["TableArn"]
    events_arn = dynamodb.describe_table(TableName=EVENTS)["Table"]["TableArn"]
    # serverless_app's backup role made the vault and plan NAME and tagged the tables backup-plan: NAME; the endpoint
    # has no scheduler, so the jobs the plan would start are started here.
    tags = {t["Key"]: t["Value"] for t in dynamodb.list_tags_of_resource(ResourceArn=table_arn)["Tags"]}
    assert tags["backup-plan"] == NAME
    for arn in (table_arn, events_arn):
        job = backup.start_backup_job(BackupVaultName=NAME, ResourceArn=arn, IamRoleArn=ROLE)
        assert backup.describe_backup_job(BackupJobId=job["BackupJobId"])["State"] == "COMPLETED"

    common = dict(restore_drill_vault=NAME, restore_drill_aws_endpoint_url=aws.url, restore_drill_aws_region="us-east-1",
                  restore_drill_iam_role_arn=ROLE)
    checks_by_arn = {table_arn: {"item_count": True, "expected_item_count": 3},
                     events_arn: {"item_count": True, "expected_item_count": 2}}
    # 0. In check mode: says what it would restore, from which point, into which name; writes nothing at all.
    seq = aws.requests()["summary"]["last_seq"]
    rc, output, seconds = run(collections_path, aws.url, "restore_drill", "--check", **common,
                              restore_drill_resources={"backup-plan": NAME}, restore_drill_report_dir=str(tmp_path / "check"),
                              restore_drill_checks=checks_by_arn)
    assert rc == 0, output[-5000:]
    print(f"check-mode drill: {seconds:.1f} s")
    assert writes_since(aws, seq) == []
    assert "2 resource(s) would be restored and verified; nothing was restored" in output, output[-3000:]
    assert f"into drill-{TABLE} with" in output and f"into drill-{EVENTS} with" in output
    assert not (tmp_path / "check").exists()

    # 1. By the backup-plan tag, latest points: both restored side by side, every check holds, reported, removed;
    # the sources only read.
    seq = aws.requests()["summary"]["last_seq"]
    passed_dir = tmp_path / "passed"
    rc, output, seconds = run(collections_path, aws.url, "restore_drill", **common,
                              restore_drill_resources={"backup-plan": NAME}, restore_drill_report_dir=str(passed_dir),
                              restore_drill_checks=checks_by_arn)
    assert rc == 0, output[-5000:]
    print(f"passing drill of two tables: {seconds:.1f} s")
    assert sorted(dynamodb.list_tables()["TableNames"]) == [EVENTS, TABLE]
    written = {e["operation"] for e in writes_since(aws, seq) if e["service"] == "dynamodb"}
    assert written == {"TagResource", "DeleteTable"}, written
    (report,), (markdown,) = reports(passed_dir)
    assert report["ok"] is True and report["complete"] is True
    by_arn = {r["resource_arn"]: r for r in report["resources"]}
    assert set(by_arn) == {table_arn, events_arn}
    events_checks = {c["check"]: c for c in by_arn[events_arn]["checks"]}
    assert events_checks["item count"] == dict(check="item count", source=2, restored=2, expected=2, ok=True)
    resource = by_arn[table_arn]
    assert resource["copy"] == f"drill-{TABLE}"
    assert resource["rpo_seconds"] >= 0 and resource["rto_seconds"] > 0
    checks = {c["check"]: c for c in resource["checks"]}
    assert checks["item count"] == dict(check="item count", source=3, restored=3, expected=3, ok=True)
    assert checks["encryption key"]["ok"] and checks["encryption key"]["restored"] == checks["encryption key"]["source"]
    assert checks["deletion protection off on the copy"] == dict(
        check="deletion protection off on the copy", source=True, restored=False, expected=False, ok=True)
    assert checks["indexes"]["restored"] == ["gsi1"]
    assert {"TTL", "point-in-time recovery", "key schema"} <= set(checks)
    text = markdown.read_text()
    assert "| `sk-drill-items` | DynamoDB |" in text and "| item count | `3` | `3` | `3` | ok |" in text

    # 2. A wrong expected value: fails naming the check and both values, and the copy is still removed.
    failed_dir = tmp_path / "failed"
    rc, output, seconds = run(collections_path, aws.url, "restore_drill", **common, restore_drill_resources=[table_arn],
                              restore_drill_report_dir=str(failed_dir),
                              restore_drill_checks={table_arn: {"expected_item_count": 4}})
    print(f"failing drill: {seconds:.1f} s")
    assert rc != 0
    assert (f"1 check(s) failed: DynamoDB {TABLE} (copy drill-{TABLE}): item count: expected 4, source 3, copy 3"
            in output), output[-5000:]
    assert sorted(dynamodb.list_tables()["TableNames"]) == [EVENTS, TABLE]
    (report,), dummy = reports(failed_dir)
    assert report["ok"] is False
    assert report["removed_copies"] == [{"type": "DynamoDB", "name": f"drill-{TABLE}"}]
    assert dynamodb.scan(TableName=TABLE, Select="COUNT")["Count"] == 3


def test_drill_of_web_app_stack_database_queries_the_restored_postgresql_server(
        aws, boto3_client, collections_path, tmp_path):
    import psycopg
    import requests

    web = "sk-drill-web"
    rc, output, dummy = run(collections_path, aws.url, "web_app_stack", web_app_stack_name=web,
                            web_app_stack_aws_endpoint_url=aws.url, web_app_stack_aws_region="us-east-1",
                            web_app_stack_kms_key_pending_window=7)
    assert rc == 0, output[-5000:]
    rds, backup = boto3_client("rds"), boto3_client("backup")
    db = rds.describe_db_instances(DBInstanceIdentifier=f"{web}-db")["DBInstances"][0]
    secret = json.loads(boto3_client("secretsmanager").get_secret_value(
        SecretId=db["MasterUserSecret"]["SecretArn"])["SecretString"])
    ca = tmp_path / "ca.pem"
    ca.write_text(requests.get(f"{aws.url}/_local_aws/ca", timeout=10).text)
    connect = dict(host=db["Endpoint"]["Address"], port=db["Endpoint"]["Port"], dbname="app", user=db["MasterUsername"],
                   password=secret["password"], sslmode="verify-full", sslrootcert=str(ca), autocommit=True)
    with psycopg.connect(**connect) as connection:
        connection.execute("CREATE TABLE orders (id serial PRIMARY KEY, note text)")
        for number in range(3):
            connection.execute("INSERT INTO orders (note) VALUES (%s)", (f"order {number}",))
    backup.start_backup_job(BackupVaultName=web, ResourceArn=db["DBInstanceArn"], IamRoleArn=ROLE)
    # After the backup: the copy must not have it, the source keeps it.
    with psycopg.connect(**connect) as connection:
        connection.execute("INSERT INTO orders (note) VALUES ('after the backup')")

    rc, output, seconds = run(
        collections_path, aws.url, "restore_drill", restore_drill_vault=web, restore_drill_aws_endpoint_url=aws.url,
        restore_drill_aws_region="us-east-1", restore_drill_iam_role_arn=ROLE, restore_drill_ca_bundle=str(ca),
        restore_drill_resources=[db["DBInstanceArn"]], restore_drill_report_dir=str(tmp_path),
        restore_drill_checks={db["DBInstanceArn"]: {"database": "app", "queries": [
            {"name": "orders", "sql": "SELECT count(*) FROM orders", "expected": 3},
            {"name": "last order", "sql": "SELECT note FROM orders ORDER BY id DESC LIMIT 1", "expected": "order 2"}]}})
    print(f"database drill: {seconds:.1f} s")
    (report,), dummy = reports(tmp_path)
    checks = {c["check"]: c for c in report["resources"][0]["checks"]}
    # Data: the real PostgreSQL server of the copy answers as the source did at the backup.
    assert checks["orders"] == dict(check="orders", source=None, restored=3, expected=3, ok=True)
    assert checks["last order"]["ok"], checks["last order"]
    # Settings: the copy has the source's key, network and TLS-only parameter group, and no deletion protection.
    failed = {name for name, check in checks.items() if not check["ok"]}
    assert failed == set(), failed
    for name in ("encryption key", "subnet group", "security groups", "TLS-only parameter group (rds.force_ssl)",
                 "engine version", "deletion protection off on the copy"):
        assert checks[name]["ok"], checks[name]
    assert rc == 0, output[-5000:]
    assert [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]] == [f"{web}-db"]
