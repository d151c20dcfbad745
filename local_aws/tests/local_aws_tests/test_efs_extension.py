"""What the project adds to moto's EFS: UpdateFileSystem, policies, access point and tag checks,
and the file system / mount target latency."""

import json
import time

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}]})


@pytest.fixture
def efs(aws, boto3_client):
    assert_local(aws)
    return boto3_client("efs", attempts=1)


@pytest.fixture
def ec2(boto3_client):
    return boto3_client("ec2", attempts=1)


@pytest.fixture
def network(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="efs", Description="efs", VpcId=vpc)["GroupId"]
    return subnet, group


def create(efs, token="data", **kwargs):
    return efs.create_file_system(CreationToken=token, Encrypted=True, **kwargs)["FileSystemId"]


def state(efs, file_system_id):
    return efs.describe_file_systems(FileSystemId=file_system_id)["FileSystems"][0]["LifeCycleState"]


def test_elastic_throughput_and_update_file_system(efs):
    fs = create(efs, ThroughputMode="elastic")
    assert efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]["ThroughputMode"] == "elastic"
    updated = efs.update_file_system(FileSystemId=fs, ThroughputMode="provisioned", ProvisionedThroughputInMibps=64)
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (updated["ThroughputMode"], updated["ProvisionedThroughputInMibps"]) == ("provisioned", 64)
    described = efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]
    assert (described["ThroughputMode"], described["ProvisionedThroughputInMibps"]) == ("provisioned", 64)
    assert efs.update_file_system(FileSystemId=fs, ProvisionedThroughputInMibps=128)["ProvisionedThroughputInMibps"] == 128
    back = efs.update_file_system(FileSystemId=fs, ThroughputMode="bursting")
    assert back["ThroughputMode"] == "bursting" and "ProvisionedThroughputInMibps" not in back


@pytest.mark.parametrize("kwargs", [
    {"ThroughputMode": "fastest"},
    {"ThroughputMode": "provisioned"},
    {"ThroughputMode": "bursting", "ProvisionedThroughputInMibps": 10},
    {"ThroughputMode": "elastic", "PerformanceMode": "maxIO"},
])
def test_throughput_settings_aws_refuses(efs, kwargs):
    with pytest.raises(ClientError) as error:
        create(efs, **kwargs)
    assert error_code(error) == "BadRequest"
    assert efs.describe_file_systems()["FileSystems"] == []


def test_update_file_system_errors(efs):
    fs = create(efs)
    with pytest.raises(ClientError) as error:
        efs.update_file_system(FileSystemId=fs, ThroughputMode="provisioned")
    assert error_code(error) == "BadRequest"
    with pytest.raises(ClientError) as error:
        efs.update_file_system(FileSystemId="fs-0123456789abcdef0", ThroughputMode="elastic")
    assert error_code(error) == "FileSystemNotFound"


def test_file_system_policy(efs):
    fs = create(efs)
    with pytest.raises(ClientError) as error:
        efs.describe_file_system_policy(FileSystemId=fs)
    assert error_code(error) == "PolicyNotFound"
    with pytest.raises(ClientError) as error:
        efs.put_file_system_policy(FileSystemId=fs, Policy="{not json")
    assert error_code(error) == "InvalidPolicyException"
    efs.put_file_system_policy(FileSystemId=fs, Policy=POLICY)
    assert json.loads(efs.describe_file_system_policy(FileSystemId=fs)["Policy"]) == json.loads(POLICY)
    efs.delete_file_system_policy(FileSystemId=fs)
    with pytest.raises(ClientError) as error:
        efs.describe_file_system_policy(FileSystemId=fs)
    assert error_code(error) == "PolicyNotFound"
    with pytest.raises(ClientError) as error:
        efs.describe_file_system_policy(FileSystemId="fs-0123456789abcdef0")
    assert error_code(error) == "FileSystemNotFound"


def test_backup_policy(efs):
    fs = create(efs)
    with pytest.raises(ClientError) as error:
        efs.describe_backup_policy(FileSystemId=fs)
    assert error_code(error) == "PolicyNotFound"
    assert efs.put_backup_policy(FileSystemId=fs, BackupPolicy={"Status": "ENABLED"})["BackupPolicy"]["Status"] == "ENABLED"
    assert efs.describe_backup_policy(FileSystemId=fs)["BackupPolicy"]["Status"] == "ENABLED"
    efs.put_backup_policy(FileSystemId=fs, BackupPolicy={"Status": "DISABLED"})
    assert efs.describe_backup_policy(FileSystemId=fs)["BackupPolicy"]["Status"] == "DISABLED"
    assert efs.describe_backup_policy(FileSystemId=create(efs, "other", Backup=True))["BackupPolicy"]["Status"] == "ENABLED"
    with pytest.raises(ClientError) as error:
        efs.describe_backup_policy(FileSystemId="fs-0123456789abcdef0")
    assert error_code(error) == "FileSystemNotFound"


def test_lifecycle_configuration_with_archive_rules(efs):
    fs = create(efs)
    policies = [{"TransitionToIA": "AFTER_30_DAYS"}, {"TransitionToArchive": "AFTER_90_DAYS"},
                {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}]
    assert efs.put_lifecycle_configuration(FileSystemId=fs, LifecyclePolicies=policies)["LifecyclePolicies"] == policies
    assert efs.describe_lifecycle_configuration(FileSystemId=fs)["LifecyclePolicies"] == policies
    for bad in ([{"TransitionToIA": "AFTER_30_DAYS", "TransitionToArchive": "AFTER_90_DAYS"}],
                [{"TransitionToIA": "AFTER_30_DAYS"}, {"TransitionToIA": "AFTER_7_DAYS"}]):
        with pytest.raises(ClientError) as error:
            efs.put_lifecycle_configuration(FileSystemId=fs, LifecyclePolicies=bad)
        assert error_code(error) == "BadRequest"
    assert efs.describe_lifecycle_configuration(FileSystemId=fs)["LifecyclePolicies"] == policies
    efs.put_lifecycle_configuration(FileSystemId=fs, LifecyclePolicies=[])
    assert efs.describe_lifecycle_configuration(FileSystemId=fs)["LifecyclePolicies"] == []


def test_access_points(efs):
    fs = create(efs)
    created = efs.create_access_point(
        ClientToken="app-1", FileSystemId=fs, PosixUser={"Uid": 1000, "Gid": 1000, "SecondaryGids": [2000]},
        RootDirectory={"Path": "/app", "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "0750"}},
        Tags=[{"Key": "Name", "Value": "app"}])
    assert created["PosixUser"]["SecondaryGids"] == [2000]
    assert created["RootDirectory"]["CreationInfo"]["Permissions"] == "0750"
    again = efs.create_access_point(ClientToken="app-1", FileSystemId=fs)
    assert again["AccessPointId"] == created["AccessPointId"]
    assert [a["AccessPointId"] for a in efs.describe_access_points(FileSystemId=fs)["AccessPoints"]] == \
        [created["AccessPointId"]]
    assert efs.describe_access_points(AccessPointId=created["AccessPointId"])["AccessPoints"][0]["Name"] == "app"

    efs.delete_access_point(AccessPointId=created["AccessPointId"])
    with pytest.raises(ClientError) as error:
        efs.delete_access_point(AccessPointId=created["AccessPointId"])
    assert error_code(error) == "AccessPointNotFound"


@pytest.mark.parametrize("kwargs, code", [
    ({"FileSystemId": "fs-0123456789abcdef0"}, "FileSystemNotFound"),
    ({"RootDirectory": {"Path": "relative"}}, "BadRequest"),
    ({"RootDirectory": {"Path": "/a", "CreationInfo": {"OwnerUid": 1, "OwnerGid": 1, "Permissions": "999"}}},
     "BadRequest"),
])
def test_access_point_validation(efs, kwargs, code):
    fs = create(efs)
    with pytest.raises(ClientError) as error:
        efs.create_access_point(**{"ClientToken": "t", "FileSystemId": fs, **kwargs})
    assert error_code(error) == code
    assert efs.describe_access_points()["AccessPoints"] == []


def test_access_point_client_token_on_another_file_system(efs):
    efs.create_access_point(ClientToken="same", FileSystemId=create(efs, "one"))
    with pytest.raises(ClientError) as error:
        efs.create_access_point(ClientToken="same", FileSystemId=create(efs, "two"))
    assert error_code(error) == "AccessPointAlreadyExists"


def test_deleting_a_file_system_deletes_its_access_points(efs):
    fs = create(efs)
    efs.create_access_point(ClientToken="t", FileSystemId=fs)
    efs.delete_file_system(FileSystemId=fs)
    assert efs.describe_access_points()["AccessPoints"] == []


def test_tags_by_id_and_arn(efs):
    fs = create(efs, Tags=[{"Key": "Name", "Value": "data"}])
    fs_arn = efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]["FileSystemArn"]
    access_point = efs.create_access_point(ClientToken="t", FileSystemId=fs)
    for resource in (fs, fs_arn, access_point["AccessPointId"], access_point["AccessPointArn"]):
        efs.tag_resource(ResourceId=resource, Tags=[{"Key": "env", "Value": "prod"}, {"Key": "x", "Value": "y"}])
        efs.untag_resource(ResourceId=resource, TagKeys=["x"])
        tags = {t["Key"]: t["Value"] for t in efs.list_tags_for_resource(ResourceId=resource)["Tags"]}
        assert tags.get("env") == "prod" and "x" not in tags
    assert efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]["Name"] == "data"
    for missing, code in (("fs-0123456789abcdef0", "FileSystemNotFound"),
                          ("fsap-0123456789abcdef0", "AccessPointNotFound")):
        with pytest.raises(ClientError) as error:
            efs.list_tags_for_resource(ResourceId=missing)
        assert error_code(error) == code


def test_mount_target_security_groups(efs, ec2, network):
    subnet, group = network
    fs = create(efs)
    mount_target = efs.create_mount_target(FileSystemId=fs, SubnetId=subnet, SecurityGroups=[group])["MountTargetId"]
    assert efs.describe_mount_target_security_groups(MountTargetId=mount_target)["SecurityGroups"] == [group]
    other = ec2.create_security_group(GroupName="other", Description="o",
                                      VpcId=ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["VpcId"])["GroupId"]
    efs.modify_mount_target_security_groups(MountTargetId=mount_target, SecurityGroups=[other])
    assert efs.describe_mount_target_security_groups(MountTargetId=mount_target)["SecurityGroups"] == [other]
    with pytest.raises(ClientError) as error:
        efs.modify_mount_target_security_groups(MountTargetId=mount_target, SecurityGroups=["sg-0123456789abcdef0"])
    assert error_code(error) == "SecurityGroupNotFound"


def test_delete_file_system_in_use_while_mount_targets_exist(efs, network):
    subnet, group = network
    fs = create(efs)
    mount_target = efs.create_mount_target(FileSystemId=fs, SubnetId=subnet)["MountTargetId"]
    with pytest.raises(ClientError) as error:
        efs.delete_file_system(FileSystemId=fs)
    assert error_code(error) == "FileSystemInUse"
    efs.delete_mount_target(MountTargetId=mount_target)
    efs.delete_file_system(FileSystemId=fs)
    with pytest.raises(ClientError) as error:
        efs.describe_file_systems(FileSystemId=fs)
    assert error_code(error) == "FileSystemNotFound"


def test_file_system_latency(aws, efs):
    aws.configure(latency_seconds={"efs:file-system": 0.6})
    created = efs.create_file_system(CreationToken="slow")
    fs = created["FileSystemId"]
    assert created["LifeCycleState"] == "creating"
    assert state(efs, fs) == "creating"
    for call in (lambda: efs.update_file_system(FileSystemId=fs, ThroughputMode="elastic"),
                 lambda: efs.put_file_system_policy(FileSystemId=fs, Policy=POLICY),
                 lambda: efs.create_access_point(ClientToken="t", FileSystemId=fs)):
        with pytest.raises(ClientError) as error:
            call()
        assert error_code(error) == "IncorrectFileSystemLifeCycleState"
    time.sleep(0.7)
    assert state(efs, fs) == "available"

    efs.delete_file_system(FileSystemId=fs)
    assert state(efs, fs) == "deleting"
    assert [f["LifeCycleState"] for f in efs.describe_file_systems()["FileSystems"]] == ["deleting"]
    time.sleep(0.7)
    with pytest.raises(ClientError) as error:
        efs.describe_file_systems(FileSystemId=fs)
    assert error_code(error) == "FileSystemNotFound"
    assert efs.describe_file_systems()["FileSystems"] == []


def test_mount_target_latency(aws, efs, network):
    subnet, group = network
    fs = create(efs)
    aws.configure(latency_seconds={"efs:mount-target": 0.6})
    created = efs.create_mount_target(FileSystemId=fs, SubnetId=subnet, SecurityGroups=[group])
    mount_target = created["MountTargetId"]
    assert created["LifeCycleState"] == "creating"
    assert efs.describe_mount_targets(FileSystemId=fs)["MountTargets"][0]["LifeCycleState"] == "creating"
    with pytest.raises(ClientError) as error:
        efs.describe_mount_target_security_groups(MountTargetId=mount_target)
    assert error_code(error) == "IncorrectMountTargetState"
    time.sleep(0.7)
    assert efs.describe_mount_targets(MountTargetId=mount_target)["MountTargets"][0]["LifeCycleState"] == "available"

    efs.delete_mount_target(MountTargetId=mount_target)
    assert efs.describe_mount_targets(FileSystemId=fs)["MountTargets"][0]["LifeCycleState"] == "deleting"
    assert efs.describe_mount_targets(MountTargetId=mount_target)["MountTargets"][0]["LifeCycleState"] == "deleting"
    assert efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]["NumberOfMountTargets"] == 1
    with pytest.raises(ClientError) as error:
        efs.delete_file_system(FileSystemId=fs)
    assert error_code(error) == "FileSystemInUse"
    time.sleep(0.7)
    assert efs.describe_mount_targets(FileSystemId=fs)["MountTargets"] == []
    efs.delete_file_system(FileSystemId=fs)


def test_no_latency_means_available_at_once(efs, network):
    subnet, group = network
    fs = efs.create_file_system(CreationToken="fast")
    assert fs["LifeCycleState"] == "available"
    mount_target = efs.create_mount_target(FileSystemId=fs["FileSystemId"], SubnetId=subnet)
    assert mount_target["LifeCycleState"] == "available"
    efs.delete_mount_target(MountTargetId=mount_target["MountTargetId"])
    assert efs.describe_mount_targets(FileSystemId=fs["FileSystemId"])["MountTargets"] == []


# --- mount target network checks --------------------------------------------------------------


def test_create_mount_target_in_an_unknown_subnet_is_subnet_not_found(efs):
    file_system = create(efs)
    with pytest.raises(ClientError) as caught:
        efs.create_mount_target(FileSystemId=file_system, SubnetId="subnet-0123456789abcdef0")
    assert error_code(caught) == "SubnetNotFound"
    assert efs.describe_mount_targets(FileSystemId=file_system)["MountTargets"] == []


def test_create_mount_target_with_a_security_group_of_another_vpc_is_security_group_not_found(efs, ec2, network):
    subnet, dummy = network
    other_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    foreign = ec2.create_security_group(GroupName="other", Description="other", VpcId=other_vpc)["GroupId"]
    file_system = create(efs)
    with pytest.raises(ClientError) as caught:
        efs.create_mount_target(FileSystemId=file_system, SubnetId=subnet, SecurityGroups=[foreign])
    assert error_code(caught) == "SecurityGroupNotFound"
    assert foreign in caught.value.response["Error"]["Message"]
    assert efs.describe_mount_targets(FileSystemId=file_system)["MountTargets"] == []


def test_create_mount_target_with_an_unknown_security_group_is_security_group_not_found(efs, network):
    subnet, dummy = network
    file_system = create(efs)
    with pytest.raises(ClientError) as caught:
        efs.create_mount_target(FileSystemId=file_system, SubnetId=subnet, SecurityGroups=["sg-0123456789abcdef0"])
    assert error_code(caught) == "SecurityGroupNotFound"


def test_a_second_mount_target_in_one_zone_is_mount_target_conflict(efs, ec2, network):
    subnet, group = network
    vpc = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["VpcId"]
    same_zone = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    file_system = create(efs)
    efs.create_mount_target(FileSystemId=file_system, SubnetId=subnet, SecurityGroups=[group])
    with pytest.raises(ClientError) as caught:
        efs.create_mount_target(FileSystemId=file_system, SubnetId=same_zone, SecurityGroups=[group])
    assert error_code(caught) == "MountTargetConflict"
