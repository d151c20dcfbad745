"""Cost Explorer additions: cost anomaly monitors and subscriptions, cost allocation tags."""

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code


@pytest.fixture
def ce(aws, boto3_client):
    assert_local(aws)
    return boto3_client("ce", attempts=1)


def absolute(value):
    return {"Dimensions": {"Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE", "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
                           "Values": [str(value)]}}


def service_monitor(ce, name="shop-services", **extra):
    return ce.create_anomaly_monitor(
        AnomalyMonitor={"MonitorName": name, "MonitorType": "DIMENSIONAL", "MonitorDimension": "SERVICE"}, **extra
    )["MonitorArn"]


def test_monitor_create_get_update_delete_with_tags(ce):
    arn = service_monitor(ce, ResourceTags=[{"Key": "application", "Value": "shop"}])
    tag_monitor = ce.create_anomaly_monitor(AnomalyMonitor={
        "MonitorName": "shop-tag", "MonitorType": "CUSTOM",
        "MonitorSpecification": {"Tags": {"Key": "application", "Values": ["shop"], "MatchOptions": ["EQUALS"]}},
    })["MonitorArn"]
    assert arn.startswith("arn:aws:ce::123456789012:anomalymonitor/")
    monitors = {m["MonitorArn"]: m for m in ce.get_anomaly_monitors()["AnomalyMonitors"]}
    assert monitors[arn]["MonitorDimension"] == "SERVICE"
    assert monitors[tag_monitor]["MonitorSpecification"]["Tags"]["Values"] == ["shop"]
    assert ce.list_tags_for_resource(ResourceArn=arn)["ResourceTags"] == [{"Key": "application", "Value": "shop"}]
    ce.update_anomaly_monitor(MonitorArn=arn, MonitorName="renamed")
    assert ce.get_anomaly_monitors(MonitorArnList=[arn])["AnomalyMonitors"][0]["MonitorName"] == "renamed"
    ce.delete_anomaly_monitor(MonitorArn=arn)
    assert ce.list_tags_for_resource(ResourceArn=arn)["ResourceTags"] == []
    with pytest.raises(ClientError) as excinfo:
        ce.get_anomaly_monitors(MonitorArnList=[arn])
    assert error_code(excinfo) == "UnknownMonitorException"


@pytest.mark.parametrize("monitor", [
    {"MonitorName": "m", "MonitorType": "DIMENSIONAL"},
    {"MonitorName": "m", "MonitorType": "CUSTOM", "MonitorDimension": "SERVICE"},
    {"MonitorName": "m", "MonitorType": "CUSTOM"},
])
def test_monitor_of_the_wrong_shape_is_refused(ce, monitor):
    with pytest.raises(ClientError) as excinfo:
        ce.create_anomaly_monitor(AnomalyMonitor=monitor)
    assert error_code(excinfo) == "ValidationException"
    assert ce.get_anomaly_monitors()["AnomalyMonitors"] == []


def test_subscription_create_get_update_delete(ce):
    monitor = service_monitor(ce)
    topic = "arn:aws:sns:us-east-1:123456789012:costs"
    arn = ce.create_anomaly_subscription(AnomalySubscription={
        "MonitorArnList": [monitor], "SubscriptionName": "shop", "Frequency": "IMMEDIATE",
        "Subscribers": [{"Address": topic, "Type": "SNS"}],
        "ThresholdExpression": {"Or": [absolute(100), {"Dimensions": {
            "Key": "ANOMALY_TOTAL_IMPACT_PERCENTAGE", "MatchOptions": ["GREATER_THAN_OR_EQUAL"], "Values": ["20"]}}]},
    }, ResourceTags=[{"Key": "application", "Value": "shop"}])["SubscriptionArn"]
    found = ce.get_anomaly_subscriptions(MonitorArn=monitor)["AnomalySubscriptions"]
    assert [s["SubscriptionArn"] for s in found] == [arn]
    assert found[0]["AccountId"] == "123456789012"
    assert found[0]["ThresholdExpression"]["Or"][0] == absolute(100)
    ce.update_anomaly_subscription(SubscriptionArn=arn, Threshold=250)  # the deprecated shorthand
    updated = ce.get_anomaly_subscriptions(SubscriptionArnList=[arn])["AnomalySubscriptions"][0]
    assert updated["ThresholdExpression"] == absolute(250)
    assert "Threshold" not in updated
    ce.delete_anomaly_subscription(SubscriptionArn=arn)
    assert ce.get_anomaly_subscriptions()["AnomalySubscriptions"] == []
    with pytest.raises(ClientError) as excinfo:
        ce.delete_anomaly_subscription(SubscriptionArn=arn)
    assert error_code(excinfo) == "UnknownSubscriptionException"


@pytest.mark.parametrize("change, code", [
    ({"ThresholdExpression": absolute(-1)}, "ValidationException"),
    ({"ThresholdExpression": absolute("lots")}, "ValidationException"),
    ({"ThresholdExpression": {"Dimensions": {"Key": "SERVICE", "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
                                             "Values": ["1"]}}}, "ValidationException"),
    ({"ThresholdExpression": {"Dimensions": {"Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE", "MatchOptions": ["EQUALS"],
                                             "Values": ["1"]}}}, "ValidationException"),
    ({"Threshold": 10.0}, "ValidationException"),  # both Threshold and ThresholdExpression
    ({"ThresholdExpression": None}, "ValidationException"),  # neither
    ({"Subscribers": [{"Address": "ops@example.com", "Type": "EMAIL"}]}, "ValidationException"),  # IMMEDIATE to e-mail
    ({"MonitorArnList": ["arn:aws:ce::123456789012:anomalymonitor/gone"]}, "UnknownMonitorException"),
])
def test_bad_subscriptions_are_refused(ce, change, code):
    subscription = {
        "MonitorArnList": [service_monitor(ce)], "SubscriptionName": "s", "Frequency": "IMMEDIATE",
        "Subscribers": [{"Address": "arn:aws:sns:us-east-1:123456789012:costs", "Type": "SNS"}],
        "ThresholdExpression": absolute(100),
    }
    subscription.update(change)
    subscription = {k: v for k, v in subscription.items() if v is not None}
    with pytest.raises(ClientError) as excinfo:
        ce.create_anomaly_subscription(AnomalySubscription=subscription)
    assert error_code(excinfo) == code
    assert ce.get_anomaly_subscriptions()["AnomalySubscriptions"] == []


def test_daily_subscription_to_email(ce):
    arn = ce.create_anomaly_subscription(AnomalySubscription={
        "MonitorArnList": [service_monitor(ce)], "SubscriptionName": "s", "Frequency": "DAILY",
        "Subscribers": [{"Address": "ops@example.com", "Type": "EMAIL"}], "Threshold": 50,
    })["SubscriptionArn"]
    with pytest.raises(ClientError) as excinfo:
        ce.update_anomaly_subscription(SubscriptionArn=arn, Frequency="IMMEDIATE")
    assert error_code(excinfo) == "ValidationException"


def test_cost_allocation_tags_status(ce):
    assert ce.list_cost_allocation_tags()["CostAllocationTags"] == []
    answer = ce.update_cost_allocation_tags_status(CostAllocationTagsStatus=[
        {"TagKey": "application", "Status": "Active"}, {"TagKey": "environment", "Status": "Inactive"}])
    assert answer["Errors"] == []
    active = ce.list_cost_allocation_tags(Status="Active")["CostAllocationTags"]
    assert [(t["TagKey"], t["Type"]) for t in active] == [("application", "UserDefined")]
    listed = ce.list_cost_allocation_tags(TagKeys=["environment"])["CostAllocationTags"]
    assert [(t["TagKey"], t["Status"]) for t in listed] == [("environment", "Inactive")]
