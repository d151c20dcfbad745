# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How RDS reports a DB instance, and how each setting the collection manages is read and written.

One table (SETTINGS) names every modifiable setting once: the option, where DescribeDBInstances
reports it, the ModifyDBInstance parameter that changes it, and whether AWS defers the change to
the maintenance window when it is not applied immediately. The module compares and writes from it,
so a setting cannot be read one way and written another.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.compare import same_engine_version


class Setting:
    """One modifiable DB instance setting."""

    def __init__(self, option, modify_param, read, deferred_as=None, compare=None):
        self.option = option
        self.modify_param = modify_param
        self.read = read
        # Name in PendingModifiedValues when AWS keeps the change for the maintenance window.
        self.deferred_as = deferred_as
        self.compare = compare or (lambda desired, current: desired == current)


def _field(name):
    return lambda instance: instance.get(name)


def _port(instance):
    return (instance.get("Endpoint") or {}).get("Port") or instance.get("DbInstancePort") or None


def _security_groups(instance):
    return sorted(group["VpcSecurityGroupId"] for group in instance.get("VpcSecurityGroups") or [])


def _parameter_group(instance):
    groups = instance.get("DBParameterGroups") or []
    return groups[0]["DBParameterGroupName"] if groups else None


def _log_exports(instance):
    return sorted(instance.get("EnabledCloudwatchLogsExports") or [])


def _master_secret_key(instance):
    return (instance.get("MasterUserSecret") or {}).get("KmsKeyId")


def same_window(desired, current):
    """Windows are compared as AWS stores them: lower case."""
    return (desired or "").lower() == (current or "").lower()


def same_set(desired, current):
    return sorted(desired or []) == sorted(current or [])


def same_key(desired, current):
    """Keys are compared after the module resolved the desired one to an ARN (see kms.KmsKeys)."""
    return desired == current


SETTINGS = [
    Setting("instance_class", "DBInstanceClass", _field("DBInstanceClass"), "DBInstanceClass"),
    Setting("allocated_storage", "AllocatedStorage", _field("AllocatedStorage"), "AllocatedStorage"),
    Setting("max_allocated_storage", "MaxAllocatedStorage", _field("MaxAllocatedStorage")),
    Setting("storage_type", "StorageType", _field("StorageType"), "StorageType"),
    Setting("iops", "Iops", _field("Iops"), "Iops"),
    Setting("storage_throughput", "StorageThroughput", _field("StorageThroughput"), "StorageThroughput"),
    Setting("engine_version", "EngineVersion", _field("EngineVersion"), "EngineVersion", same_engine_version),
    Setting("multi_az", "MultiAZ", _field("MultiAZ"), "MultiAZ"),
    Setting("port", "DBPortNumber", _port, "Port"),
    Setting("vpc_security_group_ids", "VpcSecurityGroupIds", _security_groups, compare=same_set),
    Setting("db_parameter_group_name", "DBParameterGroupName", _parameter_group),
    Setting("publicly_accessible", "PubliclyAccessible", _field("PubliclyAccessible")),
    Setting(
        "iam_database_authentication", "EnableIAMDatabaseAuthentication",
        _field("IAMDatabaseAuthenticationEnabled"),
    ),
    Setting("enable_performance_insights", "EnablePerformanceInsights", _field("PerformanceInsightsEnabled")),
    Setting(
        "performance_insights_kms_key_id", "PerformanceInsightsKMSKeyId",
        _field("PerformanceInsightsKMSKeyId"), compare=same_key,
    ),
    Setting(
        "performance_insights_retention_period", "PerformanceInsightsRetentionPeriod",
        _field("PerformanceInsightsRetentionPeriod"),
    ),
    Setting("monitoring_interval", "MonitoringInterval", _field("MonitoringInterval")),
    Setting("monitoring_role_arn", "MonitoringRoleArn", _field("MonitoringRoleArn")),
    Setting("cloudwatch_logs_exports", "CloudwatchLogsExportConfiguration", _log_exports, compare=same_set),
    Setting(
        "backup_retention_period", "BackupRetentionPeriod", _field("BackupRetentionPeriod"),
        "BackupRetentionPeriod",
    ),
    Setting("preferred_backup_window", "PreferredBackupWindow", _field("PreferredBackupWindow"), compare=same_window),
    Setting(
        "preferred_maintenance_window", "PreferredMaintenanceWindow", _field("PreferredMaintenanceWindow"),
        compare=same_window,
    ),
    Setting("auto_minor_version_upgrade", "AutoMinorVersionUpgrade", _field("AutoMinorVersionUpgrade")),
    Setting("copy_tags_to_snapshot", "CopyTagsToSnapshot", _field("CopyTagsToSnapshot")),
    Setting("deletion_protection", "DeletionProtection", _field("DeletionProtection")),
    Setting(
        "ca_certificate_identifier", "CACertificateIdentifier", _field("CACertificateIdentifier"),
        "CACertificateIdentifier",
    ),
    Setting("master_user_secret_kms_key_id", "MasterUserSecretKmsKeyId", _master_secret_key, compare=same_key),
]

SETTINGS_BY_OPTION = dict((setting.option, setting) for setting in SETTINGS)

# Options that name a KMS key: users may give a key id, alias or ARN; AWS reports ARNs.
KEY_OPTIONS = ("kms_key_id", "performance_insights_kms_key_id", "master_user_secret_kms_key_id")

# Settings fixed when the instance is created: a different value is refused before any write.
FIXED_AT_CREATION = (
    ("engine", "Engine"),
    ("storage_encrypted", "StorageEncrypted"),
    ("kms_key_id", "KmsKeyId"),
    ("master_username", "MasterUsername"),
    ("db_name", "DBName"),
    ("db_subnet_group_name", None),
)


def fixed_setting(instance, option):
    """The current value of a setting that cannot be changed after creation."""
    if option == "db_subnet_group_name":
        return (instance.get("DBSubnetGroup") or {}).get("DBSubnetGroupName")
    return instance.get(dict(FIXED_AT_CREATION)[option])


def current_value(instance, setting):
    """The value the setting has, or will have once the maintenance window applies pending changes."""
    pending = instance.get("PendingModifiedValues") or {}
    if setting.deferred_as and setting.deferred_as in pending:
        return pending[setting.deferred_as]
    return setting.read(instance)


def describe_instance(client, name):
    """The DB instance as DescribeDBInstances reports it, or None."""
    try:
        answer = client.describe_db_instances(DBInstanceIdentifier=name, aws_retry=True)
    except is_boto3_error_code("DBInstanceNotFound"):
        return None
    instances = answer.get("DBInstances") or []
    return instances[0] if instances else None
