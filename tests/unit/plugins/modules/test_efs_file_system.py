"""efs_file_system: the exact EFS API calls of create, no-change, update, check mode and delete runs."""

import datetime
import json

from ansible_collections.storagekit.aws.plugins.modules import efs_file_system

NAME = "shared-data"
FS_ID = "fs-0123456789abcdef0"
FS_ARN = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/" + FS_ID
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
SUBNET_A = "subnet-0a1b2c3d4e5f60001"
SUBNET_B = "subnet-0a1b2c3d4e5f60002"
SUBNET_C = "subnet-0a1b2c3d4e5f60003"
SG_NFS = "sg-0123456789abcdef0"
SG_OTHER = "sg-0fedcba9876543210"

# The built-in policy, spelled out here so the test pins what AWS receives.
SECURE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "*",
            "Resource": FS_ARN,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            # No ClientMount: granted to {"AWS": "*"} it would let anonymous clients mount too.
            "Sid": "AllowWriteAndRootThroughMountTargets",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
            "Resource": FS_ARN,
            "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}},
        },
    ],
}

BASE_ARGS = dict(
    name=NAME,
    kms_key_id=KEY_ARN,
    lifecycle=dict(transition_to_ia="AFTER_30_DAYS", transition_to_archive="AFTER_90_DAYS"),
    backup_policy="enabled",
    mount_targets=[
        dict(subnet_id=SUBNET_A, security_groups=[SG_NFS]),
        dict(subnet_id=SUBNET_B, security_groups=[SG_NFS]),
    ],
    tags=dict(team="platform"),
)


def file_system(state="available", tags=None, **extra):
    tags = dict(Name=NAME, team="platform") if tags is None else tags
    raw = dict(
        OwnerId="123456789012",
        CreationToken=NAME,
        FileSystemId=FS_ID,
        FileSystemArn=FS_ARN,
        CreationTime=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        LifeCycleState=state,
        Name=tags.get("Name"),
        NumberOfMountTargets=0,
        SizeInBytes=dict(Value=6144),
        PerformanceMode="generalPurpose",
        Encrypted=True,
        KmsKeyId=KEY_ARN,
        ThroughputMode="elastic",
        Tags=[dict(Key=k, Value=v) for k, v in tags.items()],
    )
    raw.update(extra)
    return raw


def mount_target(subnet, number, state="available", ip=None):
    return dict(
        OwnerId="123456789012",
        MountTargetId="fsmt-000000000000000{0}".format(number),
        FileSystemId=FS_ID,
        SubnetId=subnet,
        LifeCycleState=state,
        IpAddress=ip or "10.0.{0}.10".format(number),
        NetworkInterfaceId="eni-000000000000000{0}".format(number),
        AvailabilityZoneName="us-east-1" + "abcd"[number - 1],
        VpcId="vpc-0123456789abcdef0",
    )


TARGET_A = mount_target(SUBNET_A, 1)
TARGET_B = mount_target(SUBNET_B, 2)


def expect_describe(stubs, raw):
    stubs["efs"].add_response(
        "describe_file_systems", dict(FileSystems=[raw] if raw else []), dict(CreationToken=NAME)
    )


def expect_lifecycle(stubs, **transitions):
    policies = [{key: value} for key, value in transitions.items()]
    stubs["efs"].add_response(
        "describe_lifecycle_configuration", dict(LifecyclePolicies=policies), dict(FileSystemId=FS_ID)
    )


def expect_backup_policy(stubs, status):
    if status is None:
        stubs["efs"].add_client_error(
            "describe_backup_policy", "PolicyNotFound", http_status_code=404, expected_params=dict(FileSystemId=FS_ID)
        )
    else:
        stubs["efs"].add_response(
            "describe_backup_policy", dict(BackupPolicy=dict(Status=status)), dict(FileSystemId=FS_ID)
        )


def expect_policy(stubs, policy):
    if policy is None:
        stubs["efs"].add_client_error(
            "describe_file_system_policy", "PolicyNotFound", http_status_code=404, expected_params=dict(FileSystemId=FS_ID)
        )
    else:
        stubs["efs"].add_response(
            "describe_file_system_policy",
            dict(FileSystemId=FS_ID, Policy=json.dumps(policy)),
            dict(FileSystemId=FS_ID),
        )


def expect_mount_targets(stubs, targets):
    stubs["efs"].add_response("describe_mount_targets", dict(MountTargets=targets), dict(FileSystemId=FS_ID))


def expect_security_groups(stubs, target, groups):
    stubs["efs"].add_response(
        "describe_mount_target_security_groups",
        dict(SecurityGroups=groups),
        dict(MountTargetId=target["MountTargetId"]),
    )


def expect_key(stubs, state="Enabled"):
    """One KMS DescribeKey of the file system's key; ``state`` None: the key does not exist."""
    if state is None:
        stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId=KEY_ARN))
        return
    metadata = dict(KeyId=KEY_ARN.rsplit("/", 1)[1], Arn=KEY_ARN, KeyState=state, Enabled=state == "Enabled")
    stubs["kms"].add_response("describe_key", dict(KeyMetadata=metadata), dict(KeyId=KEY_ARN))


SUBNETS = {
    SUBNET_A: dict(SubnetId=SUBNET_A, VpcId="vpc-0123456789abcdef0", AvailabilityZone="us-east-1a"),
    SUBNET_B: dict(SubnetId=SUBNET_B, VpcId="vpc-0123456789abcdef0", AvailabilityZone="us-east-1b"),
    SUBNET_C: dict(SubnetId=SUBNET_C, VpcId="vpc-0123456789abcdef0", AvailabilityZone="us-east-1c"),
}
GROUPS = {
    SG_NFS: dict(GroupId=SG_NFS, GroupName="nfs", VpcId="vpc-0123456789abcdef0"),
    SG_OTHER: dict(GroupId=SG_OTHER, GroupName="other", VpcId="vpc-0123456789abcdef0"),
}


def expect_network(stubs, subnet_ids, group_ids, subnets=None, groups=None):
    """The EC2 reads that check the subnets and security groups of new or re-secured mount targets."""
    ec2 = stubs["ec2"]
    subnets = SUBNETS if subnets is None else subnets
    groups = GROUPS if groups is None else groups
    if subnet_ids:
        ec2.add_response(
            "describe_subnets",
            dict(Subnets=[subnets[s] for s in sorted(subnet_ids) if s in subnets]),
            dict(Filters=[dict(Name="subnet-id", Values=sorted(subnet_ids))]),
        )
    if group_ids:
        ec2.add_response(
            "describe_security_groups",
            dict(SecurityGroups=[groups[g] for g in sorted(group_ids) if g in groups]),
            dict(Filters=[dict(Name="group-id", Values=sorted(group_ids))]),
        )


def expect_policy_put(stubs, policy, bypass=False):
    stubs["efs"].add_response(
        "put_file_system_policy",
        dict(FileSystemId=FS_ID, Policy=json.dumps(policy, sort_keys=True)),
        dict(FileSystemId=FS_ID, Policy=json.dumps(policy, sort_keys=True), BypassPolicyLockoutSafetyCheck=bypass),
    )


def expect_all_facets(stubs, policy=None, groups=(SG_NFS,)):
    """The reads of a run with BASE_ARGS on an existing file system, in the module's order.

    Mount targets come first: they are planned, and checked when they change, before any write.
    """
    expect_mount_targets(stubs, [TARGET_A, TARGET_B])
    expect_security_groups(stubs, TARGET_A, list(groups))
    expect_security_groups(stubs, TARGET_B, [SG_NFS])
    if list(groups) != [SG_NFS]:
        expect_network(stubs, [], [SG_NFS])
    expect_lifecycle(stubs, TransitionToIA="AFTER_30_DAYS", TransitionToArchive="AFTER_90_DAYS")
    expect_backup_policy(stubs, "ENABLED")
    expect_policy(stubs, SECURE_POLICY if policy is None else policy)


# ---------------------------------------------------------------------------------------------
# Create
# ---------------------------------------------------------------------------------------------


def test_create_sets_everything_createfilesystem_takes_then_waits_to_write_the_facets(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    expect_network(stubs, [SUBNET_A, SUBNET_B], [SG_NFS])
    efs = stubs["efs"]
    efs.add_response(
        "create_file_system",
        dict(file_system(state="creating"), ResponseMetadata=dict(HTTPStatusCode=201)),
        dict(
            CreationToken=NAME,
            PerformanceMode="generalPurpose",
            Encrypted=True,
            KmsKeyId=KEY_ARN,
            ThroughputMode="elastic",
            Backup=True,
            Tags=[dict(Key="team", Value="platform"), dict(Key="Name", Value=NAME)],
        ),
    )
    # EFS refuses lifecycle, policy and mount targets until the file system is available.
    expect_describe(stubs, file_system(state="creating"))
    expect_describe(stubs, file_system())
    efs.add_response(
        "put_lifecycle_configuration",
        dict(LifecyclePolicies=[dict(TransitionToIA="AFTER_30_DAYS"), dict(TransitionToArchive="AFTER_90_DAYS")]),
        dict(
            FileSystemId=FS_ID,
            LifecyclePolicies=[dict(TransitionToIA="AFTER_30_DAYS"), dict(TransitionToArchive="AFTER_90_DAYS")],
        ),
    )
    expect_policy_put(stubs, SECURE_POLICY)
    for target in (TARGET_A, TARGET_B):
        efs.add_response(
            "create_mount_target",
            dict(target, LifeCycleState="creating", ResponseMetadata=dict(HTTPStatusCode=200)),
            dict(FileSystemId=FS_ID, SubnetId=target["SubnetId"], SecurityGroups=[SG_NFS]),
        )
    expect_mount_targets(stubs, [TARGET_A, dict(TARGET_B, LifeCycleState="creating")])
    expect_mount_targets(stubs, [TARGET_A, TARGET_B])
    result = run_module(efs_file_system, BASE_ARGS)
    assert result["changed"] is True
    assert result["file_system_id"] == FS_ID
    fs = result["file_system"]
    assert "response_metadata" not in fs
    assert fs["life_cycle_state"] == "available"
    assert fs["throughput_mode"] == "elastic"
    assert fs["policy"] == SECURE_POLICY
    assert fs["backup_policy"] == "enabled"
    assert fs["lifecycle"]["transition_to_archive"] == "AFTER_90_DAYS"
    assert [(t["subnet_id"], t["security_groups"], t["life_cycle_state"]) for t in fs["mount_targets"]] == [
        (SUBNET_A, [SG_NFS], "available"),
        (SUBNET_B, [SG_NFS], "available"),
    ]
    assert fs["tags"] == dict(Name=NAME, team="platform")


def test_create_with_wait_false_still_settles_the_file_system_but_not_the_mount_targets(stubs, run_module):
    expect_describe(stubs, None)
    expect_network(stubs, [SUBNET_A], [])
    efs = stubs["efs"]
    efs.add_response(
        "create_file_system",
        file_system(state="creating", tags=dict(Name=NAME), ThroughputMode="provisioned", ProvisionedThroughputInMibps=128.0),
        dict(
            CreationToken=NAME,
            PerformanceMode="generalPurpose",
            Encrypted=True,
            ThroughputMode="provisioned",
            ProvisionedThroughputInMibps=128.0,
            Tags=[dict(Key="Name", Value=NAME)],
        ),
    )
    expect_describe(stubs, file_system(tags=dict(Name=NAME), ThroughputMode="provisioned", ProvisionedThroughputInMibps=128.0))
    efs.add_response(
        "create_mount_target",
        dict(TARGET_A, LifeCycleState="creating"),
        dict(FileSystemId=FS_ID, SubnetId=SUBNET_A),
    )
    args = dict(
        name=NAME,
        throughput_mode="provisioned",
        provisioned_throughput_in_mibps=128,
        file_system_policy=None,
        mount_targets=[dict(subnet_id=SUBNET_A)],
        wait=False,
    )
    result = run_module(efs_file_system, args)
    assert result["changed"] is True
    assert result["file_system"]["mount_targets"][0]["life_cycle_state"] == "creating"
    assert result["file_system"]["provisioned_throughput_in_mibps"] == 128.0


def test_the_file_system_another_run_created_meanwhile_is_adopted(stubs, run_module):
    """Both runs found no file system; EFS refuses the second create of the CreationToken."""
    expect_describe(stubs, None)
    expect_key(stubs)
    expect_network(stubs, [SUBNET_A, SUBNET_B], [SG_NFS])
    stubs["efs"].add_client_error(
        "create_file_system", "FileSystemAlreadyExists", http_status_code=409,
        expected_params=dict(
            CreationToken=NAME, PerformanceMode="generalPurpose", Encrypted=True, KmsKeyId=KEY_ARN,
            ThroughputMode="elastic", Backup=True,
            Tags=[dict(Key="team", Value="platform"), dict(Key="Name", Value=NAME)],
        ),
    )
    expect_describe(stubs, file_system(NumberOfMountTargets=2))
    # Then the run goes on as on a file system it found: read each facet, write none that matches.
    expect_all_facets(stubs)
    result = run_module(efs_file_system, BASE_ARGS)
    assert result["changed"] is True
    assert result["file_system_id"] == FS_ID
    assert len(result["file_system"]["mount_targets"]) == 2


def expect_mount_target_conflict(stubs, subnet):
    """A file system without mount targets when read, whose CreateMountTarget in ``subnet`` is refused."""
    expect_describe(stubs, file_system())
    expect_mount_targets(stubs, [])
    expect_network(stubs, [subnet], [])
    stubs["efs"].add_client_error(
        "create_mount_target", "MountTargetConflict", http_status_code=409,
        expected_params=dict(FileSystemId=FS_ID, SubnetId=subnet),
    )


def test_a_mount_target_another_run_created_meanwhile_is_adopted(stubs, run_module):
    """EFS allows one mount target per zone: MountTargetConflict, then the target in the same subnet is kept."""
    expect_mount_target_conflict(stubs, SUBNET_A)
    expect_mount_targets(stubs, [dict(TARGET_A, LifeCycleState="creating")])
    expect_mount_targets(stubs, [TARGET_A])
    result = run_module(efs_file_system, dict(name=NAME, file_system_policy=None, mount_targets=[dict(subnet_id=SUBNET_A)]))
    assert result["changed"] is True
    assert [t["mount_target_id"] for t in result["file_system"]["mount_targets"]] == [TARGET_A["MountTargetId"]]


def test_a_mount_target_conflict_in_another_subnet_of_the_zone_fails(stubs, run_module):
    expect_mount_target_conflict(stubs, SUBNET_C)
    expect_mount_targets(stubs, [TARGET_A])
    result = run_module(
        efs_file_system, dict(name=NAME, file_system_policy=None, mount_targets=[dict(subnet_id=SUBNET_C)]), expect_failure=True
    )
    assert "MountTargetConflict" in str(result)


def test_check_mode_create_makes_only_the_reads_that_check_it_and_predicts_every_facet(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    expect_network(stubs, [SUBNET_A, SUBNET_B], [SG_NFS])
    result = run_module(efs_file_system, BASE_ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert "file_system_id" not in result
    fs = result["file_system"]
    assert fs["encrypted"] is True and fs["performance_mode"] == "generalPurpose"
    assert fs["throughput_mode"] == "elastic"
    after = result["diff"]["after"]
    assert after["file_system"] == dict(name=NAME, state="present")
    assert after["lifecycle"]["transition_to_ia"] == "AFTER_30_DAYS"
    assert after["mount_targets"] == [
        dict(subnet_id=SUBNET_A, security_groups=[SG_NFS]),
        dict(subnet_id=SUBNET_B, security_groups=[SG_NFS]),
    ]
    # The ARN is not known before creation; the rest of the built-in policy is.
    assert [s["Sid"] for s in after["policy"]["Statement"]] == ["DenyInsecureTransport", "AllowWriteAndRootThroughMountTargets"]


# ---------------------------------------------------------------------------------------------
# No change, unset facets
# ---------------------------------------------------------------------------------------------


def test_no_change_run_reads_each_managed_facet_once_and_compares_the_policy_semantically(stubs, run_module):
    expect_describe(stubs, file_system(NumberOfMountTargets=2))
    # The same policy as AWS may hand it back: other key order, one-item lists, Principal "*".
    reordered = json.loads(json.dumps(SECURE_POLICY))
    reordered["Statement"].reverse()
    reordered["Statement"][1]["Action"] = ["*"]
    reordered["Statement"][0]["Action"] = list(reversed(reordered["Statement"][0]["Action"]))
    reordered["Statement"][0]["Principal"] = "*"
    expect_all_facets(stubs, policy=reordered)
    result = run_module(efs_file_system, BASE_ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["file_system_id"] == FS_ID
    assert [t["security_groups"] for t in result["file_system"]["mount_targets"]] == [[SG_NFS], [SG_NFS]]


def test_unset_facets_are_neither_read_nor_written(stubs, run_module):
    expect_describe(stubs, file_system())
    result = run_module(efs_file_system, dict(name=NAME, file_system_policy=None))
    assert result["changed"] is False
    assert "policy" not in result["file_system"] and "mount_targets" not in result["file_system"]


def test_security_groups_are_read_only_for_items_that_set_them(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_mount_targets(stubs, [TARGET_A, TARGET_B])
    expect_security_groups(stubs, TARGET_B, [SG_NFS])
    args = dict(
        name=NAME,
        file_system_policy=None,
        mount_targets=[dict(subnet_id=SUBNET_A), dict(subnet_id=SUBNET_B, security_groups=[SG_NFS])],
    )
    result = run_module(efs_file_system, args)
    assert result["changed"] is False
    assert "security_groups" not in result["file_system"]["mount_targets"][0]


def test_a_target_still_creating_is_not_asked_for_its_security_groups(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_mount_targets(stubs, [dict(TARGET_A, LifeCycleState="creating")])
    args = dict(name=NAME, file_system_policy=None, mount_targets=[dict(subnet_id=SUBNET_A, security_groups=[SG_NFS])], wait=False)
    result = run_module(efs_file_system, args)
    assert result["changed"] is False


# ---------------------------------------------------------------------------------------------
# Drift and updates
# ---------------------------------------------------------------------------------------------


def test_check_mode_drift_predicts_every_change_without_writing(stubs, run_module):
    expect_describe(stubs, file_system(tags=dict(Name=NAME, team="other"), ThroughputMode="bursting"))
    expect_mount_targets(stubs, [TARGET_A])
    expect_security_groups(stubs, TARGET_A, [SG_OTHER])
    expect_network(stubs, [SUBNET_B], [SG_NFS])
    expect_lifecycle(stubs, TransitionToIA="AFTER_7_DAYS")
    expect_backup_policy(stubs, None)
    expect_policy(stubs, None)
    args = dict(BASE_ARGS, throughput_mode="elastic")
    result = run_module(efs_file_system, args, check_mode=True, diff=True)
    assert result["changed"] is True
    assert sorted(result["diff"]["after"]) == ["backup_policy", "lifecycle", "mount_targets", "policy", "tags", "throughput"]
    assert result["diff"]["before"]["throughput"] == dict(throughput_mode="bursting")
    assert result["file_system"]["throughput_mode"] == "elastic"
    assert result["file_system"]["tags"] == dict(Name=NAME, team="platform")


def test_throughput_mode_change_is_an_update_and_is_waited_for(stubs, run_module):
    expect_describe(stubs, file_system())
    efs = stubs["efs"]
    efs.add_response(
        "update_file_system",
        file_system(state="updating", ThroughputMode="provisioned", ProvisionedThroughputInMibps=256.0),
        dict(FileSystemId=FS_ID, ThroughputMode="provisioned", ProvisionedThroughputInMibps=256.0),
    )
    expect_describe(stubs, file_system(ThroughputMode="provisioned", ProvisionedThroughputInMibps=256.0))
    args = dict(name=NAME, throughput_mode="provisioned", provisioned_throughput_in_mibps=256, file_system_policy=None)
    result = run_module(efs_file_system, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["throughput"] == dict(throughput_mode="provisioned", provisioned_throughput_in_mibps=256.0)
    assert result["file_system"]["life_cycle_state"] == "available"


def test_provisioned_throughput_change_sends_only_the_new_throughput(stubs, run_module):
    expect_describe(stubs, file_system(ThroughputMode="provisioned", ProvisionedThroughputInMibps=128.0))
    stubs["efs"].add_response(
        "update_file_system",
        file_system(state="updating", ThroughputMode="provisioned", ProvisionedThroughputInMibps=512.0),
        dict(FileSystemId=FS_ID, ProvisionedThroughputInMibps=512.0),
    )
    args = dict(name=NAME, throughput_mode="provisioned", provisioned_throughput_in_mibps=512, file_system_policy=None, wait=False)
    result = run_module(efs_file_system, args)
    assert result["changed"] is True


def test_lifecycle_is_written_as_a_whole_and_empty_removes_it(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_lifecycle(stubs, TransitionToIA="AFTER_30_DAYS", TransitionToPrimaryStorageClass="AFTER_1_ACCESS")
    stubs["efs"].add_response(
        "put_lifecycle_configuration", dict(LifecyclePolicies=[]), dict(FileSystemId=FS_ID, LifecyclePolicies=[])
    )
    result = run_module(efs_file_system, dict(name=NAME, lifecycle={}, file_system_policy=None), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["lifecycle"]["transition_to_primary_storage_class"] == "AFTER_1_ACCESS"
    assert result["file_system"]["lifecycle"] == dict(
        transition_to_ia=None, transition_to_archive=None, transition_to_primary_storage_class=None
    )


def test_backup_policy_is_enabled(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_backup_policy(stubs, "DISABLED")
    stubs["efs"].add_response(
        "put_backup_policy",
        dict(BackupPolicy=dict(Status="ENABLING")),
        dict(FileSystemId=FS_ID, BackupPolicy=dict(Status="ENABLED")),
    )
    result = run_module(efs_file_system, dict(name=NAME, backup_policy="enabled", file_system_policy=None))
    assert result["changed"] is True
    assert result["file_system"]["backup_policy"] == "enabled"


def test_secure_default_policy_is_put_where_none_exists(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_policy(stubs, None)
    expect_policy_put(stubs, SECURE_POLICY)
    result = run_module(efs_file_system, dict(name=NAME), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["policy"] is None
    assert result["file_system"]["policy"] == SECURE_POLICY


def test_custom_policy_as_json_replaces_the_current_one_with_the_bypass_flag(stubs, run_module):
    custom = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:role/efs-csi-node"},
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                "Resource": FS_ARN,
            }
        ],
    }
    expect_describe(stubs, file_system())
    expect_policy(stubs, SECURE_POLICY)
    expect_policy_put(stubs, custom, bypass=True)
    args = dict(name=NAME, file_system_policy=json.dumps(custom), bypass_policy_lockout_safety_check=True)
    result = run_module(efs_file_system, args)
    assert result["changed"] is True
    assert result["file_system"]["policy"] == custom


def test_empty_policy_deletes_it(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_policy(stubs, SECURE_POLICY)
    stubs["efs"].add_response("delete_file_system_policy", {}, dict(FileSystemId=FS_ID))
    result = run_module(efs_file_system, dict(name=NAME, file_system_policy={}))
    assert result["changed"] is True
    assert result["file_system"]["policy"] is None


def test_tags_are_put_right_with_tag_and_untag_and_the_name_tag_is_kept(stubs, run_module):
    expect_describe(stubs, file_system(tags=dict(Name=NAME, team="other", stale="x")))
    efs = stubs["efs"]
    efs.add_response("untag_resource", {}, dict(ResourceId=FS_ID, TagKeys=["stale"]))
    efs.add_response("tag_resource", {}, dict(ResourceId=FS_ID, Tags=[dict(Key="team", Value="platform")]))
    result = run_module(efs_file_system, dict(name=NAME, tags=dict(team="platform"), file_system_policy=None), diff=True)
    assert result["changed"] is True
    assert result["file_system"]["tags"] == dict(Name=NAME, team="platform")
    assert result["diff"]["before"]["tags"]["stale"] == "x"


# ---------------------------------------------------------------------------------------------
# Mount targets
# ---------------------------------------------------------------------------------------------


def test_mount_targets_are_added_removed_and_resecured(stubs, run_module):
    expect_describe(stubs, file_system(NumberOfMountTargets=2))
    expect_mount_targets(stubs, [TARGET_A, TARGET_B])
    expect_security_groups(stubs, TARGET_A, [SG_OTHER])
    expect_network(stubs, [SUBNET_C], [SG_NFS])
    efs = stubs["efs"]
    efs.add_response(
        "modify_mount_target_security_groups", {}, dict(MountTargetId=TARGET_A["MountTargetId"], SecurityGroups=[SG_NFS])
    )
    efs.add_response("delete_mount_target", {}, dict(MountTargetId=TARGET_B["MountTargetId"]))
    # A new target may share the Availability Zone of a deleted one: creations wait for deletions.
    expect_mount_targets(stubs, [TARGET_A])
    target_c = mount_target(SUBNET_C, 3)
    efs.add_response(
        "create_mount_target",
        dict(target_c, LifeCycleState="creating"),
        dict(FileSystemId=FS_ID, SubnetId=SUBNET_C, SecurityGroups=[SG_NFS]),
    )
    args = dict(
        name=NAME,
        file_system_policy=None,
        mount_targets=[dict(subnet_id=SUBNET_A, security_groups=[SG_NFS]), dict(subnet_id=SUBNET_C, security_groups=[SG_NFS])],
        wait=False,
    )
    result = run_module(efs_file_system, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["mount_targets"] == [
        dict(subnet_id=SUBNET_A, ip_address="10.0.1.10", security_groups=[SG_OTHER]),
        dict(subnet_id=SUBNET_B, ip_address="10.0.2.10"),
    ]
    assert result["diff"]["after"]["mount_targets"] == [
        dict(subnet_id=SUBNET_A, ip_address="10.0.1.10", security_groups=[SG_NFS]),
        dict(subnet_id=SUBNET_C, security_groups=[SG_NFS]),
    ]
    assert [t["subnet_id"] for t in result["file_system"]["mount_targets"]] == [SUBNET_A, SUBNET_C]


def test_unlisted_mount_targets_are_kept_without_purge(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_mount_targets(stubs, [TARGET_A, TARGET_B])
    args = dict(name=NAME, file_system_policy=None, mount_targets=[dict(subnet_id=SUBNET_A)], purge_mount_targets=False)
    result = run_module(efs_file_system, args)
    assert result["changed"] is False


def test_a_new_ip_address_deletes_the_target_waits_until_gone_then_creates_it(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_mount_targets(stubs, [TARGET_A])
    expect_network(stubs, [SUBNET_A], [])
    efs = stubs["efs"]
    efs.add_response("delete_mount_target", {}, dict(MountTargetId=TARGET_A["MountTargetId"]))
    expect_mount_targets(stubs, [dict(TARGET_A, LifeCycleState="deleting")])
    expect_mount_targets(stubs, [])
    moved = mount_target(SUBNET_A, 4, ip="10.0.1.99")
    efs.add_response(
        "create_mount_target",
        dict(moved, LifeCycleState="creating"),
        dict(FileSystemId=FS_ID, SubnetId=SUBNET_A, IpAddress="10.0.1.99"),
    )
    expect_mount_targets(stubs, [moved])
    args = dict(name=NAME, file_system_policy=None, mount_targets=[dict(subnet_id=SUBNET_A, ip_address="10.0.1.99")])
    result = run_module(efs_file_system, args)
    assert result["changed"] is True
    assert result["file_system"]["mount_targets"][0]["ip_address"] == "10.0.1.99"
    assert result["file_system"]["mount_targets"][0]["life_cycle_state"] == "available"


def test_check_mode_mount_target_changes_make_no_write(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_mount_targets(stubs, [TARGET_A, TARGET_B])
    expect_security_groups(stubs, TARGET_A, [SG_OTHER])
    expect_network(stubs, [], [SG_NFS])
    args = dict(name=NAME, file_system_policy=None, mount_targets=[dict(subnet_id=SUBNET_A, security_groups=[SG_NFS])])
    result = run_module(efs_file_system, args, check_mode=True)
    assert result["changed"] is True
    assert result["file_system"]["mount_targets"] == [dict(subnet_id=SUBNET_A, ip_address="10.0.1.10", security_groups=[SG_NFS])]


# ---------------------------------------------------------------------------------------------
# Refusals before any write
# ---------------------------------------------------------------------------------------------


def test_create_with_a_disabled_key_is_refused_before_createfilesystem(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs, "Disabled")
    result = run_module(efs_file_system, BASE_ARGS, expect_failure=True)
    assert result["msg"] == "kms_key_id: KMS key {0} is Disabled; the key must be Enabled.".format(KEY_ARN)


def test_create_with_a_subnet_that_does_not_exist_is_refused_before_createfilesystem(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    expect_network(stubs, [SUBNET_A, SUBNET_B], [SG_NFS], subnets={SUBNET_A: SUBNETS[SUBNET_A]})
    result = run_module(efs_file_system, BASE_ARGS, expect_failure=True)
    assert result["msg"] == "mount_targets: subnet {0} was not found.".format(SUBNET_B)


def test_create_with_a_missing_security_group_is_refused(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    expect_network(stubs, [SUBNET_A, SUBNET_B], [SG_NFS], groups={})
    result = run_module(efs_file_system, BASE_ARGS, expect_failure=True)
    assert result["msg"] == "mount_targets: security group {0} was not found.".format(SG_NFS)


def test_subnets_of_two_vpcs_are_refused(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    other = dict(SUBNETS[SUBNET_B], VpcId="vpc-0ffffffffffffffff")
    expect_network(stubs, [SUBNET_A, SUBNET_B], [SG_NFS], subnets={SUBNET_A: SUBNETS[SUBNET_A], SUBNET_B: other})
    result = run_module(efs_file_system, BASE_ARGS, expect_failure=True)
    assert result["msg"] == (
        "mount_targets: all mount targets must be in one VPC, but subnet {0} is in vpc-0123456789abcdef0, "
        "subnet {1} is in vpc-0ffffffffffffffff.".format(SUBNET_A, SUBNET_B)
    )


def test_a_security_group_of_another_vpc_is_refused(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    foreign = dict(GROUPS[SG_NFS], VpcId="vpc-0ffffffffffffffff")
    expect_network(stubs, [SUBNET_A, SUBNET_B], [SG_NFS], groups={SG_NFS: foreign})
    result = run_module(efs_file_system, BASE_ARGS, expect_failure=True)
    assert result["msg"] == (
        "mount_targets: security group {0} is in vpc-0ffffffffffffffff, not in the VPC of the mount targets.".format(SG_NFS)
    )


def test_two_subnets_in_one_zone_are_refused(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    same_zone = dict(SUBNETS[SUBNET_B], AvailabilityZone="us-east-1a")
    expect_network(stubs, [SUBNET_A, SUBNET_B], [SG_NFS], subnets={SUBNET_A: SUBNETS[SUBNET_A], SUBNET_B: same_zone})
    result = run_module(efs_file_system, BASE_ARGS, expect_failure=True)
    assert result["msg"] == (
        "mount_targets: one mount target per Availability Zone: subnet {0} and subnet {1} are both in us-east-1a.".format(
            SUBNET_B, SUBNET_A)
    )


def test_a_new_subnet_in_the_zone_of_a_kept_target_is_refused_before_any_write(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_mount_targets(stubs, [TARGET_A])
    expect_network(stubs, [SUBNET_C], [], subnets={SUBNET_C: dict(SUBNETS[SUBNET_C], AvailabilityZone="us-east-1a")})
    args = dict(name=NAME, mount_targets=[dict(subnet_id=SUBNET_A), dict(subnet_id=SUBNET_C)])
    result = run_module(efs_file_system, args, expect_failure=True)
    assert result["msg"] == (
        "mount_targets: one mount target per Availability Zone: subnet {0} and mount target {1} are both in "
        "us-east-1a.".format(SUBNET_C, TARGET_A["MountTargetId"])
    )


def test_a_different_kms_alias_is_resolved_and_refused_before_any_write(stubs, run_module):
    expect_describe(stubs, file_system())
    other_key = KEY_ARN.replace("5555", "6666")
    stubs["kms"].add_response(
        "describe_key",
        dict(KeyMetadata=dict(KeyId="11111111-2222-3333-4444-666666666666", Arn=other_key)),
        dict(KeyId="alias/other"),
    )
    result = run_module(efs_file_system, dict(BASE_ARGS, kms_key_id="alias/other"), expect_failure=True)
    assert "kms_key_id is {0}".format(KEY_ARN) in result["msg"]


def test_performance_mode_and_encryption_changes_are_refused_together(stubs, run_module):
    expect_describe(stubs, file_system())
    args = dict(name=NAME, performance_mode="maxIO", encrypted=False)
    result = run_module(efs_file_system, args, expect_failure=True)
    assert "performance_mode is generalPurpose" in result["msg"]
    assert "encrypted is True" in result["msg"]


def test_archive_on_a_bursting_file_system_is_refused_before_any_write(stubs, run_module):
    expect_describe(stubs, file_system(ThroughputMode="bursting"))
    args = dict(name=NAME, lifecycle=dict(transition_to_archive="AFTER_90_DAYS"))
    result = run_module(efs_file_system, args, expect_failure=True)
    assert "needs elastic throughput" in result["msg"]


def test_bad_options_fail_before_any_call(stubs, run_module):
    args = dict(
        name=NAME,
        throughput_mode="bursting",
        lifecycle=dict(transition_to_ia="AFTER_90_DAYS", transition_to_archive="AFTER_30_DAYS"),
        mount_targets=[dict(subnet_id=SUBNET_A), dict(subnet_id=SUBNET_A)],
        kms_key_id=KEY_ARN,
        encrypted=False,
    )
    result = run_module(efs_file_system, args, expect_failure=True)
    for problem in (
        "kms_key_id needs encrypted=true",
        "transition_to_archive needs throughput_mode=elastic",
        "must come later than lifecycle.transition_to_ia",
        "lists subnet {0} more than once".format(SUBNET_A),
    ):
        assert problem in result["msg"]
    assert stubs.clients == {}


def test_a_policy_that_is_not_a_document_fails_before_any_call(stubs, run_module):
    result = run_module(efs_file_system, dict(name=NAME, file_system_policy="not json"), expect_failure=True)
    assert "file_system_policy must be" in result["msg"]
    assert stubs.clients == {}


# ---------------------------------------------------------------------------------------------
# Delete
# ---------------------------------------------------------------------------------------------


def test_delete_removes_mount_targets_waits_for_them_then_deletes_and_waits(stubs, run_module):
    expect_describe(stubs, file_system(NumberOfMountTargets=2))
    efs = stubs["efs"]
    expect_mount_targets(stubs, [TARGET_A, TARGET_B])
    efs.add_response("delete_mount_target", {}, dict(MountTargetId=TARGET_A["MountTargetId"]))
    efs.add_response("delete_mount_target", {}, dict(MountTargetId=TARGET_B["MountTargetId"]))
    expect_mount_targets(stubs, [dict(TARGET_A, LifeCycleState="deleting"), dict(TARGET_B, LifeCycleState="deleting")])
    expect_mount_targets(stubs, [])
    efs.add_response("delete_file_system", {}, dict(FileSystemId=FS_ID))
    expect_describe(stubs, file_system(state="deleting"))
    expect_describe(stubs, None)
    result = run_module(efs_file_system, dict(name=NAME, state="absent"), diff=True)
    assert result["changed"] is True
    assert result["file_system"] == {}
    assert result["diff"]["before"]["file_system"]["mount_targets"] == [SUBNET_A, SUBNET_B]


def test_delete_without_wait_still_waits_for_the_mount_targets(stubs, run_module):
    expect_describe(stubs, file_system(NumberOfMountTargets=1))
    efs = stubs["efs"]
    expect_mount_targets(stubs, [TARGET_A])
    efs.add_response("delete_mount_target", {}, dict(MountTargetId=TARGET_A["MountTargetId"]))
    expect_mount_targets(stubs, [])
    efs.add_response("delete_file_system", {}, dict(FileSystemId=FS_ID))
    result = run_module(efs_file_system, dict(name=NAME, state="absent", wait=False))
    assert result["changed"] is True


def test_check_mode_delete_only_reads(stubs, run_module):
    expect_describe(stubs, file_system())
    expect_mount_targets(stubs, [TARGET_A])
    result = run_module(efs_file_system, dict(name=NAME, state="absent"), check_mode=True)
    assert result["changed"] is True


def test_delete_of_a_missing_file_system_changes_nothing(stubs, run_module):
    expect_describe(stubs, None)
    result = run_module(efs_file_system, dict(name=NAME, state="absent"))
    assert result["changed"] is False
