"""RDS recommendations (DescribeDBRecommendations) derived from an instance's settings and its metrics."""

from datetime import datetime, timedelta, timezone

import pytest

from .helpers import assert_local


@pytest.fixture
def clients(aws, boto3_client):
    assert_local(aws)
    return {name: boto3_client(name, attempts=1) for name in ("rds", "cloudwatch")}


def create(rds, name, **kwargs):
    settings = dict(DBInstanceIdentifier=name, Engine="mysql", EngineVersion="8.0.40", DBInstanceClass="db.t4g.micro",
                    AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="a-long-password-1")
    settings.update(kwargs)
    return rds.create_db_instance(**settings)["DBInstance"]["DBInstanceArn"]


def put_connections(cloudwatch, name, value, days=8):
    now = datetime.now(timezone.utc)
    data = [dict(MetricName="DatabaseConnections", Dimensions=[{"Name": "DBInstanceIdentifier", "Value": name}],
                 Timestamp=now - timedelta(hours=hours), Value=value) for hours in range(1, days * 24, 6)]
    for start in range(0, len(data), 20):
        cloudwatch.put_metric_data(Namespace="AWS/RDS", MetricData=data[start:start + 20])


def by_instance(rds, **kwargs):
    found = {}
    for rec in rds.describe_db_recommendations(**kwargs)["DBRecommendations"]:
        found.setdefault(rec["ResourceArn"].split(":db:")[1], set()).add(rec["TypeId"].split("::")[1])
    return found


def test_settings_and_idle_metrics_give_recommendations(clients):
    rds, cloudwatch = clients["rds"], clients["cloudwatch"]
    create(rds, "bare", BackupRetentionPeriod=0)
    create(rds, "tidy", MaxAllocatedStorage=100, BackupRetentionPeriod=7)
    create(rds, "idle", MaxAllocatedStorage=100, BackupRetentionPeriod=7)
    create(rds, "busy", MaxAllocatedStorage=100, BackupRetentionPeriod=7)
    put_connections(cloudwatch, "idle", 0)
    put_connections(cloudwatch, "busy", 12)
    found = by_instance(rds)
    assert found["bare"] == {"automated_backups_disabled", "enhanced_monitoring_off", "storage_autoscaling_off"}
    assert found["tidy"] == {"enhanced_monitoring_off"}
    assert found["idle"] == {"enhanced_monitoring_off", "idle_instance"}
    assert found["busy"] == {"enhanced_monitoring_off"}
    rec = [r for r in rds.describe_db_recommendations()["DBRecommendations"] if r["TypeId"].endswith("idle_instance")][0]
    assert (rec["Category"], rec["Severity"], rec["Status"]) == ("cost optimization", "medium", "active")
    assert rec["RecommendedActions"][0]["Operation"] == "StopDBInstance"


def test_filters_and_stable_ids(clients):
    rds = clients["rds"]
    create(rds, "bare", BackupRetentionPeriod=0)
    high = rds.describe_db_recommendations(Filters=[{"Name": "severity", "Values": ["high"]}])["DBRecommendations"]
    assert [r["TypeId"] for r in high] == ["config_recommendation::automated_backups_disabled"]
    again = rds.describe_db_recommendations(Filters=[{"Name": "recommendation-id", "Values": [high[0]["RecommendationId"]]}])
    assert again["DBRecommendations"] == high
    later = datetime.now(timezone.utc) + timedelta(hours=1)
    assert rds.describe_db_recommendations(LastUpdatedAfter=later)["DBRecommendations"] == []
