# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writing to an RDS DB instance: creating it, promoting a replica, ModifyDBInstance, tags and the rotation
of the master secret, and waiting for the instance to settle.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.rds import describe_instance
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import CREATING_METHODS
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import all_creation_params
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import creation_source
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import modify_request
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import predicted_instance
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import split_creation_request
from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import waits_for_window
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until


# An instance takes minutes to create or modify: polling every second would only add reads.
FIRST_DELAY = 5.0
# Statuses in which AWS accepts changes to an instance.
SETTLED = ("available", "storage-optimization")


def wait_settled(module, client, name, what="available"):
    return wait_until(
        module,
        lambda: describe_instance(client, name),
        lambda instance: instance is not None and instance["DBInstanceStatus"] in SETTLED,
        module.params["wait_timeout"],
        "DB instance {0} to be {1}".format(name, what),
        first_delay=FIRST_DELAY,
    )


def settled(module, client, instance):
    """The instance once AWS accepts changes to it: waited for when it is still busy."""
    if instance["DBInstanceStatus"] in SETTLED or module.check_mode:
        return instance
    return wait_settled(module, client, instance["DBInstanceIdentifier"])


def wait_for_source(module, client):
    """A same-region replica needs its source available; AWS refuses it otherwise."""
    source = module.params["source_db_instance_identifier"]
    if module.params["source_region"] or module.check_mode:
        return
    instance = describe_instance(client, source)
    if instance is None:
        module.fail_json(msg="Source DB instance {0} does not exist.".format(source))
    settled(module, client, instance)


def create_instance(module, client, changes, desired, keys):
    """``(instance, settings the creating call did not take, True)``, or ``(instance, None, False)`` for the
    instance a concurrent run created first."""
    operation = creation_source(module.params)
    if operation == "CreateDBInstanceReadReplica":
        wait_for_source(module, client)
    elif operation == "CreateDBInstance":
        missing = [option for option in ("instance_class", "allocated_storage") if not module.params[option]]
        if missing:
            module.fail_json(msg="Creating a DB instance needs {0}.".format(" and ".join(missing)))
    request, rest = split_creation_request(client, operation, all_creation_params(module, desired, keys))
    call = getattr(client, CREATING_METHODS[operation])

    def write():
        try:
            return call(aws_retry=True, **request)
        except is_boto3_error_code("DBInstanceAlreadyExists"):
            # A concurrent run created it first: DB instance identifiers are unique in a region.
            found = describe_instance(client, module.params["name"])
            if found is None:
                raise
            return dict(adopted=found)

    answer = changes.apply("instance", None, dict(operation=operation, settings=request), write)
    if answer is None:
        return predicted_instance(request), rest, True
    if "adopted" in answer:
        return answer["adopted"], None, False
    return answer["DBInstance"], rest, True


def apply_promotion(module, client, changes, instance):
    source = instance.get("ReadReplicaSourceDBInstanceIdentifier")
    if not (module.params["promote"] and source):
        return instance
    instance = settled(module, client, instance)
    request = dict(DBInstanceIdentifier=module.params["name"])
    if module.params["backup_retention_period"] is not None:
        request["BackupRetentionPeriod"] = module.params["backup_retention_period"]
    if module.params["preferred_backup_window"]:
        request["PreferredBackupWindow"] = module.params["preferred_backup_window"]
    answer = changes.apply(
        "replication", dict(source=source), dict(source=None),
        lambda: client.promote_read_replica(aws_retry=True, **request),
    )
    if answer is None:
        promoted = dict(instance)
        promoted.pop("ReadReplicaSourceDBInstanceIdentifier", None)
        return promoted
    return answer["DBInstance"]


def apply_modifications(module, client, changes, instance, plan, desired):
    # A read replica signs in with its source's master user: it has no password of its own to switch.
    managed_password = bool(instance.get("MasterUserSecret") or instance.get("ReadReplicaSourceDBInstanceIdentifier"))
    if not plan and managed_password:
        return instance
    request = modify_request(module, instance, plan)
    before = dict((option, have) for option, (have, want) in plan.items())
    after = dict((option, want) for option, (have, want) in plan.items())
    if not managed_password:
        request["ManageMasterUserPassword"] = True
        if module.params["master_user_secret_kms_key_id"]:
            request["MasterUserSecretKmsKeyId"] = desired["master_user_secret_kms_key_id"]
        before["master_user_password"] = "set by the user"
        after["master_user_password"] = "managed by RDS in Secrets Manager"
    deferred = [option for option, (have, want) in plan.items() if waits_for_window(option, have, want)]
    after["applied"] = "immediately" if module.params["apply_immediately"] or not deferred else (
        "in the next maintenance window: " + ", ".join(sorted(deferred)))
    if not module.check_mode:
        instance = settled(module, client, instance)
    answer = changes.apply("settings", before, after, lambda: client.modify_db_instance(aws_retry=True, **request))
    return answer["DBInstance"] if answer else instance


def apply_tags(module, client, changes, instance):
    arn = instance.get("DBInstanceArn")
    after = apply_tag_options(
        module,
        changes,
        lambda: boto3_tag_list_to_ansible_dict(instance.get("TagList") or []),
        lambda keys: client.remove_tags_from_resource(ResourceName=arn, TagKeys=keys, aws_retry=True),
        lambda tags: client.add_tags_to_resource(
            ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(tags), aws_retry=True),
    )
    if after is not None:
        instance["TagList"] = ansible_dict_to_boto3_tag_list(after)


def rotation_rules(desired):
    rules = {}
    if desired["automatically_after_days"] is not None:
        rules["AutomaticallyAfterDays"] = desired["automatically_after_days"]
    if desired["schedule_expression"]:
        rules["ScheduleExpression"] = desired["schedule_expression"]
    if desired["duration"]:
        rules["Duration"] = desired["duration"]
    return rules


def apply_secret_rotation(module, changes, instance):
    """Set the rotation schedule of the RDS-managed master password secret."""
    desired = module.params["master_user_secret_rotation"]
    if not desired:
        return
    secret = instance.get("MasterUserSecret") or {}
    wanted = rotation_rules(desired)
    if not secret.get("SecretArn"):
        changes.apply("master_user_secret_rotation", None, wanted)
        return
    client = aws_client(module, "secretsmanager")
    current = client.describe_secret(SecretId=secret["SecretArn"], aws_retry=True)
    have = current.get("RotationRules") or {}
    if current.get("RotationEnabled") and all(have.get(k) == v for k, v in wanted.items()):
        return
    changes.apply(
        "master_user_secret_rotation", have, wanted,
        lambda: client.rotate_secret(
            SecretId=secret["SecretArn"], RotationRules=wanted, RotateImmediately=False, aws_retry=True),
    )
