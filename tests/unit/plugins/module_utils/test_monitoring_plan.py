"""monitoring_plan: the alarms of each tier for the resources given only, CloudFront's in us-east-1, a dashboard
row per tier, and every bad threshold named once in its own unit."""

from ansible_collections.storagekit.aws.plugins.module_utils.monitoring_plan import monitoring_plan

THRESHOLDS = dict(
    rds_cpu_percent=80, rds_free_storage_gb=2, rds_freeable_memory_mb=256, rds_connections=100,
    rds_replica_lag_seconds=60, rds_read_latency_ms=20, rds_write_latency_ms=20, dynamodb_throttle_events=10,
    dynamodb_system_errors=0, dynamodb_replication_latency_seconds=60, elasticache_engine_cpu_percent=80,
    elasticache_memory_percent=80, elasticache_evictions=100, elasticache_connections=5000,
    elasticache_replication_lag_seconds=30, efs_percent_io_limit=90, efs_burst_credit_balance_gb=100,
    efs_client_connections=1000, s3_4xx_errors=100, s3_5xx_errors=10, cloudfront_5xx_error_rate_percent=5,
    cloudfront_origin_latency_ms=2000)


def plan(region="us-east-1", thresholds=None, **resources):
    return monitoring_plan(dict(name="shop", region=region, thresholds=dict(THRESHOLDS, **(thresholds or {})),
                                **resources))


def names(alarms):
    return sorted(alarm["name"] for alarm in alarms)


def test_only_the_given_resources_get_alarms_and_rows():
    result = plan(rds_instances=["db"])
    assert result["problems"] == []
    assert names(result["alarms"]["us-east-1"]) == [
        "shop/rds/db/connections", "shop/rds/db/cpu", "shop/rds/db/free-storage", "shop/rds/db/freeable-memory",
        "shop/rds/db/read-latency", "shop/rds/db/write-latency"]
    headers = [w["properties"]["markdown"] for w in result["dashboard"]["widgets"] if w["type"] == "text"]
    assert headers == ["## RDS PostgreSQL"]
    assert plan()["alarms"] == {"us-east-1": []} and plan()["dashboard"] == {"widgets": []}


def test_thresholds_are_converted_to_the_metric_unit():
    alarms = dict((a["name"], a) for a in plan(
        rds_instances=[{"id": "db", "replica": True}],
        efs_file_systems=[{"id": "fs-1", "bursting": True}],
        dynamodb_tables=[{"name": "orders", "indexes": ["by-customer"], "replica_regions": ["eu-west-1"]}],
        dynamodb_operations=["GetItem"])["alarms"]["us-east-1"])
    assert alarms["shop/rds/db/free-storage"]["threshold"] == 2 * 1024 ** 3
    assert alarms["shop/rds/db/free-storage"]["comparison_operator"] == "LessThanThreshold"
    assert alarms["shop/rds/db/read-latency"]["threshold"] == 0.02
    assert alarms["shop/rds/db/replica-lag"]["treat_missing_data"] == "notBreaching"
    assert alarms["shop/efs/fs-1/burst-credits"]["threshold"] == 100 * 1024 ** 3
    assert alarms["shop/dynamodb/orders-by-customer/write-throttles"]["dimensions"] == {
        "TableName": "orders", "GlobalSecondaryIndexName": "by-customer"}
    assert alarms["shop/dynamodb/orders/system-errors-getitem"]["dimensions"] == {
        "TableName": "orders", "Operation": "GetItem"}
    assert alarms["shop/dynamodb/orders/replication-latency-eu-west-1"]["threshold"] == 60000


def test_cloudfront_alarms_are_in_us_east_1():
    result = plan(region="eu-west-1", s3_buckets=["uploads"], cloudfront_distributions=["E1"])
    assert names(result["alarms"]["eu-west-1"]) == ["shop/s3/uploads/4xx-errors", "shop/s3/uploads/5xx-errors"]
    assert names(result["alarms"]["us-east-1"]) == ["shop/cloudfront/E1/5xx-error-rate", "shop/cloudfront/E1/origin-latency"]
    assert result["alarms"]["us-east-1"][0]["dimensions"] == {"DistributionId": "E1", "Region": "Global"}
    regions = set(w["properties"]["region"] for w in result["dashboard"]["widgets"] if w["type"] == "metric")
    assert regions == {"eu-west-1", "us-east-1"}


def test_bad_thresholds_are_named_once_each():
    result = plan(thresholds=dict(rds_cpu_percent=120, rds_free_storage_gb=-1, elasticache_evictions="many"),
                  rds_instances=["a", "b"], elasticache_nodes=["n-001"])
    assert result["problems"] == [
        "storage_monitoring_rds_cpu_percent = 120: CPUUtilization is a percentage, at most 100",
        "storage_monitoring_rds_free_storage_gb = -1: a threshold of FreeStorageSpace must not be negative",
        "storage_monitoring_elasticache_evictions must be a number, not 'many'"]


def test_provisioned_tables_and_indexes_alarm_on_consumed_capacity_against_what_they_can_reach():
    result = plan(thresholds=dict(dynamodb_capacity_percent=80), dynamodb_tables=[
        {"name": "orders", "read_capacity": 200, "write_capacity": 100,
         "indexes": [{"name": "by-customer", "read_capacity": 50, "write_capacity": 25}, "by-day"]},
        {"name": "events", "indexes": ["by-type"]}])
    assert result["problems"] == []
    alarms = dict((a["name"], a) for a in result["alarms"]["us-east-1"])
    capacity = sorted(name for name in alarms if "/consumed-" in name)
    assert capacity == [
        "shop/dynamodb/orders-by-customer/consumed-read-capacity", "shop/dynamodb/orders-by-customer/consumed-write-capacity",
        "shop/dynamodb/orders/consumed-read-capacity", "shop/dynamodb/orders/consumed-write-capacity"]
    read = alarms["shop/dynamodb/orders/consumed-read-capacity"]
    # 80 % of 200 units a second, summed over a 300 s period.
    assert read["threshold"] == 48000
    assert (read["metric_name"], read["statistic"], read["period"], read["evaluation_periods"]) == (
        "ConsumedReadCapacityUnits", "Sum", 300, 3)
    assert read["dimensions"] == {"TableName": "orders"}
    write = alarms["shop/dynamodb/orders-by-customer/consumed-write-capacity"]
    assert write["threshold"] == 0.8 * 25 * 300
    assert write["dimensions"] == {"TableName": "orders", "GlobalSecondaryIndexName": "by-customer"}
    assert "shop/dynamodb/orders-by-day/read-throttles" in alarms


def test_a_capacity_percentage_above_100_or_a_capacity_that_is_no_number_is_refused():
    result = plan(thresholds=dict(dynamodb_capacity_percent=120), dynamodb_tables=[
        {"name": "a", "read_capacity": 10, "write_capacity": 10}, {"name": "b", "read_capacity": "lots"}])
    assert result["problems"] == [
        "storage_monitoring_dynamodb_capacity_percent = 120: a percentage of the capacity, at most 100",
        "read_capacity of b must be a number, not 'lots'"]
