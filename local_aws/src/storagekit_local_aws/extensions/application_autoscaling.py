"""Application Auto Scaling of ElastiCache replication groups: what moto 5.2.5 lacks, following
the botocore service model.

- moto refuses the "elasticache" namespace outright: its ServiceNamespace and ScalableDimension
  enums have no ElastiCache values, and widening them means replacing moto's Enum classes. So
  RegisterScalableTarget, DescribeScalableTargets, DeregisterScalableTarget, PutScalingPolicy,
  DescribeScalingPolicies and DeleteScalingPolicy of that namespace are answered here; every
  other namespace still goes to moto.
- What AWS checks: ResourceId "replication-group/<id>" of a group that exists in the local
  ElastiCache state with cluster mode enabled (AWS auto scales no other), ScalableDimension
  elasticache:replication-group:NodeGroups or elasticache:replication-group:Replicas, MinCapacity and MaxCapacity on the
  first registration and MinCapacity <= MaxCapacity (ValidationException); target-tracking
  policies on an ElastiCache metric only, and only for a registered target
  (ObjectNotFoundException); deregistering or deleting what does not exist
  (ObjectNotFoundException). Deregistering a target deletes its policies, as on AWS.
- Targets carry the service-linked RoleARN, CreationTime and ScalableTargetARN; policies their
  PolicyARN, CreationTime and the two target-tracking alarms (AlarmHigh, AlarmLow).
"""

import threading
import time
import uuid

from .base import ServiceExtension, aws_error, json_reply, validate_input
from .elasticache import ReplicationGroup
from .elasticache import moto_backend as elasticache_backend

NAMESPACE = "elasticache"
SHARDS = "elasticache:replication-group:NodeGroups"
REPLICAS = "elasticache:replication-group:Replicas"
RESOURCE_PREFIX = "replication-group/"
ROLE_NAME = "aws-service-role/elasticache.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG"
METRIC_PREFIX = "ElastiCache"


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def invalid(message):
    return Refused("ValidationException", message)


def not_found(message):
    return Refused("ObjectNotFoundException", message)


def listing(key, items, params):
    """The answer ``{key: this page's items}`` with a NextToken when more follow, for MaxResults / NextToken."""
    try:
        start = int(params.get("NextToken") or 0)
    except ValueError:
        raise Refused("InvalidNextTokenException", "Invalid token") from None
    end = start + (params.get("MaxResults") or 50)
    answer = {key: [dict(item) for item in items[start:end]]}
    if end < len(items):
        answer["NextToken"] = str(end)
    return answer


class ApplicationAutoScalingExtension(ServiceExtension):
    service = "application-autoscaling"

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._targets = {}  # (account, region) -> {(resource id, dimension): target}
        self._policies = {}  # (account, region) -> {(resource id, dimension, name): policy}
        self._handlers = {
            "RegisterScalableTarget": self.register_scalable_target,
            "DescribeScalableTargets": self.describe_scalable_targets,
            "DeregisterScalableTarget": self.deregister_scalable_target,
            "PutScalingPolicy": self.put_scaling_policy,
            "DescribeScalingPolicies": self.describe_scaling_policies,
            "DeleteScalingPolicy": self.delete_scaling_policy,
        }

    def reset(self):
        with self._lock:
            self._targets.clear()
            self._policies.clear()

    def handle(self, exchange):
        handler = self._handlers.get(exchange.operation)
        if handler is None:
            return None
        try:
            params = exchange.request_json()
        except ValueError:
            return aws_error(exchange, "SerializationException", "The request body is not a JSON object")
        if params.get("ServiceNamespace") != NAMESPACE:
            return None  # moto's namespaces
        problem = validate_input(self.service, exchange.operation, params)
        if problem:
            return aws_error(exchange, "ValidationException", problem)
        key = (exchange.account_id, exchange.call.region)
        try:
            with self._lock:
                targets = self._targets.setdefault(key, {})
                policies = self._policies.setdefault(key, {})
                return json_reply(exchange, handler(exchange, params, targets, policies))
        except Refused as error:
            return aws_error(exchange, error.code, error.message)

    # --- checks -----------------------------------------------------------------------------

    @staticmethod
    def _group(exchange, params):
        """The replication group of the call's ResourceId and ScalableDimension; ValidationException otherwise."""
        resource_id, dimension = params["ResourceId"], params["ScalableDimension"]
        if dimension not in (SHARDS, REPLICAS) or not resource_id.startswith(RESOURCE_PREFIX):
            raise invalid("Unsupported service namespace, resource type or scalable dimension")
        name = resource_id[len(RESOURCE_PREFIX):]
        group = elasticache_backend(exchange).replication_groups.get(name.lower())
        if not isinstance(group, ReplicationGroup):
            raise invalid(f"Replication group {name} does not exist.")
        if not group.cluster_enabled:
            raise invalid(f"Replication group {name} has cluster mode disabled: auto scaling needs cluster mode enabled.")
        return group

    @staticmethod
    def _target_text(params):
        return (f"service namespace: {params['ServiceNamespace']}, resource ID: {params['ResourceId']}, "
                f"scalable dimension: {params['ScalableDimension']}")

    # --- scalable targets -------------------------------------------------------------------

    def register_scalable_target(self, exchange, params, targets, policies):
        self._group(exchange, params)
        key = (params["ResourceId"], params["ScalableDimension"])
        target = targets.get(key)
        if target is None and ("MinCapacity" not in params or "MaxCapacity" not in params):
            raise invalid("MinCapacity and MaxCapacity are required to register a new scalable target.")
        low = params.get("MinCapacity", target and target["MinCapacity"])
        high = params.get("MaxCapacity", target and target["MaxCapacity"])
        if low < 0:
            raise invalid("Minimum capacity cannot be less than 0.")
        if low > high:
            raise invalid("Minimum capacity cannot be greater than maximum capacity.")
        if target is None:
            region, account = exchange.call.region, exchange.account_id
            target = {
                "ServiceNamespace": NAMESPACE,
                "ResourceId": params["ResourceId"],
                "ScalableDimension": params["ScalableDimension"],
                "RoleARN": params.get("RoleARN") or f"arn:aws:iam::{account}:role/{ROLE_NAME}",
                "CreationTime": time.time(),
                "ScalableTargetARN": (f"arn:aws:application-autoscaling:{region}:{account}:"
                                      f"scalable-target/{uuid.uuid4().hex[:32]}"),
            }
            targets[key] = target
        target.update(MinCapacity=low, MaxCapacity=high)
        if "SuspendedState" in params:
            target["SuspendedState"] = params["SuspendedState"]
        return {"ScalableTargetARN": target["ScalableTargetARN"]}

    @staticmethod
    def describe_scalable_targets(exchange, params, targets, policies):
        found = [t for t in targets.values()
                 if (not params.get("ResourceIds") or t["ResourceId"] in params["ResourceIds"])
                 and params.get("ScalableDimension") in (None, t["ScalableDimension"])]
        return listing("ScalableTargets", found, params)

    def deregister_scalable_target(self, exchange, params, targets, policies):
        key = (params["ResourceId"], params["ScalableDimension"])
        if key not in targets:
            raise not_found(f"No scalable target registered for {self._target_text(params)}")
        del targets[key]
        for policy_key in [k for k in policies if k[:2] == key]:
            del policies[policy_key]
        return {}

    # --- scaling policies -------------------------------------------------------------------

    def put_scaling_policy(self, exchange, params, targets, policies):
        self._group(exchange, params)
        key = (params["ResourceId"], params["ScalableDimension"])
        if key not in targets:
            raise not_found(f"No scalable target registered for {self._target_text(params)}")
        if params.get("PolicyType", "StepScaling") != "TargetTrackingScaling":
            raise invalid("ElastiCache replication groups support TargetTrackingScaling policies only.")
        config = params.get("TargetTrackingScalingPolicyConfiguration")
        if config is None:
            raise invalid("TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy.")
        predefined = config.get("PredefinedMetricSpecification")
        if predefined is None and config.get("CustomizedMetricSpecification") is None:
            raise invalid("Either PredefinedMetricSpecification or CustomizedMetricSpecification is required.")
        if predefined is not None and not predefined["PredefinedMetricType"].startswith(METRIC_PREFIX):
            raise invalid(f"Unsupported metric {predefined['PredefinedMetricType']} for service namespace {NAMESPACE}.")
        policy_key = key + (params["PolicyName"],)
        policy = policies.get(policy_key)
        if policy is None:
            region, account = exchange.call.region, exchange.account_id
            policy_arn = (f"arn:aws:autoscaling:{region}:{account}:scalingPolicy:{uuid.uuid4()}:"
                          f"resource/{NAMESPACE}/{params['ResourceId']}:policyName/{params['PolicyName']}")
            names = [f"TargetTracking-{params['ResourceId']}-{kind}-{uuid.uuid4()}" for kind in ("AlarmHigh", "AlarmLow")]
            alarms = [{"AlarmName": name, "AlarmARN": f"arn:aws:cloudwatch:{region}:{account}:alarm:{name}"} for name in names]
            policy = {
                "PolicyARN": policy_arn,
                "PolicyName": params["PolicyName"],
                "ServiceNamespace": NAMESPACE,
                "ResourceId": params["ResourceId"],
                "ScalableDimension": params["ScalableDimension"],
                "PolicyType": "TargetTrackingScaling",
                "Alarms": alarms,
                "CreationTime": time.time(),
            }
            policies[policy_key] = policy
        policy["TargetTrackingScalingPolicyConfiguration"] = config
        return {"PolicyARN": policy["PolicyARN"], "Alarms": [dict(a) for a in policy["Alarms"]]}

    @staticmethod
    def describe_scaling_policies(exchange, params, targets, policies):
        found = [p for p in policies.values()
                 if (not params.get("PolicyNames") or p["PolicyName"] in params["PolicyNames"])
                 and params.get("ResourceId") in (None, p["ResourceId"])
                 and params.get("ScalableDimension") in (None, p["ScalableDimension"])]
        return listing("ScalingPolicies", found, params)

    def delete_scaling_policy(self, exchange, params, targets, policies):
        policy_key = (params["ResourceId"], params["ScalableDimension"], params["PolicyName"])
        if policy_key not in policies:
            raise not_found(f"No scaling policy found for {self._target_text(params)}, policy name: {params['PolicyName']}")
        del policies[policy_key]
        return {}
