# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading EFS file systems, their facets and access points into the shape of the module options.

Each facet that lives behind its own API call (lifecycle, backup policy, file system policy,
mount targets and their security groups) has its own reader, so a module reads only the facets
the user manages. Tags come with DescribeFileSystems and DescribeAccessPoints; the legacy
DescribeTags call is never used.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.reading import first_described

# Lifecycle option name, API key. PutLifecycleConfiguration takes one transition per LifecyclePolicy.
LIFECYCLE_TRANSITIONS = (
    ("transition_to_ia", "TransitionToIA"),
    ("transition_to_archive", "TransitionToArchive"),
    ("transition_to_primary_storage_class", "TransitionToPrimaryStorageClass"),
)
GONE_STATES = ("deleting", "deleted")
NOT_SETTINGS = ("Tags", "ResponseMetadata")


def _settings(raw):
    """A description without its tag list and, for a create or update answer, the HTTP metadata."""
    return dict((k, v) for k, v in raw.items() if k not in NOT_SETTINGS)


def describe_file_system(client, creation_token):
    """The raw FileSystemDescription with this creation token, or None."""
    systems = client.describe_file_systems(aws_retry=True, CreationToken=creation_token)["FileSystems"]
    return systems[0] if systems else None


def normalize_file_system(raw):
    """The file system as snake_case settings, with tags as a dict."""
    fs = camel_dict_to_snake_dict(_settings(raw))
    fs["tags"] = boto3_tag_list_to_ansible_dict(raw.get("Tags") or [])
    fs["encrypted"] = bool(raw.get("Encrypted"))
    return fs


def list_mount_targets(client, file_system_id):
    """The raw mount targets of a file system, following NextMarker."""
    return all_items(client.describe_mount_targets, "MountTargets", "NextMarker", "Marker", FileSystemId=file_system_id)


def live_mount_targets(raw_targets):
    """The mount targets that are not being deleted."""
    return [t for t in raw_targets if t["LifeCycleState"] not in GONE_STATES]


def normalize_mount_target(raw, security_groups=None):
    target = camel_dict_to_snake_dict(_settings(raw))
    if security_groups is not None:
        target["security_groups"] = sorted(security_groups)
    return target


def read_mount_target_security_groups(client, mount_target_id):
    return client.describe_mount_target_security_groups(aws_retry=True, MountTargetId=mount_target_id)["SecurityGroups"]


def read_lifecycle(client, file_system_id):
    """The lifecycle transitions as a dict of the three lifecycle options (None when not set)."""
    policies = client.describe_lifecycle_configuration(aws_retry=True, FileSystemId=file_system_id)
    merged = {}
    for policy in policies.get("LifecyclePolicies") or []:
        merged.update(policy)
    return dict((option, merged.get(key)) for option, key in LIFECYCLE_TRANSITIONS)


def lifecycle_policies(lifecycle):
    """The LifecyclePolicies of PutLifecycleConfiguration: one transition per item, none to remove all."""
    return [{key: lifecycle[option]} for option, key in LIFECYCLE_TRANSITIONS if lifecycle.get(option)]


def read_backup_policy(client, file_system_id):
    """V(enabled) or V(disabled); a file system without a backup policy has automatic backups disabled."""
    try:
        status = client.describe_backup_policy(aws_retry=True, FileSystemId=file_system_id)["BackupPolicy"]["Status"]
    except is_boto3_error_code("PolicyNotFound"):
        return "disabled"
    return "enabled" if status in ("ENABLED", "ENABLING") else "disabled"


def read_file_system_policy(client, file_system_id):
    """The file system policy as a dict, or None when the file system has none."""
    try:
        policy = client.describe_file_system_policy(aws_retry=True, FileSystemId=file_system_id).get("Policy")
    except is_boto3_error_code("PolicyNotFound"):
        return None
    return json.loads(policy) if policy else None


def desired_tags(params):
    """The tags to manage, always with the Name tag; None when tags are not managed."""
    if params["tags"] is None:
        return None
    tags = dict((k, str(v)) for k, v in params["tags"].items())
    tags["Name"] = params["name"]
    return tags


def list_access_points(client, file_system_id):
    """The raw access points of a file system, following NextToken."""
    return all_items(client.describe_access_points, "AccessPoints", FileSystemId=file_system_id)


def describe_access_point(client, access_point_id):
    """The raw access point, or None once it is gone."""
    return first_described(client.describe_access_points, "AccessPoints", "AccessPointNotFound", AccessPointId=access_point_id)


def normalize_access_point(raw):
    """The access point as snake_case settings, with tags as a dict."""
    point = camel_dict_to_snake_dict(_settings(raw))
    point["tags"] = boto3_tag_list_to_ansible_dict(raw.get("Tags") or [])
    return point


def tagging_calls(client, resource_id):
    """The ``untag(keys)`` and ``tag(tags)`` calls apply_tag_changes needs, for one EFS resource."""

    def untag(keys):
        client.untag_resource(aws_retry=True, ResourceId=resource_id, TagKeys=list(keys))

    def tag(tags):
        client.tag_resource(
            aws_retry=True, ResourceId=resource_id, Tags=[dict(Key=k, Value=v) for k, v in sorted(tags.items())]
        )

    return untag, tag


def mount_target_network_problems(ec2, items, kept_targets, more_groups=()):
    """What AWS would refuse in the subnets and security groups of the mount targets to create or re-secure.

    ``items`` are the O(mount_targets) entries to create, ``kept_targets`` the raw mount targets that
    stay, ``more_groups`` the security groups about to be set on kept targets. One
    DescribeSubnets and at most one DescribeSecurityGroups call: filters answer with the ones that
    exist instead of failing at the first missing id.
    """
    problems = []
    subnet_ids = sorted(set(i["subnet_id"] for i in items))
    group_ids = sorted(set(g for i in items for g in i["security_groups"] or []).union(more_groups))
    subnets = {}
    if subnet_ids:
        found = ec2.describe_subnets(aws_retry=True, Filters=[dict(Name="subnet-id", Values=subnet_ids)])["Subnets"]
        subnets = dict((s["SubnetId"], s) for s in found)
    groups = {}
    if group_ids:
        found = ec2.describe_security_groups(aws_retry=True, Filters=[dict(Name="group-id", Values=group_ids)])
        groups = dict((g["GroupId"], g) for g in found["SecurityGroups"])
    problems += ["subnet {0} was not found".format(s) for s in subnet_ids if s not in subnets]
    problems += ["security group {0} was not found".format(g) for g in group_ids if g not in groups]
    vpcs = {}
    for target in kept_targets:
        vpcs.setdefault(target.get("VpcId"), "mount target " + target["MountTargetId"])
    for subnet in sorted(subnets.values(), key=lambda s: s["SubnetId"]):
        vpcs.setdefault(subnet["VpcId"], "subnet " + subnet["SubnetId"])
    vpcs.pop(None, None)
    if len(vpcs) > 1:
        problems.append("all mount targets must be in one VPC, but " + ", ".join(
            "{0} is in {1}".format(what, vpc) for vpc, what in sorted(vpcs.items())))
    for group in sorted(groups.values(), key=lambda g: g["GroupId"]):
        if vpcs and group["VpcId"] not in vpcs:
            problems.append("security group {0} is in {1}, not in the VPC of the mount targets".format(
                group["GroupId"], group["VpcId"]))
    zones = dict((t.get("AvailabilityZoneName"), "mount target " + t["MountTargetId"]) for t in kept_targets)
    for subnet_id in subnet_ids:
        zone = (subnets.get(subnet_id) or {}).get("AvailabilityZone")
        if zone is None:
            continue
        if zone in zones:
            problems.append("one mount target per Availability Zone: subnet {0} and {1} are both in {2}".format(
                subnet_id, zones[zone], zone))
        zones[zone] = "subnet " + subnet_id
    return problems
