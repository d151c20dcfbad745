#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: rds_db_instance
short_description: Manage an RDS DB instance with an RDS-managed master password, replicas and restores
version_added: 0.1.0
description:
  - Creates, updates, promotes and deletes an Amazon RDS DB instance (PostgreSQL by default).
  - The master password is always managed by RDS in AWS Secrets Manager (C(ManageMasterUserPassword)); this
    module has no password option, never reads the secret's value, and returns only the secret's ARN.
    The rotation schedule of that secret is managed with O(master_user_secret_rotation).
  - A new instance is created from scratch, as a read replica of O(source_db_instance_identifier), from the
    snapshot O(restore_from_snapshot), or at a point in time with O(restore_to_point_in_time). Settings that the
    creating call does not accept are applied with one C(ModifyDBInstance) once the instance is available.
  - Secure defaults for a new instance, where the option is unset - encrypted storage (gp3), not publicly
    accessible, deletion protection, IAM database authentication, Performance Insights, automated backups
    kept 7 days, tags copied to snapshots. An option left unset never changes an existing instance.
  - Changes are applied in the next maintenance window unless O(apply_immediately=true), as with AWS. A change
    that is already pending is not requested again; the diff shows which changes wait for the window.
  - A run reads the instance once with C(DescribeDBInstances) (tags included), and the master secret with
    C(DescribeSecret) only when O(master_user_secret_rotation) is set. A run that changes nothing writes nothing.
  - Supports check mode and diff mode.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: The DB instance identifier.
    type: str
    required: true
    aliases: [db_instance_identifier]
  state:
    description:
      - V(present) creates or updates the instance; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  engine:
    description: Database engine. Fixed at creation.
    type: str
    default: postgres
  engine_version:
    description:
      - Engine version, either a major version (V(16)) or a full one (V(16.4)); V(16) matches any 16.x.
      - Only upgrades are made; an instance already on a newer version than asked is left as it is.
      - A major version upgrade also needs O(allow_major_version_upgrade=true).
    type: str
  allow_major_version_upgrade:
    description: Allow O(engine_version) to move to a new major version.
    type: bool
    default: false
  instance_class:
    description: The DB instance class, for example V(db.t4g.medium). Required to create an instance from scratch.
    type: str
  allocated_storage:
    description:
      - Storage in GiB. Required to create an instance from scratch.
      - Storage only grows; a value below the current size (for example after storage autoscaling grew it)
        is not a change.
    type: int
  max_allocated_storage:
    description: Upper limit in GiB for storage autoscaling; equal to O(allocated_storage) turns autoscaling off.
    type: int
  storage_type:
    description: Storage type. New instances get V(gp3) when unset.
    type: str
    choices: [gp2, gp3, io1, io2, standard]
  iops:
    description:
      - Provisioned IOPS. For V(gp3) only from 400 GiB (PostgreSQL); below that AWS gives a fixed 3000.
    type: int
  storage_throughput:
    description:
      - Storage throughput in MiB/s, V(gp3) only, from 400 GiB (PostgreSQL); below that AWS gives 125.
    type: int
  storage_encrypted:
    description: Encrypt the storage. New instances get V(true) when unset. Fixed at creation.
    type: bool
  master_username:
    description: Name of the master user. New instances get V(postgres) when unset. Fixed at creation.
    type: str
  master_user_secret_kms_key_id:
    description:
      - KMS key (ARN, id or alias) that encrypts the Secrets Manager secret holding the master password;
        the AWS managed key C(aws/secretsmanager) when unset.
    type: str
  master_user_secret_rotation:
    description:
      - The rotation schedule of the master password secret. RDS rotates it every 7 days by default.
      - Give O(master_user_secret_rotation.automatically_after_days) or
        O(master_user_secret_rotation.schedule_expression).
    type: dict
    suboptions:
      automatically_after_days:
        description: Rotate every this many days (1 to 1000).
        type: int
      schedule_expression:
        description: A C(rate()) or C(cron()) expression, for example V(cron(0 4 ? * SUN *)).
        type: str
      duration:
        description: Length of the rotation window, for example V(3h).
        type: str
  db_name:
    description: Name of the database created with the instance. Fixed at creation.
    type: str
  port:
    description: Port the database listens on.
    type: int
  multi_az:
    description: Run a standby in a second availability zone (Multi-AZ) with automatic failover.
    type: bool
  availability_zone:
    description: Availability zone of a Single-AZ instance at creation.
    type: str
  db_subnet_group_name:
    description: DB subnet group (private subnets) of the instance. Fixed at creation.
    type: str
  vpc_security_group_ids:
    description: Security groups of the instance (the whole list).
    type: list
    elements: str
  publicly_accessible:
    description: Give the instance a public address. New instances get V(false) when unset.
    type: bool
  db_parameter_group_name:
    description:
      - DB parameter group. A new group takes effect after a reboot, which this module does not do.
    type: str
  iam_database_authentication:
    description: Let database users sign in with IAM tokens. New instances get V(true) when unset.
    type: bool
  enable_performance_insights:
    description: Turn on Performance Insights. New instances get V(true) when unset.
    type: bool
  performance_insights_kms_key_id:
    description: KMS key (ARN, id or alias) of Performance Insights data; C(aws/rds) when unset.
    type: str
  performance_insights_retention_period:
    description: Days Performance Insights data is kept - 7 (free), or a multiple of 31 up to 731.
    type: int
  monitoring_interval:
    description: Seconds between Enhanced Monitoring samples; V(0) turns it off.
    type: int
    choices: [0, 1, 5, 10, 15, 30, 60]
  monitoring_role_arn:
    description: IAM role that lets RDS send Enhanced Monitoring metrics to CloudWatch Logs.
    type: str
  cloudwatch_logs_exports:
    description: Logs exported to CloudWatch Logs (for PostgreSQL V(postgresql) and V(upgrade)); the whole list.
    type: list
    elements: str
  backup_retention_period:
    description:
      - Days automated backups (and so point-in-time recovery) are kept, 0 to 35. New instances get 7 when unset.
    type: int
  preferred_backup_window:
    description: Daily UTC window of automated backups, for example V(03:00-04:00).
    type: str
  preferred_maintenance_window:
    description: Weekly UTC maintenance window, for example V(sun:05:00-sun:06:00).
    type: str
  auto_minor_version_upgrade:
    description: Apply minor engine upgrades in the maintenance window. New instances get V(true) when unset.
    type: bool
  copy_tags_to_snapshot:
    description: Copy the instance's tags to its snapshots. New instances get V(true) when unset.
    type: bool
  deletion_protection:
    description:
      - Refuse deletion while on. New instances get V(true) when unset.
      - To delete a protected instance, run with O(state=absent) and O(deletion_protection=false).
    type: bool
  ca_certificate_identifier:
    description: Certificate authority of the server certificate, for example V(rds-ca-rsa2048-g1).
    type: str
  apply_immediately:
    description:
      - Apply changes now rather than in the next maintenance window. Some changes (storage, class,
        Multi-AZ) briefly affect performance or availability.
    type: bool
    default: false
  source_db_instance_identifier:
    description:
      - Create the instance as a read replica of this DB instance (identifier, or ARN for another region).
      - Only used to create the instance.
    type: str
  source_region:
    description:
      - Region of O(source_db_instance_identifier) for a cross-region read replica; the source must then be
        given as an ARN.
    type: str
  promote:
    description:
      - Promote the instance, if it is a read replica, to a standalone instance. Promotion cannot be undone.
    type: bool
    default: false
  restore_from_snapshot:
    description: Create the instance from this DB snapshot. Only used to create the instance.
    type: str
  restore_to_point_in_time:
    description: Create the instance from another instance's automated backups. Only used to create the instance.
    type: dict
    suboptions:
      source_db_instance_identifier:
        description: The instance whose backups are restored.
        type: str
        required: true
      restore_time:
        description: The time to restore to, in ISO 8601 (UTC), for example V(2026-11-20T10:00:00Z).
        type: str
      use_latest_restorable_time:
        description: Restore to the latest restorable time.
        type: bool
        default: false
  skip_final_snapshot:
    description:
      - Delete without a final snapshot. By default a final snapshot is taken (read replicas have none).
    type: bool
    default: false
  final_snapshot_identifier:
    description: Name of the final snapshot; V(<name>-final-<UTC timestamp>) when unset.
    type: str
  delete_automated_backups:
    description: Delete the automated backups with the instance. They are kept by default.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds to wait for the instance before failing. Creating a Multi-AZ instance on AWS
        commonly takes 15 to 25 minutes.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - storagekit.aws.wait
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
  - storagekit.aws.kms
notes:
  - O(kms_key_id) given as an alias or key id is turned into its ARN with one KMS C(DescribeKey) call, to compare
    it with the key ARN of the instance's storage.
"""

EXAMPLES = r"""
- name: PostgreSQL 16, Multi-AZ, gp3 with autoscaling, KMS, IAM auth, Performance Insights, managed password
  storagekit.aws.rds_db_instance:
    name: app-db
    engine_version: "16"
    instance_class: db.t4g.medium
    allocated_storage: 50
    max_allocated_storage: 200
    multi_az: true
    kms_key_id: "{{ kms_key_arn }}"
    master_user_secret_kms_key_id: "{{ kms_key_arn }}"
    master_user_secret_rotation:
      automatically_after_days: 30
    db_subnet_group_name: app-db
    vpc_security_group_ids: ["{{ db_security_group_id }}"]
    db_parameter_group_name: app-db-postgres16
    performance_insights_kms_key_id: "{{ kms_key_arn }}"
    monitoring_interval: 60
    monitoring_role_arn: "{{ monitoring_role_arn }}"
    cloudwatch_logs_exports: [postgresql, upgrade]
    backup_retention_period: 14
    preferred_backup_window: "03:00-04:00"
    preferred_maintenance_window: "sun:05:00-sun:06:00"
    wait: false
  register: app_db

- name: A read replica with its own class
  storagekit.aws.rds_db_instance:
    name: app-db-replica-1
    source_db_instance_identifier: app-db
    instance_class: db.t4g.medium

- name: Promote the replica
  storagekit.aws.rds_db_instance:
    name: app-db-replica-1
    promote: true

- name: Restore the latest restorable state into a new instance
  storagekit.aws.rds_db_instance:
    name: app-db-restored
    restore_to_point_in_time:
      source_db_instance_identifier: app-db
      use_latest_restorable_time: true
    db_subnet_group_name: app-db
    vpc_security_group_ids: ["{{ db_security_group_id }}"]

- name: Delete, with a final snapshot
  storagekit.aws.rds_db_instance:
    name: app-db
    state: absent
    deletion_protection: false
"""

RETURN = r"""
db_instance:
  description:
    - The instance as C(DescribeDBInstances) reports it, in snake case, with C(tags) as a dict (predicted in
      check mode). Empty after deletion.
  returned: always
  type: dict
  sample:
    db_instance_identifier: app-db
    db_instance_status: available
    engine: postgres
    engine_version: "16.4"
    multi_az: true
    storage_type: gp3
    iam_database_authentication_enabled: true
    dbi_resource_id: db-ABCDEFGHIJKLMNOPQRSTUVWXY
endpoint:
  description: Address and port of the instance, once AWS has assigned them.
  returned: when state=present
  type: dict
  sample:
    address: app-db.abcdefghijkl.us-east-1.rds.amazonaws.com
    port: 5432
master_user_secret_arn:
  description: ARN of the Secrets Manager secret that holds the master user name and password.
  returned: when state=present and RDS has created the secret
  type: str
  sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf
pending_modified_values:
  description: Changes waiting for the maintenance window, in snake case.
  returned: when state=present
  type: dict
  sample:
    db_instance_class: db.r6g.large
final_snapshot_identifier:
  description: Name of the final snapshot taken on deletion.
  returned: when state=absent and a final snapshot was taken
  type: str
  sample: app-db-final-20261122101500
"""

import time

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.rds import FIXED_AT_CREATION
from ansible_collections.storagekit.aws.plugins.module_utils.rds import KEY_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.rds import SETTINGS
from ansible_collections.storagekit.aws.plugins.module_utils.rds import SETTINGS_BY_OPTION
from ansible_collections.storagekit.aws.plugins.module_utils.rds import current_value
from ansible_collections.storagekit.aws.plugins.module_utils.rds import describe_instance
from ansible_collections.storagekit.aws.plugins.module_utils.rds import fixed_setting
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True, aliases=["db_instance_identifier"]),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    engine=dict(type="str", default="postgres"),
    engine_version=dict(type="str"),
    allow_major_version_upgrade=dict(type="bool", default=False),
    instance_class=dict(type="str"),
    allocated_storage=dict(type="int"),
    max_allocated_storage=dict(type="int"),
    storage_type=dict(type="str", choices=["gp2", "gp3", "io1", "io2", "standard"]),
    iops=dict(type="int"),
    storage_throughput=dict(type="int"),
    storage_encrypted=dict(type="bool"),
    kms_key_id=dict(type="str"),
    master_username=dict(type="str"),
    master_user_secret_kms_key_id=dict(type="str"),
    master_user_secret_rotation=dict(
        type="dict",
        no_log=False,
        options=dict(
            automatically_after_days=dict(type="int"),
            schedule_expression=dict(type="str"),
            duration=dict(type="str"),
        ),
        mutually_exclusive=[["automatically_after_days", "schedule_expression"]],
        required_one_of=[["automatically_after_days", "schedule_expression"]],
    ),
    db_name=dict(type="str"),
    port=dict(type="int"),
    multi_az=dict(type="bool"),
    availability_zone=dict(type="str"),
    db_subnet_group_name=dict(type="str"),
    vpc_security_group_ids=dict(type="list", elements="str"),
    publicly_accessible=dict(type="bool"),
    db_parameter_group_name=dict(type="str"),
    iam_database_authentication=dict(type="bool"),
    enable_performance_insights=dict(type="bool"),
    performance_insights_kms_key_id=dict(type="str"),
    performance_insights_retention_period=dict(type="int"),
    monitoring_interval=dict(type="int", choices=[0, 1, 5, 10, 15, 30, 60]),
    monitoring_role_arn=dict(type="str"),
    cloudwatch_logs_exports=dict(type="list", elements="str"),
    backup_retention_period=dict(type="int"),
    preferred_backup_window=dict(type="str"),
    preferred_maintenance_window=dict(type="str"),
    auto_minor_version_upgrade=dict(type="bool"),
    copy_tags_to_snapshot=dict(type="bool"),
    deletion_protection=dict(type="bool"),
    ca_certificate_identifier=dict(type="str"),
    apply_immediately=dict(type="bool", default=False),
    source_db_instance_identifier=dict(type="str"),
    source_region=dict(type="str"),
    promote=dict(type="bool", default=False),
    restore_from_snapshot=dict(type="str"),
    restore_to_point_in_time=dict(
        type="dict",
        options=dict(
            source_db_instance_identifier=dict(type="str", required=True),
            restore_time=dict(type="str"),
            use_latest_restorable_time=dict(type="bool", default=False),
        ),
    ),
    skip_final_snapshot=dict(type="bool", default=False),
    final_snapshot_identifier=dict(type="str"),
    delete_automated_backups=dict(type="bool", default=False),
    tags=dict(type="dict", aliases=["resource_tags"]),
    purge_tags=dict(type="bool", default=True),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=1800),
)

MUTUALLY_EXCLUSIVE = [["source_db_instance_identifier", "restore_from_snapshot", "restore_to_point_in_time"]]

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

# Statuses in which AWS accepts changes to an instance.
SETTLED = ("available", "storage-optimization")
# gp3 PostgreSQL storage below this size has fixed baseline IOPS and throughput.
GP3_CONFIGURABLE_FROM_GIB = 400


class KeyResolver:
    """Turns KMS key ids and aliases into ARNs, as RDS reports them, with one DescribeKey per key."""

    def __init__(self, module):
        self.module = module
        self.client = None
        self.arns = {}

    def arn(self, key):
        if not key or key.startswith("arn:"):
            return key
        if key not in self.arns:
            if self.client is None:
                self.client = self.module.client("kms", retry_decorator=AWSRetry.jittered_backoff())
            try:
                answer = self.client.describe_key(KeyId=key, aws_retry=True)
            except is_boto3_error_code("NotFoundException"):
                if not self.module.check_mode:
                    raise
                return key  # check mode: the key may be created by an earlier task that did not run
            self.arns[key] = answer["KeyMetadata"]["Arn"]
        return self.arns[key]


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
    max_storage = params["max_allocated_storage"]
    if max_storage is not None and params["allocated_storage"] and max_storage < params["allocated_storage"]:
        module.fail_json(msg="max_allocated_storage cannot be below allocated_storage.")


def desired_settings(module, keys):
    """The settings the user gave, with KMS keys as ARNs."""
    desired = dict((setting.option, module.params[setting.option]) for setting in SETTINGS)
    for option in KEY_OPTIONS:
        if module.params.get(option):
            desired[option] = keys.arn(module.params[option])
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


def wait_settled(module, client, name, what="available"):
    return wait_until(
        module,
        lambda: describe_instance(client, name),
        lambda instance: instance is not None and instance["DBInstanceStatus"] in SETTLED,
        module.params["wait_timeout"],
        "DB instance {0} to be {1}".format(name, what),
    )


def settled(module, client, instance):
    """The instance once AWS accepts changes to it: waited for when it is still busy."""
    if instance["DBInstanceStatus"] in SETTLED or module.check_mode:
        return instance
    return wait_settled(module, client, instance["DBInstanceIdentifier"])


# ---- creation


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
        values["kms_key_id"] = keys.arn(params["kms_key_id"])
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


def wait_for_source(module, client):
    """A same-region replica needs its source available; AWS refuses it otherwise."""
    source = module.params["source_db_instance_identifier"]
    if module.params["source_region"] or module.check_mode:
        return
    instance = describe_instance(client, source)
    if instance is None:
        module.fail_json(msg="Source DB instance {0} does not exist.".format(source))
    settled(module, client, instance)


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


def create_instance(module, client, changes, desired, keys):
    operation = creation_source(module.params)
    if operation == "CreateDBInstanceReadReplica":
        wait_for_source(module, client)
    elif operation == "CreateDBInstance":
        missing = [option for option in ("instance_class", "allocated_storage") if not module.params[option]]
        if missing:
            module.fail_json(msg="Creating a DB instance needs {0}.".format(" and ".join(missing)))
    request, rest = split_creation_request(client, operation, all_creation_params(module, desired, keys))
    call = getattr(client, CREATING_METHODS[operation])
    answer = changes.apply(
        "instance", None, dict(operation=operation, settings=request),
        lambda: call(aws_retry=True, **request),
    )
    if answer is None:
        return predicted_instance(request), rest
    return answer["DBInstance"], rest


# ---- updates


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
    if module.params["tags"] is None:
        return
    arn = instance.get("DBInstanceArn")
    current = boto3_tag_list_to_ansible_dict(instance.get("TagList") or [])
    after = apply_tag_changes(
        changes, current, module.params["tags"], module.params["purge_tags"],
        lambda keys: client.remove_tags_from_resource(ResourceName=arn, TagKeys=keys, aws_retry=True),
        lambda tags: client.add_tags_to_resource(
            ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(tags), aws_retry=True),
    )
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
    client = module.client("secretsmanager", retry_decorator=AWSRetry.jittered_backoff())
    current = client.describe_secret(SecretId=secret["SecretArn"], aws_retry=True)
    have = current.get("RotationRules") or {}
    if current.get("RotationEnabled") and all(have.get(k) == v for k, v in wanted.items()):
        return
    changes.apply(
        "master_user_secret_rotation", have, wanted,
        lambda: client.rotate_secret(
            SecretId=secret["SecretArn"], RotationRules=wanted, RotateImmediately=False, aws_retry=True),
    )


# ---- results


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
    keys = KeyResolver(module)
    name = module.params["name"]
    desired = desired_settings(module, keys)
    instance = describe_instance(client, name)
    facets_when_settled = None  # how many changes were recorded when the instance was last seen settled
    if instance is None:
        instance, rest = create_instance(module, client, changes, desired, keys)
        if not module.check_mode and (leftover_plan(rest, desired) or module.params["wait"]):
            # Compare what AWS made with what was asked: a creating call may not take every
            # setting (restores keep some from the snapshot), and those are modified now.
            instance = wait_settled(module, client, name)
            facets_when_settled = len(changes.before)
            plan = plan_modifications(module, instance, desired)
            instance = apply_modifications(module, client, changes, instance, plan, desired)
    else:
        check_fixed_settings(module, instance, keys)
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
    changes = ChangeSet(module)
    name = module.params["name"]
    instance = describe_instance(client, name)
    if instance is None:
        return changes.result(db_instance={})
    if instance["DBInstanceStatus"] == "deleting":
        if module.params["wait"] and not module.check_mode:
            wait_gone(module, client, name)
        return changes.result(db_instance={})
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
    result = changes.result(db_instance={})
    if snapshot:
        result["final_snapshot_identifier"] = snapshot
    return result


def wait_gone(module, client, name):
    wait_until(
        module,
        lambda: describe_instance(client, name),
        lambda instance: instance is None,
        module.params["wait_timeout"],
        "DB instance {0} to be deleted".format(name),
    )


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC, mutually_exclusive=MUTUALLY_EXCLUSIVE, supports_check_mode=True
    )
    validate_options(module)
    client = module.client("rds", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            result = ensure_absent(module, client)
        else:
            result = ensure_present(module, client)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage DB instance {0}".format(module.params["name"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
