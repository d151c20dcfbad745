"""cloudwatch_alarms: one DescribeAlarms a no-change run; PutMetricAlarm only for new and differing alarms,
DeleteAlarms for the purged ones; bad input and missing topics refused before any write."""

from ansible_collections.storagekit.aws.plugins.modules import cloudwatch_alarms

TOPIC = "arn:aws:sns:us-east-1:123456789012:shop-alarms"
PREFIX = "shop-"
CPU = dict(name="shop-rds-db-cpu", namespace="AWS/RDS", metric_name="CPUUtilization",
           dimensions={"DBInstanceIdentifier": "db"}, threshold=80, evaluation_periods=3)
STORAGE = dict(name="shop-rds-db-free-storage", namespace="AWS/RDS", metric_name="FreeStorageSpace",
               dimensions={"DBInstanceIdentifier": "db"}, comparison_operator="LessThanThreshold",
               threshold=2147483648, statistic="Minimum")
ARGS = dict(prefix=PREFIX, alarms=[CPU, STORAGE], alarm_actions=[TOPIC], ok_actions=[TOPIC])
DESCRIBE = dict(AlarmNamePrefix=PREFIX, AlarmTypes=["MetricAlarm"], MaxRecords=100)


def aws_alarm(name, metric, threshold, statistic="Average", operator="GreaterThanThreshold", periods=1,
              dimension="db", **extra):
    """An alarm as DescribeAlarms answers, with the defaults AWS spells out."""
    alarm = dict(AlarmName=name, AlarmArn="arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + name,
                 AlarmDescription="", ActionsEnabled=True, OKActions=[TOPIC], AlarmActions=[TOPIC],
                 InsufficientDataActions=[], StateValue="OK", MetricName=metric, Namespace="AWS/RDS",
                 Statistic=statistic, Dimensions=[dict(Name="DBInstanceIdentifier", Value=dimension)], Period=300,
                 EvaluationPeriods=periods, DatapointsToAlarm=periods, Threshold=float(threshold),
                 ComparisonOperator=operator, TreatMissingData="missing")
    alarm.update(extra)
    return alarm


def current_alarms():
    return [aws_alarm("shop-rds-db-cpu", "CPUUtilization", 80, periods=3),
            aws_alarm("shop-rds-db-free-storage", "FreeStorageSpace", 2147483648, statistic="Minimum",
                      operator="LessThanThreshold")]


def put_request(alarm, **changed):
    request = dict(AlarmName=alarm["AlarmName"], AlarmDescription="", ActionsEnabled=True, OKActions=[TOPIC],
                   AlarmActions=[TOPIC], InsufficientDataActions=[], MetricName=alarm["MetricName"],
                   Namespace="AWS/RDS", Dimensions=alarm["Dimensions"], Period=300,
                   EvaluationPeriods=alarm["EvaluationPeriods"], DatapointsToAlarm=alarm["DatapointsToAlarm"],
                   Threshold=alarm["Threshold"], ComparisonOperator=alarm["ComparisonOperator"],
                   TreatMissingData="missing", Statistic=alarm["Statistic"])
    request.update(changed)
    return request


def test_no_change_run_is_one_read(stubs, run_module):
    stubs["cloudwatch"].add_response("describe_alarms", dict(MetricAlarms=current_alarms()[::-1]), DESCRIBE)
    result = run_module(cloudwatch_alarms, ARGS, diff=True)
    assert result["changed"] is False
    assert result["alarms"] == ["shop-rds-db-cpu", "shop-rds-db-free-storage"]
    assert result["diff"] == dict(before={}, after={})


def test_create_puts_each_alarm_with_tags_after_checking_the_topic(stubs, run_module):
    stubs["cloudwatch"].add_response("describe_alarms", dict(MetricAlarms=[]), DESCRIBE)
    stubs["sns"].add_response("get_topic_attributes", dict(Attributes={}), dict(TopicArn=TOPIC))
    tags = [dict(Key="application", Value="shop")]
    for alarm in current_alarms():
        stubs["cloudwatch"].add_response("put_metric_alarm", {}, put_request(alarm, Tags=tags))
    result = run_module(cloudwatch_alarms, dict(ARGS, tags={"application": "shop"}))
    assert result["changed"] is True
    assert result["created"] == ["shop-rds-db-cpu", "shop-rds-db-free-storage"]


def test_a_changed_threshold_is_put_alone_and_an_unlisted_alarm_deleted(stubs, run_module):
    found = current_alarms()
    found[0]["Threshold"] = 95.0
    found.append(aws_alarm("shop-rds-old-cpu", "CPUUtilization", 80, dimension="old"))
    stubs["cloudwatch"].add_response("describe_alarms", dict(MetricAlarms=found), DESCRIBE)
    stubs["sns"].add_response("get_topic_attributes", dict(Attributes={}), dict(TopicArn=TOPIC))
    stubs["cloudwatch"].add_response("put_metric_alarm", {}, put_request(found[0], Threshold=80.0))
    stubs["cloudwatch"].add_response("delete_alarms", {}, dict(AlarmNames=["shop-rds-old-cpu"]))
    result = run_module(cloudwatch_alarms, ARGS, diff=True)
    assert result["updated"] == ["shop-rds-db-cpu"]
    assert result["deleted"] == ["shop-rds-old-cpu"]
    assert result["diff"]["before"]["shop-rds-db-cpu"]["threshold"] == 95.0
    assert result["diff"]["after"]["shop-rds-db-cpu"]["threshold"] == 80.0


def test_check_mode_reads_only(stubs, run_module):
    found = current_alarms()[:1] + [aws_alarm("shop-rds-old-cpu", "CPUUtilization", 80, dimension="old")]
    stubs["cloudwatch"].add_response("describe_alarms", dict(MetricAlarms=found), DESCRIBE)
    stubs["sns"].add_response("get_topic_attributes", dict(Attributes={}), dict(TopicArn=TOPIC))
    result = run_module(cloudwatch_alarms, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["created"] == ["shop-rds-db-free-storage"]
    assert result["deleted"] == ["shop-rds-old-cpu"]


def test_alarms_are_read_page_by_page(stubs, run_module):
    found = current_alarms()
    stubs["cloudwatch"].add_response("describe_alarms", dict(MetricAlarms=found[:1], NextToken="t"), DESCRIBE)
    stubs["cloudwatch"].add_response("describe_alarms", dict(MetricAlarms=found[1:]), dict(DESCRIBE, NextToken="t"))
    assert run_module(cloudwatch_alarms, ARGS)["changed"] is False


def test_bad_input_is_refused_before_any_call(run_module):
    alarms = [dict(CPU, threshold=120), dict(STORAGE, threshold=-1), dict(CPU, name="shop-x", metric_name="CPUUsage"),
              dict(CPU, name="other-cpu"), dict(CPU, name="shop-y", period=90)]
    result = run_module(cloudwatch_alarms, dict(ARGS, alarms=alarms), expect_failure=True)
    problems = result["problems"]
    assert any("threshold 120 is above 100" in p for p in problems)
    assert any("threshold -1 is negative" in p for p in problems)
    assert any("unknown metric CPUUsage of AWS/RDS" in p for p in problems)
    assert any("must start with the prefix shop-" in p for p in problems)
    assert any("period 90" in p for p in problems)


def test_a_missing_topic_is_refused_before_any_write(stubs, run_module):
    stubs["cloudwatch"].add_response("describe_alarms", dict(MetricAlarms=[]), DESCRIBE)
    stubs["sns"].add_client_error("get_topic_attributes", "NotFound", http_status_code=404,
                                  expected_params=dict(TopicArn=TOPIC))
    result = run_module(cloudwatch_alarms, ARGS, expect_failure=True)
    assert TOPIC in result["msg"]


def test_absent_deletes_every_alarm_of_the_prefix(stubs, run_module):
    stubs["cloudwatch"].add_response("describe_alarms", dict(MetricAlarms=current_alarms()), DESCRIBE)
    stubs["cloudwatch"].add_response("delete_alarms", {}, dict(
        AlarmNames=["shop-rds-db-cpu", "shop-rds-db-free-storage"]))
    result = run_module(cloudwatch_alarms, dict(prefix=PREFIX, state="absent"))
    assert result["deleted"] == ["shop-rds-db-cpu", "shop-rds-db-free-storage"]
