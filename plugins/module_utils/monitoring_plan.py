# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The alarms and the dashboard of a stack, from the resources of each tier and the thresholds.

The storage_monitoring role builds them here, in one place, so that what is alarmed on and what is drawn stay
the same resources; and checks them here (cloudwatch.alarm_problems) before the role's first write.
Alarm names are ``<name>/<tier>/<resource>/<check>``: a stack name has no slash, so the prefix ``<name>/``
holds this stack's alarms and no other stack's.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.storagekit.aws.plugins.module_utils.cloudwatch import alarm_problems

GIB = 1024 ** 3
MIB = 1024 ** 2
ABOVE = "GreaterThanThreshold"
BELOW = "LessThanThreshold"

# (check, metric, statistic, comparison, threshold key, scale, periods, description) of each tier's alarms.
RDS_CHECKS = (
    ("cpu", "CPUUtilization", "Average", ABOVE, "rds_cpu_percent", 1, 3, "CPU above {0:g} % for 15 minutes"),
    ("free-storage", "FreeStorageSpace", "Minimum", BELOW, "rds_free_storage_gb", GIB, 1, "less than {0:g} GiB free storage"),
    ("freeable-memory", "FreeableMemory", "Minimum", BELOW, "rds_freeable_memory_mb", MIB, 3,
     "less than {0:g} MiB freeable memory for 15 minutes"),
    ("connections", "DatabaseConnections", "Maximum", ABOVE, "rds_connections", 1, 3, "more than {0:g} connections"),
    ("read-latency", "ReadLatency", "Average", ABOVE, "rds_read_latency_ms", 0.001, 3, "read latency above {0:g} ms"),
    ("write-latency", "WriteLatency", "Average", ABOVE, "rds_write_latency_ms", 0.001, 3, "write latency above {0:g} ms"),
)
RDS_REPLICA_CHECK = ("replica-lag", "ReplicaLag", "Maximum", ABOVE, "rds_replica_lag_seconds", 1, 3,
                     "replica more than {0:g} s behind")
DYNAMODB_CHECKS = (
    ("read-throttles", "ReadThrottleEvents", "Sum", ABOVE, "dynamodb_throttle_events", 1, 1,
     "more than {0:g} throttled reads in 5 minutes"),
    ("write-throttles", "WriteThrottleEvents", "Sum", ABOVE, "dynamodb_throttle_events", 1, 1,
     "more than {0:g} throttled writes in 5 minutes"),
)
# (check, metric, capacity key): consumed against what a provisioned table or index can reach, units a second.
DYNAMODB_CAPACITY = (
    ("consumed-read-capacity", "ConsumedReadCapacityUnits", "read_capacity", "reads"),
    ("consumed-write-capacity", "ConsumedWriteCapacityUnits", "write_capacity", "writes"),
)
DYNAMODB_ERRORS = ("system-errors", "SystemErrors", "Sum", ABOVE, "dynamodb_system_errors", 1, 1,
                   "more than {0:g} system errors in 5 minutes")
DYNAMODB_REPLICATION = ("replication-latency", "ReplicationLatency", "Average", ABOVE,
                        "dynamodb_replication_latency_seconds", 1000, 3, "replication more than {0:g} s behind")
ELASTICACHE_CHECKS = (
    ("engine-cpu", "EngineCPUUtilization", "Average", ABOVE, "elasticache_engine_cpu_percent", 1, 3,
     "engine CPU above {0:g} % for 15 minutes"),
    ("memory", "DatabaseMemoryUsagePercentage", "Average", ABOVE, "elasticache_memory_percent", 1, 3,
     "memory use above {0:g} %"),
    ("evictions", "Evictions", "Sum", ABOVE, "elasticache_evictions", 1, 1, "more than {0:g} evictions in 5 minutes"),
    ("connections", "CurrConnections", "Maximum", ABOVE, "elasticache_connections", 1, 3,
     "more than {0:g} connections"),
    ("replication-lag", "ReplicationLag", "Maximum", ABOVE, "elasticache_replication_lag_seconds", 1, 3,
     "replica more than {0:g} s behind"),
)
EFS_CHECKS = (
    ("io-limit", "PercentIOLimit", "Maximum", ABOVE, "efs_percent_io_limit", 1, 3, "I/O above {0:g} % of its limit"),
    ("connections", "ClientConnections", "Sum", ABOVE, "efs_client_connections", 1, 1, "more than {0:g} client connections"),
)
EFS_BURST = ("burst-credits", "BurstCreditBalance", "Minimum", BELOW, "efs_burst_credit_balance_gb", GIB, 1,
             "burst credits below {0:g} GiB")
S3_CHECKS = (
    ("4xx-errors", "4xxErrors", "Sum", ABOVE, "s3_4xx_errors", 1, 1, "more than {0:g} 4xx answers in 5 minutes"),
    ("5xx-errors", "5xxErrors", "Sum", ABOVE, "s3_5xx_errors", 1, 1, "more than {0:g} 5xx answers in 5 minutes"),
)
CLOUDFRONT_CHECKS = (
    ("5xx-error-rate", "5xxErrorRate", "Average", ABOVE, "cloudfront_5xx_error_rate_percent", 1, 3,
     "5xx error rate above {0:g} %"),
    ("origin-latency", "OriginLatency", "Average", ABOVE, "cloudfront_origin_latency_ms", 1, 3,
     "origin latency above {0:g} ms"),
)
# Alarms that stay quiet when there is no datum: a replica that is not replicating, an idle bucket or cache.
QUIET_WHEN_MISSING = frozenset(("Evictions", "ReplicationLag", "ReplicaLag", "4xxErrors", "5xxErrors",
                                "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits",
                                "ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors", "ReplicationLatency",
                                "5xxErrorRate", "OriginLatency", "ClientConnections"))


def _items(resources, key):
    """Resources given as names or dicts, as dicts with ``key``."""
    return [item if isinstance(item, dict) else {key: item} for item in resources or []]


class Plan:
    """The alarms and widgets of one stack, filled tier by tier."""

    def __init__(self, name, thresholds, period):
        self.name = name
        self.thresholds = thresholds
        self.period = period
        self.alarms = []
        self.problems = []

    def capacity_alarms(self, resource, item, dimensions):
        """Consumed read and write capacity of a provisioned table or index above a share of what it can reach.

        A static threshold: the percentage of ``item``'s capacity (units a second: its auto scaling maximum, else
        its provisioned capacity) times the period, as the Sum over the period is compared. An item without
        capacity (on-demand) gets none.
        """
        for key, metric, capacity_key, what in DYNAMODB_CAPACITY:
            capacity = item.get(capacity_key)
            if capacity in (None, "", 0):
                continue
            try:
                capacity = float(capacity)
            except (TypeError, ValueError):
                self.problems.append("{0} of {1} must be a number, not {2!r}".format(capacity_key, resource, capacity))
                continue
            text = "consumed {0} above {{0:g}} % of {1:g} units a second".format(what, capacity)
            self.alarm("dynamodb", resource, (key, metric, "Sum", ABOVE, "dynamodb_capacity_percent",
                                              capacity * self.period / 100.0, 3, text), "AWS/DynamoDB", dimensions)

    def resource_alarms(self, tier, resource, checks, namespace, dimensions):
        """An alarm for each of ``checks`` on one resource."""
        for check in checks:
            self.alarm(tier, resource, check, namespace, dimensions)

    def alarm(self, tier, resource, check, namespace, dimensions):
        key, metric, statistic, operator, threshold_key, scale, periods, text = check
        if threshold_key not in self.thresholds:
            self.problems.append("no threshold {0} for {1}".format(threshold_key, metric))
            return
        value = self.thresholds[threshold_key]
        try:
            value = float(value)
        except (TypeError, ValueError):
            self.problems.append("storage_monitoring_{0} must be a number, not {1!r}".format(threshold_key, value))
            return
        alarm = dict(
            name="{0}/{1}/{2}/{3}".format(self.name, tier, resource, key)[:255],
            namespace=namespace,
            metric_name=metric,
            dimensions=dimensions,
            statistic=statistic,
            comparison_operator=operator,
            threshold=value * scale,
            period=self.period,
            evaluation_periods=periods,
            treat_missing_data="notBreaching" if metric in QUIET_WHEN_MISSING else "missing",
            description="{0} {1}: {2} ({3}).".format(tier, resource, text.format(value), threshold_key),
        )
        # Named once per threshold variable, in the variable's unit; then what CloudWatch itself would refuse.
        variable = "storage_monitoring_{0} = {1:g}: ".format(threshold_key, value)
        problems = alarm_problems(alarm)
        if value < 0:
            problems = [variable + "a threshold of {0} must not be negative".format(metric)]
        elif value > 100 and any("is a percentage" in problem for problem in problems):
            problems = [variable + "{0} is a percentage, at most 100".format(metric)]
        elif value > 100 and threshold_key.endswith("_capacity_percent"):
            problems = [variable + "a percentage of the capacity, at most 100"]
        for problem in problems:
            if problem not in self.problems:
                self.problems.append(problem)
        self.alarms.append(alarm)


def monitoring_plan(stack):
    """The alarms by region (CloudFront's are in us-east-1) and the dashboard body of ``stack``, and the problems.

    ``stack``: name, region, period, thresholds (dict), rds_instances, dynamodb_tables, dynamodb_operations,
    elasticache_nodes, efs_file_systems, s3_buckets, cloudfront_distributions.
    """
    plan = Plan(stack["name"], stack.get("thresholds") or {}, int(stack.get("period") or 300))
    region = stack.get("region") or "us-east-1"
    rds = _items(stack.get("rds_instances"), "id")
    for db in rds:
        checks = RDS_CHECKS + ((RDS_REPLICA_CHECK,) if db.get("replica") else ())
        plan.resource_alarms("rds", db["id"], checks, "AWS/RDS", {"DBInstanceIdentifier": db["id"]})
    tables = _items(stack.get("dynamodb_tables"), "name")
    for table in tables:
        indexes = _items(table.get("indexes"), "name")
        for check in DYNAMODB_CHECKS:
            plan.alarm("dynamodb", table["name"], check, "AWS/DynamoDB", {"TableName": table["name"]})
            for index in indexes:
                plan.alarm("dynamodb", table["name"] + "-" + index["name"], check, "AWS/DynamoDB",
                           {"TableName": table["name"], "GlobalSecondaryIndexName": index["name"]})
        plan.capacity_alarms(table["name"], table, {"TableName": table["name"]})
        for index in indexes:
            plan.capacity_alarms(table["name"] + "-" + index["name"], index,
                                 {"TableName": table["name"], "GlobalSecondaryIndexName": index["name"]})
        # SystemErrors is published per operation only.
        for operation in stack.get("dynamodb_operations") or []:
            check = (DYNAMODB_ERRORS[0] + "-" + operation.lower(),) + DYNAMODB_ERRORS[1:]
            plan.alarm("dynamodb", table["name"], check, "AWS/DynamoDB",
                       {"TableName": table["name"], "Operation": operation})
        for replica in table.get("replica_regions") or []:
            check = (DYNAMODB_REPLICATION[0] + "-" + replica,) + DYNAMODB_REPLICATION[1:]
            plan.alarm("dynamodb", table["name"], check, "AWS/DynamoDB",
                       {"TableName": table["name"], "ReceivingRegion": replica})
    nodes = _items(stack.get("elasticache_nodes"), "id")
    for node in nodes:
        plan.resource_alarms("elasticache", node["id"], ELASTICACHE_CHECKS, "AWS/ElastiCache", {"CacheClusterId": node["id"]})
    file_systems = _items(stack.get("efs_file_systems"), "id")
    for fs in file_systems:
        checks = EFS_CHECKS + ((EFS_BURST,) if fs.get("bursting") else ())
        plan.resource_alarms("efs", fs["id"], checks, "AWS/EFS", {"FileSystemId": fs["id"]})
    buckets = _items(stack.get("s3_buckets"), "name")
    for bucket in buckets:
        plan.resource_alarms("s3", bucket["name"], S3_CHECKS, "AWS/S3",
                             {"BucketName": bucket["name"], "FilterId": bucket.get("filter_id") or "EntireBucket"})
    regional = plan.alarms
    plan.alarms = []
    distributions = _items(stack.get("cloudfront_distributions"), "id")
    for distribution in distributions:
        plan.resource_alarms("cloudfront", distribution["id"], CLOUDFRONT_CHECKS, "AWS/CloudFront",
                             {"DistributionId": distribution["id"], "Region": "Global"})
    alarms = {region: regional}
    if plan.alarms:
        alarms.setdefault("us-east-1", []).extend(plan.alarms)
    widgets = Dashboard(region)
    widgets.row("RDS PostgreSQL", "AWS/RDS", "DBInstanceIdentifier", [db["id"] for db in rds],
                ["CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections", "ReadLatency",
                 "WriteLatency"] + (["ReplicaLag"] if any(db.get("replica") for db in rds) else []))
    widgets.row("DynamoDB", "AWS/DynamoDB", "TableName", [t["name"] for t in tables],
                ["ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits", "ReadThrottleEvents",
                 "WriteThrottleEvents", "SuccessfulRequestLatency"]
                + (["ReplicationLatency"] if any(t.get("replica_regions") for t in tables) else []))
    widgets.row("ElastiCache", "AWS/ElastiCache", "CacheClusterId", [n["id"] for n in nodes],
                ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "CurrConnections",
                 "ReplicationLag", "CacheHitRate"])
    widgets.row("EFS", "AWS/EFS", "FileSystemId", [fs["id"] for fs in file_systems],
                ["PercentIOLimit", "ClientConnections", "TotalIOBytes"]
                + (["BurstCreditBalance"] if any(fs.get("bursting") for fs in file_systems) else []))
    widgets.row("S3", "AWS/S3", "BucketName", [b["name"] for b in buckets],
                ["AllRequests", "4xxErrors", "5xxErrors", "FirstByteLatency"],
                extra=lambda name: ["FilterId", next(b.get("filter_id") or "EntireBucket" for b in buckets
                                                     if b["name"] == name)])
    widgets.row("CloudFront", "AWS/CloudFront", "DistributionId", [d["id"] for d in distributions],
                ["Requests", "5xxErrorRate", "4xxErrorRate", "OriginLatency"], extra=lambda name: ["Region", "Global"],
                region="us-east-1")
    return dict(alarms=alarms, dashboard=dict(widgets=widgets.widgets), problems=plan.problems)


class Dashboard:
    """Widgets in rows: a text header per tier, then its metric graphs, three to a line."""

    WIDTH = 8
    HEIGHT = 6

    def __init__(self, region):
        self.region = region
        self.widgets = []
        self.y = 0

    def row(self, title, namespace, dimension, names, metrics, extra=None, region=None):
        if not names:
            return
        self.widgets.append(dict(type="text", x=0, y=self.y, width=24, height=1,
                                 properties=dict(markdown="## " + title)))
        self.y += 1
        for index, metric in enumerate(metrics):
            lines = [[namespace, metric, dimension, name] + (extra(name) if extra else []) for name in names]
            self.widgets.append(dict(
                type="metric", x=(index % 3) * self.WIDTH, y=self.y + (index // 3) * self.HEIGHT,
                width=self.WIDTH, height=self.HEIGHT,
                properties=dict(title="{0} {1}".format(title, metric), region=region or self.region, view="timeSeries",
                                stat="Sum" if metric in ("Evictions", "4xxErrors", "5xxErrors", "AllRequests", "Requests",
                                                         "ReadThrottleEvents", "WriteThrottleEvents",
                                                         "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits",
                                                         "TotalIOBytes") else "Average",
                                period=300, metrics=lines)))
        self.y += ((len(metrics) + 2) // 3) * self.HEIGHT
