"""budget: created with its notifications and tags in one call; a no-change run reads the budget, its
notifications, their subscribers and tags; an amount changed out of band is put back; bad input refused first."""

import pytest

from ansible_collections.storagekit.aws.plugins.modules import budget

ACCOUNT = "123456789012"
ARN = "arn:aws:budgets::123456789012:budget/shop-monthly"
EMAIL = [{"SubscriptionType": "EMAIL", "Address": "finops@example.com"}]
ACTUAL = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0,
          "ThresholdType": "PERCENTAGE"}
FORECAST = dict(ACTUAL, NotificationType="FORECASTED", Threshold=100.0)
ARGS = dict(name="shop-monthly", account_id=ACCOUNT, amount=500, cost_filter_tags={"application": "shop"},
            notifications=[dict(type="ACTUAL", threshold=80, emails=["finops@example.com"]),
                           dict(type="FORECASTED", threshold=100, emails=["finops@example.com"])],
            tags={"application": "shop"})
WANTED = {"BudgetName": "shop-monthly", "BudgetType": "COST", "TimeUnit": "MONTHLY",
          "BudgetLimit": {"Amount": "500.0", "Unit": "USD"}, "CostFilters": {"TagKeyValue": ["user:application$shop"]}}
PERIOD = {"Start": 1764547200, "End": 3706473600}


def expect_budget(stubs, amount="500.0"):
    found = dict(WANTED, BudgetLimit={"Amount": amount, "Unit": "USD"}, TimePeriod=PERIOD,
                 CostTypes={"IncludeTax": True})
    stubs["budgets"].add_response("describe_budget", {"Budget": found}, {"AccountId": ACCOUNT, "BudgetName": "shop-monthly"})


def expect_notifications(stubs, notifications=(ACTUAL, FORECAST), subscribers=tuple(EMAIL)):
    stubs["budgets"].add_response("describe_notifications_for_budget", {"Notifications": [
        dict(n, NotificationState="OK") for n in notifications]}, {"AccountId": ACCOUNT, "BudgetName": "shop-monthly"})
    for notification in notifications:
        stubs["budgets"].add_response("describe_subscribers_for_notification", {"Subscribers": list(subscribers)},
                                      {"AccountId": ACCOUNT, "BudgetName": "shop-monthly", "Notification": notification})


def expect_tags(stubs):
    stubs["budgets"].add_response("list_tags_for_resource", {"ResourceTags": [{"Key": "application", "Value": "shop"}]},
                                  {"ResourceARN": ARN})


def test_create_in_one_call(stubs, run_module):
    stubs["budgets"].add_client_error("describe_budget", "NotFoundException", "the budget doesn't exist")
    stubs["budgets"].add_response("create_budget", {}, {
        "AccountId": ACCOUNT, "Budget": WANTED,
        "NotificationsWithSubscribers": [{"Notification": ACTUAL, "Subscribers": EMAIL},
                                         {"Notification": FORECAST, "Subscribers": EMAIL}],
        "ResourceTags": [{"Key": "application", "Value": "shop"}]})
    result = run_module(budget, ARGS)
    assert result["changed"] is True
    assert result["budget"] == dict(name="shop-monthly", arn=ARN, amount=500.0, notifications=2, tags={"application": "shop"})


def test_no_change_writes_nothing(stubs, run_module):
    expect_budget(stubs)
    expect_notifications(stubs)
    expect_tags(stubs)
    assert run_module(budget, ARGS)["changed"] is False


def test_amount_changed_out_of_band_is_put_back(stubs, run_module):
    expect_budget(stubs, amount="900")
    stubs["budgets"].add_response("update_budget", {}, {"AccountId": ACCOUNT, "NewBudget": dict(WANTED, TimePeriod=PERIOD)})
    expect_notifications(stubs)
    expect_tags(stubs)
    result = run_module(budget, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"] == {"before": {"budget": {"Amount": "900"}}, "after": {"budget": {"Amount": "500"}}}


def test_a_notification_with_other_subscribers_is_replaced(stubs, run_module):
    other = [{"SubscriptionType": "EMAIL", "Address": "someone@example.com"}]
    expect_budget(stubs)
    stubs["budgets"].add_response("describe_notifications_for_budget", {"Notifications": [ACTUAL, FORECAST]},
                                  {"AccountId": ACCOUNT, "BudgetName": "shop-monthly"})
    for notification, subscribers in ((ACTUAL, other), (FORECAST, EMAIL)):
        stubs["budgets"].add_response("describe_subscribers_for_notification", {"Subscribers": subscribers},
                                      {"AccountId": ACCOUNT, "BudgetName": "shop-monthly", "Notification": notification})
    stubs["budgets"].add_response("delete_notification", {},
                                  {"AccountId": ACCOUNT, "BudgetName": "shop-monthly", "Notification": ACTUAL})
    stubs["budgets"].add_response("create_notification", {}, {
        "AccountId": ACCOUNT, "BudgetName": "shop-monthly", "Notification": ACTUAL, "Subscribers": EMAIL})
    result = run_module(budget, dict(ARGS, tags=None))
    assert result["changed"] is True


def test_check_mode_writes_nothing(stubs, run_module):
    expect_budget(stubs, amount="900")
    expect_notifications(stubs, notifications=(ACTUAL,))
    expect_tags(stubs)
    assert run_module(budget, ARGS, check_mode=True)["changed"] is True


@pytest.mark.parametrize("change, message", [
    (dict(amount=None), "amount is required"),
    (dict(amount=0), "amount must be above 0"),
    (dict(notifications=[dict(type="ACTUAL", threshold=0, emails=["a@example.com"])]), "threshold must be above 0"),
    (dict(notifications=[dict(type="ACTUAL", threshold=80)]), "set emails, sns_topic_arn or both"),
])
def test_bad_input_is_refused_before_any_call(stubs, run_module, change, message):
    result = run_module(budget, dict(ARGS, **change), expect_failure=True)
    assert message in result["msg"]


def test_delete(stubs, run_module):
    expect_budget(stubs)
    stubs["budgets"].add_response("delete_budget", {}, {"AccountId": ACCOUNT, "BudgetName": "shop-monthly"})
    assert run_module(budget, dict(name="shop-monthly", account_id=ACCOUNT, state="absent"))["changed"] is True
