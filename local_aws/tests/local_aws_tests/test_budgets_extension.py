"""AWS Budgets additions: UpdateBudget, subscribers of a notification, tags, AWS's NotFound answers."""

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

ACCOUNT = "123456789012"
ACTUAL = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0,
          "ThresholdType": "PERCENTAGE"}
EMAIL = [{"SubscriptionType": "EMAIL", "Address": "ops@example.com"}]


@pytest.fixture
def budgets(aws, boto3_client):
    assert_local(aws)
    client = boto3_client("budgets", attempts=1)
    client.create_budget(AccountId=ACCOUNT, Budget={
        "BudgetName": "shop", "BudgetType": "COST", "TimeUnit": "MONTHLY",
        "BudgetLimit": {"Amount": "100.0", "Unit": "USD"},
        "CostFilters": {"TagKeyValue": ["user:application$shop"]},
    }, NotificationsWithSubscribers=[{"Notification": ACTUAL, "Subscribers": EMAIL}],
        ResourceTags=[{"Key": "application", "Value": "shop"}])
    return client


def test_update_budget_keeps_notifications(budgets):
    budgets.update_budget(AccountId=ACCOUNT, NewBudget={
        "BudgetName": "shop", "BudgetType": "COST", "TimeUnit": "MONTHLY",
        "BudgetLimit": {"Amount": "250.0", "Unit": "USD"}, "CostFilters": {"TagKeyValue": ["user:application$shop"]},
    })
    budget = budgets.describe_budget(AccountId=ACCOUNT, BudgetName="shop")["Budget"]
    assert budget["BudgetLimit"]["Amount"] == "250.0"
    assert budget["CostFilters"] == {"TagKeyValue": ["user:application$shop"]}
    assert budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName="shop")["Notifications"] == [ACTUAL]


def test_update_of_unknown_budget_or_without_limit_is_refused(budgets):
    with pytest.raises(ClientError) as excinfo:
        budgets.update_budget(AccountId=ACCOUNT, NewBudget={"BudgetName": "gone", "BudgetType": "COST",
                                                            "TimeUnit": "MONTHLY", "BudgetLimit": {"Amount": "1", "Unit": "USD"}})
    assert error_code(excinfo) == "NotFoundException"
    with pytest.raises(ClientError) as excinfo:
        budgets.update_budget(AccountId=ACCOUNT, NewBudget={"BudgetName": "shop", "BudgetType": "COST", "TimeUnit": "MONTHLY"})
    assert error_code(excinfo) == "InvalidParameterException"


def test_subscribers_of_a_notification(budgets):
    answer = budgets.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName="shop", Notification=ACTUAL)
    assert answer["Subscribers"] == EMAIL
    other = dict(ACTUAL, NotificationType="FORECASTED")
    with pytest.raises(ClientError) as excinfo:
        budgets.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName="shop", Notification=other)
    assert error_code(excinfo) == "NotFoundException"
    with pytest.raises(ClientError) as excinfo:
        budgets.delete_notification(AccountId=ACCOUNT, BudgetName="shop", Notification=other)
    assert error_code(excinfo) == "NotFoundException"
    with pytest.raises(ClientError) as excinfo:
        budgets.create_notification(AccountId=ACCOUNT, BudgetName="shop", Notification=ACTUAL, Subscribers=EMAIL)
    assert error_code(excinfo) == "DuplicateRecordException"


def test_notifications_of_unknown_budget(budgets):
    with pytest.raises(ClientError) as excinfo:
        budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName="gone")
    assert error_code(excinfo) == "NotFoundException"


def test_tags_by_budget_arn(budgets):
    arn = "arn:aws:budgets::{0}:budget/shop".format(ACCOUNT)
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "application", "Value": "shop"}]
    budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "team", "Value": "web"}])
    budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["application"])
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "team", "Value": "web"}]
    budgets.delete_budget(AccountId=ACCOUNT, BudgetName="shop")
    with pytest.raises(ClientError) as excinfo:
        budgets.list_tags_for_resource(ResourceARN=arn)
    assert error_code(excinfo) == "NotFoundException"
