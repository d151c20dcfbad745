# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The states of an RDS DB instance: create it or bring an existing one to the desired settings, or delete
it with its final snapshot; and the module result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.rds import describe_instance
from ansible_collections.storagekit.aws.plugins.module_utils.rds_apply import SETTLED
from ansible_collections.storagekit.aws.plugins.module_utils.rds_apply import apply_modifications
from ansible_collections.storagekit.aws.plugins.module_utils.rds_apply import apply_promotion
from ansible_collections.storagekit.aws.plugins.module_utils.rds_apply import apply_secret_rotation
from ansible_collections.storagekit.aws.plugins.module_utils.rds_apply import apply_tags
from ansible_collections.storagekit.aws.plugins.module_utils.rds_apply import create_instance
from ansible_collections.storagekit.aws.plugins.module_utils.rds_apply import wait_settled
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import check_before_create
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import check_before_modify
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import check_fixed_settings
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import desired_settings
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import leftover_plan
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import plan_modifications
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_deleted


def instance_result(instance):
    if not instance:
        return {}
    tags = boto3_tag_list_to_ansible_dict(instance.get("TagList") or [])
    shown = dict((k, v) for k, v in instance.items() if k != "TagList")
    result = camel_dict_to_snake_dict(shown)
    result["tags"] = tags
    return result


def present_result(changes, instance):
    endpoint = instance.get("Endpoint") or {}
    values = dict(
        db_instance=instance_result(instance),
        endpoint=dict(address=endpoint.get("Address"), port=endpoint.get("Port")) if endpoint else {},
        pending_modified_values=camel_dict_to_snake_dict(instance.get("PendingModifiedValues") or {}),
    )
    secret_arn = (instance.get("MasterUserSecret") or {}).get("SecretArn")
    if secret_arn:
        values["master_user_secret_arn"] = secret_arn
    return changes.result(**values)


def ensure_present(module, client):
    changes = ChangeSet(module)
    keys = KmsKeys(module)
    name = module.params["name"]
    desired = desired_settings(module, keys)
    instance = describe_instance(client, name)
    facets_when_settled = None  # how many changes were recorded when the instance was last seen settled
    created = False
    if instance is None:
        check_before_create(module, client, keys)
        instance, rest, created = create_instance(module, client, changes, desired, keys)
    if created:
        if not module.check_mode and (leftover_plan(rest, desired) or module.params["wait"]):
            # Compare what AWS made with what was asked: a creating call may not take every
            # setting (restores keep some from the snapshot), and those are modified now.
            instance = wait_settled(module, client, name)
            facets_when_settled = len(changes.before)
            plan = plan_modifications(module, instance, desired)
            instance = apply_modifications(module, client, changes, instance, plan, desired)
    else:
        check_fixed_settings(module, instance, keys)
        check_before_modify(module, client, keys, plan_modifications(module, instance, desired))
        instance = apply_promotion(module, client, changes, instance)
        plan = plan_modifications(module, instance, desired)
        instance = apply_modifications(module, client, changes, instance, plan, desired)
        apply_tags(module, client, changes, instance)
    wants_secret = module.params["master_user_secret_rotation"] and not (
        instance.get("MasterUserSecret") or {}).get("SecretArn")
    changed_since_settled = len(changes.before) != (facets_when_settled or 0)
    busy = instance["DBInstanceStatus"] not in SETTLED or changed_since_settled
    if not module.check_mode and (module.params["wait"] and busy or wants_secret):
        instance = wait_settled(module, client, name)
    apply_secret_rotation(module, changes, instance)
    return present_result(changes, instance)


def ensure_absent(module, client):
    return remove_found(module, "db_instance", describe_instance(client, module.params["name"]), delete_instance, client)


def delete_instance(module, changes, instance, client):
    """Delete the DB instance; returns the final snapshot's identifier when one is taken."""
    name = module.params["name"]
    if instance["DBInstanceStatus"] == "deleting":
        if module.params["wait"] and not module.check_mode:
            wait_gone(module, client, name)
        return None
    protected = instance.get("DeletionProtection")
    if protected and module.params["deletion_protection"] is not False:
        module.fail_json(
            msg="DB instance {0} has deletion protection on; run with deletion_protection=false to delete it.".format(
                name)
        )
    is_replica = bool(instance.get("ReadReplicaSourceDBInstanceIdentifier"))
    request = dict(
        DBInstanceIdentifier=name,
        DeleteAutomatedBackups=module.params["delete_automated_backups"],
    )
    snapshot = None
    if is_replica or module.params["skip_final_snapshot"]:
        request["SkipFinalSnapshot"] = True
    else:
        snapshot = module.params["final_snapshot_identifier"] or "{0}-final-{1}".format(
            name, time.strftime("%Y%m%d%H%M%S", time.gmtime()))
        request["FinalDBSnapshotIdentifier"] = snapshot
    if not module.check_mode and instance["DBInstanceStatus"] not in SETTLED + ("stopped", "failed"):
        instance = wait_settled(module, client, name)
    if protected:
        changes.apply(
            "deletion_protection", True, False,
            lambda: client.modify_db_instance(
                DBInstanceIdentifier=name, DeletionProtection=False, ApplyImmediately=True, aws_retry=True),
        )
    changes.apply(
        "instance", dict(identifier=name, status=instance["DBInstanceStatus"]),
        dict(identifier=name, status="deleted", final_snapshot=snapshot),
        lambda: client.delete_db_instance(aws_retry=True, **request),
    )
    if module.params["wait"] and not module.check_mode:
        wait_gone(module, client, name)
    if snapshot:
        return dict(final_snapshot_identifier=snapshot)
    return None


def wait_gone(module, client, name):
    wait_deleted(module, lambda: describe_instance(client, name), "DB instance {0}".format(name))
