#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudwatch_alarms
short_description: Many CloudWatch metric alarms that share a name prefix, in one task
version_added: 0.1.0
description:
  - Creates, updates and deletes the CloudWatch metric alarms whose names start with O(prefix), all in one task;
    one C(DescribeAlarms) call per 100 alarms reads them, each is compared with what is asked in one normalized
    shape (dimensions, action order and AWS's defaults do not count), C(PutMetricAlarm) is called only for the
    alarms that are new or differ, and C(DeleteAlarms) removes, 100 names a call, the alarms of the prefix that
    are not listed (O(purge=true)).
  - M(amazon.aws.cloudwatch_metric_alarm) manages one alarm per task, so a stack's alarms cost one module
    process and one read each.
  - Every alarm is checked before the first write, and all problems are reported at once - an unknown metric of
    the C(AWS/RDS), C(AWS/DynamoDB), C(AWS/ElastiCache), C(AWS/EFS), C(AWS/S3) and C(AWS/CloudFront)
    namespaces, a negative threshold of their metrics, a percentage above 100, a period CloudWatch refuses,
    more than 5 actions - as is every SNS topic the alarms notify (one C(GetTopicAttributes) per topic, only
    when something is to be written).
  - Tags are set when an alarm is created; C(PutMetricAlarm) ignores them on an existing alarm and they are
    neither read nor changed afterwards.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  prefix:
    description:
      - The name prefix of the alarms this task manages; every listed alarm's name must start with it.
      - With O(purge=true) the alarms of the prefix that are not listed are deleted, so give each stack its own.
    type: str
    required: true
  alarms:
    description: The alarms. Their options are those of C(PutMetricAlarm) for an alarm on one metric.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the alarm, starting with O(prefix).
        type: str
        required: true
      namespace:
        description: Namespace of the metric, for example C(AWS/RDS).
        type: str
        required: true
      metric_name:
        description: Name of the metric.
        type: str
        required: true
      dimensions:
        description: Dimensions of the metric, name to value.
        type: dict
        default: {}
      statistic:
        description: Statistic of the metric; C(Average) unless O(alarms[].extended_statistic) is set.
        type: str
        choices: [SampleCount, Average, Sum, Minimum, Maximum]
      extended_statistic:
        description: A percentile such as C(p99) instead of O(alarms[].statistic).
        type: str
      comparison_operator:
        description: How the statistic is compared with the threshold.
        type: str
        choices: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold]
        default: GreaterThanThreshold
      threshold:
        description: The threshold, in the metric's unit.
        type: float
        required: true
      period:
        description: Seconds of one evaluation period (10, 30 or a multiple of 60).
        type: int
        default: 300
      evaluation_periods:
        description: Periods the alarm looks at.
        type: int
        default: 1
      datapoints_to_alarm:
        description: Breaching periods out of O(alarms[].evaluation_periods) that set the alarm; all of them by default.
        type: int
      treat_missing_data:
        description: How periods without data count.
        type: str
        choices: [breaching, notBreaching, ignore, missing]
        default: missing
      unit:
        description: Unit of the metric; unset matches any.
        type: str
      description:
        description: Description of the alarm.
        type: str
        default: ""
      alarm_actions:
        description: ARNs notified when the alarm goes to ALARM; O(alarm_actions) when unset.
        type: list
        elements: str
      ok_actions:
        description: ARNs notified when the alarm goes back to OK; O(ok_actions) when unset.
        type: list
        elements: str
      insufficient_data_actions:
        description: ARNs notified when the alarm has too little data.
        type: list
        elements: str
        default: []
      actions_enabled:
        description: Whether the actions run.
        type: bool
        default: true
  alarm_actions:
    description: The alarm actions of every alarm that sets none of its own.
    type: list
    elements: str
    default: []
  ok_actions:
    description: The OK actions of every alarm that sets none of its own.
    type: list
    elements: str
    default: []
  verify_topics:
    description:
      - Check that the SNS topics the alarms notify exist before putting any alarm (one read per topic, only when
        an alarm is to be written). Turn it off for a topic an earlier task of the same run creates, which does not
        exist yet in check mode.
    type: bool
    default: true
  purge:
    description: Delete the alarms whose names start with O(prefix) and that are not in O(alarms).
    type: bool
    default: true
  state:
    description: C(absent) deletes every alarm whose name starts with O(prefix) (O(alarms) is ignored).
  tags:
    description: Tags of the alarms this task creates.
    type: dict
    aliases: [resource_tags]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: CPU and storage alarms of a database, notifying a topic
  storagekit.aws.cloudwatch_alarms:
    prefix: shop-
    alarm_actions: [arn:aws:sns:eu-west-1:123456789012:shop-alarms]
    ok_actions: [arn:aws:sns:eu-west-1:123456789012:shop-alarms]
    alarms:
      - name: shop-rds-shop-db-cpu
        namespace: AWS/RDS
        metric_name: CPUUtilization
        dimensions: {DBInstanceIdentifier: shop-db}
        threshold: 80
        evaluation_periods: 3
      - name: shop-rds-shop-db-free-storage
        namespace: AWS/RDS
        metric_name: FreeStorageSpace
        dimensions: {DBInstanceIdentifier: shop-db}
        comparison_operator: LessThanThreshold
        threshold: 2147483648
    tags:
      application: shop

- name: Remove every alarm of the stack
  storagekit.aws.cloudwatch_alarms:
    prefix: shop-
    state: absent
"""

RETURN = r"""
alarms:
  description: Names of the alarms of the prefix after the run (predicted in check mode), sorted.
  returned: always
  type: list
  elements: str
created:
  description: Names of the alarms created.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the alarms put again because they differed.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the alarms deleted.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import COMPARISON_OPERATORS
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import DELETE_BATCH
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import STATISTICS
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import TREAT_MISSING_DATA
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import alarm_problems
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import described
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import metric_alarms
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import normalized
from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import put_metric_alarm_request
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

ALARM_OPTIONS = dict(
    name=dict(type="str", required=True),
    namespace=dict(type="str", required=True),
    metric_name=dict(type="str", required=True),
    dimensions=dict(type="dict", default={}),
    statistic=dict(type="str", choices=list(STATISTICS)),
    extended_statistic=dict(type="str"),
    comparison_operator=dict(type="str", choices=list(COMPARISON_OPERATORS), default="GreaterThanThreshold"),
    threshold=dict(type="float", required=True),
    period=dict(type="int", default=300),
    evaluation_periods=dict(type="int", default=1),
    datapoints_to_alarm=dict(type="int"),
    treat_missing_data=dict(type="str", choices=list(TREAT_MISSING_DATA), default="missing"),
    unit=dict(type="str"),
    description=dict(type="str", default=""),
    alarm_actions=dict(type="list", elements="str"),
    ok_actions=dict(type="list", elements="str"),
    insufficient_data_actions=dict(type="list", elements="str", default=[]),
    actions_enabled=dict(type="bool", default=True),
)
ARGUMENT_SPEC = dict(
    prefix=dict(type="str", required=True),
    alarms=dict(type="list", elements="dict", options=ALARM_OPTIONS, default=[]),
    alarm_actions=dict(type="list", elements="str", default=[]),
    ok_actions=dict(type="list", elements="str", default=[]),
    verify_topics=dict(type="bool", default=True),
    purge=dict(type="bool", default=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    tags=dict(type="dict", aliases=["resource_tags"]),
)


def wanted_alarms(params):
    """The listed alarms with the task's default actions, normalized, by name."""
    wanted = {}
    for alarm in params["alarms"]:
        alarm = dict(alarm)
        for kind in ("alarm_actions", "ok_actions"):
            if alarm[kind] is None:
                alarm[kind] = params[kind]
        wanted[alarm["name"]] = normalized(alarm)
    return wanted


def input_problems(params):
    """Every problem of the task's input, so that one run reports them all before any write."""
    problems = []
    names = [alarm["name"] for alarm in params["alarms"]]
    for name in sorted(set(n for n in names if names.count(n) > 1)):
        problems.append("alarm {0} is listed more than once".format(name))
    for alarm in params["alarms"]:
        if not alarm["name"].startswith(params["prefix"]):
            problems.append("alarm {0}: the name must start with the prefix {1}".format(alarm["name"], params["prefix"]))
        problems.extend(alarm_problems(alarm))
    return problems


def missing_topics(client, alarms):
    """The SNS topic ARNs the alarms notify that do not exist."""
    topics = sorted(set(arn for alarm in alarms for kind in ("alarm_actions", "ok_actions", "insufficient_data_actions")
                        for arn in alarm[kind] if arn.startswith("arn:aws:sns:")))
    missing = []
    for arn in topics:
        try:
            client.get_topic_attributes(aws_retry=True, TopicArn=arn)
        except is_boto3_error_code("NotFound"):
            missing.append(arn)
    return missing


def delete_alarms(changes, client, current, names):
    for name in names:
        changes.apply(name, current[name], None)
    if names and changes.writes_allowed:
        for start in range(0, len(names), DELETE_BATCH):
            client.delete_alarms(aws_retry=True, AlarmNames=names[start:start + DELETE_BATCH])


def ensure_present(module, client):
    params = module.params
    changes = ChangeSet(module)
    wanted = wanted_alarms(params)
    found = metric_alarms(client, params["prefix"])
    current = dict((name, described(alarm)) for name, alarm in found.items())
    created = sorted(name for name in wanted if name not in current)
    updated = sorted(name for name in wanted if name in current and current[name] != wanted[name])
    deleted = sorted(name for name in current if name not in wanted) if params["purge"] else []
    to_put = created + updated
    if to_put and params["verify_topics"]:
        missing = missing_topics(aws_client(module, "sns"), [wanted[name] for name in to_put])
        if missing:
            module.fail_json(msg="The alarms notify SNS topics that do not exist: {0}".format(", ".join(missing)))
    tags = ansible_dict_to_boto3_tag_list(params["tags"]) if params["tags"] else None
    for name in to_put:
        request = put_metric_alarm_request(wanted[name], tags if name in created else None)
        changes.apply(name, current.get(name), wanted[name],
                      lambda request=request: client.put_metric_alarm(aws_retry=True, **request))
    delete_alarms(changes, client, current, deleted)
    after = sorted((set(current) - set(deleted)) | set(wanted))
    return changes.result(alarms=after, created=created, updated=updated, deleted=deleted)


def ensure_absent(module, client):
    changes = ChangeSet(module)
    current = dict((name, described(alarm)) for name, alarm in metric_alarms(client, module.params["prefix"]).items())
    deleted = sorted(current)
    delete_alarms(changes, client, current, deleted)
    return changes.result(alarms=[], created=[], updated=[], deleted=deleted)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    if not module.params["prefix"]:
        module.fail_json(msg="prefix must not be empty: with purge it would delete every alarm of the region")
    if module.params["state"] == "present":
        problems = input_problems(module.params)
        if problems:
            module.fail_json(msg="; ".join(problems), problems=problems)
    client = aws_client(module, "cloudwatch")
    run_state(module, "CloudWatch alarms {0}*".format(module.params["prefix"]), ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
