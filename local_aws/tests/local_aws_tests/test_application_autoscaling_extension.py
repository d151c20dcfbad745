"""What the project adds to moto's Application Auto Scaling: the ElastiCache replication group namespace."""

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, create_table, error_code

SHARDS = "elasticache:replication-group:NodeGroups"
REPLICAS = "elasticache:replication-group:Replicas"
RESOURCE_ID = "replication-group/rg1"
CONFIG = {
    "TargetValue": 60.0,
    "PredefinedMetricSpecification": {"PredefinedMetricType": "ElastiCachePrimaryEngineCPUUtilization"},
    "ScaleInCooldown": 600,
    "ScaleOutCooldown": 300,
    "DisableScaleIn": False,
}


@pytest.fixture
def clients(aws, boto3_client):
    assert_local(aws)
    return {name: boto3_client(name, attempts=1) for name in ("application-autoscaling", "elasticache", "dynamodb")}


@pytest.fixture
def scaling(clients):
    return clients["application-autoscaling"]


def create_group(ec, name="rg1", cluster=True):
    settings = {"ReplicationGroupId": name, "ReplicationGroupDescription": "cache", "Engine": "valkey",
                "EngineVersion": "8.0", "CacheNodeType": "cache.r7g.large"}
    if cluster:
        settings.update(ClusterMode="enabled", NumNodeGroups=2, ReplicasPerNodeGroup=1, AutomaticFailoverEnabled=True)
    else:
        settings.update(NumCacheClusters=2, AutomaticFailoverEnabled=True)
    ec.create_replication_group(**settings)


def target(dimension=SHARDS, resource_id=RESOURCE_ID):
    return {"ServiceNamespace": "elasticache", "ResourceId": resource_id, "ScalableDimension": dimension}


def policy_request(policy_type="TargetTrackingScaling", config=None):
    """A PutScalingPolicy request on the default target."""
    return dict(target(), PolicyName="cpu", PolicyType=policy_type, TargetTrackingScalingPolicyConfiguration=config or CONFIG)


def refused(call, code, **kwargs):
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    assert error_code(excinfo) == code, excinfo.value.response["Error"]
    return excinfo.value.response["Error"]["Message"]


def test_register_describe_update_and_deregister_a_target(clients, scaling):
    create_group(clients["elasticache"])
    arn = scaling.register_scalable_target(MinCapacity=2, MaxCapacity=6, **target())["ScalableTargetARN"]
    assert arn.startswith("arn:aws:application-autoscaling:us-east-1:")
    scaling.register_scalable_target(MinCapacity=1, MaxCapacity=3, **target(REPLICAS))
    found = scaling.describe_scalable_targets(ServiceNamespace="elasticache", ResourceIds=[RESOURCE_ID])["ScalableTargets"]
    assert [(t["ScalableDimension"], t["MinCapacity"], t["MaxCapacity"]) for t in found] == [(SHARDS, 2, 6), (REPLICAS, 1, 3)]
    assert found[0]["RoleARN"].endswith("AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG")
    assert found[0]["CreationTime"] and found[0]["ScalableTargetARN"] == arn
    # Registering again updates in place; an omitted bound is kept.
    scaling.register_scalable_target(MaxCapacity=8, **target())
    only = scaling.describe_scalable_targets(ServiceNamespace="elasticache", ScalableDimension=SHARDS)["ScalableTargets"]
    assert [(t["MinCapacity"], t["MaxCapacity"], t["ScalableTargetARN"]) for t in only] == [(2, 8, arn)]
    scaling.deregister_scalable_target(**target())
    left = scaling.describe_scalable_targets(ServiceNamespace="elasticache")["ScalableTargets"]
    assert [t["ScalableDimension"] for t in left] == [REPLICAS]
    assert scaling.describe_scalable_targets(ServiceNamespace="elasticache", ResourceIds=["replication-group/other"])[
        "ScalableTargets"] == []


def test_put_describe_and_replace_a_target_tracking_policy(clients, scaling):
    create_group(clients["elasticache"])
    scaling.register_scalable_target(MinCapacity=2, MaxCapacity=6, **target())
    put = scaling.put_scaling_policy(PolicyName="cpu", PolicyType="TargetTrackingScaling",
                                     TargetTrackingScalingPolicyConfiguration=CONFIG, **target())
    assert ":scalingPolicy:" in put["PolicyARN"] and put["PolicyARN"].endswith("policyName/cpu")
    assert ["AlarmHigh" in put["Alarms"][0]["AlarmName"], "AlarmLow" in put["Alarms"][1]["AlarmName"]] == [True, True]
    assert put["Alarms"][0]["AlarmARN"].endswith(":alarm:" + put["Alarms"][0]["AlarmName"])
    again = scaling.put_scaling_policy(PolicyName="cpu", PolicyType="TargetTrackingScaling",
                                       TargetTrackingScalingPolicyConfiguration=dict(CONFIG, TargetValue=50.0), **target())
    assert again["PolicyARN"] == put["PolicyARN"]
    policies = scaling.describe_scaling_policies(ServiceNamespace="elasticache", ResourceId=RESOURCE_ID)["ScalingPolicies"]
    assert len(policies) == 1
    policy = policies[0]
    assert policy["PolicyName"] == "cpu" and policy["ScalableDimension"] == SHARDS
    assert policy["PolicyType"] == "TargetTrackingScaling" and policy["CreationTime"]
    assert policy["TargetTrackingScalingPolicyConfiguration"] == dict(CONFIG, TargetValue=50.0)
    assert len(policy["Alarms"]) == 2
    by_name = scaling.describe_scaling_policies(ServiceNamespace="elasticache", PolicyNames=["other"])["ScalingPolicies"]
    assert by_name == []
    # Deregistering the target removes its policies.
    scaling.deregister_scalable_target(**target())
    assert scaling.describe_scaling_policies(ServiceNamespace="elasticache")["ScalingPolicies"] == []


def test_delete_scaling_policy(clients, scaling):
    create_group(clients["elasticache"])
    scaling.register_scalable_target(MinCapacity=2, MaxCapacity=6, **target())
    scaling.put_scaling_policy(PolicyName="cpu", PolicyType="TargetTrackingScaling",
                               TargetTrackingScalingPolicyConfiguration=CONFIG, **target())
    scaling.delete_scaling_policy(PolicyName="cpu", **target())
    assert scaling.describe_scaling_policies(ServiceNamespace="elasticache")["ScalingPolicies"] == []
    refused(scaling.delete_scaling_policy, "ObjectNotFoundException", PolicyName="cpu", **target())


def test_targets_come_in_pages(clients, scaling):
    create_group(clients["elasticache"])
    scaling.register_scalable_target(MinCapacity=2, MaxCapacity=6, **target())
    scaling.register_scalable_target(MinCapacity=1, MaxCapacity=3, **target(REPLICAS))
    first = scaling.describe_scalable_targets(ServiceNamespace="elasticache", MaxResults=1)
    assert [t["ScalableDimension"] for t in first["ScalableTargets"]] == [SHARDS]
    second = scaling.describe_scalable_targets(ServiceNamespace="elasticache", MaxResults=1, NextToken=first["NextToken"])
    assert [t["ScalableDimension"] for t in second["ScalableTargets"]] == [REPLICAS]
    assert "NextToken" not in second
    refused(scaling.describe_scalable_targets, "InvalidNextTokenException", ServiceNamespace="elasticache", NextToken="x")


def test_what_aws_refuses(clients, scaling):
    create_group(clients["elasticache"])
    create_group(clients["elasticache"], "plain", cluster=False)
    register = scaling.register_scalable_target
    assert "does not exist" in refused(register, "ValidationException", MinCapacity=1, MaxCapacity=2,
                                       **target(resource_id="replication-group/missing"))
    refused(register, "ValidationException", MinCapacity=1, MaxCapacity=2, **target(resource_id="cluster/rg1"))
    refused(register, "ValidationException", MinCapacity=1, MaxCapacity=2,
            **target("elasticache:replication-group:Nodes"))
    refused(register, "ValidationException", MinCapacity=3, MaxCapacity=2, **target())
    refused(register, "ValidationException", MinCapacity=1, **target())
    refused(register, "ValidationException", MinCapacity=1, MaxCapacity=2, **target(resource_id="replication-group/plain"))
    refused(register, "ValidationException", MinCapacity=1, MaxCapacity=2, **target(REPLICAS, "replication-group/plain"))
    refused(scaling.put_scaling_policy, "ObjectNotFoundException", **policy_request())
    register(MinCapacity=1, MaxCapacity=2, **target())
    refused(scaling.put_scaling_policy, "ValidationException", **policy_request(policy_type="StepScaling"))
    dynamo_metric = dict(CONFIG, PredefinedMetricSpecification={"PredefinedMetricType": "DynamoDBReadCapacityUtilization"})
    refused(scaling.put_scaling_policy, "ValidationException", **policy_request(config=dynamo_metric))
    refused(scaling.put_scaling_policy, "ValidationException", **policy_request(config={"TargetValue": 50.0}))
    refused(scaling.deregister_scalable_target, "ObjectNotFoundException", **target(REPLICAS))


def test_other_namespaces_still_go_to_moto(clients, scaling):
    create_table(clients["dynamodb"])
    dynamo = {"ServiceNamespace": "dynamodb", "ResourceId": "table/orders",
              "ScalableDimension": "dynamodb:table:ReadCapacityUnits"}
    scaling.register_scalable_target(MinCapacity=1, MaxCapacity=5, **dynamo)
    found = scaling.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]
    assert [t["ResourceId"] for t in found] == ["table/orders"]
    assert scaling.describe_scalable_targets(ServiceNamespace="elasticache")["ScalableTargets"] == []
