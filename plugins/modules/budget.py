#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: budget
short_description: An AWS Budgets cost budget filtered by tags, with actual and forecast notifications
version_added: 0.1.0
description:
  - Creates, updates and deletes an AWS Budgets cost budget found by its name, with its amount per month (or day,
    quarter, year), a filter on the spend of resources with given tag values, and its notifications (actual or
    forecasted spend above a percentage of the amount or an absolute amount) to e-mail addresses and an SNS topic;
    tags; with check mode and diff. Neither amazon.aws nor community.aws has a budgets module.
  - A budget without O(amount), an amount or notification threshold that is not above 0, or a notification without
    subscribers is refused before any call.
  - A no-change run reads the budget, its notifications, the subscribers of each (and the tags when O(tags) is set)
    and writes nothing. An amount changed out of band is put back with C(UpdateBudget); a notification whose
    subscribers differ is replaced.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the budget, unique in the account.
    type: str
    required: true
  account_id:
    description: The account of the budget; read with STS C(GetCallerIdentity) when unset.
    type: str
  amount:
    description: The budgeted cost per O(time_unit), in O(currency). Required with O(state=present).
    type: float
  currency:
    description: Unit of O(amount).
    type: str
    default: USD
  time_unit:
    description: The period the amount is for; the budget resets each period.
    type: str
    choices: [DAILY, MONTHLY, QUARTERLY, ANNUALLY]
    default: MONTHLY
  cost_filter_tags:
    description:
      - "Count only the spend of resources with these tags, C({key: value}) or C({key: [values]}). The keys must be
        active cost allocation tags (M(storagekit.aws.cost_allocation_tags))."
    type: dict
  notifications:
    description: The budget's notifications; the budget then has exactly these.
    type: list
    elements: dict
    suboptions:
      type:
        description: Notify on the actual spend or on the forecast of the period's spend.
        type: str
        choices: [ACTUAL, FORECASTED]
        required: true
      threshold:
        description: The threshold, in percent of O(amount) or in O(currency), as O(notifications[].threshold_type) says.
        type: float
        required: true
      threshold_type:
        description: Whether O(notifications[].threshold) is a percentage of the amount or an absolute amount.
        type: str
        choices: [PERCENTAGE, ABSOLUTE_VALUE]
        default: PERCENTAGE
      comparison:
        description: How the spend compares with the threshold.
        type: str
        choices: [GREATER_THAN, LESS_THAN, EQUAL_TO]
        default: GREATER_THAN
      emails:
        description: E-mail addresses notified (at most 10).
        type: list
        elements: str
      sns_topic_arn:
        description: SNS topic notified; its policy must let C(budgets.amazonaws.com) publish.
        type: str
  state:
    description: Whether the budget exists.
notes:
  - AWS Budgets is a global service; its endpoint is in us-east-1 whatever O(region) says.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: 500 USD a month for the shop stack; tell the team at 80 % actual and 100 % forecast
  storagekit.aws.budget:
    name: shop-monthly
    amount: 500
    cost_filter_tags:
      application: shop
    notifications:
      - type: ACTUAL
        threshold: 80
        emails: [finops@example.com]
      - type: FORECASTED
        threshold: 100
        emails: [finops@example.com]
        sns_topic_arn: arn:aws:sns:us-east-1:123456789012:shop-alarms
    tags:
      application: shop
"""

RETURN = r"""
budget:
  description: The budget after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the budget.
      type: str
    arn:
      description: ARN of the budget.
      type: str
    amount:
      description: The budgeted amount.
      type: float
    notifications:
      description: Number of notifications; only when O(notifications) is set.
      type: int
    tags:
      description: Tags of the budget; only when O(tags) is set.
      type: dict
"""

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils import reading
from ansible_collections.storagekit.aws.plugins.module_utils.budgets import BUDGETS_REGION
from ansible_collections.storagekit.aws.plugins.module_utils.budgets import budget_arn
from ansible_collections.storagekit.aws.plugins.module_utils.budgets import comparable_budget
from ansible_collections.storagekit.aws.plugins.module_utils.budgets import notification_key
from ansible_collections.storagekit.aws.plugins.module_utils.budgets import notification_problems
from ansible_collections.storagekit.aws.plugins.module_utils.budgets import sorted_subscribers
from ansible_collections.storagekit.aws.plugins.module_utils.budgets import wanted_budget
from ansible_collections.storagekit.aws.plugins.module_utils.budgets import wanted_notifications
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.resource_tags import with_tags
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.retries import caller_account
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

NOTIFICATION_OPTIONS = dict(
    type=dict(type="str", choices=["ACTUAL", "FORECASTED"], required=True),
    threshold=dict(type="float", required=True),
    threshold_type=dict(type="str", choices=["PERCENTAGE", "ABSOLUTE_VALUE"], default="PERCENTAGE"),
    comparison=dict(type="str", choices=["GREATER_THAN", "LESS_THAN", "EQUAL_TO"], default="GREATER_THAN"),
    emails=dict(type="list", elements="str"),
    sns_topic_arn=dict(type="str"),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    account_id=dict(type="str"),
    amount=dict(type="float"),
    currency=dict(type="str", default="USD"),
    time_unit=dict(type="str", choices=["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"], default="MONTHLY"),
    cost_filter_tags=dict(type="dict"),
    notifications=dict(type="list", elements="dict", options=NOTIFICATION_OPTIONS),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def find_budget(client, account, name):
    return reading.described(client.describe_budget, "Budget", "NotFoundException", AccountId=account, BudgetName=name)


def current_notifications(client, account, name):
    """{key: (Notification, sorted subscribers)} of the budget."""
    found = {}
    request = dict(AccountId=account, BudgetName=name)
    while True:
        page = client.describe_notifications_for_budget(aws_retry=True, **request)
        for notification in page.get("Notifications") or []:
            notification = dict((k, v) for k, v in notification.items() if k != "NotificationState")
            subscribers = client.describe_subscribers_for_notification(
                aws_retry=True, AccountId=account, BudgetName=name, Notification=notification)["Subscribers"]
            found[notification_key(notification)] = (notification, sorted_subscribers(subscribers))
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]


def ensure_notifications(changes, client, account, name, wanted):
    current = current_notifications(client, account, name)
    wanted = dict((notification_key(n), (n, sorted_subscribers(s))) for n, s in wanted)
    stale = [key for key in current if key not in wanted or current[key][1] != wanted[key][1]]
    missing = [key for key in wanted if key not in current or key in stale]
    if not stale and not missing:
        return

    def write():
        for key in stale:
            client.delete_notification(aws_retry=True, AccountId=account, BudgetName=name, Notification=current[key][0])
        for key in missing:
            client.create_notification(aws_retry=True, AccountId=account, BudgetName=name, Notification=wanted[key][0],
                                       Subscribers=wanted[key][1])

    changes.apply("notifications", described(current, stale), described(wanted, missing), write)


def described(found, keys):
    """The notifications ``keys`` of ``found`` with their subscribers, for the diff."""
    return [dict(found[key][0], Subscribers=found[key][1]) for key in sorted(keys)]


def ensure_present(module, client, account):
    params = module.params
    name = params["name"]
    arn = budget_arn(account, name)
    changes = ChangeSet(module)
    wanted = wanted_budget(params)
    notifications = wanted_notifications(params)
    current = find_budget(client, account, name)
    result = dict(name=name, arn=arn, amount=params["amount"])
    if params["notifications"] is not None:
        result["notifications"] = len(notifications)
    if current is None:
        request = dict(AccountId=account, Budget=wanted,
                       NotificationsWithSubscribers=[dict(Notification=n, Subscribers=s) for n, s in notifications])
        if params["tags"]:
            request["ResourceTags"] = ansible_dict_to_boto3_tag_list(params["tags"])
        changes.apply("budget", None, wanted, lambda: client.create_budget(aws_retry=True, **request))
        return changes.result(budget=with_tags(module, result))
    before, after = comparable_budget(current), comparable_budget(wanted)
    if before != after:
        new = dict(wanted, TimePeriod=current["TimePeriod"]) if current.get("TimePeriod") else wanted
        changes.apply("budget", dict((k, v) for k, v in before.items() if after[k] != v),
                      dict((k, v) for k, v in after.items() if before[k] != v),
                      lambda: client.update_budget(aws_retry=True, AccountId=account, NewBudget=new))
    if params["notifications"] is not None:
        ensure_notifications(changes, client, account, name, notifications)
    return changes.result(budget=with_tags(module, result, lambda: apply_tag_options(
        module, changes,
        lambda: boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(aws_retry=True, ResourceARN=arn)["ResourceTags"]),
        lambda keys: client.untag_resource(aws_retry=True, ResourceARN=arn, ResourceTagKeys=list(keys)),
        lambda tags_: client.tag_resource(aws_retry=True, ResourceARN=arn, ResourceTags=ansible_dict_to_boto3_tag_list(tags_)),
    )))


def ensure_absent(module, client, account):
    name = module.params["name"]
    return remove_one(module, "budget", "budget", find_budget(client, account, name), lambda found: dict(name=name),
                      lambda found: client.delete_budget(aws_retry=True, AccountId=account, BudgetName=name))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    if params["state"] == "present":
        problems = notification_problems(params["notifications"])
        if params["amount"] is None:
            problems.insert(0, "amount is required")
        elif params["amount"] <= 0:
            problems.insert(0, "amount must be above 0")
        if problems:
            module.fail_json(msg="Budget {0}: {1}".format(params["name"], "; ".join(problems)))
    try:
        account = caller_account(module, params["account_id"])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read the account of the budget")
    client = aws_client(module, "budgets", region=BUDGETS_REGION)
    run_state(module, "budget {0}".format(params["name"]), ensure_present, ensure_absent, client, account)


if __name__ == "__main__":
    main()
