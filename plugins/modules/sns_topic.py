#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sns_topic
short_description: A standard SNS topic encrypted with a KMS key, with its access policy, subscriptions and tags
version_added: 0.1.0
description:
  - Creates, updates and deletes a standard SNS topic found by its name, with server-side encryption under a KMS
    key, the topic's access policy, e-mail and HTTPS subscriptions and tags; with check mode and diff.
  - A no-change run reads the topic list, the topic's attributes, and (when set) its subscriptions and tags, and
    writes nothing.
  - M(community.aws.sns_topic) cannot set a KMS key on a topic.
  - An e-mail or HTTPS subscription waits for its endpoint's confirmation; one not confirmed is left alone (SNS
    drops it after three days), a confirmed one not listed is removed.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the topic (1 to 256 letters, digits, hyphens and underscores).
    type: str
    required: true
  kms_master_key_id:
    description:
      - Id, ARN or alias of the KMS key that encrypts the topic's messages. When unset, the encryption is neither
        read nor changed; an empty string turns it off.
      - The key policy must let the publishing services use the key (C(kms:GenerateDataKey*), C(kms:Decrypt)).
    type: str
  policy:
    description: The topic's access policy. When unset, the policy is neither read nor changed.
    type: json
  email_subscriptions:
    description: E-mail addresses subscribed to the topic. When unset, subscriptions are neither read nor changed.
    type: list
    elements: str
  https_subscriptions:
    description:
      - HTTPS URLs subscribed to the topic (each must confirm the subscription SNS posts to it). When unset, HTTPS
        subscriptions are neither read nor changed.
    type: list
    elements: str
  state:
    description: Whether the topic exists.
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
- name: Topic for the events of a backup vault, encrypted, published to by AWS Backup only, over TLS only
  storagekit.aws.sns_topic:
    name: storagekit-backup-events
    kms_master_key_id: alias/storagekit-backup
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: BackupPublishes
          Effect: Allow
          Principal: {Service: backup.amazonaws.com}
          Action: SNS:Publish
          Resource: arn:aws:sns:eu-west-1:123456789012:storagekit-backup-events
        - Sid: DenyInsecureTransport
          Effect: Deny
          Principal: "*"
          Action: SNS:Publish
          Resource: arn:aws:sns:eu-west-1:123456789012:storagekit-backup-events
          Condition: {Bool: {"aws:SecureTransport": "false"}}
    email_subscriptions: [oncall@example.com]
    tags:
      managed-by: storagekit.aws
"""

RETURN = r"""
topic:
  description: The topic after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the topic.
      type: str
    arn:
      description: ARN of the topic (empty in check mode before it exists).
      type: str
    kms_master_key_id:
      description: The topic's KMS key; only when O(kms_master_key_id) is set.
      type: str
    email_subscriptions:
      description: Subscribed addresses, sorted; only when O(email_subscriptions) is set.
      type: list
      elements: str
    https_subscriptions:
      description: Subscribed URLs, sorted; only when O(https_subscriptions) is set.
      type: list
      elements: str
    tags:
      description: Tags of the topic; only when O(tags) is set.
      type: dict
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.sns_topic import PENDING
from ansible_collections.storagekit.aws.plugins.module_utils.sns_topic import subscriptions
from ansible_collections.storagekit.aws.plugins.module_utils.sns_topic import find_topic_arn

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    kms_master_key_id=dict(type="str"),
    policy=dict(type="json"),
    email_subscriptions=dict(type="list", elements="str"),
    https_subscriptions=dict(type="list", elements="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def wanted_attributes(params):
    """The topic attributes the options set, as SNS spells them."""
    attributes = {}
    if params["kms_master_key_id"] is not None:
        attributes["KmsMasterKeyId"] = params["kms_master_key_id"]
    if params["policy"] is not None:
        attributes["Policy"] = json.dumps(json.loads(params["policy"]), sort_keys=True)
    return attributes


def attribute_differs(name, current, wanted):
    if name == "Policy":
        return compare_policies(json.loads(current) if current else {}, json.loads(wanted))
    return (current or "") != wanted


def ensure_subscriptions(changes, client, arn, protocol, wanted, current):
    """Subscribe the missing endpoints of ``protocol`` and remove the confirmed ones not wanted; the endpoints
    after the run. ``current``: endpoint -> subscription ARN (empty for a topic this run creates)."""
    kept_pending = [address for address, sub in current.items() if sub == PENDING and address not in wanted]
    after = sorted(set(wanted) | set(kept_pending))
    if after == sorted(current):
        return after

    def write():
        for address in sorted(set(wanted) - set(current)):
            client.subscribe(aws_retry=True, TopicArn=arn, Protocol=protocol, Endpoint=address)
        for address, sub in sorted(current.items()):
            if address not in wanted and sub != PENDING:
                client.unsubscribe(aws_retry=True, SubscriptionArn=sub)

    changes.apply(protocol + "_subscriptions", sorted(current), after, write)
    return after


def ensure_present(module, client):
    params = module.params
    name = params["name"]
    changes = ChangeSet(module)
    attributes = wanted_attributes(params)
    arn = find_topic_arn(client, name)
    created = arn is None
    topic = dict(name=name, arn=arn or "")
    if created:
        request = dict(Name=name, Attributes=attributes)
        if params["tags"]:
            request["Tags"] = ansible_dict_to_boto3_tag_list(params["tags"])
        made = changes.apply("topic", None, dict(name=name, attributes=attributes),
                             lambda: client.create_topic(aws_retry=True, **request)) or {}
        arn = made.get("TopicArn")
        topic["arn"] = arn or ""
        if params["tags"] is not None:
            topic["tags"] = dict(params["tags"])
    else:
        current = client.get_topic_attributes(aws_retry=True, TopicArn=arn)["Attributes"]
        for key, value in attributes.items():
            if attribute_differs(key, current.get(key), value):
                changes.apply(key, current.get(key), value, lambda key=key, value=value: client.set_topic_attributes(
                    aws_retry=True, TopicArn=arn, AttributeName=key, AttributeValue=value))
        tags = apply_tag_options(
            module,
            changes,
            lambda: boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(aws_retry=True, ResourceArn=arn)["Tags"]),
            lambda keys: client.untag_resource(aws_retry=True, ResourceArn=arn, TagKeys=list(keys)),
            lambda tags_: client.tag_resource(aws_retry=True, ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags_)),
        )
        if tags is not None:
            topic["tags"] = tags
    if params["kms_master_key_id"] is not None:
        topic["kms_master_key_id"] = params["kms_master_key_id"]
    protocols = [p for p in ("email", "https") if params[p + "_subscriptions"] is not None]
    if protocols:
        # One listing for both protocols; a topic this run creates has none to read.
        current = dict((p, {}) for p in protocols) if created else subscriptions(client, arn, protocols)
        for protocol in protocols:
            key = protocol + "_subscriptions"
            topic[key] = ensure_subscriptions(changes, client, arn, protocol, params[key], current[protocol])
    return changes.result(topic=topic)


def ensure_absent(module, client):
    name = module.params["name"]
    return remove_one(module, "topic", "topic", find_topic_arn(client, name), lambda arn: dict(name=name, arn=arn),
                      lambda arn: client.delete_topic(aws_retry=True, TopicArn=arn))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    if not NAME_PATTERN.match(module.params["name"]):
        module.fail_json(msg="Invalid topic name {0!r}: 1 to 256 letters, digits, hyphens and underscores "
                             "(a standard topic).".format(module.params["name"]))
    bad_urls = [url for url in module.params["https_subscriptions"] or [] if not url.startswith("https://")]
    if bad_urls:
        module.fail_json(msg="https_subscriptions take https:// URLs only, not {0}".format(", ".join(bad_urls)))
    client = aws_client(module, "sns")
    run_state(module, "SNS topic {0}".format(module.params["name"]), ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
