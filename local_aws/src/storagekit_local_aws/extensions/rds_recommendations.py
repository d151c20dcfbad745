"""RDS recommendations of DB instances (DescribeDBRecommendations).

moto 5.2.5 lacks DescribeDBRecommendations. AWS derives recommendations from an instance's settings and its
metrics; here four of the kinds AWS documents are derived the same way from the local state:

- automated backups turned off (BackupRetentionPeriod 0; reliability, high),
- Enhanced Monitoring turned off (MonitoringInterval 0; operational excellence, low),
- storage autoscaling turned off (no MaxAllocatedStorage above AllocatedStorage; reliability, low),
- an idle instance: CloudWatch DatabaseConnections put for it over the last 7 days and never above 0
  (cost optimization, medium). Without data points nothing is recommended, as AWS needs the metrics.

Each recommendation is "active", created at the instance's creation (the idle one at its first data point of
the window), with a RecommendationId stable per instance and kind. Filters: `type-id`, `severity`, `status`,
`recommendation-id`; LastUpdatedAfter / LastUpdatedBefore; MaxRecords / Marker.
"""

import hashlib
from datetime import datetime, timedelta, timezone

from .base import page, query_reply, query_request

IDLE_DAYS = 7
KINDS = {
    "config_recommendation::automated_backups_disabled": dict(
        Severity="high", Category="reliability",
        Detection="Automated backups are turned off", Recommendation="Turn on automated backups",
        Reason="Without automated backups the instance cannot be restored to a point in time.",
        Action=("ModifyDBInstance", "BackupRetentionPeriod", "7"),
    ),
    "config_recommendation::enhanced_monitoring_off": dict(
        Severity="low", Category="operational excellence",
        Detection="Enhanced Monitoring is turned off", Recommendation="Turn on Enhanced Monitoring",
        Reason="Enhanced Monitoring gives operating system metrics to find the cause of performance issues.",
        Action=("ModifyDBInstance", "MonitoringInterval", "60"),
    ),
    "config_recommendation::storage_autoscaling_off": dict(
        Severity="low", Category="reliability",
        Detection="Storage autoscaling is turned off", Recommendation="Turn on storage autoscaling",
        Reason="Without storage autoscaling the instance stops taking writes when its storage is full.",
        Action=("ModifyDBInstance", "MaxAllocatedStorage", None),
    ),
    "config_recommendation::idle_instance": dict(
        Severity="medium", Category="cost optimization",
        Detection="The DB instance had no connections for {0} days".format(IDLE_DAYS),
        Recommendation="Stop or delete the idle DB instance",
        Reason="An instance nobody connects to costs its full price.",
        Action=("StopDBInstance", None, None),
    ),
}


def _connections(exchange, identifier, since):
    """The DatabaseConnections data points of the instance since ``since``."""
    from moto.cloudwatch.models import cloudwatch_backends

    backend = cloudwatch_backends[exchange.account_id][exchange.call.region]
    return [
        datum for datum in backend.get_all_metrics()
        if datum.namespace == "AWS/RDS" and datum.name == "DatabaseConnections"
        and utc(datum.timestamp) >= since
        and [(d.name, d.value) for d in datum.dimensions] == [("DBInstanceIdentifier", identifier)]
    ]


def _kinds_of(exchange, instance, now):
    """(type id, created time) of the recommendations the instance has."""
    found = []
    created = instance.created
    if int(instance.backup_retention_period or 0) == 0:
        found.append(("config_recommendation::automated_backups_disabled", created))
    if int(instance.monitoring_interval or 0) == 0:
        found.append(("config_recommendation::enhanced_monitoring_off", created))
    if int(instance.max_allocated_storage or 0) <= int(instance.allocated_storage or 0):
        found.append(("config_recommendation::storage_autoscaling_off", created))
    points = _connections(exchange, instance.db_instance_identifier, now - timedelta(days=IDLE_DAYS))
    first = min((utc(p.timestamp) for p in points), default=None)
    if points and max(float(p.value) for p in points) <= 0 and first <= now - timedelta(days=IDLE_DAYS - 1):
        found.append(("config_recommendation::idle_instance", first))
    return found


def _recommendation(instance, arn, type_id, created):
    kind = KINDS[type_id]
    operation, key, value = kind["Action"]
    if key == "MaxAllocatedStorage":
        value = str(int(instance.allocated_storage or 20) * 2)
    action = dict(ActionId=type_id.split("::")[1], Title=kind["Recommendation"], Operation=operation,
                  ApplyModes=["immediately"], Status="ready",
                  Parameters=[dict(Key="DBInstanceIdentifier", Value=instance.db_instance_identifier)])
    if key:
        action["Parameters"].append(dict(Key=key, Value=value))
    return dict(
        RecommendationId="rec-" + hashlib.sha256("{0}|{1}".format(arn, type_id).encode()).hexdigest()[:24],
        TypeId=type_id, Severity=kind["Severity"], ResourceArn=arn, Status="active",
        CreatedTime=created, UpdatedTime=created, Detection=kind["Detection"],
        Recommendation=kind["Recommendation"], Description=kind["Reason"], Reason=kind["Reason"],
        Category=kind["Category"], Source="RDS", TypeDetection=kind["Detection"],
        TypeRecommendation=kind["Recommendation"], RecommendedActions=[action],
    )


def utc(moment):
    """moto keeps naive UTC times; compare them with aware ones."""
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def describe_db_recommendations(exchange, backend):
    request = query_request(exchange)
    now = datetime.now(timezone.utc)
    filters = {f["Name"]: f["Values"] for f in request.get("Filters") or []}
    after, before = utc(request.get("LastUpdatedAfter")), utc(request.get("LastUpdatedBefore"))
    found = []
    for identifier, instance in sorted(backend.databases.items()):
        arn = "arn:aws:rds:{0}:{1}:db:{2}".format(backend.region_name, backend.account_id, identifier)
        for type_id, created in _kinds_of(exchange, instance, now):
            created = utc(created)
            recommendation = _recommendation(instance, arn, type_id, created)
            if any(recommendation[field] not in filters[name] for name, field in (
                    ("type-id", "TypeId"), ("severity", "Severity"), ("status", "Status"),
                    ("recommendation-id", "RecommendationId")) if name in filters):
                continue
            if (after and created < after) or (before and created > before):
                continue
            found.append(recommendation)
    items, marker = page(found, request)
    output = dict(DBRecommendations=items)
    if marker:
        output["Marker"] = marker
    return query_reply(exchange, output)
