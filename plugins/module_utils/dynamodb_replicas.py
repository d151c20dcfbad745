# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replicas of a DynamoDB global table (version 2019.11.21): the rules checked before any call, the
replicas as DescribeTable reports them, and the UpdateTable ReplicaUpdates that add, change and remove
them, one replica per call as DynamoDB requires.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.storagekit.aws.plugins.module_utils.compare import differs
from ansible_collections.storagekit.aws.plugins.module_utils.compare import without_unset
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client


def _write_auto_scaled(params):
    write = (params["auto_scaling"] or {}).get("write") or {}
    return bool(write.get("enabled"))


def validate_replicas(module):
    """Refuse replicas that DynamoDB would refuse, before any call; every message names the table."""
    params = module.params
    replicas = params["replicas"]
    if not replicas:
        return
    name = params["name"]

    def refuse(rule):
        module.fail_json(msg="DynamoDB table {0}: {1}".format(name, rule))

    regions = [r["region"] for r in replicas]
    twice = sorted(set(r for r in regions if regions.count(r) > 1))
    if twice:
        refuse("each replica region may appear once ({0}).".format(", ".join(twice)))
    if module.region in regions:
        refuse("a replica cannot be in the table's own region {0}.".format(module.region))
    if params["stream_enabled"] is not True or (params["stream_view_type"] or "NEW_AND_OLD_IMAGES") != "NEW_AND_OLD_IMAGES":
        refuse("replicas (global tables version 2019.11.21) need stream_enabled=true with "
               "stream_view_type=NEW_AND_OLD_IMAGES.")
    if params["billing_mode"] == "PROVISIONED" and not _write_auto_scaled(params):
        refuse("replicas of a provisioned table need write auto scaling (auto_scaling.write): "
               "a global table's write capacity must be on-demand or auto scaled.")
    for replica in replicas:
        if params["billing_mode"] == "PAY_PER_REQUEST" and (
            replica["read_capacity"] is not None or any(i["read_capacity"] is not None for i in replica["indexes"] or [])
        ):
            refuse("replica {0}: read_capacity is only for billing_mode=PROVISIONED.".format(replica["region"]))
        if params["encryption"] == "customer_managed" and not replica["kms_key_id"]:
            refuse("replica {0} needs kms_key_id (a key of that region) with encryption=customer_managed.".format(
                replica["region"]))
        if replica["kms_key_id"] and params["encryption"] != "customer_managed":
            refuse("replica {0}: kms_key_id is only used with encryption=customer_managed.".format(replica["region"]))


def check_billing(desired, current):
    """A provisioned table (as found) needs write auto scaling in the options to have replicas; a message or None."""
    if not desired.get("replicas"):
        return None
    mode = desired["billing_mode"] or current["billing_mode"]
    scaling = (desired.get("auto_scaling") or {}).get("write") or {}
    if mode == "PROVISIONED" and not scaling.get("enabled"):
        return ("DynamoDB table {0}: replicas of a provisioned table need write auto scaling (auto_scaling.write): "
                "a global table's write capacity must be on-demand or auto scaled.".format(current["name"]))
    return None


def normalize_replicas(raw):
    """DescribeTable's Replicas in the shape of the ``replicas`` option, with their status."""
    replicas = []
    for replica in raw.get("Replicas") or []:
        override = replica.get("ProvisionedThroughputOverride") or {}
        replicas.append(dict(
            region=replica["RegionName"],
            status=replica.get("ReplicaStatus"),
            kms_key_id=replica.get("KMSMasterKeyId"),
            table_class=(replica.get("ReplicaTableClassSummary") or {}).get("TableClass", "STANDARD"),
            read_capacity=override.get("ReadCapacityUnits"),
            indexes=sorted(
                (dict(name=i["IndexName"], read_capacity=(i.get("ProvisionedThroughputOverride") or {}).get("ReadCapacityUnits"))
                 for i in replica.get("GlobalSecondaryIndexes") or []),
                key=lambda i: i["name"],
            ),
        ))
    return sorted(replicas, key=lambda r: r["region"])


def desired_replicas(module):
    """The ``replicas`` option as compared, each KMS key as its ARN (read in the replica's own region)."""
    if module.params["replicas"] is None:
        return None
    wanted = []
    for replica in module.params["replicas"]:
        key = replica["kms_key_id"]
        if key:
            keys = KmsKeys(module, aws_client(module, "kms", region=replica["region"])) if not key.startswith("arn:") else None
            key = keys.arn(key, "replicas[{0}].kms_key_id".format(replica["region"])) if keys else key
        indexes = None
        if replica["indexes"] is not None:
            indexes = sorted((dict(name=i["name"], read_capacity=i["read_capacity"]) for i in replica["indexes"]),
                             key=lambda i: i["name"])
        wanted.append(dict(
            region=replica["region"],
            kms_key_id=key,
            table_class=replica["table_class"],
            read_capacity=replica["read_capacity"],
            indexes=indexes,
        ))
    return sorted(wanted, key=lambda r: r["region"])


def _replica_request(replica, fields):
    request = dict(RegionName=replica["region"])
    if "kms_key_id" in fields and replica["kms_key_id"]:
        request["KMSMasterKeyId"] = replica["kms_key_id"]
    if "read_capacity" in fields and replica["read_capacity"] is not None:
        request["ProvisionedThroughputOverride"] = dict(ReadCapacityUnits=replica["read_capacity"])
    if "indexes" in fields and replica["indexes"]:
        request["GlobalSecondaryIndexes"] = [
            dict(IndexName=i["name"], ProvisionedThroughputOverride=dict(ReadCapacityUnits=i["read_capacity"]))
            for i in replica["indexes"] if i["read_capacity"] is not None
        ] or None
        if request["GlobalSecondaryIndexes"] is None:
            del request["GlobalSecondaryIndexes"]
    if "table_class" in fields and replica["table_class"]:
        request["TableClassOverride"] = replica["table_class"]
    return request


def _summary(replica):
    return without_unset(dict((k, v) for k, v in replica.items() if k != "status" and v != []))


def plan_replicas(desired, current):
    """``[(facet, before, after, ReplicaUpdate)]``: creates, then updates, then deletes, one per UpdateTable."""
    wanted = desired.get("replicas")
    if wanted is None:
        return []
    existing = dict((r["region"], r) for r in current.get("replicas") or [])
    plan = []
    for replica in wanted:
        have = existing.get(replica["region"])
        facet = "replicas/{0}".format(replica["region"])
        if have is None:
            fields = ("kms_key_id", "read_capacity", "indexes", "table_class")
            plan.append((facet, None, _summary(replica), dict(Create=_replica_request(replica, fields))))
            continue
        fields = [k for k in ("kms_key_id", "read_capacity", "indexes", "table_class") if differs(replica[k], have[k])]
        if fields:
            plan.append((facet, _summary(have), _summary(dict(have, **without_unset(replica))),
                         dict(Update=_replica_request(replica, fields))))
    wanted_regions = set(r["region"] for r in wanted)
    for region in sorted(set(existing) - wanted_regions):
        plan.append(("replicas/{0}".format(region), _summary(existing[region]), None,
                     dict(Delete=dict(RegionName=region))))
    return plan


def apply_replicas(writer, plan):
    """One UpdateTable per replica change; the writer waits for the table (and its replicas) in between."""
    for facet, before, after, update in plan:
        writer.update_table(facet, before, after, ReplicaUpdates=[update])


def predicted_replicas(desired, current):
    """The replicas after the run, for check mode's result."""
    if desired.get("replicas") is None:
        return current.get("replicas")
    existing = dict((r["region"], r) for r in current.get("replicas") or [])
    return [dict(existing.get(r["region"], dict(status="CREATING")), **without_unset(r)) for r in desired["replicas"]]
