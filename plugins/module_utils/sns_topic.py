# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SNS topics: finding a topic by name and reading its e-mail and HTTPS subscriptions.

A subscription that waits for its confirmation has no ARN (SNS answers "PendingConfirmation") and cannot be
removed; SNS drops it when it is not confirmed within three days.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

PENDING = "PendingConfirmation"


def find_topic_arn(client, name):
    """The ARN of the standard topic named ``name``, or None."""
    request = {}
    while True:
        page = client.list_topics(aws_retry=True, **request)
        for topic in page.get("Topics") or []:
            if topic["TopicArn"].split(":")[-1] == name:
                return topic["TopicArn"]
        if not page.get("NextToken"):
            return None
        request["NextToken"] = page["NextToken"]


def subscriptions(client, topic_arn, protocols=("email",)):
    """The topic's subscriptions of ``protocols``: protocol -> {endpoint: subscription ARN or PendingConfirmation}."""
    found = dict((protocol, {}) for protocol in protocols)
    request = dict(TopicArn=topic_arn)
    while True:
        page = client.list_subscriptions_by_topic(aws_retry=True, **request)
        for subscription in page.get("Subscriptions") or []:
            if subscription.get("Protocol") in found:
                found[subscription["Protocol"]][subscription["Endpoint"]] = subscription["SubscriptionArn"]
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]
