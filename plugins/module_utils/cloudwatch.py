# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudWatch metric alarms and dashboards: validation, the comparable shape of an alarm, dashboard bodies.

An alarm is compared in one normalized shape (snake_case keys, dimensions as a dict, actions as sorted lists,
AWS's defaults filled in), so an alarm AWS answers with in another order or with defaults spelled out is the
same alarm and is not written again. The checks here run before any write, in the cloudwatch_alarms module
and in the storage_monitoring role's filter, so bad input changes nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# The metrics of the namespaces the collection's tiers publish to, as AWS documents them. An alarm on one of
# these namespaces with another metric name would never leave INSUFFICIENT_DATA, so it is refused.
KNOWN_METRICS = {
    "AWS/RDS": frozenset((
        "BinLogDiskUsage", "BurstBalance", "CheckpointLag", "ConnectionAttempts", "CPUCreditBalance",
        "CPUCreditUsage", "CPUUtilization", "DatabaseConnections", "DBLoad", "DBLoadCPU", "DBLoadNonCPU",
        "DiskQueueDepth", "EBSByteBalance%", "EBSIOBalance%", "FreeableMemory", "FreeLocalStorage",
        "FreeStorageSpace", "MaximumUsedTransactionIDs", "NetworkReceiveThroughput", "NetworkTransmitThroughput",
        "OldestReplicationSlotLag", "ReadIOPS", "ReadLatency", "ReadThroughput", "ReplicaLag",
        "ReplicationSlotDiskUsage", "SwapUsage", "TransactionLogsDiskUsage", "TransactionLogsGeneration",
        "WriteIOPS", "WriteLatency", "WriteThroughput",
    )),
    "AWS/DynamoDB": frozenset((
        "AccountMaxReads", "AccountMaxTableLevelReads", "AccountMaxTableLevelWrites", "AccountMaxWrites",
        "AccountProvisionedReadCapacityUtilization", "AccountProvisionedWriteCapacityUtilization",
        "AgeOfOldestUnreplicatedRecord", "ConditionalCheckFailedRequests", "ConsumedChangeDataCaptureUnits",
        "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits", "FailedToReplicateRecordCount",
        "MaxProvisionedTableReadCapacityUtilization", "MaxProvisionedTableWriteCapacityUtilization",
        "OnlineIndexConsumedWriteCapacity", "OnlineIndexPercentageProgress", "OnlineIndexThrottleEvents",
        "PendingReplicationCount", "ProvisionedReadCapacityUnits", "ProvisionedWriteCapacityUnits",
        "ReadThrottleEvents", "ReplicationLatency", "ReturnedBytes", "ReturnedItemCount",
        "ReturnedRecordsCount", "SuccessfulRequestLatency", "SystemErrors", "ThrottledPutRecordCount",
        "ThrottledRequests", "TimeToLiveDeletedItemCount", "TransactionConflict", "UserErrors",
        "WriteThrottleEvents",
    )),
    "AWS/ElastiCache": frozenset((
        "ActiveDefragHits", "BytesUsedForCache", "CacheHitRate", "CacheHits", "CacheMisses", "CPUUtilization",
        "CurrConnections", "CurrItems", "DatabaseCapacityUsagePercentage", "DatabaseMemoryUsagePercentage",
        "EngineCPUUtilization", "Evictions", "FreeableMemory", "IsMaster", "MasterLinkHealthStatus",
        "MemoryFragmentationRatio", "NetworkBytesIn", "NetworkBytesOut", "NewConnections", "Reclaimed",
        "ReplicationBytes", "ReplicationLag", "SwapUsage",
    )),
    "AWS/EFS": frozenset((
        "BurstCreditBalance", "ClientConnections", "DataReadIOBytes", "DataWriteIOBytes", "MeteredIOBytes",
        "MetadataIOBytes", "MetadataReadIOBytes", "MetadataWriteIOBytes", "PercentIOLimit", "PermittedThroughput",
        "StorageBytes", "TimeSinceLastSync", "TotalIOBytes",
    )),
    "AWS/S3": frozenset((
        "4xxErrors", "5xxErrors", "AllRequests", "BucketSizeBytes", "BytesDownloaded", "BytesUploaded",
        "DeleteRequests", "FirstByteLatency", "GetRequests", "HeadRequests", "ListRequests", "NumberOfObjects",
        "PostRequests", "PutRequests", "SelectBytesReturned", "SelectBytesScanned", "SelectRequests",
        "TotalRequestLatency",
    )),
    "AWS/CloudFront": frozenset((
        "401ErrorRate", "403ErrorRate", "404ErrorRate", "4xxErrorRate", "502ErrorRate", "503ErrorRate",
        "504ErrorRate", "5xxErrorRate", "BytesDownloaded", "BytesUploaded", "CacheHitRate", "OriginLatency",
        "Requests", "TotalErrorRate",
    )),
}

# Metrics whose value is a percentage: a threshold above 100 could never be crossed.
PERCENT_METRICS = frozenset((
    "CPUUtilization", "EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "DatabaseCapacityUsagePercentage",
    "PercentIOLimit", "BurstBalance", "EBSByteBalance%", "EBSIOBalance%", "CacheHitRate", "TotalErrorRate",
    "4xxErrorRate", "5xxErrorRate", "401ErrorRate", "403ErrorRate", "404ErrorRate", "502ErrorRate",
    "503ErrorRate", "504ErrorRate", "AccountProvisionedReadCapacityUtilization",
    "AccountProvisionedWriteCapacityUtilization", "MaxProvisionedTableReadCapacityUtilization",
    "MaxProvisionedTableWriteCapacityUtilization", "OnlineIndexPercentageProgress",
))

COMPARISON_OPERATORS = (
    "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
)
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
TREAT_MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")
# PutMetricAlarm takes at most 5 actions of each kind, and DeleteAlarms at most 100 names a call.
MAX_ACTIONS = 5
DELETE_BATCH = 100


def alarm_problems(alarm):
    """What is wrong with one alarm (in the cloudwatch_alarms module's shape), as messages; empty when nothing."""
    problems = []
    name = alarm.get("name") or ""
    where = "alarm {0}: ".format(name)
    if not name or len(name) > 255:
        problems.append(where + "a name of 1 to 255 characters is required")
    namespace, metric = alarm.get("namespace"), alarm.get("metric_name")
    known = KNOWN_METRICS.get(namespace)
    if known is not None and metric not in known:
        problems.append(where + "unknown metric {0} of {1}; it publishes {2}".format(
            metric, namespace, ", ".join(sorted(known))))
    threshold = alarm.get("threshold")
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        problems.append(where + "threshold {0!r} is not a number".format(threshold))
        threshold = None
    if threshold is not None and known is not None and threshold < 0:
        problems.append(where + "threshold {0:g} is negative; {1} is never below 0".format(threshold, metric))
    if threshold is not None and metric in PERCENT_METRICS and threshold > 100:
        problems.append(where + "threshold {0:g} is above 100; {1} is a percentage".format(threshold, metric))
    period = alarm.get("period") or 0
    if period not in (10, 30) and (period < 60 or period % 60):
        problems.append(where + "period {0} must be 10, 30 or a multiple of 60 seconds".format(period))
    evaluation_periods = alarm.get("evaluation_periods") or 0
    if evaluation_periods < 1:
        problems.append(where + "evaluation_periods must be at least 1")
    if period and evaluation_periods and period * evaluation_periods > 86400 * 7:
        problems.append(where + "period times evaluation_periods must not exceed 7 days")
    datapoints = alarm.get("datapoints_to_alarm")
    if datapoints is not None and not 1 <= datapoints <= evaluation_periods:
        problems.append(where + "datapoints_to_alarm must be between 1 and evaluation_periods")
    if alarm.get("statistic") and alarm.get("extended_statistic"):
        problems.append(where + "statistic and extended_statistic are mutually exclusive")
    for kind in ("alarm_actions", "ok_actions", "insufficient_data_actions"):
        if len(alarm.get(kind) or []) > MAX_ACTIONS:
            problems.append(where + "at most {0} {1}".format(MAX_ACTIONS, kind))
    return problems


def normalized(alarm):
    """An alarm in the module's shape with AWS's defaults filled in, comparable with ``described``'s."""
    evaluation_periods = alarm["evaluation_periods"]
    statistic = alarm.get("statistic")
    if not statistic and not alarm.get("extended_statistic"):
        statistic = "Average"
    return dict(
        name=alarm["name"],
        namespace=alarm["namespace"],
        metric_name=alarm["metric_name"],
        dimensions=dict((str(k), str(v)) for k, v in (alarm.get("dimensions") or {}).items()),
        statistic=statistic or None,
        extended_statistic=alarm.get("extended_statistic") or None,
        comparison_operator=alarm["comparison_operator"],
        threshold=float(alarm["threshold"]),
        period=int(alarm["period"]),
        evaluation_periods=int(evaluation_periods),
        datapoints_to_alarm=int(alarm.get("datapoints_to_alarm") or evaluation_periods),
        treat_missing_data=alarm.get("treat_missing_data") or "missing",
        unit=alarm.get("unit") or None,
        description=alarm.get("description") or "",
        alarm_actions=sorted(alarm.get("alarm_actions") or []),
        ok_actions=sorted(alarm.get("ok_actions") or []),
        insufficient_data_actions=sorted(alarm.get("insufficient_data_actions") or []),
        actions_enabled=bool(alarm.get("actions_enabled", True)),
    )


# The fields of an alarm in the module's shape and their names in PutMetricAlarm and DescribeAlarms' MetricAlarms.
AWS_NAMES = dict(
    name="AlarmName",
    description="AlarmDescription",
    actions_enabled="ActionsEnabled",
    ok_actions="OKActions",
    alarm_actions="AlarmActions",
    insufficient_data_actions="InsufficientDataActions",
    metric_name="MetricName",
    namespace="Namespace",
    statistic="Statistic",
    extended_statistic="ExtendedStatistic",
    period="Period",
    evaluation_periods="EvaluationPeriods",
    datapoints_to_alarm="DatapointsToAlarm",
    threshold="Threshold",
    comparison_operator="ComparisonOperator",
    treat_missing_data="TreatMissingData",
    unit="Unit",
)
# The values of the fields DescribeAlarms may leave out.
DESCRIBED_DEFAULTS = dict(threshold=0, period=0, evaluation_periods=1, actions_enabled=True)


def described(metric_alarm):
    """An alarm of DescribeAlarms' MetricAlarms in the shape ``normalized`` gives."""
    alarm = dict((field, metric_alarm.get(aws, DESCRIBED_DEFAULTS.get(field))) for field, aws in AWS_NAMES.items())
    alarm["dimensions"] = dict((d["Name"], d["Value"]) for d in metric_alarm.get("Dimensions") or [])
    return normalized(alarm)


def put_metric_alarm_request(alarm, tags=None):
    """The PutMetricAlarm parameters of a normalized alarm; ``tags`` (a boto3 tag list) only count on creation.

    The statistic is Statistic or ExtendedStatistic, and Unit is sent only when set.
    """
    left_out = ["extended_statistic" if not alarm["extended_statistic"] else "statistic"]
    if not alarm["unit"]:
        left_out.append("unit")
    request = dict((aws, alarm[field]) for field, aws in AWS_NAMES.items() if field not in left_out)
    request["Dimensions"] = [dict(Name=k, Value=v) for k, v in sorted(alarm["dimensions"].items())]
    if tags:
        request["Tags"] = tags
    return request


def metric_alarms(client, prefix):
    """The metric alarms whose names start with ``prefix``, by name: one DescribeAlarms call per 100."""
    found = {}
    request = dict(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm"], MaxRecords=100)
    while True:
        page = client.describe_alarms(aws_retry=True, **request)
        for alarm in page.get("MetricAlarms") or []:
            found[alarm["AlarmName"]] = alarm
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]


def dashboard_problems(body):
    """What is wrong with a dashboard body (a dict) before PutDashboard: CloudWatch needs a list of widgets."""
    if not isinstance(body, dict):
        return ["the dashboard body must be a JSON object"]
    widgets = body.get("widgets")
    if not isinstance(widgets, list):
        return ["the dashboard body needs a widgets list"]
    problems = []
    for index, widget in enumerate(widgets):
        if not isinstance(widget, dict) or widget.get("type") not in ("metric", "text", "alarm", "log", "explorer"):
            problems.append("widget {0}: type must be metric, text, alarm, log or explorer".format(index))
        elif widget["type"] == "metric" and not isinstance((widget.get("properties") or {}).get("metrics"), list):
            problems.append("widget {0}: a metric widget needs properties.metrics".format(index))
    return problems


def same_body(current, desired):
    """True when the dashboard body AWS keeps (a JSON string) is the desired body (a dict), in any key order."""
    try:
        return json.loads(current) == desired
    except (TypeError, ValueError):
        return False
