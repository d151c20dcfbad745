# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Budgets: a cost budget and its notifications as the options give them and as AWS answers them.

AWS Budgets keeps amounts as decimal strings ("100.0") and adds fields nobody set (CostTypes, CalculatedSpend,
NotificationState), so both sides are brought to one shape before they are compared.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from decimal import Decimal

BUDGETS_REGION = "us-east-1"
MAX_SUBSCRIBERS = 10


def tag_filter(tags):
    """CostFilters of the spend of resources carrying any of the values of each tag key."""
    if not tags:
        return {}
    values = []
    for key, wanted in sorted(tags.items()):
        for value in sorted(wanted if isinstance(wanted, list) else [wanted]):
            values.append("user:{0}${1}".format(key, value))
    return {"TagKeyValue": values}


def wanted_budget(params):
    """The Budget of the options."""
    return dict(
        BudgetName=params["name"], BudgetType="COST", TimeUnit=params["time_unit"],
        BudgetLimit=dict(Amount=str(params["amount"]), Unit=params["currency"]),
        CostFilters=tag_filter(params["cost_filter_tags"]),
    )


def comparable_budget(budget):
    limit = budget.get("BudgetLimit") or {}
    filters = dict((k, sorted(v)) for k, v in (budget.get("CostFilters") or {}).items())
    return dict(TimeUnit=budget.get("TimeUnit"), BudgetType=budget.get("BudgetType"),
                Amount=format(Decimal(limit.get("Amount") or "0").normalize(), "f"), Unit=limit.get("Unit"), CostFilters=filters)


def wanted_notifications(params):
    """[(Notification, Subscribers)] of the options."""
    found = []
    for item in params["notifications"] or []:
        notification = dict(NotificationType=item["type"], ComparisonOperator=item["comparison"],
                            Threshold=float(item["threshold"]), ThresholdType=item["threshold_type"])
        subscribers = [dict(SubscriptionType="EMAIL", Address=a) for a in sorted(item.get("emails") or [])]
        if item.get("sns_topic_arn"):
            subscribers.append(dict(SubscriptionType="SNS", Address=item["sns_topic_arn"]))
        found.append((notification, subscribers))
    return found


def notification_key(notification):
    """What identifies a notification of a budget: AWS Budgets names them by these four fields."""
    return (notification["NotificationType"], notification["ComparisonOperator"], float(notification["Threshold"]),
            notification.get("ThresholdType", "PERCENTAGE"))


def sorted_subscribers(subscribers):
    return sorted((dict(SubscriptionType=s["SubscriptionType"], Address=s["Address"]) for s in subscribers),
                  key=lambda s: (s["SubscriptionType"], s["Address"]))


def notification_problems(items):
    """Everything wrong with the notifications option, before any call."""
    problems = []
    seen = set()
    for index, item in enumerate(items or []):
        where = "notifications[{0}]".format(index)
        if item["threshold"] is None or item["threshold"] <= 0:
            problems.append("{0}: threshold must be above 0".format(where))
        if not item.get("emails") and not item.get("sns_topic_arn"):
            problems.append("{0}: set emails, sns_topic_arn or both".format(where))
        if len(item.get("emails") or []) > MAX_SUBSCRIBERS:
            problems.append("{0}: at most {1} e-mail addresses".format(where, MAX_SUBSCRIBERS))
        key = (item["type"], item["comparison"], item["threshold"], item["threshold_type"])
        if key in seen:
            problems.append("{0}: the same notification twice".format(where))
        seen.add(key)
    return problems


def budget_arn(account, name):
    return "arn:aws:budgets::{0}:budget/{1}".format(account, name)
