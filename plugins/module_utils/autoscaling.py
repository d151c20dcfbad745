# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Application Auto Scaling target tracking, the same for every service that scales through it.

A scalable dimension is described by one flat dict: ``enabled``, ``min_capacity``,
``max_capacity``, ``policy_name``, ``target_value``, ``metric``, ``scale_in_cooldown``,
``scale_out_cooldown`` and ``disable_scale_in``. The services' modules only name their
namespace, resource ids, scalable dimensions and metrics.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.storagekit.aws.plugins.module_utils.compare import differs

CAPACITY_KEYS = ("min_capacity", "max_capacity")
POLICY_KEYS = ("policy_name", "target_value", "metric", "scale_in_cooldown", "scale_out_cooldown", "disable_scale_in")


def describe_targets(autoscaling, namespace, resource_ids):
    """The raw scalable targets of ``resource_ids``, in one call."""
    return autoscaling.describe_scalable_targets(aws_retry=True, ServiceNamespace=namespace, ResourceIds=list(resource_ids))[
        "ScalableTargets"
    ]


def _policy_settings(policy):
    config = policy.get("TargetTrackingScalingPolicyConfiguration") or {}
    return dict(
        policy_name=policy["PolicyName"],
        target_value=config.get("TargetValue"),
        metric=(config.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType"),
        scale_in_cooldown=config.get("ScaleInCooldown"),
        scale_out_cooldown=config.get("ScaleOutCooldown"),
        disable_scale_in=bool(config.get("DisableScaleIn")),
    )


def read_target_tracking(autoscaling, namespace, resource_ids, policy_names=None):
    """``{resource_id: {scalable_dimension: settings}}`` of the dimensions that have a scalable target.

    One describe_scalable_targets call covers every resource; policies are read only for resources
    that have a target, so a resource without auto scaling costs nothing more. When a dimension has
    several target-tracking policies, the one named in ``policy_names[dimension]`` wins.
    """
    scaling = dict((resource_id, {}) for resource_id in resource_ids)
    for target in describe_targets(autoscaling, namespace, resource_ids):
        if target["ResourceId"] in scaling:
            scaling[target["ResourceId"]][target["ScalableDimension"]] = dict(
                enabled=True, min_capacity=target["MinCapacity"], max_capacity=target["MaxCapacity"]
            )
    for resource_id, dimensions in scaling.items():
        if not dimensions:
            continue
        policies = autoscaling.describe_scaling_policies(aws_retry=True, ServiceNamespace=namespace, ResourceId=resource_id)[
            "ScalingPolicies"
        ]
        for policy in policies:
            dimension = policy.get("ScalableDimension")
            if policy.get("PolicyType") != "TargetTrackingScaling" or dimension not in dimensions:
                continue
            settings = dimensions[dimension]
            ours = (policy_names or {}).get(dimension)
            if "policy_name" not in settings or policy["PolicyName"] == ours:
                settings.update(_policy_settings(policy))
    return scaling


def policy_request(settings):
    """The TargetTrackingScalingPolicyConfiguration of ``settings``; unset options are left to AWS."""
    config = dict(
        TargetValue=settings["target_value"],
        PredefinedMetricSpecification=dict(PredefinedMetricType=settings["metric"]),
    )
    for key, field in (("scale_in_cooldown", "ScaleInCooldown"), ("scale_out_cooldown", "ScaleOutCooldown"), ("disable_scale_in", "DisableScaleIn")):
        if settings.get(key) is not None:
            config[field] = settings[key]
    return config


def apply_target_tracking(write, autoscaling, target, want, have):
    """Take one scalable dimension from ``have`` to ``want`` with only the calls that differ.

    ``target`` holds ServiceNamespace, ResourceId and ScalableDimension. ``write(operation,
    **request)`` records the change and makes the call outside check mode. Returns True when
    something changes.
    """
    have = have or dict(enabled=False)
    if want is None or not differs(want, have):
        return False
    if not want["enabled"]:
        if not have.get("enabled"):
            return False
        write(autoscaling.deregister_scalable_target, **target)
        return True
    if differs(dict((k, want[k]) for k in CAPACITY_KEYS), have):
        write(autoscaling.register_scalable_target, MinCapacity=want["min_capacity"], MaxCapacity=want["max_capacity"], **target)
    if differs(dict((k, want.get(k)) for k in POLICY_KEYS), have):
        write(
            autoscaling.put_scaling_policy,
            PolicyName=want["policy_name"],
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=policy_request(want),
            **target
        )
    return True


def deregister_targets(autoscaling, targets):
    """Remove raw scalable targets (and with them their policies), as before deleting their resource."""
    for target in targets:
        autoscaling.deregister_scalable_target(
            aws_retry=True,
            ServiceNamespace=target["ServiceNamespace"],
            ResourceId=target["ResourceId"],
            ScalableDimension=target["ScalableDimension"],
        )
