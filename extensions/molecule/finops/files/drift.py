"""Out-of-band changes the finops role must put back: the budget amount and the anomaly threshold."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

budgets, ce = local_clients(sys.argv[1], "budgets", "ce")
budget = budgets.describe_budget(AccountId="123456789012", BudgetName="sk-molecule-monthly")["Budget"]
new = {key: budget[key] for key in ("BudgetName", "BudgetType", "TimeUnit", "CostFilters", "TimePeriod")}
new["BudgetLimit"] = {"Amount": "900.0", "Unit": "USD"}
budgets.update_budget(AccountId="123456789012", NewBudget=new)
for subscription in ce.get_anomaly_subscriptions()["AnomalySubscriptions"]:
    if subscription["SubscriptionName"] == "sk-molecule-cost-anomalies":
        ce.update_anomaly_subscription(SubscriptionArn=subscription["SubscriptionArn"], Threshold=5000)
