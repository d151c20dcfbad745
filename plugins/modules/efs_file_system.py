#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: efs_file_system
short_description: Manage an encrypted EFS file system with its mount targets, lifecycle, backups and policy
version_added: 0.1.0
description:
  - Creates, updates and deletes an Amazon EFS file system, identified by O(name) (its creation token and
    C(Name) tag), with the settings that live behind their own APIs - throughput mode, lifecycle
    transitions (including the Archive storage class), mount targets and their security groups,
    the file system policy, automatic backups and tags.
  - Two runs that create the file system at the same moment make one; the run whose create EFS refuses
    (C(FileSystemAlreadyExists)) adopts it, as it adopts a mount target the other run made in the same subnet.
  - New file systems are encrypted at rest and get a file system policy that requires TLS and IAM
    authorization (see O(file_system_policy)).
  - Only the options you set are compared and changed. A run that changes nothing makes no write call;
    it reads the file system once, plus one read per facet you manage.
    Tags come with the file system, the legacy C(DescribeTags) call is never used.
  - Settings EFS cannot change after creation (encryption, KMS key, performance mode) are refused
    with a clear error before any write.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - Name of the file system, used as its creation token (1 to 64 characters) and C(Name) tag.
    type: str
    required: true
  state:
    description:
      - Whether the file system should exist.
      - O(state=absent) deletes the mount targets, waits until they are gone (EFS refuses to delete a
        file system that still has some), then deletes the file system and all data on it.
  encrypted:
    description:
      - Whether data at rest is encrypted. File systems this module creates are encrypted unless
        this is V(false).
      - Cannot be changed after creation.
    type: bool
  performance_mode:
    description:
      - Performance mode. Defaults to V(generalPurpose) when a file system is created.
      - Cannot be changed after creation.
    type: str
    choices: [generalPurpose, maxIO]
  throughput_mode:
    description:
      - Throughput mode. Defaults to V(elastic) when a file system is created.
      - Changed in place with C(UpdateFileSystem). AWS allows switching mode or lowering provisioned
        throughput only once every 24 hours.
    type: str
    choices: [bursting, elastic, provisioned]
  provisioned_throughput_in_mibps:
    description:
      - Provisioned throughput in MiB/s. Required with O(throughput_mode=provisioned), and only allowed with it.
    type: float
  lifecycle:
    description:
      - Lifecycle management, written as a whole with C(PutLifecycleConfiguration) - a transition left
        unset here is removed. V({}) removes every transition.
      - O(lifecycle.transition_to_archive) needs elastic throughput and the general purpose performance mode,
        and must come later than O(lifecycle.transition_to_ia).
    type: dict
    suboptions:
      transition_to_ia:
        description: When files not accessed for a while move to the Infrequent Access storage class.
        type: str
        choices: [AFTER_1_DAY, AFTER_7_DAYS, AFTER_14_DAYS, AFTER_30_DAYS, AFTER_60_DAYS, AFTER_90_DAYS,
                  AFTER_180_DAYS, AFTER_270_DAYS, AFTER_365_DAYS]
      transition_to_archive:
        description: When files not accessed for a while move to the Archive storage class.
        type: str
        choices: [AFTER_1_DAY, AFTER_7_DAYS, AFTER_14_DAYS, AFTER_30_DAYS, AFTER_60_DAYS, AFTER_90_DAYS,
                  AFTER_180_DAYS, AFTER_270_DAYS, AFTER_365_DAYS]
      transition_to_primary_storage_class:
        description: Move files back to the Standard storage class on their first access.
        type: str
        choices: [AFTER_1_ACCESS]
  mount_targets:
    description:
      - The mount targets, at most one per subnet (EFS allows one per Availability Zone).
      - A target whose O(mount_targets[].ip_address) differs is deleted and created again; moving to another
        subnet is a delete and a create. Deletions are waited for before creations, since a new target in
        the same Availability Zone is refused while the old one exists.
      - Security groups of an existing target are changed in place. They are read (one
        C(DescribeMountTargetSecurityGroups) per target) only for items that set
        O(mount_targets[].security_groups), and only once the target is available.
    type: list
    elements: dict
    suboptions:
      subnet_id:
        description: Subnet of the mount target.
        type: str
        required: true
      security_groups:
        description:
          - Security groups of the mount target's network interface (up to 5), which must allow NFS
            (TCP 2049) from the clients. When unset, EFS uses the VPC's default security group at creation
            and the groups are not compared.
        type: list
        elements: str
      ip_address:
        description: IPv4 address of the mount target in the subnet. EFS picks one when unset.
        type: str
  purge_mount_targets:
    description:
      - Delete mount targets in subnets not listed in O(mount_targets). Only applies when O(mount_targets) is set.
    type: bool
    default: true
  file_system_policy:
    description:
      - The file system (resource) policy.
      - V(secure), the default, is what the EFS console's "Enforce in-transit encryption" and
        "Prevent anonymous access" options write. It denies any access without TLS (C(aws:SecureTransport) false),
        and through mount targets (C(elasticfilesystem:AccessedViaMountTarget)) it allows
        C(elasticfilesystem:ClientWrite) and C(elasticfilesystem:ClientRootAccess) to everyone, but not
        C(elasticfilesystem:ClientMount). So only clients that authenticate with IAM and hold
        C(elasticfilesystem:ClientMount) in their own IAM policy can mount; anonymous NFS clients cannot.
        In EFS an allow to every AWS principal (C(*)) also covers anonymous clients, which is why it
        leaves C(elasticfilesystem:ClientMount) out.
      - For the EKS EFS CSI driver this means volumes mount with the C(tls) (the driver's default) and
        C(iam) mount options (C(mountOptions) of the StorageClass or PersistentVolume), and the IAM roles
        of the CSI node service account and of the controller (which mounts to delete access point
        directories) allow C(elasticfilesystem:ClientMount) (plus C(ClientWrite) and C(ClientRootAccess)
        if the file system policy is replaced).
      - A dict or a JSON string is used as the policy; it is compared with the current policy semantically
        (key order, single values versus lists). Include C(Resource) as the file system ARN, as EFS does.
      - V({}) deletes the policy, which gives every client that can reach a mount target full access.
      - Set it to V(null) to leave the policy alone (it is then neither read nor written).
    type: raw
    default: secure
  bypass_policy_lockout_safety_check:
    description:
      - Skip the check that the new policy does not lock out the caller from changing it later.
    type: bool
    default: false
  backup_policy:
    description:
      - Whether AWS Backup's automatic daily backups of the file system are on.
    type: str
    choices: [enabled, disabled]
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
  - The C(Name) tag is always O(name), also when O(purge_tags=true).
  - A new file system is always waited for until it is C(available) before its policy, lifecycle and mount
    targets are written, since EFS refuses them earlier; this takes seconds. With O(wait=false) the module
    does not wait for mount targets (the slow part), so several tiers can be created side by side.
  - O(kms_key_id) given as an alias or key id is resolved with KMS C(DescribeKey) to compare it with the file
    system's key (C(aws/elasticfilesystem) when unset); a key ARN is compared as it is. Before a new file system
    is created, the key must exist and be C(Enabled) (one C(DescribeKey)).
  - Before mount targets are created or their security groups changed, and before any other write, the
    subnets and security groups must exist, be in the VPC of the other mount targets, and each subnet be in an
    Availability Zone without a mount target (one EC2 C(DescribeSubnets) and one C(DescribeSecurityGroups)).
"""

EXAMPLES = r"""
- name: Elastic, encrypted file system for the EKS EFS CSI driver, in three private subnets
  storagekit.aws.efs_file_system:
    name: shared-data
    kms_key_id: alias/efs
    lifecycle:
      transition_to_ia: AFTER_30_DAYS
      transition_to_archive: AFTER_90_DAYS
      transition_to_primary_storage_class: AFTER_1_ACCESS
    backup_policy: enabled
    mount_targets:
      - subnet_id: subnet-0a1b2c3d4e5f60001
        security_groups: [sg-0123456789abcdef0]
      - subnet_id: subnet-0a1b2c3d4e5f60002
        security_groups: [sg-0123456789abcdef0]
      - subnet_id: subnet-0a1b2c3d4e5f60003
        security_groups: [sg-0123456789abcdef0]
    tags:
      team: platform
    wait: false

- name: Provisioned throughput and a custom policy
  storagekit.aws.efs_file_system:
    name: builds
    throughput_mode: provisioned
    provisioned_throughput_in_mibps: 256
    file_system_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Principal: {AWS: "*"}
          Action: "*"
          Resource: arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0
          Condition: {Bool: {"aws:SecureTransport": "false"}}

- name: Delete the file system, its mount targets first
  storagekit.aws.efs_file_system:
    name: builds
    state: absent
"""

RETURN = r"""
file_system_id:
  description: Id of the file system; absent in check mode before creation and after deletion.
  returned: when the file system exists
  type: str
  sample: fs-0123456789abcdef0
file_system:
  description: The file system after the run (predicted in check mode); empty after deletion.
  returned: always
  type: dict
  contains:
    file_system_id:
      description: Id of the file system.
      type: str
      sample: fs-0123456789abcdef0
    file_system_arn:
      description: ARN of the file system.
      type: str
    name:
      description: Value of the C(Name) tag.
      type: str
    creation_token:
      description: Creation token, the same as the name.
      type: str
    life_cycle_state:
      description: State, for example C(creating) or C(available).
      type: str
    encrypted:
      description: Whether data at rest is encrypted.
      type: bool
    kms_key_id:
      description: ARN of the KMS key, when encrypted.
      type: str
    performance_mode:
      description: Performance mode.
      type: str
    throughput_mode:
      description: Throughput mode.
      type: str
    provisioned_throughput_in_mibps:
      description: Provisioned throughput, in provisioned mode.
      type: float
    number_of_mount_targets:
      description: Number of mount targets EFS reported when the file system was read.
      type: int
    size_in_bytes:
      description: Metered size.
      type: dict
    tags:
      description: Tags.
      type: dict
    lifecycle:
      description: Lifecycle transitions, when managed.
      type: dict
    backup_policy:
      description: C(enabled) or C(disabled), when managed.
      type: str
    policy:
      description: File system policy, when managed; null when there is none.
      type: dict
    mount_targets:
      description: Mount targets, when managed, with their security groups where they were read or set.
      type: list
      elements: dict
"""

import json


from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.efs import desired_tags
from ansible_collections.storagekit.aws.plugins.module_utils.efs import describe_file_system
from ansible_collections.storagekit.aws.plugins.module_utils.efs import lifecycle_policies
from ansible_collections.storagekit.aws.plugins.module_utils.efs import list_mount_targets
from ansible_collections.storagekit.aws.plugins.module_utils.efs import live_mount_targets
from ansible_collections.storagekit.aws.plugins.module_utils.efs import mount_target_network_problems
from ansible_collections.storagekit.aws.plugins.module_utils.efs import normalize_file_system
from ansible_collections.storagekit.aws.plugins.module_utils.efs import normalize_mount_target
from ansible_collections.storagekit.aws.plugins.module_utils.efs import read_backup_policy
from ansible_collections.storagekit.aws.plugins.module_utils.efs import read_file_system_policy
from ansible_collections.storagekit.aws.plugins.module_utils.efs import read_lifecycle
from ansible_collections.storagekit.aws.plugins.module_utils.efs import read_mount_target_security_groups
from ansible_collections.storagekit.aws.plugins.module_utils.efs import tagging_calls
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

TRANSITION_DAYS = ["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS",
                   "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"]
LIFECYCLE_SPEC = dict(
    transition_to_ia=dict(type="str", choices=TRANSITION_DAYS),
    transition_to_archive=dict(type="str", choices=TRANSITION_DAYS),
    transition_to_primary_storage_class=dict(type="str", choices=["AFTER_1_ACCESS"]),
)
MOUNT_TARGET_SPEC = dict(
    subnet_id=dict(type="str", required=True),
    security_groups=dict(type="list", elements="str"),
    ip_address=dict(type="str"),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    encrypted=dict(type="bool"),
    kms_key_id=dict(type="str"),
    performance_mode=dict(type="str", choices=["generalPurpose", "maxIO"]),
    throughput_mode=dict(type="str", choices=["bursting", "elastic", "provisioned"]),
    provisioned_throughput_in_mibps=dict(type="float"),
    lifecycle=dict(type="dict", options=LIFECYCLE_SPEC),
    mount_targets=dict(type="list", elements="dict", options=MOUNT_TARGET_SPEC),
    purge_mount_targets=dict(type="bool", default=True),
    file_system_policy=dict(type="raw", default="secure"),
    bypass_policy_lockout_safety_check=dict(type="bool", default=False),
    backup_policy=dict(type="str", choices=["enabled", "disabled"]),
    **TAG_OPTIONS,
    **wait_options(),
)
DEFAULT_PERFORMANCE_MODE = "generalPurpose"
DEFAULT_THROUGHPUT_MODE = "elastic"
MAX_NAME_LENGTH = 64
MAX_SECURITY_GROUPS = 5
# ClientMount is left out on purpose: granted to {"AWS": "*"}, EFS would let anonymous clients mount.
ACCESS_FOR_EVERY_MOUNTING_CLIENT = ["elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"]


# ---------------------------------------------------------------------------------------------
# Validation and the desired state
# ---------------------------------------------------------------------------------------------


def secure_policy(file_system_arn):
    """TLS only; mounting needs IAM authorization and ClientMount from the client's own IAM policy."""
    statements = [
        dict(
            Sid="DenyInsecureTransport",
            Effect="Deny",
            Principal=dict(AWS="*"),
            Action="*",
            Condition=dict(Bool={"aws:SecureTransport": "false"}),
        ),
        dict(
            Sid="AllowWriteAndRootThroughMountTargets",
            Effect="Allow",
            Principal=dict(AWS="*"),
            Action=ACCESS_FOR_EVERY_MOUNTING_CLIENT,
            Condition=dict(Bool={"elasticfilesystem:AccessedViaMountTarget": "true"}),
        ),
    ]
    if file_system_arn:
        for statement in statements:
            statement["Resource"] = file_system_arn
    return dict(Version="2012-10-17", Statement=statements)


def parse_policy_option(module):
    """O(file_system_policy) as ``secure``, a policy dict, ``{}`` to delete, or None to leave alone."""
    value = module.params["file_system_policy"]
    if value is None or value == "secure" or isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError as e:
            module.fail_json(msg="file_system_policy must be 'secure', a dict or a JSON policy: {0}".format(e))
        if isinstance(parsed, dict):
            return parsed
    module.fail_json(msg="file_system_policy must be 'secure', a dict or a JSON policy document.")


def days(transition):
    return int(transition.split("_")[1])


def option_problems(params):
    """What is wrong with the options, found without any API call."""
    problems = []
    name = params["name"]
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        problems.append("name must have 1 to {0} characters".format(MAX_NAME_LENGTH))
    if params["kms_key_id"] and params["encrypted"] is False:
        problems.append("kms_key_id needs encrypted=true")
    if params["provisioned_throughput_in_mibps"] is not None and params["throughput_mode"] != "provisioned":
        problems.append("provisioned_throughput_in_mibps needs throughput_mode=provisioned")
    lifecycle = params["lifecycle"] or {}
    if lifecycle.get("transition_to_archive"):
        if params["throughput_mode"] not in (None, "elastic"):
            problems.append("lifecycle.transition_to_archive needs throughput_mode=elastic")
        if params["performance_mode"] == "maxIO":
            problems.append("lifecycle.transition_to_archive needs performance_mode=generalPurpose")
        ia = lifecycle.get("transition_to_ia")
        if ia and days(lifecycle["transition_to_archive"]) <= days(ia):
            problems.append("lifecycle.transition_to_archive must come later than lifecycle.transition_to_ia")
    subnets = [t["subnet_id"] for t in params["mount_targets"] or []]
    for subnet in sorted(set(s for s in subnets if subnets.count(s) > 1)):
        problems.append("mount_targets lists subnet {0} more than once".format(subnet))
    for target in params["mount_targets"] or []:
        if len(target["security_groups"] or []) > MAX_SECURITY_GROUPS:
            problems.append("mount target in {0} has more than {1} security groups".format(target["subnet_id"], MAX_SECURITY_GROUPS))
    return problems


def validate_options(module):
    fail_on_problems(module, option_problems(module.params))


def immutable_problems(params, raw, kms_key_arn):
    """The settings that differ from an existing file system but cannot be changed."""
    problems = []
    if params["encrypted"] is not None and params["encrypted"] != bool(raw.get("Encrypted")):
        problems.append("encrypted is {0} on the file system".format(bool(raw.get("Encrypted"))))
    if params["kms_key_id"] and kms_key_arn != raw.get("KmsKeyId"):
        problems.append("kms_key_id is {0} on the file system".format(raw.get("KmsKeyId")))
    if params["performance_mode"] and params["performance_mode"] != raw["PerformanceMode"]:
        problems.append("performance_mode is {0} on the file system".format(raw["PerformanceMode"]))
    lifecycle = params["lifecycle"] or {}
    if lifecycle.get("transition_to_archive"):
        mode = params["throughput_mode"] or raw.get("ThroughputMode")
        if mode != "elastic" or raw["PerformanceMode"] != "generalPurpose":
            problems.append("lifecycle.transition_to_archive needs elastic throughput and generalPurpose performance")
    return problems


def check_mount_target_network(module, items, kept_targets, more_groups=()):
    """Refuse missing subnets or security groups, more than one VPC or two targets in one zone."""
    ec2 = aws_client(module, "ec2")
    problems = mount_target_network_problems(ec2, items, kept_targets, more_groups)
    if problems:
        module.fail_json(msg="mount_targets: {0}.".format("; ".join(problems)))


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class FileSystem:
    """The file system being managed: its latest description, and waiting until EFS accepts changes."""

    def __init__(self, module, client, raw):
        self.module = module
        self.client = client
        self.raw = raw

    @property
    def id(self):
        return self.raw["FileSystemId"] if self.raw else None

    def settle(self):
        """Wait until the file system is ``available``; EFS refuses most changes before."""
        if self.raw["LifeCycleState"] == "available":
            return
        self.raw = wait_until(
            self.module,
            lambda: describe_file_system(self.client, self.raw["CreationToken"]),
            lambda raw: raw is not None and raw["LifeCycleState"] in ("available", "error"),
            self.module.params["wait_timeout"],
            "EFS file system {0} to be available".format(self.id),
        )
        if self.raw["LifeCycleState"] == "error":
            self.module.fail_json(msg="EFS file system {0} is in the error state.".format(self.id))


def create_file_system(module, client, changes, params):
    """Create the file system with every setting CreateFileSystem accepts: ``(description, True)``,
    ``(None, True)`` in check mode, or ``(description, False)`` for the one a concurrent run created first
    (EFS answers a second create with the same CreationToken with FileSystemAlreadyExists)."""
    request = dict(
        CreationToken=params["name"],
        PerformanceMode=params["performance_mode"] or DEFAULT_PERFORMANCE_MODE,
        Encrypted=params["encrypted"] is not False,
        ThroughputMode=params["throughput_mode"] or DEFAULT_THROUGHPUT_MODE,
        Tags=ansible_dict_to_boto3_tag_list(desired_tags(params) or dict(Name=params["name"])),
    )
    if params["kms_key_id"]:
        request["KmsKeyId"] = params["kms_key_id"]
    if request["ThroughputMode"] == "provisioned":
        request["ProvisionedThroughputInMibps"] = params["provisioned_throughput_in_mibps"]
    if params["backup_policy"]:
        request["Backup"] = params["backup_policy"] == "enabled"
    before = dict(name=params["name"], state="absent")
    after = dict(name=params["name"], state="present")

    def write():
        try:
            return client.create_file_system(aws_retry=True, **request), True
        except is_boto3_error_code("FileSystemAlreadyExists"):
            found = describe_file_system(client, params["name"])
            if found is None:
                raise
            return found, False

    return changes.apply("file_system", before, after, write) or (None, True)


def predicted_file_system(params):
    """What check mode reports for a file system it would create."""
    return dict(
        name=params["name"],
        creation_token=params["name"],
        life_cycle_state="available",
        encrypted=params["encrypted"] is not False,
        kms_key_id=params["kms_key_id"],
        performance_mode=params["performance_mode"] or DEFAULT_PERFORMANCE_MODE,
        throughput_mode=params["throughput_mode"] or DEFAULT_THROUGHPUT_MODE,
        provisioned_throughput_in_mibps=params["provisioned_throughput_in_mibps"],
        number_of_mount_targets=0,
        tags=desired_tags(params) or dict(Name=params["name"]),
    )


def apply_throughput(changes, fs, params):
    mode = params["throughput_mode"]
    mibps = params["provisioned_throughput_in_mibps"]
    have = dict(throughput_mode=fs.raw.get("ThroughputMode"))
    if have["throughput_mode"] == "provisioned":
        have["provisioned_throughput_in_mibps"] = fs.raw.get("ProvisionedThroughputInMibps")
    request = {}
    if mode and mode != have["throughput_mode"]:
        request["ThroughputMode"] = mode
    if mode == "provisioned" and (request or mibps != have.get("provisioned_throughput_in_mibps")):
        request["ProvisionedThroughputInMibps"] = mibps
    if not request:
        return
    want = dict(throughput_mode=mode)
    if mode == "provisioned":
        want["provisioned_throughput_in_mibps"] = mibps

    def write():
        fs.settle()
        fs.raw = fs.client.update_file_system(aws_retry=True, FileSystemId=fs.id, **request)

    changes.apply("throughput", have, want, write)


def apply_lifecycle(changes, fs, params, current):
    """Put the lifecycle transitions as a whole; returns them after the run."""
    want = dict(params["lifecycle"])
    have = current if current is not None else read_lifecycle(fs.client, fs.id)
    if want == have:
        return have

    def write():
        fs.settle()
        fs.client.put_lifecycle_configuration(aws_retry=True, FileSystemId=fs.id, LifecyclePolicies=lifecycle_policies(want))

    changes.apply("lifecycle", have, want, write)
    return want


def apply_backup_policy(changes, fs, want, have):
    if have is None:
        have = read_backup_policy(fs.client, fs.id)
    if want == have:
        return have

    def write():
        fs.settle()
        fs.client.put_backup_policy(aws_retry=True, FileSystemId=fs.id, BackupPolicy=dict(Status=want.upper()))

    changes.apply("backup_policy", have, want, write)
    return want


def apply_policy(changes, fs, params, option, have):
    """Put, replace or delete the file system policy; returns it after the run."""
    want = secure_policy(fs.raw and fs.raw.get("FileSystemArn")) if option == "secure" else option or None
    if want is None:
        if have is None:
            return None

        def delete():
            fs.settle()
            fs.client.delete_file_system_policy(aws_retry=True, FileSystemId=fs.id)

        changes.apply("policy", have, None, delete)
        return None
    if have is not None and not compare_policies(have, want):
        return have

    def put():
        fs.settle()
        fs.client.put_file_system_policy(
            aws_retry=True,
            FileSystemId=fs.id,
            Policy=json.dumps(want, sort_keys=True),
            BypassPolicyLockoutSafetyCheck=params["bypass_policy_lockout_safety_check"],
        )

    changes.apply("policy", have, want, put)
    return want


def mount_target_view(target):
    """What the diff shows of a mount target: the settings the user can give."""
    view = dict(subnet_id=target["subnet_id"])
    for key in ("ip_address", "security_groups"):
        if target.get(key) is not None:
            view[key] = sorted(target[key]) if key == "security_groups" else target[key]
    return view


def plan_mount_targets(fs, wanted, raw_targets, purge):
    """Which targets to delete, create, and re-secure, and the security groups read on the way.

    Security groups are read only for kept targets whose item sets them and that are available,
    since EFS reads and changes them only then.
    """
    current = dict((t["SubnetId"], t) for t in live_mount_targets(raw_targets))
    wanted_subnets = set(w["subnet_id"] for w in wanted)
    plan = dict(delete=[], create=[], modify=[], groups={})
    for item in wanted:
        target = current.get(item["subnet_id"])
        if target is None:
            plan["create"].append(item)
        elif item["ip_address"] and item["ip_address"] != target.get("IpAddress"):
            plan["delete"].append(target)
            plan["create"].append(item)
        elif item["security_groups"] is not None and target["LifeCycleState"] == "available":
            groups = read_mount_target_security_groups(fs.client, target["MountTargetId"])
            plan["groups"][target["MountTargetId"]] = groups
            if sorted(groups) != sorted(item["security_groups"]):
                plan["modify"].append((target, item["security_groups"]))
    if purge:
        plan["delete"].extend(t for subnet, t in sorted(current.items()) if subnet not in wanted_subnets)
    return plan


def create_mount_target(fs, request):
    """The new mount target, or the one a concurrent run created in the same subnet first (EFS allows one
    per Availability Zone and answers a second with MountTargetConflict)."""
    try:
        return fs.client.create_mount_target(aws_retry=True, **request)
    except is_boto3_error_code("MountTargetConflict"):
        same = [t for t in live_mount_targets(list_mount_targets(fs.client, fs.id)) if t["SubnetId"] == request["SubnetId"]]
        if not same:
            raise
        return same[0]


def apply_mount_targets(module, changes, fs, params, raw_targets, plan=None):
    """Make the mount targets match O(mount_targets) as ``plan`` says; returns them after the run."""
    if plan is None:
        plan = plan_mount_targets(fs, params["mount_targets"], raw_targets, params["purge_mount_targets"])
    kept = [t for t in live_mount_targets(raw_targets) if t not in plan["delete"]]
    known_groups = dict(plan["groups"])
    known_groups.update((t["MountTargetId"], groups) for t, groups in plan["modify"])
    before = [
        normalize_mount_target(t, plan["groups"].get(t["MountTargetId"])) for t in live_mount_targets(raw_targets)
    ]
    if not (plan["delete"] or plan["create"] or plan["modify"]):
        return before
    created = []

    def write():
        fs.settle()
        for target, groups in plan["modify"]:
            fs.client.modify_mount_target_security_groups(
                aws_retry=True, MountTargetId=target["MountTargetId"], SecurityGroups=groups
            )
        for target in plan["delete"]:
            fs.client.delete_mount_target(aws_retry=True, MountTargetId=target["MountTargetId"])
        if plan["delete"] and plan["create"]:
            deleted = set(t["MountTargetId"] for t in plan["delete"])
            wait_until(
                module,
                lambda: list_mount_targets(fs.client, fs.id),
                lambda targets: not deleted.intersection(t["MountTargetId"] for t in targets),
                module.params["wait_timeout"],
                "the replaced mount targets of {0} to be deleted".format(fs.id),
            )
        for item in plan["create"]:
            request = dict(FileSystemId=fs.id, SubnetId=item["subnet_id"])
            if item["security_groups"] is not None:
                request["SecurityGroups"] = item["security_groups"]
            if item["ip_address"]:
                request["IpAddress"] = item["ip_address"]
            created.append(create_mount_target(fs, request))

    after_views = [mount_target_view(normalize_mount_target(t, known_groups.get(t["MountTargetId"]))) for t in kept]
    after_views += [mount_target_view(without_none(item)) for item in plan["create"]]
    changes.apply(
        "mount_targets",
        [mount_target_view(t) for t in before],
        sorted(after_views, key=lambda v: v["subnet_id"]),
        write,
    )
    if not changes.writes_allowed:
        return changes.after["mount_targets"]
    groups_by_subnet = dict((w["subnet_id"], w["security_groups"]) for w in params["mount_targets"])
    final = kept + created
    if params["wait"] and created:
        final = wait_until(
            module,
            lambda: live_mount_targets(list_mount_targets(fs.client, fs.id)),
            lambda targets: all(t["LifeCycleState"] == "available" for t in targets),
            module.params["wait_timeout"],
            "the mount targets of {0} to be available".format(fs.id),
        )
    return [
        normalize_mount_target(t, known_groups.get(t["MountTargetId"]) or groups_by_subnet.get(t["SubnetId"]))
        for t in sorted(final, key=lambda t: t["SubnetId"])
    ]


def without_none(item):
    return dict((k, v) for k, v in item.items() if v is not None)


# ---------------------------------------------------------------------------------------------
# States
# ---------------------------------------------------------------------------------------------


def ensure_present(module, client, policy_option):
    params = module.params
    changes = ChangeSet(module)
    raw = describe_file_system(client, params["name"])
    created = False
    keys = KmsKeys(module)
    raw_targets, target_plan = [], None
    if raw is None:
        keys.require_usable(params["kms_key_id"])
        if params["mount_targets"]:
            check_mount_target_network(module, params["mount_targets"], [])
        raw, created = create_file_system(module, client, changes, params)
    if not created:
        problems = immutable_problems(params, raw, keys.arn(params["kms_key_id"]))
        if problems:
            module.fail_json(msg="Cannot change EFS file system {0}: {1}.".format(params["name"], "; ".join(problems)))
    fs = FileSystem(module, client, raw)
    if params["mount_targets"] is not None and not created:
        # Planned before any write, so that a bad subnet or security group is refused first.
        raw_targets = list_mount_targets(client, fs.id)
        target_plan = plan_mount_targets(fs, params["mount_targets"], raw_targets, params["purge_mount_targets"])
        more_groups = [g for target, groups in target_plan["modify"] for g in groups]
        if target_plan["create"] or more_groups:
            kept = [t for t in live_mount_targets(raw_targets) if t not in target_plan["delete"]]
            check_mount_target_network(module, target_plan["create"], kept, more_groups)
    result = normalize_file_system(raw) if raw else predicted_file_system(params)

    if not created:
        apply_throughput(changes, fs, params)
    if params["lifecycle"] is not None:
        empty = dict((k, None) for k in LIFECYCLE_SPEC)
        result["lifecycle"] = apply_lifecycle(changes, fs, params, empty if created else None)
    if params["backup_policy"]:
        result["backup_policy"] = apply_backup_policy(changes, fs, params["backup_policy"], params["backup_policy"] if created else None)
    if policy_option is not None:
        have = None if created else read_file_system_policy(client, fs.id)
        result["policy"] = apply_policy(changes, fs, params, policy_option, have)
    if params["mount_targets"] is not None:
        result["mount_targets"] = apply_mount_targets(module, changes, fs, params, raw_targets, target_plan)
    if not created and desired_tags(params) is not None:
        untag, tag = tagging_calls(client, fs.id)
        result["tags"] = apply_tag_changes(changes, result["tags"], desired_tags(params), params["purge_tags"], untag, tag)

    if changes.writes_allowed and fs.raw is not None:
        if params["wait"]:
            fs.settle()
        result.update(normalize_file_system(fs.raw))
        if "tags" in changes.after:
            result["tags"] = changes.after["tags"]
    elif "throughput" in changes.after:
        result.update(changes.after["throughput"])
    values = dict(file_system=result)
    if fs.id:
        values["file_system_id"] = fs.id
    return changes.result(**values)


def ensure_absent(module, client):
    return remove_found(module, "file_system", describe_file_system(client, module.params["name"]), delete_file_system, client)


def delete_file_system(module, changes, raw, client):
    name = module.params["name"]
    fs_id = raw["FileSystemId"]
    timeout = module.params["wait_timeout"]
    if raw["LifeCycleState"] in ("deleting", "deleted"):
        if module.params["wait"] and not module.check_mode:
            wait_until(module, lambda: describe_file_system(client, name), lambda r: r is None, timeout,
                       "EFS file system {0} to be deleted".format(fs_id))
        return
    all_targets = list_mount_targets(client, fs_id)
    targets = live_mount_targets(all_targets)

    def write():
        for target in targets:
            client.delete_mount_target(aws_retry=True, MountTargetId=target["MountTargetId"])
        if all_targets:
            # EFS refuses to delete a file system while any mount target exists, even one being deleted.
            wait_until(module, lambda: list_mount_targets(client, fs_id), lambda t: not t, timeout,
                       "the mount targets of {0} to be deleted".format(fs_id))
        client.delete_file_system(aws_retry=True, FileSystemId=fs_id)
        if module.params["wait"]:
            wait_until(module, lambda: describe_file_system(client, name), lambda r: r is None, timeout,
                       "EFS file system {0} to be deleted".format(fs_id))

    before = dict(name=name, state="present", file_system_id=fs_id, mount_targets=[t["SubnetId"] for t in targets])
    changes.apply("file_system", before, dict(name=name, state="absent"), write)


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC,
        supports_check_mode=True,
        required_if=[("throughput_mode", "provisioned", ["provisioned_throughput_in_mibps"])],
    )
    validate_options(module)
    policy_option = parse_policy_option(module)
    client = aws_client(module, "efs")
    run_state(
        module,
        "EFS file system {0}".format(module.params["name"]),
        lambda module, client: ensure_present(module, client, policy_option),
        ensure_absent,
        client,
    )


if __name__ == "__main__":
    main()
