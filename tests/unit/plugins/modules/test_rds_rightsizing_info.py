"""rds_rightsizing_info: DescribeDBInstances, DescribeDBRecommendations and one GetMetricData; a report only."""

from botocore.stub import ANY

from ansible_collections.storagekit.aws.plugins.modules import rds_rightsizing_info

ARN = "arn:aws:rds:us-east-1:123456789012:db:"
GIB = 1024 ** 3


def instance(name, cls, multi_az=False):
    return dict(DBInstanceIdentifier=name, DBInstanceClass=cls, MultiAZ=multi_az, DBInstanceArn=ARN + name)


def expect_reads(stubs, instances, values):
    names = [i["DBInstanceIdentifier"] for i in instances]
    stubs["rds"].add_response("describe_db_instances", {"DBInstances": instances},
                              {"Filters": [{"Name": "db-instance-id", "Values": names}]})
    stubs["rds"].add_response("describe_db_recommendations", {"DBRecommendations": [
        dict(ResourceArn=ARN + names[0], Status="active", TypeId="config_recommendation::idle_instance",
             Severity="medium", Category="cost optimization", Detection="idle", Recommendation="stop it"),
        dict(ResourceArn=ARN + "someone-else", Status="active", TypeId="x")]}, {})
    results = [dict(Id=query_id, Label=query_id, Values=vals, StatusCode="Complete") for query_id, vals in values.items()]
    stubs["cloudwatch"].add_response("get_metric_data", {"MetricDataResults": results}, {
        "MetricDataQueries": ANY, "StartTime": ANY, "EndTime": ANY, "ScanBy": "TimestampAscending"})


def test_down_size_up_size_and_keep_with_savings(stubs, run_module):
    instances = [instance("big", "db.r6g.xlarge"), instance("hot", "db.t4g.medium", multi_az=True),
                 instance("fine", "db.m6g.large")]
    hours = 336
    values = {
        "m0_cpu": [6.0] * hours, "m0_free_memory": [25.0 * GIB] * hours, "m0_connections": [3.0] * hours,
        "m1_cpu": [92.0] * hours, "m1_free_memory": [1.0 * GIB] * hours, "m1_connections": [80.0] * hours,
        "m2_cpu": [45.0] * hours, "m2_free_memory": [3.0 * GIB] * hours, "m2_connections": [20.0] * hours,
    }
    expect_reads(stubs, instances, values)
    result = run_module(rds_rightsizing_info, dict(db_instance_identifiers=["big", "hot", "fine"]))
    assert result["changed"] is False
    big, hot, fine = result["instances"]
    assert (big["action"], big["suggested_class"], big["monthly_saving"]) == ("down-size", "db.r6g.large", 164.25)
    assert [r["type_id"] for r in big["recommendations"]] == ["config_recommendation::idle_instance"]
    assert (hot["action"], hot["suggested_class"]) == ("up-size", "db.t4g.large")
    assert hot["monthly_saving"] == round(0.13 * 730 - 0.258 * 730, 2)  # Multi-AZ prices; negative: it costs more
    assert (fine["action"], fine["monthly_saving"]) == ("keep", 0.0)
    assert result["total_monthly_saving"] == round(164.25 + hot["monthly_saving"], 2)
    assert big["statistics"]["cpu_p95"] == 6.0


def test_unknown_instance_fails(stubs, run_module):
    stubs["rds"].add_response("describe_db_instances", {"DBInstances": []},
                              {"Filters": [{"Name": "db-instance-id", "Values": ["gone"]}]})
    result = run_module(rds_rightsizing_info, dict(db_instance_identifiers=["gone"]), expect_failure=True)
    assert "No DB instance gone" in result["msg"]
