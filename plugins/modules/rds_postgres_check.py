#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: rds_postgres_check
short_description: Check an RDS PostgreSQL instance as its application uses it - replica lag, writes
version_added: 0.1.0
description:
  - Signs in to an RDS PostgreSQL DB instance as its master user with psycopg over TLS (C(verify-full) with
    O(ca_bundle)), the password read from the RDS managed master user secret, and reports what the application
    would see.
  - The secret is O(master_user_secret_arn), else the instance's own, else (a read replica has none) its
    replication source's, read in the source's region.
  - With O(replica_lag), the replica lag in seconds - CloudWatch's C(ReplicaLag) metric (C(AWS/RDS), newest
    datapoint of the last five minutes) when it has one, else the server's own report - zero when it has replayed
    all the WAL it received, else the age of the last transaction it replayed. Neither sees WAL that the source has
    not sent yet.
  - With O(write), proves that the instance takes writes - a transaction that creates a temporary table, inserts a
    row and reads it back, which leaves nothing behind - retrying until it works or O(wait_timeout) passes, and
    returns when it first worked. A standby (a read replica, or a promotion still under way) refuses it.
  - Makes read calls only. In check mode the write is not tried.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Identifier of the DB instance.
    type: str
    required: true
  database:
    description: Database to sign in to; the instance's C(DBName), else C(postgres).
    type: str
  ca_bundle:
    description: CA bundle (PEM file) that signs the database's certificate (the region's RDS certificate bundle).
    type: path
    required: true
  master_user_secret_arn:
    description: Secret that holds the master user's password, when not the instance's or its source's.
    type: str
  replica_lag:
    description: Read the replica lag.
    type: bool
    default: false
  write:
    description: Prove that the instance takes writes; the module fails when it still refuses them after O(wait_timeout).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to keep trying the write (a promoted replica takes writes once its promotion ends).
    type: int
    default: 0
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: partial
    details:
      - In check mode the module reads but does not try the write (O(write)); RV(writable) is then null.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: aws
requirements:
  - psycopg (version 3)
"""

EXAMPLES = r"""
- name: Replica lag before a promotion
  storagekit.aws.rds_postgres_check:
    name: app-db-dr
    region: us-west-2
    ca_bundle: /etc/ssl/rds/global-bundle.pem
    replica_lag: true
  register: lag

- name: The promoted replica takes writes
  storagekit.aws.rds_postgres_check:
    name: app-db-dr
    region: us-west-2
    ca_bundle: /etc/ssl/rds/global-bundle.pem
    write: true
    wait_timeout: 600
"""

RETURN = r"""
endpoint:
  description: Address and port of the instance.
  returned: always
  type: dict
  sample: {address: app-db-dr.abcdefgh.us-west-2.rds.amazonaws.com, port: 5432}
master_user_secret_arn:
  description: The secret whose password the module signed in with (null when it did not sign in).
  returned: always
  type: str
in_recovery:
  description: Whether the server is a standby (C(pg_is_in_recovery())); null when the module did not sign in.
  returned: always
  type: bool
replica_lag_seconds:
  description: Replica lag, with O(replica_lag); null when neither CloudWatch nor the server reports one.
  returned: always
  type: float
  sample: 0.0
replica_lag_source:
  description: Where the lag comes from, V(cloudwatch) or V(server); null without a lag.
  returned: always
  type: str
writable:
  description: Whether a write worked, with O(write) (null without it, or in check mode).
  returned: always
  type: bool
writable_at:
  description: When a write first worked, UTC, ISO 8601.
  returned: when writable
  type: str
  sample: "2026-12-06T16:40:02.512345Z"
writable_epoch:
  description: The same time in seconds since the epoch (to measure a recovery time against C(now().timestamp())).
  returned: when writable
  type: float
  sample: 1796575202.512
attempts:
  description: How many times the write was tried.
  returned: always
  type: int
error:
  description: The server's last refusal of the write, or why the module could not sign in.
  returned: when not writable
  type: str
"""

import datetime
import time

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import instance
from ansible_collections.storagekit.aws.plugins.module_utils.backup_checks import master_password
from ansible_collections.storagekit.aws.plugins.module_utils.rds_probe import cloudwatch_replica_lag
from ansible_collections.storagekit.aws.plugins.module_utils.rds_probe import prove_writes
from ansible_collections.storagekit.aws.plugins.module_utils.rds_probe import secret_region
from ansible_collections.storagekit.aws.plugins.module_utils.rds_probe import server_replica_lag
from ansible_collections.storagekit.aws.plugins.module_utils.rds_sql import master_connector
from ansible_collections.storagekit.aws.plugins.module_utils.rds_sql import psycopg
from ansible_collections.storagekit.aws.plugins.module_utils.rds_sql import require_psycopg
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    database=dict(type="str"),
    ca_bundle=dict(type="path", required=True),
    master_user_secret_arn=dict(type="str", no_log=False),  # an ARN, not the secret
    replica_lag=dict(type="bool", default=False),
    write=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=0),
)

RETRY_SECONDS = 0.5


def secret_arn(module, db):
    """The secret to sign in with: given, the instance's own, else its replication source's."""
    if module.params["master_user_secret_arn"]:
        return module.params["master_user_secret_arn"]
    own = (db.get("MasterUserSecret") or {}).get("SecretArn")
    source = db.get("ReadReplicaSourceDBInstanceIdentifier")
    if own or not source:
        return own
    region = source.split(":")[3] if source.startswith("arn:") else module.region
    source_db = instance(aws_client(module, "rds", region=region), source.split(":db:")[-1])
    return ((source_db or {}).get("MasterUserSecret") or {}).get("SecretArn")


def password(module, arn):
    client = aws_client(module, "secretsmanager", region=secret_region(arn, module.region))
    return master_password(client, dict(MasterUserSecret=dict(SecretArn=arn)))


def try_writes(module, connect, found):
    """Try the write until it works or wait_timeout passes; fills ``found`` in."""
    deadline = time.monotonic() + module.params["wait_timeout"]
    while True:
        found["attempts"] += 1
        try:
            with connect() as connection:
                found["in_recovery"] = server_replica_lag(connection)[0]
                if prove_writes(connection):
                    found["writable"] = True
                    at = time.time()
                    found["writable_epoch"] = round(at, 3)
                    found["writable_at"] = datetime.datetime.fromtimestamp(at, datetime.timezone.utc).strftime(
                        "%Y-%m-%dT%H:%M:%S.%fZ")
                    found.pop("error", None)
                    return
        except psycopg.Error as e:
            found["error"] = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if time.monotonic() >= deadline:
            found["writable"] = False
            return
        time.sleep(RETRY_SECONDS)


def check(module):
    name = module.params["name"]
    db = instance(aws_client(module, "rds"), name)
    if db is None:
        module.fail_json(msg="DB instance {0} not found in {1}.".format(name, module.region))
    endpoint = db.get("Endpoint") or {}
    found = dict(endpoint=dict(address=endpoint.get("Address"), port=endpoint.get("Port")), master_user_secret_arn=None,
                 in_recovery=None, replica_lag_seconds=None, replica_lag_source=None, writable=None, attempts=0)
    if module.params["replica_lag"]:
        lag = cloudwatch_replica_lag(aws_client(module, "cloudwatch"), name,
                                     datetime.datetime.now(datetime.timezone.utc))
        if lag is not None:
            found.update(replica_lag_seconds=lag, replica_lag_source="cloudwatch")
    trying_writes = module.params["write"] and not module.check_mode
    if not (trying_writes or module.params["replica_lag"] and found["replica_lag_source"] is None):
        return found
    require_psycopg(module)
    if not endpoint.get("Address"):
        module.fail_json(msg="DB instance {0} has no endpoint yet (status {1}).".format(name, db.get("DBInstanceStatus")))
    arn = secret_arn(module, db)
    if not arn:
        module.fail_json(msg="DB instance {0} has no RDS managed master user secret, nor has its source: "
                             "give master_user_secret_arn.".format(name))
    found["master_user_secret_arn"] = arn
    connect = master_connector(db, password(module, arn), module.params["database"] or db.get("DBName") or "postgres",
                               module.params["ca_bundle"])
    if module.params["replica_lag"] and found["replica_lag_source"] is None:
        try:
            with connect() as connection:
                found["in_recovery"], lag = server_replica_lag(connection)
        except psycopg.Error as e:
            module.fail_json(msg="Could not read the replica lag of {0}: {1}".format(name, str(e).strip()), **found)
        if lag is not None:
            found.update(replica_lag_seconds=lag, replica_lag_source="server")
    if trying_writes:
        try_writes(module, connect, found)
        if not found["writable"]:
            module.fail_json(msg="DB instance {0} refused writes for {1} s: {2}".format(
                name, module.params["wait_timeout"], found.get("error")), **found)
    return found


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    run(module, "check DB instance {0}".format(module.params["name"]), lambda m: dict(check(m), changed=False))


if __name__ == "__main__":
    main()
