# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An RDS PostgreSQL instance seen the way its application sees it: replica lag, and whether it takes writes.

Replica lag comes from CloudWatch (AWS/RDS ReplicaLag, which RDS publishes every minute for a read replica) when it
has a datapoint of the last five minutes, else from the replica's own server: zero when it has replayed all the WAL
it received, else the age of the last transaction it replayed (the usual PostgreSQL measure; it cannot see WAL the
source has not sent yet, nor can CloudWatch).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

LAG_WINDOW = datetime.timedelta(minutes=5)

LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery() THEN NULL"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)

# A temporary table: the proof takes a transaction id and writes rows, and leaves nothing behind.
WRITE_SQL = (
    "CREATE TEMPORARY TABLE storagekit_write_check (at timestamptz) ON COMMIT DROP",
    "INSERT INTO storagekit_write_check VALUES (now())",
    "SELECT count(*) FROM storagekit_write_check",
)


def cloudwatch_replica_lag(cloudwatch, identifier, now):
    """The newest ReplicaLag datapoint (seconds) of the last five minutes, or None when CloudWatch has none."""
    answer = cloudwatch.get_metric_statistics(
        aws_retry=True, Namespace="AWS/RDS", MetricName="ReplicaLag",
        Dimensions=[dict(Name="DBInstanceIdentifier", Value=identifier)],
        StartTime=now - LAG_WINDOW, EndTime=now, Period=60, Statistics=["Maximum"])
    points = sorted(answer.get("Datapoints", []), key=lambda point: point["Timestamp"])
    return float(points[-1]["Maximum"]) if points else None


def server_replica_lag(connection):
    """(in recovery, lag in seconds or None) as the server itself reports them."""
    in_recovery, lag = connection.execute(LAG_SQL).fetchone()
    return bool(in_recovery), None if lag is None else float(lag)


def prove_writes(connection):
    """Write in a transaction and read the row back; raises the driver's error when the server refuses."""
    with connection.transaction():
        for statement in WRITE_SQL:
            row = connection.execute(statement)
        return row.fetchone()[0] == 1


def secret_region(arn, default):
    """The region of a Secrets Manager secret ARN (the source's region for a cross-region replica)."""
    parts = (arn or "").split(":")
    return parts[3] if len(parts) > 3 and parts[0] == "arn" and parts[3] else default
