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
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.wait
  - storagekit.aws.kms
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - O(kms_key_id) given as an alias or key id is turned into its ARN with one KMS C(DescribeKey) call, to compare
    it with the key ARN of the instance's storage.
  - Refused before any call - O(allocated_storage) and O(max_allocated_storage) outside the range of the engine and
    storage type (20 to 65536 GiB on gp2/gp3 for PostgreSQL, MySQL and MariaDB, 100 on io1/io2, 5 to 3072 on
    standard; 16384 for SQL Server), O(iops) and O(storage_throughput) outside the gp3, io1 and io2 ranges.
  - Refused before a create or the change that needs them - an O(engine_version) that C(DescribeDBEngineVersions)
    does not list for O(engine), a KMS key that does not exist or is not C(Enabled) (one C(DescribeKey) per key).
    A run that changes nothing makes neither call.
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


from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.rds_plan import validate_options
from ansible_collections.storagekit.aws.plugins.module_utils.rds_states import ensure_absent
from ansible_collections.storagekit.aws.plugins.module_utils.rds_states import ensure_present
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

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
    **TAG_OPTIONS,
    **wait_options(timeout=1800),
)

MUTUALLY_EXCLUSIVE = [["source_db_instance_identifier", "restore_from_snapshot", "restore_to_point_in_time"]]


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC, mutually_exclusive=MUTUALLY_EXCLUSIVE, supports_check_mode=True
    )
    validate_options(module)
    client = aws_client(module, "rds")
    run_state(module, "DB instance {0}".format(module.params["name"]), ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
