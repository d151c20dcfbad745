"""elasticache_replication_group auto_scaling: the exact Application Auto Scaling calls of each run."""

import pytest

from ansible_collections.storagekit.aws.plugins.modules import elasticache_replication_group

from test_elasticache_replication_group import NAME, expect_describe, group

RESOURCE_ID = "replication-group/" + NAME
SHARDS = "elasticache:replication-group:NodeGroups"
REPLICAS = "elasticache:replication-group:Replicas"
POLICY_ARN = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:resource/elasticache/replication-group/sessions"
SHARD_SCALING = dict(shards=dict(min_capacity=2, max_capacity=6, target_value=60))
ARGS = dict(name=NAME, auto_scaling=SHARD_SCALING)


def target(dimension=SHARDS, min_capacity=2, max_capacity=6):
    return dict(
        ServiceNamespace="elasticache",
        ResourceId=RESOURCE_ID,
        ScalableDimension=dimension,
        MinCapacity=min_capacity,
        MaxCapacity=max_capacity,
        RoleARN="arn:aws:iam::123456789012:role/aws-service-role/elasticache.application-autoscaling.amazonaws.com/x",
        CreationTime="2026-01-01T00:00:00Z",
    )


def policy_config(target_value=60.0, metric="ElastiCachePrimaryEngineCPUUtilization", disable_scale_in=False):
    return dict(
        TargetValue=target_value,
        PredefinedMetricSpecification=dict(PredefinedMetricType=metric),
        ScaleInCooldown=600,
        ScaleOutCooldown=600,
        DisableScaleIn=disable_scale_in,
    )


def policy(dimension=SHARDS, name="storagekit-shards-target-tracking", **config):
    return dict(
        PolicyARN=POLICY_ARN,
        PolicyName=name,
        ServiceNamespace="elasticache",
        ResourceId=RESOURCE_ID,
        ScalableDimension=dimension,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=policy_config(**config),
        Alarms=[],
        CreationTime="2026-01-01T00:00:00Z",
    )


def expect_scaling_reads(stubs, targets, policies=None):
    scaling = stubs["application-autoscaling"]
    scaling.add_response(
        "describe_scalable_targets",
        dict(ScalableTargets=targets),
        dict(ServiceNamespace="elasticache", ResourceIds=[RESOURCE_ID]),
    )
    if policies is not None:
        scaling.add_response(
            "describe_scaling_policies",
            dict(ScalingPolicies=policies),
            dict(ServiceNamespace="elasticache", ResourceId=RESOURCE_ID),
        )
    return scaling


def expect_register(scaling, dimension=SHARDS, min_capacity=2, max_capacity=6):
    scaling.add_response(
        "register_scalable_target",
        dict(ScalableTargetARN="arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/x"),
        dict(ServiceNamespace="elasticache", ResourceId=RESOURCE_ID, ScalableDimension=dimension,
             MinCapacity=min_capacity, MaxCapacity=max_capacity),
    )


def expect_put_policy(scaling, dimension=SHARDS, name="storagekit-shards-target-tracking", **config):
    scaling.add_response(
        "put_scaling_policy",
        dict(PolicyARN=POLICY_ARN, Alarms=[]),
        dict(
            ServiceNamespace="elasticache",
            ResourceId=RESOURCE_ID,
            ScalableDimension=dimension,
            PolicyName=name,
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=policy_config(**config),
        ),
    )


def test_first_enable_registers_the_target_then_puts_the_policy(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    scaling = expect_scaling_reads(stubs, [])
    expect_register(scaling)
    expect_put_policy(scaling)
    result = run_module(elasticache_replication_group, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["auto_scaling/shards"] == dict(enabled=False)
    assert result["diff"]["after"]["auto_scaling/shards"]["max_capacity"] == 6
    assert result["auto_scaling"]["shards"]["metric"] == "ElastiCachePrimaryEngineCPUUtilization"
    assert result["auto_scaling"]["replicas"] == dict(enabled=False)


def test_replicas_default_to_the_replica_cpu_metric_and_take_a_custom_policy(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    scaling = expect_scaling_reads(stubs, [])
    expect_register(scaling, REPLICAS, 1, 3)
    expect_put_policy(scaling, REPLICAS, name="replicas-cpu", target_value=70.0,
                      metric="ElastiCacheReplicaEngineCPUUtilization", disable_scale_in=True)
    replicas = dict(min_capacity=1, max_capacity=3, target_value=70, policy_name="replicas-cpu", disable_scale_in=True)
    result = run_module(elasticache_replication_group, dict(name=NAME, auto_scaling=dict(replicas=replicas)))
    assert result["changed"] is True


def test_no_change_reads_targets_and_policies_once_and_writes_nothing(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    expect_scaling_reads(stubs, [target()], [policy()])
    result = run_module(elasticache_replication_group, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["auto_scaling"]["shards"] == dict(
        enabled=True, min_capacity=2, max_capacity=6, policy_name="storagekit-shards-target-tracking",
        target_value=60.0, metric="ElastiCachePrimaryEngineCPUUtilization",
        scale_in_cooldown=600, scale_out_cooldown=600, disable_scale_in=False,
    )


def test_a_target_value_change_only_updates_the_policy(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    scaling = expect_scaling_reads(stubs, [target()], [policy(target_value=50.0)])
    expect_put_policy(scaling)
    result = run_module(elasticache_replication_group, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["auto_scaling/shards"]["target_value"] == 50.0
    assert result["diff"]["after"]["auto_scaling/shards"]["target_value"] == 60.0


def test_a_capacity_change_only_registers_the_target_again(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    scaling = expect_scaling_reads(stubs, [target(max_capacity=4)], [policy()])
    expect_register(scaling)
    result = run_module(elasticache_replication_group, ARGS)
    assert result["changed"] is True


def test_disable_deregisters_the_target(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    scaling = expect_scaling_reads(stubs, [target()], [policy()])
    scaling.add_response(
        "deregister_scalable_target", {}, dict(ServiceNamespace="elasticache", ResourceId=RESOURCE_ID, ScalableDimension=SHARDS)
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, auto_scaling=dict(shards=dict(enabled=False))))
    assert result["changed"] is True
    assert result["auto_scaling"]["shards"] == dict(enabled=False)


def test_disable_without_a_target_changes_nothing(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    expect_scaling_reads(stubs, [])
    result = run_module(elasticache_replication_group, dict(name=NAME, auto_scaling=dict(shards=dict(enabled=False))))
    assert result["changed"] is False


def test_check_mode_makes_no_write_and_predicts_the_settings(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    expect_scaling_reads(stubs, [target()], [policy(target_value=50.0)])
    result = run_module(elasticache_replication_group, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["auto_scaling"]["shards"]["target_value"] == 60.0
    assert "auto_scaling/shards" in result["diff"]["after"]


def test_writes_wait_for_a_busy_group_first(stubs, run_module):
    expect_describe(stubs, group(status="modifying", cluster=True))
    scaling = expect_scaling_reads(stubs, [])
    expect_describe(stubs, group(cluster=True))
    expect_register(scaling)
    expect_put_policy(scaling)
    result = run_module(elasticache_replication_group, dict(ARGS, wait=False))
    assert result["changed"] is True


def test_create_applies_auto_scaling_once_the_group_is_available(stubs, run_module):
    expect_describe(stubs, None)
    stubs["elasticache"].add_response(
        "create_replication_group", dict(ReplicationGroup=group(status="creating", cluster=True, shards=2))
    )
    expect_describe(stubs, group(cluster=True))
    scaling = stubs["application-autoscaling"]
    expect_register(scaling)
    expect_put_policy(scaling)
    args = dict(ARGS, cluster_mode="enabled", shards=2, node_type="cache.r7g.large", transit_encryption=False, wait=False)
    result = run_module(elasticache_replication_group, args)
    assert result["changed"] is True
    assert result["auto_scaling"]["shards"]["min_capacity"] == 2


@pytest.mark.parametrize(
    "args",
    [
        dict(ARGS, cluster_mode="disabled"),
        dict(name=NAME, auto_scaling=dict(shards=dict(min_capacity=2))),
        dict(name=NAME, auto_scaling=dict(replicas=dict(min_capacity=3, max_capacity=2, target_value=50))),
        dict(name=NAME, auto_scaling=dict(replicas=dict(min_capacity=0, max_capacity=6, target_value=50))),
        dict(name=NAME, auto_scaling=dict(replicas=dict(min_capacity=0, max_capacity=2, target_value=150))),
    ],
)
def test_invalid_auto_scaling_is_refused_before_any_call(stubs, run_module, args):
    result = run_module(elasticache_replication_group, args, expect_failure=True)
    assert "auto_scaling" in result["msg"]


@pytest.mark.parametrize("scaling", [SHARD_SCALING, dict(replicas=dict(min_capacity=1, max_capacity=3, target_value=70))])
def test_auto_scaling_is_refused_for_a_group_with_cluster_mode_disabled_after_one_read(stubs, run_module, scaling):
    expect_describe(stubs, group())
    result = run_module(elasticache_replication_group, dict(name=NAME, auto_scaling=scaling), expect_failure=True)
    assert "cluster mode disabled" in result["msg"]


def test_auto_scaling_is_refused_for_a_new_group_without_cluster_mode(stubs, run_module):
    expect_describe(stubs, None)
    result = run_module(elasticache_replication_group, dict(ARGS, node_type="cache.r7g.large"), expect_failure=True)
    assert "cluster_mode=enabled" in result["msg"]


def test_delete_deregisters_the_targets_first(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    scaling = expect_scaling_reads(stubs, [target(), target(REPLICAS, 1, 3)])
    for dimension in (SHARDS, REPLICAS):
        scaling.add_response(
            "deregister_scalable_target", {}, dict(ServiceNamespace="elasticache", ResourceId=RESOURCE_ID, ScalableDimension=dimension)
        )
    stubs["elasticache"].add_response(
        "delete_replication_group", dict(ReplicationGroup=group(status="deleting", cluster=True)), dict(ReplicationGroupId=NAME)
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, state="absent", final_snapshot=False, wait=False))
    assert result["changed"] is True


def test_check_mode_delete_deregisters_nothing(stubs, run_module):
    expect_describe(stubs, group(cluster=True))
    expect_scaling_reads(stubs, [target()])
    result = run_module(elasticache_replication_group, dict(name=NAME, state="absent"), check_mode=True)
    assert result["changed"] is True


def test_a_count_auto_scaling_changed_is_left_alone(stubs, run_module):
    # Auto scaling raised the shards to 4: shards=2 is only the count to create with.
    expect_describe(stubs, group(cluster=True, shards=4))
    expect_scaling_reads(stubs, [target()], [policy()])
    result = run_module(elasticache_replication_group, dict(ARGS, shards=2))
    assert result["changed"] is False


def test_a_count_is_still_managed_when_its_dimension_is_not_scaled(stubs, run_module):
    expect_describe(stubs, group(cluster=True, shards=2))
    expect_scaling_reads(stubs, [target()], [policy()])
    stubs["elasticache"].add_response(
        "increase_replica_count",
        dict(ReplicationGroup=group(status="modifying", cluster=True, replicas=2)),
        dict(ReplicationGroupId=NAME, NewReplicaCount=2, ApplyImmediately=True),
    )
    result = run_module(elasticache_replication_group, dict(ARGS, replicas_per_shard=2, wait=False))
    assert result["changed"] is True
