#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_restore_check
short_description: Compare a restored copy with its source, settings and data, with read calls only
version_added: 0.1.0
description:
  - Reads a source resource and its restored copy and returns one result per check, with both values.
  - "Settings: the encryption key (the copy's must be the source's; none on both is the service's own key), deletion protection off on the copy, and per
    type: DynamoDB key schema and indexes (TTL and point-in-time recovery reported, since a restore does not carry
    them); RDS subnet group, security groups, engine version and a TLS-only parameter group (C(rds.force_ssl=1));
    S3 versioning on the copy; EFS the key only."
  - "Data, as O(checks) asks: DynamoDB item counts (a consistent C(Scan) with C(Select=COUNT)); S3 object count and
    ETags under a prefix; RDS row counts of tables and SQL queries, run with psycopg over TLS (C(verify-full) with
    O(ca_bundle)) as the master user, whose password comes from the RDS managed secret of the copy, else of the
    source, in a read-only session."
  - A data check with an expected value holds when the copy has that value; without one, when copy and source
    agree. The module does not fail on a difference; it returns C(ok=false) and lists the failed checks, so a caller
    can remove the copy before it fails.
  - The source is only read.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  resource_type:
    description: AWS Backup's type of the resource.
    type: str
    choices: [DynamoDB, RDS, S3, EFS]
    required: true
  source_name:
    description: Name of the source (table, DB instance identifier, bucket, file system id).
    type: str
    required: true
  copy_name:
    description: Name of the restored copy (for EFS, its file system id).
    type: str
    required: true
  checks:
    description:
      - "The data checks. DynamoDB: C(item_count) (bool), C(expected_item_count). S3: C(prefix), C(object_count)
        (bool), C(expected_object_count), C(etags) (bool). RDS: C(database) (the source's C(DBName) when not set),
        C(row_counts) (table names), C(queries) (a list of C(sql), optional C(name) and C(expected): the first column
        of the first row)."
    type: dict
    default: {}
  ca_bundle:
    description: CA bundle (PEM file) that signs the database's certificate, for RDS data checks.
    type: path
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.attributes.info
  - ansible.builtin.action_common_attributes
requirements:
  - psycopg (version 3) for RDS data checks
"""

EXAMPLES = r"""
- name: The scratch table holds what the source holds
  storagekit.aws.backup_restore_check:
    resource_type: DynamoDB
    source_name: orders
    copy_name: drill-orders
    checks: {item_count: true}
  register: checked

- name: The restored database answers like the source
  storagekit.aws.backup_restore_check:
    resource_type: RDS
    source_name: app-db
    copy_name: drill-app-db
    ca_bundle: /etc/ssl/rds/global-bundle.pem
    checks:
      row_counts: [orders, customers]
      queries:
        - sql: SELECT max(id) FROM orders
        - name: schema version
          sql: SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1
          expected: "20261201"
"""

RETURN = r"""
checks:
  description: Every check with the source's and the copy's value.
  returned: always
  type: list
  elements: dict
  contains:
    check:
      description: What was compared.
      type: str
      sample: item count
    source:
      description: The source's value.
      type: raw
    restored:
      description: The copy's value.
      type: raw
    expected:
      description: The value the copy must have, when the check has one.
      type: raw
    ok:
      description: Whether the check holds.
      type: bool
    note:
      description: Why a difference is accepted.
      type: str
failed_checks:
  description: One line per check that does not hold, naming it and both values.
  returned: always
  type: list
  elements: str
  sample: ["item count: expected 4, source 3, copy 3"]
seconds:
  description: Seconds this run took, from its start to the last check.
  returned: always
  type: float
"""

import time

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import dynamodb_checks
from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import instance
from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import master_password
from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import rds_setting_checks
from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import result
from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import s3_checks
from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import sql_checks
from ansible_collections.storagekit.aws.plugins.module_utils.rds_sql import master_connector
from ansible_collections.storagekit.aws.plugins.module_utils.rds_sql import psycopg
from ansible_collections.storagekit.aws.plugins.module_utils.rds_sql import require_psycopg
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run

ARGUMENT_SPEC = dict(
    resource_type=dict(type="str", choices=["DynamoDB", "RDS", "S3", "EFS"], required=True),
    source_name=dict(type="str", required=True),
    copy_name=dict(type="str", required=True),
    checks=dict(type="dict", default={}),
    ca_bundle=dict(type="path"),
)


def describe(check):
    if check["expected"] is not None:
        return "{0}: expected {1!r}, source {2!r}, copy {3!r}".format(check["check"], check["expected"], check["source"], check["restored"])
    return "{0}: source {1!r}, copy {2!r}".format(check["check"], check["source"], check["restored"])


def rds_checks(module, source, copy, checks):
    rds = aws_client(module, "rds")
    source_db, copy_db = instance(rds, source), instance(rds, copy)
    for name, db in ((source, source_db), (copy, copy_db)):
        if db is None:
            module.fail_json(msg="DB instance {0} not found.".format(name))
    found = rds_setting_checks(rds, source_db, copy_db)
    if checks.get("row_counts") or checks.get("queries"):
        require_psycopg(module)
        if not module.params["ca_bundle"]:
            module.fail_json(msg="RDS data checks need ca_bundle, the CA bundle that signs the database's certificate.")
        secrets = aws_client(module, "secretsmanager")
        source_password = master_password(secrets, source_db)
        copy_password = master_password(secrets, copy_db) or source_password
        database = checks.get("database") or source_db.get("DBName") or "postgres"
        try:
            found += sql_checks(master_connector(source_db, source_password, database, module.params["ca_bundle"]),
                                master_connector(copy_db, copy_password, database, module.params["ca_bundle"]), checks)
        except psycopg.Error as e:
            module.fail_json(msg="SQL check failed: {0}".format(str(e).strip()))
    return found


def efs_checks(module, source, copy):
    efs = aws_client(module, "efs")
    keys = [efs.describe_file_systems(aws_retry=True, FileSystemId=fs_id)["FileSystems"][0].get("KmsKeyId")
            for fs_id in (source, copy)]
    return [result("encryption key", keys[0], keys[1])]


def compare(module, kind, source, copy, checks, started):
    if kind == "DynamoDB":
        found = dynamodb_checks(aws_client(module, "dynamodb"), source, copy, checks)
    elif kind == "S3":
        found = s3_checks(aws_client(module, "s3"), source, copy, checks)
    elif kind == "RDS":
        found = rds_checks(module, source, copy, checks)
    else:
        found = efs_checks(module, source, copy)
    return dict(changed=False, checks=found, failed_checks=[describe(c) for c in found if not c["ok"]],
                seconds=round(time.monotonic() - started, 1))


def main():
    started = time.monotonic()
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    kind, source, copy, checks = (module.params[k] for k in ("resource_type", "source_name", "copy_name", "checks"))
    if source == copy:
        module.fail_json(msg="source_name and copy_name are both {0}: a check compares two resources.".format(source))
    run(module, "compare {0} {1} with its copy {2}".format(kind, source, copy), compare, kind, source, copy, checks, started)


if __name__ == "__main__":
    main()
