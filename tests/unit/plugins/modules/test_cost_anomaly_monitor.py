"""cost_anomaly_monitor: one GetAnomalyMonitors a no-change run; created with its tags; what it watches never
changed in place."""

from ansible_collections.storagekit.aws.plugins.modules import cost_anomaly_monitor

ARN = "arn:aws:ce::123456789012:anomalymonitor/11111111-2222-3333-4444-555555555555"
TAG_SPEC = {"Tags": {"Key": "application", "Values": ["shop"], "MatchOptions": ["EQUALS"]}}
ARGS = dict(name="shop-application", monitor_type="tag", tag_key="application", tag_values=["shop"],
            tags={"application": "shop"})


def expect_monitors(stubs, *monitors):
    stubs["ce"].add_response("get_anomaly_monitors", {"AnomalyMonitors": list(monitors)}, {})


def tag_monitor(**changed):
    monitor = dict(MonitorArn=ARN, MonitorName="shop-application", MonitorType="CUSTOM",
                   MonitorSpecification=TAG_SPEC, CreationDate="2026-12-01", DimensionalValueCount=0)
    monitor.update(changed)
    return monitor


def expect_tags(stubs, tags):
    stubs["ce"].add_response("list_tags_for_resource",
                             {"ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]}, {"ResourceArn": ARN})


def test_create_with_tags(stubs, run_module):
    expect_monitors(stubs, dict(MonitorArn=ARN + "x", MonitorName="other", MonitorType="DIMENSIONAL",
                                MonitorDimension="SERVICE"))
    stubs["ce"].add_response("create_anomaly_monitor", {"MonitorArn": ARN}, {
        "AnomalyMonitor": {"MonitorName": "shop-application", "MonitorType": "CUSTOM", "MonitorSpecification": TAG_SPEC},
        "ResourceTags": [{"Key": "application", "Value": "shop"}]})
    result = run_module(cost_anomaly_monitor, ARGS, diff=True)
    assert result["changed"] is True
    assert result["monitor"] == dict(name="shop-application", arn=ARN, monitor_type="tag", tags={"application": "shop"})
    assert result["diff"]["before"] == {"monitor": None}


def test_no_change_reads_monitors_and_tags_only(stubs, run_module):
    expect_monitors(stubs, tag_monitor())
    expect_tags(stubs, {"application": "shop"})
    result = run_module(cost_anomaly_monitor, ARGS)
    assert result["changed"] is False
    assert result["monitor"]["arn"] == ARN


def test_service_monitor_without_tags_is_one_read(stubs, run_module):
    expect_monitors(stubs, dict(MonitorArn=ARN, MonitorName="services", MonitorType="DIMENSIONAL",
                                MonitorDimension="SERVICE"))
    result = run_module(cost_anomaly_monitor, dict(name="services"))
    assert result["changed"] is False


def test_tag_drift_is_repaired_and_check_mode_writes_nothing(stubs, run_module):
    expect_monitors(stubs, tag_monitor())
    expect_tags(stubs, {"application": "shop", "owner": "someone"})
    assert run_module(cost_anomaly_monitor, ARGS, check_mode=True)["changed"] is True
    expect_monitors(stubs, tag_monitor())
    expect_tags(stubs, {"application": "shop", "owner": "someone"})
    stubs["ce"].add_response("untag_resource", {}, {"ResourceArn": ARN, "ResourceTagKeys": ["owner"]})
    assert run_module(cost_anomaly_monitor, ARGS)["changed"] is True


def test_a_different_watch_is_refused_before_any_write(stubs, run_module):
    expect_monitors(stubs, tag_monitor(MonitorSpecification={"Tags": dict(TAG_SPEC["Tags"], Values=["blog"])}))
    result = run_module(cost_anomaly_monitor, ARGS, expect_failure=True)
    assert "cannot change what a monitor watches" in result["msg"]


def test_tag_monitor_needs_values(stubs, run_module):
    result = run_module(cost_anomaly_monitor, dict(ARGS, tag_values=[]), expect_failure=True)
    assert "tag_values" in result["msg"]


def test_delete(stubs, run_module):
    expect_monitors(stubs, tag_monitor())
    stubs["ce"].add_response("delete_anomaly_monitor", {}, {"MonitorArn": ARN})
    assert run_module(cost_anomaly_monitor, dict(name="shop-application", state="absent"))["changed"] is True
    expect_monitors(stubs)
    assert run_module(cost_anomaly_monitor, dict(name="shop-application", state="absent"))["changed"] is False


def test_two_monitors_of_one_name_are_refused(stubs, run_module):
    expect_monitors(stubs, tag_monitor(), tag_monitor(MonitorArn=ARN + "2"))
    result = run_module(cost_anomaly_monitor, ARGS, expect_failure=True)
    assert "2 resources are named" in result["msg"]
