"""What the project adds to moto's ElastiCache: replication groups, parameter groups, subnet group deletion,
pending states."""

import time

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

TOKEN = "a-long-auth-token-0001"


@pytest.fixture
def clients(aws, boto3_client):
    assert_local(aws)
    return {name: boto3_client(name, attempts=1) for name in ("elasticache", "kms", "ec2")}


@pytest.fixture
def ec(clients):
    return clients["elasticache"]


def create(ec, name="rg1", **kwargs):
    settings = {"ReplicationGroupId": name, "ReplicationGroupDescription": "cache", "Engine": "valkey",
                "EngineVersion": "8.0", "CacheNodeType": "cache.t4g.small"}
    settings.update(kwargs)
    return ec.create_replication_group(**settings)["ReplicationGroup"]


def describe(ec, name="rg1"):
    return ec.describe_replication_groups(ReplicationGroupId=name)["ReplicationGroups"][0]


def members(ec, name="rg1"):
    clusters = ec.describe_cache_clusters(ShowCacheNodeInfo=True)["CacheClusters"]
    return [cluster for cluster in clusters if cluster.get("ReplicationGroupId") == name]


def refused(call, code):
    with pytest.raises(ClientError) as excinfo:
        call()
    assert error_code(excinfo) == code, excinfo.value.response["Error"]


def test_cluster_mode_disabled_group_with_encryption(clients):
    ec, kms = clients["elasticache"], clients["kms"]
    key = kms.create_key()["KeyMetadata"]
    create(ec, NumCacheClusters=2, AutomaticFailoverEnabled=True, MultiAZEnabled=True,
           AtRestEncryptionEnabled=True, KmsKeyId=key["KeyId"], TransitEncryptionEnabled=True, AuthToken=TOKEN,
           SnapshotRetentionLimit=3, SnapshotWindow="02:00-03:00", SecurityGroupIds=["sg-1"],
           NotificationTopicArn="arn:aws:sns:us-east-1:123456789012:alerts")
    group = describe(ec)
    assert group["Status"] == "available"
    assert group["MemberClusters"] == ["rg1-001", "rg1-002"]
    assert group["ClusterEnabled"] is False and group["ClusterMode"] == "disabled"
    assert "ConfigurationEndpoint" not in group
    shard = group["NodeGroups"][0]
    assert shard["PrimaryEndpoint"]["Address"].startswith("master.rg1.")
    assert shard["ReaderEndpoint"]["Address"].startswith("replica.rg1.")
    assert [m["CurrentRole"] for m in shard["NodeGroupMembers"]] == ["primary", "replica"]
    assert (group["AutomaticFailover"], group["MultiAZ"]) == ("enabled", "enabled")
    assert group["AtRestEncryptionEnabled"] is True and group["KmsKeyId"] == key["Arn"]
    assert group["TransitEncryptionEnabled"] is True and group["TransitEncryptionMode"] == "required"
    assert group["AuthTokenEnabled"] is True and "AuthTokenLastModifiedDate" in group
    assert group["Engine"] == "valkey"
    assert group["SnapshottingClusterId"] == "rg1-002"
    clusters = members(ec)
    assert [c["CacheClusterId"] for c in clusters] == ["rg1-001", "rg1-002"]
    for cluster in clusters:
        assert cluster["EngineVersion"] == "8.0"
        assert cluster["CacheParameterGroup"]["CacheParameterGroupName"] == "default.valkey8"
        assert cluster["SecurityGroups"] == [{"SecurityGroupId": "sg-1", "Status": "active"}]
        assert cluster["NotificationConfiguration"]["TopicArn"].endswith(":alerts")
        assert cluster["CacheNodes"][0]["Endpoint"]["Port"] == 6379
    single = ec.describe_cache_clusters(CacheClusterId="rg1-001")["CacheClusters"][0]
    assert single["ReplicationGroupId"] == "rg1" and "CacheNodes" not in single


def test_cluster_mode_enabled_from_parameter_group_or_shards(ec):
    by_group = create(ec, "rg1", Engine="redis", EngineVersion="7.1", NumNodeGroups=2, ReplicasPerNodeGroup=1,
                      CacheParameterGroupName="default.redis7.cluster.on")
    by_shards = create(ec, "rg2", NumNodeGroups=3, ReplicasPerNodeGroup=1)
    for group in (by_group, describe(ec, "rg2")):
        assert group["ClusterEnabled"] is True and group["ClusterMode"] == "enabled"
        assert group["ConfigurationEndpoint"]["Address"].startswith("clustercfg.")
        assert group["AutomaticFailover"] == "enabled"
        assert "PrimaryEndpoint" not in group["NodeGroups"][0]
    assert by_group["MemberClusters"] == ["rg1-0001-001", "rg1-0001-002", "rg1-0002-001", "rg1-0002-002"]
    assert [s["Slots"] for s in by_shards["NodeGroups"]] == ["0-5460", "5461-10921", "10922-16383"]
    assert members(ec, "rg2")[0]["CacheParameterGroup"]["CacheParameterGroupName"] == "default.valkey8.cluster.on"
    refused(lambda: create(ec, "rg3", NumNodeGroups=2, CacheParameterGroupName="default.valkey8"),
            "InvalidParameterCombination")
    refused(lambda: create(ec, "rg3", CacheParameterGroupName="default.redis7"), "InvalidParameterCombination")


def test_create_checks(ec):
    refused(lambda: create(ec, AuthToken=TOKEN), "InvalidParameterValue")
    refused(lambda: create(ec, TransitEncryptionEnabled=True, AuthToken="short"), "InvalidParameterValue")
    refused(lambda: create(ec, MultiAZEnabled=True), "InvalidParameterCombination")
    refused(lambda: create(ec, AutomaticFailoverEnabled=True, NumCacheClusters=1), "InvalidParameterValue")
    create(ec)
    refused(lambda: create(ec), "ReplicationGroupAlreadyExists")
    refused(lambda: describe(ec, "missing"), "ReplicationGroupNotFoundFault")


def test_auth_token_strategies(ec):
    create(ec, TransitEncryptionEnabled=True, AuthToken=TOKEN)
    first = describe(ec)["AuthTokenLastModifiedDate"]
    refused(lambda: ec.modify_replication_group(ReplicationGroupId="rg1", AuthToken=TOKEN + "x",
                                                AuthTokenUpdateStrategy="ROTATE"), "InvalidParameterValue")
    refused(lambda: ec.modify_replication_group(ReplicationGroupId="rg1", AuthTokenUpdateStrategy="SET",
                                                ApplyImmediately=True), "InvalidParameterCombination")
    refused(lambda: ec.modify_replication_group(ReplicationGroupId="rg1", AuthToken=TOKEN,
                                                AuthTokenUpdateStrategy="DELETE", ApplyImmediately=True),
            "InvalidParameterCombination")
    time.sleep(0.01)
    ec.modify_replication_group(ReplicationGroupId="rg1", AuthToken=TOKEN + "x", AuthTokenUpdateStrategy="ROTATE",
                                ApplyImmediately=True)
    assert describe(ec)["AuthTokenLastModifiedDate"] > first
    ec.modify_replication_group(ReplicationGroupId="rg1", AuthToken=TOKEN + "y", AuthTokenUpdateStrategy="SET",
                                ApplyImmediately=True)
    ec.modify_replication_group(ReplicationGroupId="rg1", AuthTokenUpdateStrategy="DELETE", ApplyImmediately=True)
    group = describe(ec)
    assert group["AuthTokenEnabled"] is False and "AuthTokenLastModifiedDate" not in group
    create(ec, "plain")
    refused(lambda: ec.modify_replication_group(ReplicationGroupId="plain", AuthToken=TOKEN,
                                                AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True),
            "InvalidParameterValue")


def test_modify_settings_and_deferred_node_changes(ec):
    ec.create_cache_parameter_group(CacheParameterGroupName="tuned", CacheParameterGroupFamily="valkey8",
                                    Description="tuned")
    create(ec, NumCacheClusters=2)
    ec.modify_replication_group(
        ReplicationGroupId="rg1", SnapshotRetentionLimit=5, SnapshotWindow="04:00-05:00",
        PreferredMaintenanceWindow="Mon:01:00-Mon:02:00", AutomaticFailoverEnabled=True, MultiAZEnabled=True,
        SecurityGroupIds=["sg-2"], NotificationTopicArn="arn:aws:sns:us-east-1:123456789012:t",
        CacheParameterGroupName="tuned", ApplyImmediately=True,
        LogDeliveryConfigurations=[{"LogType": "slow-log", "DestinationType": "cloudwatch-logs",
                                    "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": "lg"}},
                                    "LogFormat": "json", "Enabled": True}])
    group = describe(ec)
    assert (group["SnapshotRetentionLimit"], group["SnapshotWindow"]) == (5, "04:00-05:00")
    assert (group["AutomaticFailover"], group["MultiAZ"]) == ("enabled", "enabled")
    assert group["LogDeliveryConfigurations"][0]["Status"] == "active"
    cluster = members(ec)[0]
    assert cluster["PreferredMaintenanceWindow"] == "mon:01:00-mon:02:00"
    assert cluster["CacheParameterGroup"]["CacheParameterGroupName"] == "tuned"
    assert cluster["SecurityGroups"][0]["SecurityGroupId"] == "sg-2"
    # Node type and engine version wait for the maintenance window unless applied immediately.
    ec.modify_replication_group(ReplicationGroupId="rg1", CacheNodeType="cache.r7g.large", EngineVersion="8.1")
    assert describe(ec)["CacheNodeType"] == "cache.t4g.small"
    assert members(ec)[0]["PendingModifiedValues"] == {"CacheNodeType": "cache.r7g.large", "EngineVersion": "8.1"}
    ec.modify_replication_group(ReplicationGroupId="rg1", ApplyImmediately=True, SnapshotRetentionLimit=1)
    assert describe(ec)["CacheNodeType"] == "cache.r7g.large"
    assert members(ec)[0]["EngineVersion"] == "8.1" and members(ec)[0]["PendingModifiedValues"] == {}
    ec.modify_replication_group(ReplicationGroupId="rg1", LogDeliveryConfigurations=[
        {"LogType": "slow-log", "Enabled": False}], ApplyImmediately=True)
    assert describe(ec)["LogDeliveryConfigurations"] == []
    refused(lambda: ec.modify_replication_group(ReplicationGroupId="rg1", AutomaticFailoverEnabled=False,
                                                ApplyImmediately=True), "InvalidParameterCombination")
    refused(lambda: ec.modify_replication_group(ReplicationGroupId="rg1", EngineVersion="7.2",
                                                ApplyImmediately=True), "InvalidParameterCombination")
    refused(lambda: ec.modify_replication_group(ReplicationGroupId="rg1", CacheParameterGroupName="default.redis7",
                                                ApplyImmediately=True), "InvalidParameterCombination")


def test_transit_encryption_is_switched_on_through_preferred(ec):
    create(ec)
    refused(lambda: ec.modify_replication_group(ReplicationGroupId="rg1", TransitEncryptionEnabled=True,
                                                ApplyImmediately=True), "InvalidParameterValue")
    ec.modify_replication_group(ReplicationGroupId="rg1", TransitEncryptionEnabled=True,
                                TransitEncryptionMode="preferred", ApplyImmediately=True)
    assert describe(ec)["TransitEncryptionMode"] == "preferred"
    ec.modify_replication_group(ReplicationGroupId="rg1", TransitEncryptionMode="required", ApplyImmediately=True)
    assert describe(ec)["TransitEncryptionMode"] == "required"


def test_shards_and_replicas(ec):
    create(ec, NumNodeGroups=2, ReplicasPerNodeGroup=1, ClusterMode="enabled")
    ec.modify_replication_group_shard_configuration(ReplicationGroupId="rg1", NodeGroupCount=3,
                                                    ApplyImmediately=True)
    group = describe(ec)
    assert [s["NodeGroupId"] for s in group["NodeGroups"]] == ["0001", "0002", "0003"]
    assert "rg1-0003-002" in group["MemberClusters"]
    refused(lambda: ec.modify_replication_group_shard_configuration(
        ReplicationGroupId="rg1", NodeGroupCount=2, ApplyImmediately=True), "InvalidParameterValue")
    ec.modify_replication_group_shard_configuration(ReplicationGroupId="rg1", NodeGroupCount=2,
                                                    NodeGroupsToRemove=["0002"], ApplyImmediately=True)
    assert [s["NodeGroupId"] for s in describe(ec)["NodeGroups"]] == ["0001", "0003"]
    ec.increase_replica_count(ReplicationGroupId="rg1", NewReplicaCount=2, ApplyImmediately=True)
    assert len(describe(ec)["MemberClusters"]) == 6
    ec.decrease_replica_count(ReplicationGroupId="rg1", NewReplicaCount=1, ApplyImmediately=True)
    assert len(describe(ec)["MemberClusters"]) == 4

    create(ec, "single", NumCacheClusters=2, AutomaticFailoverEnabled=True)
    refused(lambda: ec.modify_replication_group_shard_configuration(
        ReplicationGroupId="single", NodeGroupCount=2, ApplyImmediately=True), "InvalidParameterValue")
    ec.increase_replica_count(ReplicationGroupId="single", NewReplicaCount=3, ApplyImmediately=True)
    assert describe(ec, "single")["MemberClusters"] == ["single-001", "single-002", "single-003", "single-004"]
    refused(lambda: ec.decrease_replica_count(ReplicationGroupId="single", NewReplicaCount=0,
                                              ApplyImmediately=True), "InvalidParameterValue")
    ec.decrease_replica_count(ReplicationGroupId="single", ReplicasToRemove=["single-003"], ApplyImmediately=True)
    assert describe(ec, "single")["MemberClusters"] == ["single-001", "single-002", "single-004"]


def test_delete_with_final_snapshot_and_tags(ec):
    group = create(ec, NumCacheClusters=2, Tags=[{"Key": "team", "Value": "data"}])
    arn = group["ARN"]
    assert ec.list_tags_for_resource(ResourceName=arn)["TagList"] == [{"Key": "team", "Value": "data"}]
    ec.add_tags_to_resource(ResourceName=arn, Tags=[{"Key": "env", "Value": "prod"}])
    ec.remove_tags_from_resource(ResourceName=arn, TagKeys=["team"])
    assert ec.list_tags_for_resource(ResourceName=arn)["TagList"] == [{"Key": "env", "Value": "prod"}]
    deleted = ec.delete_replication_group(ReplicationGroupId="rg1", FinalSnapshotIdentifier="rg1-final")
    assert deleted["ReplicationGroup"]["Status"] == "deleting"
    refused(lambda: describe(ec), "ReplicationGroupNotFoundFault")
    refused(lambda: ec.list_tags_for_resource(ResourceName=arn), "ReplicationGroupNotFoundFault")
    snapshot = ec.describe_snapshots(SnapshotName="rg1-final")["Snapshots"][0]
    assert snapshot["ReplicationGroupId"] == "rg1" and snapshot["Engine"] == "valkey"
    assert members(ec) == []


def test_snapshots_of_a_deleted_group_are_listed_by_its_id(clients):
    """AWS lists them (ReplicationGroupNotFoundFault is not among DescribeSnapshots' errors)."""
    ec, kms = clients["elasticache"], clients["kms"]
    key = kms.create_key()["KeyMetadata"]
    create(ec, AtRestEncryptionEnabled=True, KmsKeyId=key["Arn"])
    create(ec, name="rg2")
    ec.delete_replication_group(ReplicationGroupId="rg1", FinalSnapshotIdentifier="rg1-final")
    ec.delete_replication_group(ReplicationGroupId="rg2", FinalSnapshotIdentifier="rg2-final")
    (snapshot,) = ec.describe_snapshots(ReplicationGroupId="rg1", SnapshotSource="user")["Snapshots"]
    assert snapshot["SnapshotName"] == "rg1-final" and snapshot["KmsKeyId"] == key["Arn"]
    assert ec.describe_snapshots(ReplicationGroupId="rg1", SnapshotSource="system")["Snapshots"] == []
    assert ec.describe_snapshots(ReplicationGroupId="never-existed")["Snapshots"] == []


def test_delete_cache_subnet_group_once_unused(clients):
    ec, ec2 = clients["elasticache"], clients["ec2"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    arn = ec.create_cache_subnet_group(CacheSubnetGroupName="cache-subnets", CacheSubnetGroupDescription="cache",
                                       SubnetIds=[subnet], Tags=[{"Key": "team", "Value": "data"}],
                                       )["CacheSubnetGroup"]["ARN"]
    create(ec, CacheSubnetGroupName="cache-subnets")
    ec.create_cache_cluster(CacheClusterId="standalone", Engine="redis", CacheNodeType="cache.t4g.small",
                            NumCacheNodes=1, CacheSubnetGroupName="cache-subnets")
    refused(lambda: ec.delete_cache_subnet_group(CacheSubnetGroupName="cache-subnets"), "CacheSubnetGroupInUse")
    ec.delete_replication_group(ReplicationGroupId="rg1")
    refused(lambda: ec.delete_cache_subnet_group(CacheSubnetGroupName="cache-subnets"), "CacheSubnetGroupInUse")
    ec.delete_cache_cluster(CacheClusterId="standalone")
    ec.delete_cache_subnet_group(CacheSubnetGroupName="cache-subnets")
    refused(lambda: ec.describe_cache_subnet_groups(CacheSubnetGroupName="cache-subnets"),
            "CacheSubnetGroupNotFoundFault")
    refused(lambda: ec.delete_cache_subnet_group(CacheSubnetGroupName="cache-subnets"),
            "CacheSubnetGroupNotFoundFault")
    ec.create_cache_subnet_group(CacheSubnetGroupName="cache-subnets", CacheSubnetGroupDescription="again",
                                 SubnetIds=[subnet])
    assert ec.list_tags_for_resource(ResourceName=arn)["TagList"] == []


def test_parameter_groups(ec):
    families = {g["CacheParameterGroupName"] for g in ec.describe_cache_parameter_groups()["CacheParameterGroups"]}
    assert {"default.redis7", "default.valkey7.cluster.on", "default.valkey8"} <= families
    created = ec.create_cache_parameter_group(CacheParameterGroupName="tuned", CacheParameterGroupFamily="redis7",
                                              Description="tuned", Tags=[{"Key": "a", "Value": "b"}])
    arn = created["CacheParameterGroup"]["ARN"]
    assert ec.list_tags_for_resource(ResourceName=arn)["TagList"] == [{"Key": "a", "Value": "b"}]
    refused(lambda: ec.create_cache_parameter_group(CacheParameterGroupName="tuned",
                                                    CacheParameterGroupFamily="redis7", Description="d"),
            "CacheParameterGroupAlreadyExists")
    ec.modify_cache_parameter_group(CacheParameterGroupName="tuned", ParameterNameValues=[
        {"ParameterName": "maxmemory-policy", "ParameterValue": "allkeys-lru"},
        {"ParameterName": "cluster-enabled", "ParameterValue": "yes"}])
    user = ec.describe_cache_parameters(CacheParameterGroupName="tuned", Source="user")["Parameters"]
    assert {p["ParameterName"]: p["ParameterValue"] for p in user} == {
        "maxmemory-policy": "allkeys-lru", "cluster-enabled": "yes"}
    refused(lambda: ec.modify_cache_parameter_group(CacheParameterGroupName="tuned", ParameterNameValues=[
        {"ParameterName": "maxmemory-policy", "ParameterValue": "sometimes"}]), "InvalidParameterValue")
    refused(lambda: ec.modify_cache_parameter_group(CacheParameterGroupName="default.redis7", ParameterNameValues=[
        {"ParameterName": "timeout", "ParameterValue": "30"}]), "InvalidParameterValue")
    group = create(ec, Engine="redis", EngineVersion="7.1", CacheParameterGroupName="tuned", NumNodeGroups=2)
    assert group["ClusterEnabled"] is True
    refused(lambda: ec.delete_cache_parameter_group(CacheParameterGroupName="tuned"),
            "InvalidCacheParameterGroupState")
    ec.delete_replication_group(ReplicationGroupId="rg1")
    ec.reset_cache_parameter_group(CacheParameterGroupName="tuned", ResetAllParameters=True)
    assert ec.describe_cache_parameters(CacheParameterGroupName="tuned", Source="user")["Parameters"] == []
    ec.delete_cache_parameter_group(CacheParameterGroupName="tuned")
    refused(lambda: ec.describe_cache_parameters(CacheParameterGroupName="tuned"), "CacheParameterGroupNotFound")


def test_latency_creating_modifying_snapshotting_deleting(aws, ec):
    aws.configure(latency_seconds={"elasticache:replication-group": 0.6})
    assert create(ec, NumCacheClusters=2)["Status"] == "creating"
    assert describe(ec)["Status"] == "creating"
    for call in (lambda: ec.modify_replication_group(ReplicationGroupId="rg1", SnapshotRetentionLimit=2,
                                                     ApplyImmediately=True),
                 lambda: ec.increase_replica_count(ReplicationGroupId="rg1", NewReplicaCount=2,
                                                   ApplyImmediately=True),
                 lambda: ec.delete_replication_group(ReplicationGroupId="rg1"),
                 lambda: ec.create_snapshot(ReplicationGroupId="rg1", SnapshotName="s1")):
        refused(call, "InvalidReplicationGroupState")
    time.sleep(0.7)
    assert describe(ec)["Status"] == "available"
    # Bookkeeping settings leave the group available; node changes make it modifying.
    assert ec.modify_replication_group(ReplicationGroupId="rg1", SnapshotRetentionLimit=2,
                                       ApplyImmediately=True)["ReplicationGroup"]["Status"] == "available"
    assert ec.modify_replication_group(ReplicationGroupId="rg1", CacheNodeType="cache.r7g.large",
                                       ApplyImmediately=True)["ReplicationGroup"]["Status"] == "modifying"
    assert describe(ec)["Status"] == "modifying"
    time.sleep(0.7)
    ec.create_snapshot(ReplicationGroupId="rg1", SnapshotName="s1")
    assert describe(ec)["Status"] == "snapshotting"
    time.sleep(0.7)
    ec.delete_replication_group(ReplicationGroupId="rg1")
    assert describe(ec)["Status"] == "deleting"
    assert [g["Status"] for g in ec.describe_replication_groups()["ReplicationGroups"]] == ["deleting"]
    refused(lambda: create(ec), "ReplicationGroupAlreadyExists")
    time.sleep(0.7)
    refused(lambda: describe(ec), "ReplicationGroupNotFoundFault")
    assert ec.describe_replication_groups()["ReplicationGroups"] == []


# --- engine versions --------------------------------------------------------------------------


def test_describe_cache_engine_versions_lists_redis_and_valkey(ec):
    valkey = ec.describe_cache_engine_versions(Engine="valkey")["CacheEngineVersions"]
    assert [v["EngineVersion"] for v in valkey] == ["7.2", "8.0", "8.1"]
    assert {v["CacheParameterGroupFamily"] for v in valkey} == {"valkey7", "valkey8"}
    assert [v["EngineVersion"] for v in ec.describe_cache_engine_versions(Engine="valkey", DefaultOnly=True)[
        "CacheEngineVersions"]] == ["8.0"]
    assert ec.describe_cache_engine_versions(Engine="valkey", EngineVersion="9.9")["CacheEngineVersions"] == []
    assert {v["Engine"] for v in ec.describe_cache_engine_versions()["CacheEngineVersions"]} == {"redis", "valkey"}


@pytest.mark.parametrize("engine, version", [("valkey", "8.9"), ("valkey", "9.9"), ("redis", "7.9"), ("redis", "5.0")])
def test_create_refuses_an_engine_version_elasticache_does_not_offer(ec, engine, version):
    with pytest.raises(ClientError) as caught:
        create(ec, Engine=engine, EngineVersion=version)
    assert error_code(caught) == "InvalidParameterValue"
    assert caught.value.response["Error"]["Message"] == f"Cannot find version {version} for {engine}"
    assert ec.describe_replication_groups()["ReplicationGroups"] == []


def test_modify_refuses_an_engine_version_elasticache_does_not_offer(ec):
    create(ec)
    with pytest.raises(ClientError) as caught:
        ec.modify_replication_group(ReplicationGroupId="rg1", EngineVersion="8.9", ApplyImmediately=True)
    assert error_code(caught) == "InvalidParameterValue"
