"""autoscaling: which calls take one scalable dimension from what it has to what is wanted."""

from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import apply_target_tracking
from ansible_collections.storagekit.aws.plugins.module_utils.autoscaling import policy_request

TARGET = dict(ServiceNamespace="elasticache", ResourceId="replication-group/rg1", ScalableDimension="elasticache:replication-group:Replicas")
WANT = dict(
    enabled=True,
    min_capacity=1,
    max_capacity=3,
    policy_name="p",
    target_value=70.0,
    metric="ElastiCacheReplicaEngineCPUUtilization",
    scale_in_cooldown=600,
    scale_out_cooldown=300,
    disable_scale_in=False,
)


class Calls:
    """Stands in for the client and the write callback: records operation names and requests."""

    def __init__(self):
        self.made = []

    def __getattr__(self, name):
        return name

    def write(self, operation, **request):
        self.made.append((operation, request))


def run(want, have):
    calls = Calls()
    changed = apply_target_tracking(calls.write, calls, TARGET, want, have)
    return changed, [operation for operation, _request in calls.made]


def test_first_enable_registers_then_puts_the_policy():
    assert run(WANT, None) == (True, ["register_scalable_target", "put_scaling_policy"])


def test_the_same_settings_make_no_call():
    assert run(WANT, dict(WANT)) == (False, [])


def test_only_what_differs_is_written():
    assert run(WANT, dict(WANT, target_value=50.0)) == (True, ["put_scaling_policy"])
    assert run(WANT, dict(WANT, max_capacity=5)) == (True, ["register_scalable_target"])


def test_disable_deregisters_only_an_existing_target():
    assert run(dict(enabled=False), dict(WANT)) == (True, ["deregister_scalable_target"])
    assert run(dict(enabled=False), dict(enabled=False)) == (False, [])
    assert run(None, dict(WANT)) == (False, [])


def test_policy_request_leaves_unset_options_to_aws():
    assert policy_request(dict(target_value=70.0, metric="M")) == dict(
        TargetValue=70.0, PredefinedMetricSpecification=dict(PredefinedMetricType="M")
    )
    assert policy_request(WANT)["DisableScaleIn"] is False
    assert policy_request(WANT)["ScaleOutCooldown"] == 300
