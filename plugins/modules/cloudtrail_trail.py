#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudtrail_trail
short_description: A CloudTrail trail with advanced event selectors, logging status and tags
version_added: 0.1.0
description:
  - Creates, updates and deletes a CloudTrail trail found by its name, with its destination bucket and prefix, multi-region,
    global service events, log file validation, KMS key, CloudWatch Logs delivery, advanced event selectors, logging
    on or off, and tags; with check mode and diff.
  - A no-change run reads the trail (C(GetTrail)) and, when the options set them, its selectors, logging status and
    tags, and writes nothing. Options left unset are neither read nor changed.
  - M(amazon.aws.cloudtrail) cannot set event selectors, so it cannot scope data events to given resources.
  - The advanced event selectors are checked before any call against what CloudTrail refuses (eventCategory, the
    fields each category supports, resources.type of data events, equals-only fields, 500 values in all).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the trail (3 to 128 letters, digits, periods, hyphens and underscores).
    type: str
    required: true
  state:
    description: V(absent) stops logging and deletes the trail; its bucket, key and log group are kept.
  s3_bucket_name:
    description:
      - The bucket CloudTrail writes log files to; required to create a trail. Its policy must let
        C(cloudtrail.amazonaws.com) call C(s3:GetBucketAcl) and C(s3:PutObject) for this trail (C(aws:SourceArn)).
    type: str
  s3_key_prefix:
    description: Key prefix of the log files in the bucket.
    type: str
  is_multi_region_trail:
    description: Whether the trail logs the events of every region.
    type: bool
  include_global_service_events:
    description: Whether the trail logs the events of global services such as IAM.
    type: bool
  enable_log_file_validation:
    description: Whether CloudTrail writes signed digest files that prove log files were not changed.
    type: bool
  kms_key_id:
    description:
      - KMS key that encrypts the log files (SSE-KMS), by ARN, id or alias; compared as its ARN. Its policy must let
        C(cloudtrail.amazonaws.com) call C(kms:GenerateDataKey*) with the trail's encryption context.
    type: str
  cloud_watch_logs_log_group_arn:
    description: ARN of the log group that also receives the events (C(arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*)).
    type: str
  cloud_watch_logs_role_arn:
    description: Role that CloudTrail assumes to write to the log group.
    type: str
  advanced_event_selectors:
    description:
      - The events the trail logs, replacing the current selectors (basic or advanced). The order of selectors,
        conditions and values does not matter.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the selector.
        type: str
      field_selectors:
        description: The conditions, all of which an event must meet.
        type: list
        elements: dict
        required: true
        suboptions:
          field:
            description: C(eventCategory) (required), C(resources.type), C(resources.ARN), C(readOnly), C(eventName), ...
            type: str
            required: true
          equals:
            description: Values the field equals.
            type: list
            elements: str
          starts_with:
            description: Prefixes of the field.
            type: list
            elements: str
          ends_with:
            description: Suffixes of the field.
            type: list
            elements: str
          not_equals:
            description: Values the field does not equal.
            type: list
            elements: str
          not_starts_with:
            description: Prefixes the field does not start with.
            type: list
            elements: str
          not_ends_with:
            description: Suffixes the field does not end with.
            type: list
            elements: str
  enable_logging:
    description: Whether the trail logs (C(StartLogging) / C(StopLogging)). When unset, the status is neither read nor changed.
    type: bool
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
- name: Multi-region trail with management events and the data events of two of the stack's resources
  storagekit.aws.cloudtrail_trail:
    name: shop-audit
    s3_bucket_name: shop-audit-logs-123456789012
    is_multi_region_trail: true
    include_global_service_events: true
    enable_log_file_validation: true
    kms_key_id: arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555
    advanced_event_selectors:
      - name: management events
        field_selectors:
          - {field: eventCategory, equals: [Management]}
      - name: objects of the uploads bucket
        field_selectors:
          - {field: eventCategory, equals: [Data]}
          - {field: resources.type, equals: ["AWS::S3::Object"]}
          - {field: resources.ARN, starts_with: ["arn:aws:s3:::shop-uploads/"]}
      - name: the orders table
        field_selectors:
          - {field: eventCategory, equals: [Data]}
          - {field: resources.type, equals: ["AWS::DynamoDB::Table"]}
          - {field: resources.ARN, equals: ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]}
    enable_logging: true
    tags:
      managed-by: storagekit.aws

- name: Stop and delete the trail (the bucket and its logs stay)
  storagekit.aws.cloudtrail_trail:
    name: shop-audit
    state: absent
"""

RETURN = r"""
trail:
  description: The trail after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the trail.
      type: str
    arn:
      description: ARN of the trail (empty in check mode before it exists).
      type: str
    home_region:
      description: Region the trail was created in.
      type: str
    s3_bucket_name:
      description: Bucket of the log files.
      type: str
    s3_key_prefix:
      description: Key prefix of the log files.
      type: str
    is_multi_region_trail:
      description: Whether the trail logs every region.
      type: bool
    include_global_service_events:
      description: Whether the trail logs global services.
      type: bool
    log_file_validation_enabled:
      description: Whether digest files are written.
      type: bool
    kms_key_id:
      description: ARN of the key of the log files.
      type: str
    cloud_watch_logs_log_group_arn:
      description: Log group that receives the events.
      type: str
    cloud_watch_logs_role_arn:
      description: Role CloudTrail assumes for the log group.
      type: str
    advanced_event_selectors:
      description: The advanced event selectors, in the spelling of the option; only when the option is set.
      type: list
      elements: dict
    is_logging:
      description: Whether the trail logs; only when O(enable_logging) is set.
      type: bool
    tags:
      description: Tags of the trail; only when O(tags) is set.
      type: dict
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.cloudtrail import TRAIL_SETTINGS
from ansible_collections.storagekit.aws.plugins.module_utils.cloudtrail import get_trail
from ansible_collections.storagekit.aws.plugins.module_utils.cloudtrail import key_arn
from ansible_collections.storagekit.aws.plugins.module_utils.cloudtrail import selector_problems
from ansible_collections.storagekit.aws.plugins.module_utils.cloudtrail import selectors_key
from ansible_collections.storagekit.aws.plugins.module_utils.cloudtrail import selectors_to_api
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.resource_tags import with_tags
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

VALUES = dict(type="list", elements="str")
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    s3_bucket_name=dict(type="str"),
    s3_key_prefix=dict(type="str", no_log=False),  # a key prefix, not a key
    is_multi_region_trail=dict(type="bool"),
    include_global_service_events=dict(type="bool"),
    enable_log_file_validation=dict(type="bool"),
    kms_key_id=dict(type="str"),
    cloud_watch_logs_log_group_arn=dict(type="str"),
    cloud_watch_logs_role_arn=dict(type="str"),
    advanced_event_selectors=dict(type="list", elements="dict", options=dict(
        name=dict(type="str"),
        field_selectors=dict(type="list", elements="dict", required=True, options=dict(
            field=dict(type="str", required=True),
            equals=VALUES, starts_with=VALUES, ends_with=VALUES,
            not_equals=VALUES, not_starts_with=VALUES, not_ends_with=VALUES,
        )),
    )),
    enable_logging=dict(type="bool"),
    **TAG_OPTIONS
)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")


def wanted_settings(module, kms):
    """The trail settings the options set: {option: value}, the KMS key as its ARN."""
    wanted = dict((option, module.params[option]) for option in TRAIL_SETTINGS if module.params[option] is not None)
    if wanted.get("kms_key_id"):
        wanted["kms_key_id"] = key_arn(kms, wanted["kms_key_id"])
    return wanted


def described(trail):
    """The trail as the module returns it."""
    result = dict(name=trail.get("Name"), arn=trail.get("TrailARN", ""), home_region=trail.get("HomeRegion", ""))
    for option, (dummy, field) in TRAIL_SETTINGS.items():
        result["log_file_validation_enabled" if option == "enable_log_file_validation" else option] = trail.get(field)
    return result


def ensure_selectors(changes, client, name, wanted, created):
    current = [] if created else client.get_event_selectors(aws_retry=True, TrailName=name).get("AdvancedEventSelectors")
    if selectors_key(current) != selectors_key(wanted):
        changes.apply("advanced_event_selectors", current, wanted, lambda: client.put_event_selectors(
            aws_retry=True, TrailName=name, AdvancedEventSelectors=wanted))


def ensure_logging(changes, client, name, wanted, created):
    current = False if created else client.get_trail_status(aws_retry=True, Name=name)["IsLogging"]
    if current != wanted:
        call = client.start_logging if wanted else client.stop_logging
        changes.apply("is_logging", current, wanted, lambda: call(aws_retry=True, Name=name))
    return wanted


def ensure_present(module, client, kms):
    params = module.params
    name = params["name"]
    changes = ChangeSet(module)
    wanted = wanted_settings(module, kms)
    selectors = selectors_to_api(params["advanced_event_selectors"]) if params["advanced_event_selectors"] is not None else None
    trail = get_trail(client, name)
    created = trail is None
    if created:
        if not params["s3_bucket_name"]:
            module.fail_json(msg="s3_bucket_name is required to create the trail {0}".format(name))
        # An empty string (no prefix, no CloudWatch Logs) is what a trail has when the parameter is left out.
        request = dict((TRAIL_SETTINGS[option][0], value) for option, value in wanted.items() if value != "")
        request["Name"] = name
        if params["tags"]:
            request["TagsList"] = ansible_dict_to_boto3_tag_list(params["tags"])
        made = changes.apply("trail", None, dict(wanted, name=name),
                             lambda: client.create_trail(aws_retry=True, **request)) or {}
        predicted = dict((TRAIL_SETTINGS[option][1], value) for option, value in wanted.items())
        predicted.update(made, Name=name)
        result = with_tags(module, described(predicted))
    else:
        result = described(trail)
        differing = dict((option, value) for option, value in wanted.items()
                         if (trail.get(TRAIL_SETTINGS[option][1]) or ("" if isinstance(value, str) else False)) != value)
        if differing:
            request = dict((TRAIL_SETTINGS[option][0], value) for option, value in differing.items())
            changes.apply("settings", dict((o, trail.get(TRAIL_SETTINGS[o][1])) for o in differing), differing,
                          lambda: client.update_trail(aws_retry=True, Name=name, **request))
            result.update(differing)
            if "enable_log_file_validation" in differing:
                result["log_file_validation_enabled"] = result.pop("enable_log_file_validation")
        with_tags(module, result, lambda: apply_tag_options(
            module, changes,
            lambda: boto3_tag_list_to_ansible_dict(
                client.list_tags(aws_retry=True, ResourceIdList=[trail["TrailARN"]])["ResourceTagList"][0].get("TagsList") or []),
            lambda keys: client.remove_tags(aws_retry=True, ResourceId=trail["TrailARN"],
                                            TagsList=[dict(Key=key) for key in keys]),
            lambda tags_: client.add_tags(aws_retry=True, ResourceId=trail["TrailARN"],
                                          TagsList=ansible_dict_to_boto3_tag_list(tags_)),
        ))
    if selectors is not None:
        ensure_selectors(changes, client, name, selectors, created)
        result["advanced_event_selectors"] = params["advanced_event_selectors"]
    if params["enable_logging"] is not None:
        result["is_logging"] = ensure_logging(changes, client, name, params["enable_logging"], created)
    return changes.result(trail=result)


def delete(module, changes, trail, client):
    def write():
        client.stop_logging(aws_retry=True, Name=trail["TrailARN"])
        client.delete_trail(aws_retry=True, Name=trail["TrailARN"])

    changes.apply("trail", described(trail), None, write)


def ensure_absent(module, client, kms):
    return remove_found(module, "trail", get_trail(client, module.params["name"]), delete, client)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True,
                              required_together=[("cloud_watch_logs_log_group_arn", "cloud_watch_logs_role_arn")])
    params = module.params
    if not NAME_PATTERN.match(params["name"]) or ".." in params["name"]:
        module.fail_json(msg="Invalid trail name {0!r}: 3 to 128 letters, digits, periods, hyphens and underscores, "
                             "starting and ending with a letter or digit.".format(params["name"]))
    if params["advanced_event_selectors"] is not None:
        problems = selector_problems(selectors_to_api(params["advanced_event_selectors"]))
        if problems:
            module.fail_json(msg="Invalid advanced event selectors: " + "; ".join(problems), problems=problems)
    client = aws_client(module, "cloudtrail")
    kms = aws_client(module, "kms")
    run_state(module, "CloudTrail trail {0}".format(params["name"]), ensure_present, ensure_absent, client, kms)


if __name__ == "__main__":
    main()
