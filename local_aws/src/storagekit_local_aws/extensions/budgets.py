"""AWS Budgets: what moto 5.2.5 lacks, following the botocore service model.

- UpdateBudget is missing: it replaces the budget (NewBudget) by name, keeping its notifications;
  NotFoundException for an unknown budget, InvalidParameterException without BudgetLimit or
  PlannedBudgetLimits (as CreateBudget).
- DescribeSubscribersForNotification is missing: the subscribers a notification was created with;
  NotFoundException for an unknown budget or notification.
- DescribeNotificationsForBudget of an unknown budget fails with a server error; AWS answers
  NotFoundException. CreateNotification of a notification the budget has adds a second copy; AWS
  answers DuplicateRecordException. DeleteNotification of one it lacks succeeds; AWS answers
  NotFoundException.
- ResourceTags of CreateBudget are dropped and TagResource, UntagResource, ListTagsForResource are
  missing: tags are kept here by budget ARN (arn:aws:budgets::ACCOUNT:budget/NAME) and dropped with
  the budget.
"""

import threading

from .base import ServiceExtension, aws_error, json_reply, validate_input

HANDLED = {
    "UpdateBudget", "DescribeSubscribersForNotification", "DescribeNotificationsForBudget", "CreateNotification",
    "DeleteNotification", "CreateBudget", "DeleteBudget", "TagResource", "UntagResource", "ListTagsForResource",
}


def budget_arn(account, name):
    return "arn:aws:budgets::{0}:budget/{1}".format(account, name)


def moto_budgets(exchange):
    from moto.budgets.models import budgets_backends

    return budgets_backends[exchange.account_id]["aws"].budgets


class BudgetsExtension(ServiceExtension):
    service = "budgets"

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.tags = {}  # budget ARN -> {key: value}

    def handle(self, exchange):
        if exchange.operation not in HANDLED:
            return None
        try:
            params = exchange.request_json()
        except ValueError:
            return aws_error(exchange, "SerializationException", "the request body is not a JSON object")
        problem = validate_input("budgets", exchange.operation, params)
        if problem:
            return aws_error(exchange, "InvalidParameterException", problem)
        with self.lock:
            return getattr(self, exchange.operation)(exchange, params)

    @staticmethod
    def _find(exchange, params):
        return moto_budgets(exchange)[params["AccountId"]].get(params["BudgetName"])

    @staticmethod
    def _missing(exchange, what):
        return aws_error(exchange, "NotFoundException", "Unable to {0} - the budget doesn't exist.".format(what))

    def UpdateBudget(self, exchange, params):
        new = dict(params["NewBudget"])
        found = moto_budgets(exchange)[params["AccountId"]].get(new["BudgetName"])
        if found is None:
            return self._missing(exchange, "update budget: " + new["BudgetName"])
        if "BudgetLimit" not in new and "PlannedBudgetLimits" not in new:
            return aws_error(exchange, "InvalidParameterException", "Unable to create/update budget - please provide "
                                                                    "one of the followings: Budget Limit/ Planned Budget Limit")
        new.setdefault("TimePeriod", found.budget["TimePeriod"])
        new["LastUpdatedTime"] = found.budget.get("LastUpdatedTime")
        found.budget = new
        return json_reply(exchange, {})

    def _notification(self, exchange, params, what):
        budget = self._find(exchange, params)
        if budget is None:
            return None, self._missing(exchange, what)
        for notification in budget.notifications:
            if notification.details == params["Notification"]:
                return notification, None
        return None, aws_error(exchange, "NotFoundException",
                               "Unable to {0} - the notification doesn't exist.".format(what))

    def DescribeSubscribersForNotification(self, exchange, params):
        notification, error = self._notification(exchange, params, "describe subscribers")
        return error or json_reply(exchange, {"Subscribers": notification.subscribers})

    def DescribeNotificationsForBudget(self, exchange, params):
        if self._find(exchange, params) is None:
            return self._missing(exchange, "describe notifications")
        return None

    def CreateNotification(self, exchange, params):
        budget = self._find(exchange, params)
        if budget is not None and params["Notification"] in budget.get_notifications():
            return aws_error(exchange, "DuplicateRecordException",
                             "Error creating notification: the notification already exists.")
        return None

    def DeleteNotification(self, exchange, params):
        return self._notification(exchange, params, "delete notification")[1]

    def CreateBudget(self, exchange, params):
        if params.get("ResourceTags") and params["Budget"]["BudgetName"] not in moto_budgets(exchange)[params["AccountId"]]:
            arn = budget_arn(params["AccountId"], params["Budget"]["BudgetName"])
            self.tags[arn] = {tag["Key"]: tag["Value"] for tag in params["ResourceTags"]}
        return None

    def DeleteBudget(self, exchange, params):
        self.tags.pop(budget_arn(params["AccountId"], params["BudgetName"]), None)
        return None

    def _tagged(self, exchange, arn):
        parts = arn.split(":")
        name = arn.rpartition(":budget/")[2]
        if len(parts) < 6 or ":budget/" not in arn or name not in moto_budgets(exchange)[parts[4]]:
            return None
        return self.tags.setdefault(arn, {})

    def TagResource(self, exchange, params):
        tags = self._tagged(exchange, params["ResourceARN"])
        if tags is None:
            return aws_error(exchange, "NotFoundException", "Resource {0} not found".format(params["ResourceARN"]))
        tags.update({tag["Key"]: tag["Value"] for tag in params["ResourceTags"]})
        return json_reply(exchange, {})

    def UntagResource(self, exchange, params):
        tags = self._tagged(exchange, params["ResourceARN"])
        if tags is None:
            return aws_error(exchange, "NotFoundException", "Resource {0} not found".format(params["ResourceARN"]))
        for key in params["ResourceTagKeys"]:
            tags.pop(key, None)
        return json_reply(exchange, {})

    def ListTagsForResource(self, exchange, params):
        tags = self._tagged(exchange, params["ResourceARN"])
        if tags is None:
            return aws_error(exchange, "NotFoundException", "Resource {0} not found".format(params["ResourceARN"]))
        return json_reply(exchange, {"ResourceTags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]})
