# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The states of a DynamoDB table: create it, bring an existing one to the desired state, or delete it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import threading

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import deregister_targets
from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import describe_targets
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.compare import without_unset
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import is_settled
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import normalize_table
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import read_facets
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import scaling_resource_id
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_apply import TableWriter
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_apply import apply_contributor_insights
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_apply import apply_indexes
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_apply import apply_point_in_time_recovery
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_apply import apply_scaling
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_apply import apply_settings
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_apply import apply_tags
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_apply import apply_ttl
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import ImpossibleChange
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import check_keys
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import create_table_request
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import desired_state
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import plan_indexes
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_plan import plan_settings
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_replicas import apply_replicas
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_replicas import check_billing
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_replicas import plan_replicas
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_replicas import predicted_replicas
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.pool import run_step
from ansible_collections.storagekit.aws.plugins.module_utils.pool import wait_all
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_deleted


AWS_MANAGED_KEY_ALIAS = "alias/aws/dynamodb"


def managed_facets(desired):
    facets = set(k for k in ("point_in_time_recovery", "ttl", "contributor_insights", "tags") if desired[k] is not None)
    if desired["auto_scaling"] is not None or any(i.get("auto_scaling") for i in desired["indexes"] or []):
        facets.add("auto_scaling")
    return facets


def new_table_facets(desired):
    """What a table has just after CreateTable, for the facets that CreateTable cannot set."""
    return dict(
        point_in_time_recovery=dict(enabled=False, recovery_period_days=None),
        ttl=dict(enabled=False, attribute_name=None),
        contributor_insights=False,
        tags=desired["tags"],
        auto_scaling={},
    )


def create_table(module, client, changes, desired):
    """``(description, True)`` of the new table (``(None, True)`` in check mode), or ``(description, False)``
    of the one a concurrent run created first."""
    if desired["hash_key_name"] is None:
        module.fail_json(msg="hash_key_name is required to create table {0}.".format(desired["name"]))
    desired["billing_mode"] = desired["billing_mode"] or "PAY_PER_REQUEST"
    if desired["deletion_protection"] is None:
        desired["deletion_protection"] = True
    if desired["billing_mode"] == "PROVISIONED" and (desired["read_capacity"] is None or desired["write_capacity"] is None):
        module.fail_json(msg="billing_mode=PROVISIONED needs read_capacity and write_capacity (or auto_scaling).")
    if desired["indexes"] is not None and desired["billing_mode"] == "PROVISIONED":
        for index in desired["indexes"]:
            if index["type"] == "global" and (index["read_capacity"] is None or index["write_capacity"] is None):
                module.fail_json(msg="Global index {0} of a provisioned table needs read_capacity and write_capacity.".format(index["name"]))
    request = create_table_request(module, desired)

    def write():
        try:
            return client.create_table(aws_retry=True, **request)["TableDescription"], True
        except is_boto3_error_code("ResourceInUseException"):
            # A concurrent run created the table first: DynamoDB table names are unique in a region.
            found = describe_table(client, desired["name"])
            if found is None:
                raise
            return found, False

    return changes.apply("table", None, dict(name=desired["name"], state="present"), write) or (None, True)


class TableRun:
    """One table between its table-level writes and the writes DynamoDB accepts only on an ACTIVE table."""

    def __init__(self, module, autoscaling, changes, desired, current, writer, aws_managed_key, replica_plan=()):
        self.replica_plan = replica_plan
        self.module = module
        self.autoscaling = autoscaling
        self.changes = changes
        self.desired = desired
        self.current = current
        self.writer = writer
        self.aws_managed_key = aws_managed_key

    def needs_active_table(self):
        """Whether the rest of the run waits for the table: O(wait), or a facet only an ACTIVE table takes."""
        return (
            self.writer.pending
            and self.changes.writes_allowed
            and (self.module.params["wait"] or bool(managed_facets(self.desired) - set(["tags"])))
        )


def ensure_present(module, client, autoscaling, keys):
    return finish_present(start_present(module, client, autoscaling, keys))


def start_present(module, client, autoscaling, keys):
    """Read the table and make the writes that need no ACTIVE table: CreateTable, or UpdateTable and tags."""
    changes = ChangeSet(module)
    desired = desired_state(module, keys)
    raw = describe_table(client, desired["name"])
    aws_managed_key = None
    if desired["encryption"] == "aws_managed":
        aws_managed_key = (keys.metadata(AWS_MANAGED_KEY_ALIAS) or {}).get("Arn")  # made on first use
    facets = managed_facets(desired)
    created = False
    if raw is None:
        keys.require_usable(module.params["kms_key_id"])
        raw, created = create_table(module, client, changes, desired)
    if created:
        writer = TableWriter(module, client, changes, raw)
        writer.pending = True
        current = dict(desired, **new_table_facets(desired))
        current["indexes"] = [dict(i, auto_scaling={}) for i in desired["indexes"] or []]
        current["replicas"] = []
        replica_plan = plan_replicas(desired, current)
    else:
        current = normalize_table(raw, aws_managed_key)
        try:
            check_keys(desired, current)
            plan = plan_settings(desired, current)
            index_plan = plan_indexes(desired, current, module.params["purge_indexes"]) if desired["indexes"] is not None else None
        except ImpossibleChange as e:
            module.fail_json(msg=str(e))
        refused = check_billing(desired, current)
        if refused:
            module.fail_json(msg=refused)
        replica_plan = plan_replicas(desired, current)
        if "encryption" in plan:
            keys.require_usable(module.params["kms_key_id"])
        read_facets(client, autoscaling, current, facets)
        writer = TableWriter(module, client, changes, raw)
        apply_settings(writer, plan)
        if index_plan:
            apply_indexes(writer, desired, current, *index_plan)
        apply_tags(changes, client, module, current["arn"], current.get("tags"))
    return TableRun(module, autoscaling, changes, desired, current, writer, aws_managed_key, replica_plan)


def finish_present(run):
    """The writes DynamoDB accepts only on an ACTIVE table (the writer waits when it must), then the result."""
    module, autoscaling, changes, desired, current, writer = (
        run.module, run.autoscaling, run.changes, run.desired, run.current, run.writer
    )
    apply_point_in_time_recovery(writer, desired, current)
    apply_ttl(writer, desired, current)
    apply_contributor_insights(writer, desired, current)
    apply_scaling(writer, autoscaling, desired["name"], None, desired["auto_scaling"], current.get("auto_scaling"))
    current_indexes = dict((i["name"], i) for i in current["indexes"])
    for index in desired["indexes"] or []:
        if index["type"] == "global":
            have = current_indexes.get(index["name"], {}).get("auto_scaling")
            apply_scaling(writer, autoscaling, desired["name"], index["name"], index.get("auto_scaling"), have)
    # After the stream and write auto scaling a replica needs; the writer waits for each replica in turn.
    apply_replicas(writer, run.replica_plan)
    if module.params["wait"]:
        writer.settle()
    return changes.result(table=final_table(changes, writer, desired, current, run.aws_managed_key))


def final_table(changes, writer, desired, current, aws_managed_key):
    """The table after the run: read back after writes, predicted in check mode, as read otherwise."""
    table = copy.deepcopy(current)
    if not changes.changed:
        return table
    if changes.writes_allowed:
        # The last describe or UpdateTable answer is current enough: no extra read.
        read = normalize_table(writer.raw, aws_managed_key)
        if "replicas" not in read:
            table.pop("replicas", None)  # the last replica is gone
        table.update(read)
        predicted = without_unset(dict((k, desired[k]) for k in managed_facets(desired) if k != "tags"))
        scaling = dict((i["name"], i["auto_scaling"]) for i in desired["indexes"] or [] if i.get("auto_scaling"))
        for index in table["indexes"]:
            if index["name"] in scaling:
                index["auto_scaling"] = without_unset(scaling[index["name"]])
    else:
        predicted = without_unset(desired)
        predicted["replicas"] = predicted_replicas(desired, current)
        if predicted["replicas"] is None:
            del predicted["replicas"]
    table.update(predicted)
    if "tags" in changes.after:
        table["tags"] = changes.after["tags"]
    return table


class KeyReads:
    """A KMS client whose DescribeKey reads each key once a run: the tables of a list usually share one key.

    Each table's KmsKeys (module_utils.kms) reads through it, so a key is described once for the whole list.
    """

    def __init__(self, kms):
        self._kms = kms
        self._answers = {}
        self._lock = threading.Lock()

    def describe_key(self, **request):
        with self._lock:
            answer = self._answers.get(request["KeyId"])
        if answer is None:
            answer = self._kms.describe_key(**request)
            with self._lock:
                self._answers[request["KeyId"]] = answer
        return answer


def ensure_tables(items, client, autoscaling, kms, parallelism):
    """Every item of a list of tables, at most ``parallelism`` at a time, with one wait for all of them.

    CreateTable and UpdateTable go out for all tables first; then one poll loop waits for every table
    that must be ACTIVE for the rest (point-in-time recovery, TTL, contributor insights, auto scaling,
    or O(wait)); then those settings are applied, again concurrently.
    """

    kms = KeyReads(kms)

    def start(item):
        if item.module.params["state"] == "absent":
            return ensure_absent(item.module, client, autoscaling)
        return start_present(item.module, client, autoscaling, KmsKeys(item.module, kms))

    run_step(items, start, parallelism)
    present = [item for item in items if isinstance(item.value, TableRun)]
    pending = [item for item in present if item.value.needs_active_table()]

    def poll(item):
        item.value.writer.raw = describe_table(client, item.name)
        return item.value

    wait_all(
        pending,
        poll,
        lambda run: is_settled(run.writer.raw),
        lambda item: item.module.params["wait_timeout"],
        lambda item: "DynamoDB table {0} to become ACTIVE".format(item.name),
        parallelism,
    )
    for item in pending:
        item.value.writer.pending = False
    run_step(present, lambda item: finish_present(item.value), parallelism)


def ensure_absent(module, client, autoscaling):
    return remove_found(module, "table", describe_table(client, module.params["name"]), delete_table, client, autoscaling)


def delete_table(module, changes, raw, client, autoscaling):
    name = module.params["name"]
    if raw.get("DeletionProtectionEnabled"):
        module.fail_json(
            msg="Table {0} has deletion protection on; run with deletion_protection=false first to delete it.".format(name)
        )
    resource_ids = [scaling_resource_id(name)] + [
        scaling_resource_id(name, i["IndexName"]) for i in raw.get("GlobalSecondaryIndexes") or []
    ]
    targets = describe_targets(autoscaling, "dynamodb", resource_ids)
    # DynamoDB deletes a global table's replicas first, one UpdateTable each.
    writer = TableWriter(module, client, changes, raw)
    for region in sorted(r["RegionName"] for r in raw.get("Replicas") or []):
        facet = "replicas/{0}".format(region)
        writer.update_table(facet, dict(region=region), None, ReplicaUpdates=[dict(Delete=dict(RegionName=region))])

    def write():
        writer.settle()
        deregister_targets(autoscaling, targets)
        client.delete_table(aws_retry=True, TableName=name)
        if module.params["wait"]:
            wait_deleted(module, lambda: describe_table(client, name), "DynamoDB table {0}".format(name))

    changes.apply("table", dict(name=name, state="present"), dict(name=name, state="absent"), write)
