"""cost_anomaly_subscription: thresholds as a ThresholdExpression; one read a no-change run; only what differs
updated; bad thresholds and subscribers refused before any call."""

import pytest

from ansible_collections.storagekit.aws.plugins.modules import cost_anomaly_subscription

MONITOR = "arn:aws:ce::123456789012:anomalymonitor/11111111-2222-3333-4444-555555555555"
ARN = "arn:aws:ce::123456789012:anomalysubscription/66666666-2222-3333-4444-555555555555"
TOPIC = "arn:aws:sns:us-east-1:123456789012:shop-alarms"
ARGS = dict(name="shop-anomalies", monitor_arns=[MONITOR], sns_topic_arn=TOPIC, threshold_absolute=100,
            threshold_percentage=20)


def dimension(key, value):
    return {"Dimensions": {"Key": key, "MatchOptions": ["GREATER_THAN_OR_EQUAL"], "Values": [value]}}


EXPRESSION = {"Or": [dimension("ANOMALY_TOTAL_IMPACT_ABSOLUTE", "100"), dimension("ANOMALY_TOTAL_IMPACT_PERCENTAGE", "20")]}


def subscription(**changed):
    found = dict(SubscriptionArn=ARN, AccountId="123456789012", MonitorArnList=[MONITOR], SubscriptionName="shop-anomalies",
                 Subscribers=[{"Address": TOPIC, "Type": "SNS", "Status": "CONFIRMED"}], Frequency="IMMEDIATE",
                 ThresholdExpression={"Or": list(reversed(EXPRESSION["Or"]))})  # another order, the same expression
    found.update(changed)
    return found


def expect_list(stubs, *found):
    stubs["ce"].add_response("get_anomaly_subscriptions", {"AnomalySubscriptions": list(found)}, {})


def test_create(stubs, run_module):
    expect_list(stubs)
    stubs["ce"].add_response("create_anomaly_subscription", {"SubscriptionArn": ARN}, {"AnomalySubscription": dict(
        SubscriptionName="shop-anomalies", MonitorArnList=[MONITOR], Subscribers=[{"Address": TOPIC, "Type": "SNS"}],
        Frequency="IMMEDIATE", ThresholdExpression=EXPRESSION)})
    result = run_module(cost_anomaly_subscription, ARGS)
    assert result["changed"] is True
    assert result["subscription"]["arn"] == ARN


def test_no_change_is_one_read(stubs, run_module):
    expect_list(stubs, subscription())
    assert run_module(cost_anomaly_subscription, ARGS)["changed"] is False


def test_threshold_drift_updates_the_threshold_only(stubs, run_module):
    expect_list(stubs, subscription(ThresholdExpression=dimension("ANOMALY_TOTAL_IMPACT_ABSOLUTE", "500")))
    stubs["ce"].add_response("update_anomaly_subscription", {"SubscriptionArn": ARN},
                             {"SubscriptionArn": ARN, "ThresholdExpression": EXPRESSION})
    result = run_module(cost_anomaly_subscription, ARGS, diff=True)
    assert result["changed"] is True
    assert list(result["diff"]["after"]["subscription"]) == ["ThresholdExpression"]


def test_check_mode_writes_nothing(stubs, run_module):
    expect_list(stubs, subscription(Frequency="DAILY"))
    assert run_module(cost_anomaly_subscription, ARGS, check_mode=True)["changed"] is True


@pytest.mark.parametrize("change, message", [
    (dict(threshold_absolute=0), "threshold_absolute must be above 0"),
    (dict(threshold_percentage=-5), "threshold_percentage must be above 0"),
    (dict(threshold_absolute=None, threshold_percentage=None), "set threshold_absolute, threshold_percentage or both"),
    (dict(emails=["ops@example.com"]), "IMMEDIATE notifies an SNS topic"),
    (dict(frequency="DAILY"), "DAILY sends e-mail"),
    (dict(monitor_arns=[]), "monitor_arns must name"),
])
def test_bad_input_is_refused_before_any_call(stubs, run_module, change, message):
    result = run_module(cost_anomaly_subscription, dict(ARGS, **change), expect_failure=True)
    assert message in result["msg"]
