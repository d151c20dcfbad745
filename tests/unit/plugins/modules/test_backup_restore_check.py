"""backup_restore_check: the exact read calls that compare a restored copy with its source, and what they report."""

from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import quote_table
from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import sql_checks
from ansible_collections.storagekit.aws.plugins.modules import backup_restore_check

KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"


def expect_table(stubs, name, protected, ttl=True, pitr=True, key=KEY):
    ddb = stubs["dynamodb"]
    table = dict(TableName=name, TableStatus="ACTIVE", DeletionProtectionEnabled=protected,
                 KeySchema=[dict(AttributeName="pk", KeyType="HASH")],
                 GlobalSecondaryIndexes=[dict(IndexName="gsi1")])
    if key:
        table["SSEDescription"] = dict(Status="ENABLED", SSEType="KMS", KMSMasterKeyArn=key)
    ddb.add_response("describe_table", dict(Table=table), dict(TableName=name))
    ddb.add_response("describe_time_to_live", dict(TimeToLiveDescription=dict(
        TimeToLiveStatus="ENABLED" if ttl else "DISABLED", AttributeName="expires_at")), dict(TableName=name))
    ddb.add_response("describe_continuous_backups", dict(ContinuousBackupsDescription=dict(
        ContinuousBackupsStatus="ENABLED", PointInTimeRecoveryDescription=dict(
            PointInTimeRecoveryStatus="ENABLED" if pitr else "DISABLED"))), dict(TableName=name))


def expect_count(stubs, name, pages):
    request = dict(TableName=name, Select="COUNT", ConsistentRead=True)
    for number, count in enumerate(pages):
        last = number == len(pages) - 1
        page = dict(Count=count, ScannedCount=count)
        if not last:
            page["LastEvaluatedKey"] = dict(pk=dict(S="k{0}".format(number)))
        stubs["dynamodb"].add_response("scan", page, dict(request))
        request["ExclusiveStartKey"] = dict(pk=dict(S="k{0}".format(number)))


def test_dynamodb_settings_and_item_counts(stubs, run_module):
    expect_table(stubs, "items", protected=True)
    expect_table(stubs, "drill-items", protected=False, ttl=False, pitr=False)
    expect_count(stubs, "items", [2, 1])
    expect_count(stubs, "drill-items", [3])
    result = run_module(backup_restore_check, dict(resource_type="DynamoDB", source_name="items", copy_name="drill-items",
                                                   checks=dict(item_count=True, expected_item_count=4)))
    checks = dict((c["check"], c) for c in result["checks"])
    assert checks["encryption key"]["ok"] and checks["key schema"]["ok"] and checks["indexes"]["ok"]
    assert checks["deletion protection off on the copy"] == dict(
        check="deletion protection off on the copy", source=True, restored=False, expected=False, ok=True)
    assert checks["TTL"]["ok"] and checks["TTL"]["restored"] is None and "set it again" in checks["TTL"]["note"]
    assert checks["item count"] == dict(check="item count", source=3, restored=3, expected=4, ok=False)
    assert result["failed_checks"] == ["item count: expected 4, source 3, copy 3"]


def test_a_copy_without_the_source_key_fails_the_key_check(stubs, run_module):
    expect_table(stubs, "items", protected=False)
    expect_table(stubs, "drill-items", protected=False, key=None)
    result = run_module(backup_restore_check, dict(resource_type="DynamoDB", source_name="items", copy_name="drill-items"))
    assert result["failed_checks"] == ["encryption key: source {0!r}, copy None".format(KEY)]


def test_s3_versioning_key_count_and_etags(stubs, run_module):
    s3 = stubs["s3"]
    for bucket, etag in (("uploads", '"aaa"'), ("drill-uploads", '"bbb"')):
        s3.add_response("get_bucket_versioning", dict(Status="Enabled"), dict(Bucket=bucket))
        s3.add_response("get_bucket_encryption", dict(ServerSideEncryptionConfiguration=dict(Rules=[dict(
            ApplyServerSideEncryptionByDefault=dict(SSEAlgorithm="aws:kms", KMSMasterKeyID=KEY))])), dict(Bucket=bucket))
    for bucket, etag in (("uploads", '"aaa"'), ("drill-uploads", '"bbb"')):
        s3.add_response("list_objects_v2", dict(Contents=[dict(Key="avatars/1.png", ETag=etag)]),
                        dict(Bucket=bucket, Prefix="avatars/"))
    result = run_module(backup_restore_check, dict(resource_type="S3", source_name="uploads", copy_name="drill-uploads",
                                                   checks=dict(prefix="avatars/", object_count=True, etags=True)))
    assert result["failed_checks"] == ["ETags of 'avatars/': source '1 objects', copy '1 differ: avatars/1.png'"]


def test_the_same_name_twice_is_refused_before_any_call(stubs, run_module):
    result = run_module(backup_restore_check, dict(resource_type="S3", source_name="uploads", copy_name="uploads"),
                        expect_failure=True)
    assert result["msg"] == "source_name and copy_name are both uploads: a check compares two resources."


class Connection:
    """A psycopg connection stand-in that answers each query from a dict and records read_only."""

    def __init__(self, answers):
        self.answers, self.read_only = answers, False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql):
        assert self.read_only
        answer = self.answers[sql]
        return type("Cursor", (), {"fetchone": lambda self: answer})()


def test_sql_checks_compare_source_and_copy_in_read_only_sessions():
    source = Connection({'SELECT count(*) FROM "public"."orders"': (3,), "SELECT max(id) FROM orders": (7,)})
    copy = Connection({'SELECT count(*) FROM "public"."orders"': (3,), "SELECT max(id) FROM orders": (6,)})
    found = sql_checks(lambda: source, lambda: copy, dict(row_counts=["public.orders"],
                                                          queries=[dict(sql="SELECT max(id) FROM orders")]))
    assert [(c["check"], c["source"], c["restored"], c["ok"]) for c in found] == [
        ("row count of public.orders", 3, 3, True), ("SELECT max(id) FROM orders", 7, 6, False)]


def test_sql_checks_with_expected_values_only_do_not_read_the_source():
    copy = Connection({"SELECT 1": (1,)})
    found = sql_checks(lambda: None, lambda: copy, dict(queries=[dict(name="one", sql="SELECT 1", expected=1)]))
    assert found == [dict(check="one", source=None, restored=1, expected=1, ok=True)]


def test_table_names_are_quoted():
    assert quote_table('app.we"ird') == '"app"."we""ird"'
