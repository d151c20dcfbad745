# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checks of a restored copy against its source: settings and data, read-only on both.

Each check is a dict ``check, source, copy, expected, ok`` (``expected`` is None when the copy must equal the
source). Settings that a restore does not carry on AWS (TTL, point-in-time recovery of a restored table) are
reported with ``ok`` always true and a note, so a drill shows what a real restore must re-apply.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.reading import first_described


def result(check, source, copy, expected=None, ok=None, note=None):
    """One check; without ``ok``, it holds when the copy equals ``expected`` (when given) and the source."""
    if ok is None:
        ok = copy == expected if expected is not None else copy == source
    entry = dict(check=check, source=source, restored=copy, expected=expected, ok=bool(ok))
    if note:
        entry["note"] = note
    return entry


def data_check(check, source, copy, expected=None):
    """A data check: with an expected value the copy must hold it (the source may have moved on since the
    point); without one, copy and source must agree."""
    return result(check, source, copy, expected)


# --- DynamoDB ---------------------------------------------------------------------------------------


def table_item_count(dynamodb, name):
    """Items of a table counted with a paginated Scan (Select=COUNT); DescribeTable's ItemCount lags 6 hours."""
    count, request = 0, dict(TableName=name, Select="COUNT", ConsistentRead=True)
    while True:
        page = dynamodb.scan(aws_retry=True, **request)
        count += page["Count"]
        if not page.get("LastEvaluatedKey"):
            return count
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def table_settings(dynamodb, name):
    table = dynamodb.describe_table(aws_retry=True, TableName=name)["Table"]
    ttl = dynamodb.describe_time_to_live(aws_retry=True, TableName=name)["TimeToLiveDescription"]
    backups = dynamodb.describe_continuous_backups(aws_retry=True, TableName=name)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
    return dict(
        kms_key=(table.get("SSEDescription") or {}).get("KMSMasterKeyArn"),
        deletion_protection=bool(table.get("DeletionProtectionEnabled")),
        key_schema=sorted((k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]),
        indexes=sorted(i["IndexName"] for i in table.get("GlobalSecondaryIndexes", []) + table.get("LocalSecondaryIndexes", [])),
        ttl=ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") == "ENABLED" else None,
        point_in_time_recovery=pitr == "ENABLED",
    )


def dynamodb_checks(dynamodb, source, copy, checks):
    s, c = table_settings(dynamodb, source), table_settings(dynamodb, copy)
    found = [
        result("encryption key", s["kms_key"], c["kms_key"]),
        result("deletion protection off on the copy", s["deletion_protection"], c["deletion_protection"], expected=False),
        result("key schema", s["key_schema"], c["key_schema"]),
        result("indexes", s["indexes"], c["indexes"]),
        result("TTL", s["ttl"], c["ttl"], ok=True, note="a restored table has no TTL: set it again after a restore"),
        result("point-in-time recovery", s["point_in_time_recovery"], c["point_in_time_recovery"], ok=True,
               note="a restored table has PITR off: turn it on again after a restore"),
    ]
    if checks.get("item_count") or checks.get("expected_item_count") is not None:
        found.append(data_check("item count", table_item_count(dynamodb, source), table_item_count(dynamodb, copy),
                                checks.get("expected_item_count")))
    return found


# --- S3 -------------------------------------------------------------------------------------------


def prefix_etags(s3, bucket, prefix):
    """{key relative to the bucket: ETag} of the objects under ``prefix``."""
    objects = all_items(s3.list_objects_v2, "Contents", next_key="NextContinuationToken", request_key="ContinuationToken",
                        Bucket=bucket, Prefix=prefix)
    return dict((o["Key"], o["ETag"].strip('"')) for o in objects)


def bucket_settings(s3, bucket):
    versioning = s3.get_bucket_versioning(aws_retry=True, Bucket=bucket).get("Status") == "Enabled"
    try:
        rules = s3.get_bucket_encryption(aws_retry=True, Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        default = rules[0]["ApplyServerSideEncryptionByDefault"]
        key = default.get("KMSMasterKeyID") or default["SSEAlgorithm"]
    except is_boto3_error_code("ServerSideEncryptionConfigurationNotFoundError"):
        key = None
    return dict(versioning=versioning, kms_key=key)


def s3_checks(s3, source, copy, checks):
    s, c = bucket_settings(s3, source), bucket_settings(s3, copy)
    found = [
        result("encryption key", s["kms_key"], c["kms_key"]),
        result("versioning", s["versioning"], c["versioning"], expected=True),
    ]
    prefix = checks.get("prefix", "")
    if checks.get("object_count") or checks.get("expected_object_count") is not None or checks.get("etags"):
        source_etags, copy_etags = prefix_etags(s3, source, prefix), prefix_etags(s3, copy, prefix)
        found.append(data_check("object count of '{0}'".format(prefix), len(source_etags), len(copy_etags),
                                checks.get("expected_object_count")))
        if checks.get("etags"):
            differ = sorted(k for k in set(source_etags) | set(copy_etags) if source_etags.get(k) != copy_etags.get(k))
            found.append(result("ETags of '{0}'".format(prefix), "{0} objects".format(len(source_etags)),
                                "{0} differ: {1}".format(len(differ), ", ".join(differ[:10])) if differ else "all equal",
                                ok=not differ))
    return found


# --- RDS ------------------------------------------------------------------------------------------


def instance(rds, name):
    return first_described(rds.describe_db_instances, "DBInstances", "DBInstanceNotFound", DBInstanceIdentifier=name)


def force_ssl(rds, group):
    """The value of rds.force_ssl in a DB parameter group, or None when it is not set there."""
    parameters = all_items(rds.describe_db_parameters, "Parameters", next_key="Marker", DBParameterGroupName=group)
    values = [p.get("ParameterValue") for p in parameters if p["ParameterName"] == "rds.force_ssl"]
    return values[0] if values else None


def rds_settings(rds, db):
    group = db["DBParameterGroups"][0]["DBParameterGroupName"] if db.get("DBParameterGroups") else None
    return dict(
        kms_key=db.get("KmsKeyId"),
        deletion_protection=bool(db.get("DeletionProtection")),
        subnet_group=(db.get("DBSubnetGroup") or {}).get("DBSubnetGroupName"),
        security_groups=sorted(g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups", [])),
        parameter_group=group,
        force_ssl=force_ssl(rds, group) if group else None,
        engine_version=db.get("EngineVersion"),
    )


def rds_setting_checks(rds, source_db, copy_db):
    s, c = rds_settings(rds, source_db), rds_settings(rds, copy_db)
    return [
        result("encryption key", s["kms_key"], c["kms_key"]),
        result("deletion protection off on the copy", s["deletion_protection"], c["deletion_protection"], expected=False),
        result("subnet group", s["subnet_group"], c["subnet_group"]),
        result("security groups", s["security_groups"], c["security_groups"]),
        result("TLS-only parameter group (rds.force_ssl)", s["force_ssl"], c["force_ssl"], expected="1"),
        result("engine version", s["engine_version"], c["engine_version"]),
    ]


def master_password(secretsmanager, db):
    """The master password from the instance's RDS managed secret, or None when RDS manages none."""
    secret = (db.get("MasterUserSecret") or {}).get("SecretArn")
    if not secret:
        return None
    return json.loads(secretsmanager.get_secret_value(aws_retry=True, SecretId=secret)["SecretString"])["password"]


def query_values(connect, queries):
    """The first column of the first row of each query, in a read-only session: a drill never writes."""
    values = []
    with connect() as connection:
        connection.read_only = True
        for query in queries:
            row = connection.execute(query).fetchone()
            values.append(None if row is None else json.loads(json.dumps(row[0], default=str)))
    return values


def sql_checks(connect_source, connect_copy, checks):
    """Row counts of tables and the user's queries, on the copy and (unless every query has an expected value) on
    the source."""
    queries = [dict(name="row count of {0}".format(t), sql='SELECT count(*) FROM {0}'.format(quote_table(t)))
               for t in checks.get("row_counts", [])]
    queries += [dict(name=q.get("name") or q["sql"], sql=q["sql"], expected=q.get("expected")) for q in checks.get("queries", [])]
    if not queries:
        return []
    copy = query_values(connect_copy, [q["sql"] for q in queries])
    needs_source = any(q.get("expected") is None for q in queries)
    source = query_values(connect_source, [q["sql"] for q in queries]) if needs_source else [None] * len(queries)
    return [data_check(q["name"], s, c, q.get("expected")) for q, s, c in zip(queries, source, copy)]


def quote_table(name):
    """A table name, optionally schema-qualified, as quoted SQL identifiers."""
    return ".".join('"{0}"'.format(part.replace('"', '""')) for part in name.split("."))
