# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What an RDS DB instance should be: the checks made before any write, the desired settings with KMS keys as
ARNs, the creating request (new, replica or restore) and the plan of modifications to an existing instance.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.compare import same_engine_version
from ansible_collections.storagekit.aws.plugins.module_utils.rds import FIXED_AT_CREATION
from ansible_collections.storagekit.aws.plugins.module_utils.rds import KEY_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.rds import SETTINGS
from ansible_collections.storagekit.aws.plugins.module_utils.rds import SETTINGS_BY_OPTION
from ansible_collections.storagekit.aws.plugins.module_utils.rds import current_value
from ansible_collections.storagekit.aws.plugins.module_utils.rds import fixed_setting


# What a new instance gets for options the user left unset.
CREATION_DEFAULTS = dict(
    storage_type="gp3",
    storage_encrypted=True,
    publicly_accessible=False,
    deletion_protection=True,
    iam_database_authentication=True,
    enable_performance_insights=True,
    backup_retention_period=7,
    copy_tags_to_snapshot=True,
    auto_minor_version_upgrade=True,
)


# Option -> creation parameter, where it is not the ModifyDBInstance parameter of SETTINGS.
CREATION_PARAMS = dict(
    engine="Engine",
    storage_encrypted="StorageEncrypted",
    kms_key_id="KmsKeyId",
    master_username="MasterUsername",
    db_name="DBName",
    availability_zone="AvailabilityZone",
    db_subnet_group_name="DBSubnetGroupName",
    port="Port",
    cloudwatch_logs_exports="EnableCloudwatchLogsExports",
)


# gp3 PostgreSQL storage below this size has fixed baseline IOPS and throughput.
GP3_CONFIGURABLE_FROM_GIB = 400


# Allocated storage in GiB that CreateDBInstance accepts, by engine and storage type (CreateDBInstance,
# AllocatedStorage). SQL Server engines are capped at 16 TiB, magnetic storage at 3 TiB (1 TiB for SQL Server).
STORAGE_LIMITS = {
    "default": dict(gp2=(20, 65536), gp3=(20, 65536), io1=(100, 65536), io2=(100, 65536), standard=(5, 3072)),
    "oracle": dict(gp2=(20, 65536), gp3=(20, 65536), io1=(100, 65536), io2=(100, 65536), standard=(10, 3072)),
    "sqlserver": dict(gp2=(20, 16384), gp3=(20, 16384), io1=(100, 16384), io2=(100, 16384), standard=(20, 1024)),
}
# Provisioned IOPS and the IOPS per GiB they allow (Amazon RDS DB instance storage); gp3 from 400 GiB.
IOPS_LIMITS = dict(gp3=(12000, 64000), io1=(1000, 256000), io2=(1000, 256000))
IOPS_PER_GIB = dict(io1=(0.5, 50), io2=(0.5, 1000))
GP3_THROUGHPUT = (500, 4000)  # MiB/s, and at most 0.25 MiB/s per IOPS


def storage_limits(engine, storage_type):
    family = engine.split("-", 1)[0]
    return STORAGE_LIMITS.get(family, STORAGE_LIMITS["default"]).get(storage_type)


def storage_problems(params):
    """What AWS would refuse in the storage options, as messages naming the option and the rule."""
    problems = []
    engine = params["engine"]
    storage_type = params["storage_type"] or "gp3"
    size = params["allocated_storage"]
    low, high = storage_limits(engine, storage_type)
    for option in ("allocated_storage", "max_allocated_storage"):
        value = params[option]
        if value is not None and not low <= value <= high:
            problems.append("{0} must be from {1} to {2} GiB for {3} on {4} storage, not {5}".format(
                option, low, high, engine, storage_type, value))
    iops = params["iops"]
    if iops is not None and params["storage_type"] and engine.split("-", 1)[0] != "sqlserver":
        if storage_type not in IOPS_LIMITS:
            problems.append("iops is only for gp3, io1 and io2 storage, not {0}".format(storage_type))
        else:
            low, high = IOPS_LIMITS[storage_type]
            if not low <= iops <= high:
                problems.append("iops must be from {0} to {1} for {2} storage, not {3}".format(low, high, storage_type, iops))
            if storage_type in IOPS_PER_GIB and size:
                low, high = IOPS_PER_GIB[storage_type]
                if not low * size <= iops <= high * size:
                    problems.append("iops must be from {0} to {1} times allocated_storage for {2} storage".format(
                        low, high, storage_type))
    throughput = params["storage_throughput"]
    if throughput is not None and storage_type == "gp3" and engine.split("-", 1)[0] != "sqlserver":
        low, high = GP3_THROUGHPUT
        if not low <= throughput <= high:
            problems.append("storage_throughput must be from {0} to {1} MiB/s for gp3 storage, not {2}".format(
                low, high, throughput))
        elif iops and throughput > iops / 4.0:
            problems.append("storage_throughput can be at most iops / 4 MiB/s ({0})".format(iops // 4))
    return problems


def known_engine_version(client, engine, version):
    """Whether DescribeDBEngineVersions lists ``version`` of ``engine``, exactly or as a major/minor prefix."""
    paginator = client.get_paginator("describe_db_engine_versions")
    pages = paginator.paginate(Engine=engine).build_full_result()
    versions = [v["EngineVersion"] for v in pages.get("DBEngineVersions", [])]
    return any(same_engine_version(version, v) for v in versions)


def check_engine_version(module, client):
    """Refuse an engine_version RDS does not offer, with one listing of the engine's versions."""
    engine, version = module.params["engine"], module.params["engine_version"]
    if version and not known_engine_version(client, engine, version):
        module.fail_json(msg="engine_version {0} is not a version of {1} that RDS offers (DescribeDBEngineVersions).".format(
            version, engine))


def check_before_create(module, client, keys):
    """The checks that need reads, made only when the instance is going to be created."""
    for option in KEY_OPTIONS:
        keys.require_usable(module.params[option], option)
    check_engine_version(module, client)


def check_before_modify(module, client, keys, plan):
    """The checks that need reads, for the settings ``plan`` changes only."""
    for option in KEY_OPTIONS:
        if option in plan:
            keys.require_usable(module.params[option], option)
    if "engine_version" in plan:
        check_engine_version(module, client)


def validate_options(module):
    """Refuse combinations AWS would refuse, before any call."""
    params = module.params
    if params["source_region"] and not (params["source_db_instance_identifier"] or "").startswith("arn:"):
        module.fail_json(msg="source_region needs source_db_instance_identifier as the source instance's ARN.")
    storage_type = params["storage_type"]
    if (params["iops"] or params["storage_throughput"]) and storage_type == "gp3":
        size = params["allocated_storage"]
        if size is not None and size < GP3_CONFIGURABLE_FROM_GIB:
            module.fail_json(
                msg="gp3 storage below {0} GiB has a fixed baseline of 3000 IOPS and 125 MiB/s; "
                "leave iops and storage_throughput unset or allocate at least {0} GiB.".format(
                    GP3_CONFIGURABLE_FROM_GIB
                )
            )
    if params["storage_throughput"] and storage_type not in (None, "gp3"):
        module.fail_json(msg="storage_throughput is only for gp3 storage.")
    retention = params["performance_insights_retention_period"]
    if retention is not None and not (retention == 7 or (retention % 31 == 0 and 31 <= retention <= 731)):
        module.fail_json(msg="performance_insights_retention_period must be 7 or a multiple of 31 up to 731.")
    if params["monitoring_interval"] and not params["monitoring_role_arn"]:
        module.fail_json(msg="monitoring_interval above 0 needs monitoring_role_arn.")
    if params["backup_retention_period"] is not None and not 0 <= params["backup_retention_period"] <= 35:
        module.fail_json(msg="backup_retention_period must be from 0 to 35 days.")
    restore = params["restore_to_point_in_time"]
    if restore and bool(restore["restore_time"]) == bool(restore["use_latest_restorable_time"]):
        module.fail_json(
            msg="restore_to_point_in_time needs exactly one of restore_time and use_latest_restorable_time."
        )
    problems = storage_problems(params)
    if problems:
        module.fail_json(msg="; ".join(problems) + ".")
    max_storage = params["max_allocated_storage"]
    if max_storage is not None and params["allocated_storage"] and max_storage < params["allocated_storage"]:
        module.fail_json(msg="max_allocated_storage cannot be below allocated_storage.")


def desired_settings(module, keys):
    """The settings the user gave, with KMS keys as ARNs."""
    desired = dict((setting.option, module.params[setting.option]) for setting in SETTINGS)
    for option in KEY_OPTIONS:
        if module.params.get(option):
            desired[option] = keys.arn(module.params[option], option)
    if not module.params["monitoring_interval"]:
        desired["monitoring_role_arn"] = None  # only meaningful while monitoring is on
    return dict((k, v) for k, v in desired.items() if v is not None)


def version_tuple(version):
    return tuple(int(part) if part.isdigit() else 0 for part in (version or "").split("."))


def setting_differs(setting, want, have):
    """Whether the setting must be written; storage never shrinks and engine versions never go back."""
    if setting.option == "allocated_storage":
        return have is None or want > have
    if setting.option == "engine_version":
        if setting.compare(want, have):
            return False
        return version_tuple(want) > version_tuple(have)[: len(version_tuple(want))]
    return not setting.compare(want, have)


def plan_modifications(module, instance, desired):
    """``{option: (current, desired)}`` for every setting that has to change."""
    plan = {}
    for setting in SETTINGS:
        if setting.option not in desired:
            continue
        want = desired[setting.option]
        have = current_value(instance, setting)
        if setting.option == "master_user_secret_kms_key_id" and not instance.get("MasterUserSecret"):
            continue  # handled with the switch to a managed password
        if setting_differs(setting, want, have):
            plan[setting.option] = (have, want)
    if "engine_version" in plan:
        have, want = plan["engine_version"]
        major_change = version_tuple(want)[:1] != version_tuple(have)[:1]
        if major_change and not module.params["allow_major_version_upgrade"]:
            module.fail_json(
                msg="Upgrading {0} from {1} to {2} is a major version upgrade; set allow_major_version_upgrade.".format(
                    module.params["name"], have, want
                )
            )
    return plan


def check_fixed_settings(module, instance, keys):
    """Fail before any write when the user asks for a setting that only a new instance could have."""
    for option, _param in FIXED_AT_CREATION:
        want = module.params[option]
        if want is None or option == "engine" and instance.get("ReadReplicaSourceDBInstanceIdentifier"):
            continue
        if option == "kms_key_id":
            want = keys.arn(want)
        have = fixed_setting(instance, option)
        if have is not None and str(want).lower() != str(have).lower():
            module.fail_json(
                msg="{0} of DB instance {1} is {2!r} and cannot be changed to {3!r}; "
                "create a new instance (for example restored from a snapshot) instead.".format(
                    option, module.params["name"], have, want
                )
            )


def modify_request(module, instance, plan):
    """The ModifyDBInstance parameters that carry out ``plan``."""
    request = dict(DBInstanceIdentifier=module.params["name"], ApplyImmediately=module.params["apply_immediately"])
    for option, (have, want) in plan.items():
        if option == "cloudwatch_logs_exports":
            request["CloudwatchLogsExportConfiguration"] = dict(
                EnableLogTypes=sorted(set(want) - set(have or [])),
                DisableLogTypes=sorted(set(have or []) - set(want)),
            )
        elif option == "master_user_secret_kms_key_id":
            request["ManageMasterUserPassword"] = True
            request["MasterUserSecretKmsKeyId"] = want
        else:
            request[SETTINGS_BY_OPTION[option].modify_param] = want
    if "engine_version" in plan and module.params["allow_major_version_upgrade"]:
        request["AllowMajorVersionUpgrade"] = True
    if "storage_type" in plan or "iops" in plan or "storage_throughput" in plan:
        request.setdefault("StorageType", instance.get("StorageType"))
        request.setdefault("AllocatedStorage", instance.get("AllocatedStorage"))
    return request


def waits_for_window(option, have, want):
    """Whether AWS keeps this change for the maintenance window when it is not applied immediately."""
    if option == "backup_retention_period":
        return bool(have) != bool(want)  # only turning backups on or off waits
    return bool(SETTINGS_BY_OPTION[option].deferred_as)


CREATING_METHODS = {
    "CreateDBInstance": "create_db_instance",
    "CreateDBInstanceReadReplica": "create_db_instance_read_replica",
    "RestoreDBInstanceFromDBSnapshot": "restore_db_instance_from_db_snapshot",
    "RestoreDBInstanceToPointInTime": "restore_db_instance_to_point_in_time",
}


def creation_source(params):
    if params["source_db_instance_identifier"]:
        return "CreateDBInstanceReadReplica"
    if params["restore_from_snapshot"]:
        return "RestoreDBInstanceFromDBSnapshot"
    if params["restore_to_point_in_time"]:
        return "RestoreDBInstanceToPointInTime"
    return "CreateDBInstance"


def all_creation_params(module, desired, keys):
    """Every parameter a creating call could take, by its AWS name; the call keeps those it accepts."""
    params = module.params
    values = dict(CREATION_DEFAULTS)
    values.update(desired)
    for option in CREATION_PARAMS:
        if params.get(option) is not None:
            values[option] = params[option]
    if params["kms_key_id"]:
        values["kms_key_id"] = keys.arn(params["kms_key_id"], "kms_key_id")
    if creation_source(params) == "CreateDBInstance":
        values.setdefault("master_username", "postgres")
    request = {}
    for option, value in values.items():
        if option in CREATION_PARAMS:
            request[CREATION_PARAMS[option]] = value
        elif option in SETTINGS_BY_OPTION:
            request[SETTINGS_BY_OPTION[option].modify_param] = value
    request.update(DBInstanceIdentifier=params["name"], ManageMasterUserPassword=True)
    if params["tags"]:
        request["Tags"] = ansible_dict_to_boto3_tag_list(params["tags"])
    if params["source_db_instance_identifier"]:
        request["SourceDBInstanceIdentifier"] = params["source_db_instance_identifier"]
        if params["source_region"]:
            request["SourceRegion"] = params["source_region"]
    if params["restore_from_snapshot"]:
        request["DBSnapshotIdentifier"] = params["restore_from_snapshot"]
    restore = params["restore_to_point_in_time"]
    if restore:
        request["SourceDBInstanceIdentifier"] = restore["source_db_instance_identifier"]
        request["TargetDBInstanceIdentifier"] = params["name"]
        if restore["use_latest_restorable_time"]:
            request["UseLatestRestorableTime"] = True
        else:
            request["RestoreTime"] = restore["restore_time"]
    return request


def split_creation_request(client, operation, request):
    """The part of ``request`` the creating operation accepts, and the rest (by AWS name)."""
    members = client.meta.service_model.operation_model(operation).input_shape.members
    accepted = dict((k, v) for k, v in request.items() if k in members)
    rest = dict((k, v) for k, v in request.items() if k not in members)
    return accepted, rest


def leftover_plan(rest, desired):
    """Settings the creating call could not take, as a modification plan."""
    plan = {}
    for setting in SETTINGS:
        if setting.option in desired and setting.modify_param in rest:
            plan[setting.option] = (None, desired[setting.option])
    if "cloudwatch_logs_exports" in desired and "EnableCloudwatchLogsExports" in rest:
        plan["cloudwatch_logs_exports"] = ([], desired["cloudwatch_logs_exports"])
    return plan


def predicted_instance(request):
    """What a new instance will look like, for check mode."""
    predicted = dict(
        DBInstanceIdentifier=request.get("DBInstanceIdentifier") or request.get("TargetDBInstanceIdentifier"),
        DBInstanceStatus="creating",
    )
    for key, value in request.items():
        if key not in ("Tags", "ManageMasterUserPassword", "TargetDBInstanceIdentifier"):
            predicted[key] = value
    predicted["TagList"] = request.get("Tags") or []
    return predicted
