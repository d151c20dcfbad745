"""What the finops role made, read with the services' own calls: monitors, subscriptions, cost allocation tags,
the budget with its notifications and their subscribers, and tags."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNT = "123456789012"
budgets, ce = local_clients(sys.argv[1], "budgets", "ce")
found = {"monitors": {}, "subscriptions": {}, "budget": None, "notifications": []}
for monitor in ce.get_anomaly_monitors()["AnomalyMonitors"]:
    monitor["tags"] = {t["Key"]: t["Value"] for t in ce.list_tags_for_resource(ResourceArn=monitor["MonitorArn"])["ResourceTags"]}
    found["monitors"][monitor["MonitorName"]] = monitor
for subscription in ce.get_anomaly_subscriptions()["AnomalySubscriptions"]:
    found["subscriptions"][subscription["SubscriptionName"]] = subscription
found["cost_allocation_tags"] = {t["TagKey"]: t["Status"] for t in ce.list_cost_allocation_tags()["CostAllocationTags"]}
names = [b["BudgetName"] for b in budgets.describe_budgets(AccountId=ACCOUNT).get("Budgets") or []]
if "sk-molecule-monthly" in names:
    found["budget"] = budgets.describe_budget(AccountId=ACCOUNT, BudgetName="sk-molecule-monthly")["Budget"]
    for notification in budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName="sk-molecule-monthly")["Notifications"]:
        notification.pop("NotificationState", None)
        subscribers = budgets.describe_subscribers_for_notification(
            AccountId=ACCOUNT, BudgetName="sk-molecule-monthly", Notification=notification)["Subscribers"]
        found["notifications"].append(dict(notification, Subscribers=subscribers))
    found["budget_tags"] = {t["Key"]: t["Value"] for t in budgets.list_tags_for_resource(
        ResourceARN="arn:aws:budgets::{0}:budget/sk-molecule-monthly".format(ACCOUNT))["ResourceTags"]}
print(json.dumps(found, default=str))
