"""cloudwatch_dashboard: GetDashboard (+ tags) a no-change run; the body compared as JSON; put back whole when it
differs; a bad body refused before any call."""

import json

from ansible_collections.storagekit.aws.plugins.modules import cloudwatch_dashboard

NAME = "shop"
ARN = "arn:aws:cloudwatch::123456789012:dashboard/shop"
WIDGET = dict(type="metric", x=0, y=0, width=12, height=6,
              properties=dict(title="CPU", region="us-east-1", metrics=[["AWS/RDS", "CPUUtilization"]]))
TEXT = dict(type="text", x=0, y=6, width=24, height=1, properties=dict(markdown="## RDS"))
BODY = dict(widgets=[WIDGET, TEXT])
TAGS = {"application": "shop"}


def expect_get(stubs, body=None):
    # AWS answers with its own spacing and key order.
    stubs["cloudwatch"].add_response("get_dashboard", dict(
        DashboardArn=ARN, DashboardName=NAME, DashboardBody=json.dumps(body or BODY, indent=1)), dict(DashboardName=NAME))


def expect_missing(stubs):
    stubs["cloudwatch"].add_client_error("get_dashboard", "ResourceNotFound", http_status_code=404,
                                         expected_params=dict(DashboardName=NAME))


def test_no_change_run_reads_only(stubs, run_module):
    expect_get(stubs)
    stubs["cloudwatch"].add_response("list_tags_for_resource", dict(Tags=[dict(Key="application", Value="shop")]),
                                     dict(ResourceARN=ARN))
    result = run_module(cloudwatch_dashboard, dict(name=NAME, body=json.dumps(BODY), tags=TAGS), diff=True)
    assert result["changed"] is False
    assert result["dashboard"] == dict(name=NAME, arn=ARN, widgets=2, tags=TAGS)


def test_a_deleted_widget_puts_the_body_back(stubs, run_module):
    expect_get(stubs, dict(widgets=[WIDGET]))
    stubs["cloudwatch"].add_response("put_dashboard", dict(DashboardValidationMessages=[]), dict(
        DashboardName=NAME, DashboardBody=json.dumps(BODY, sort_keys=True)))
    result = run_module(cloudwatch_dashboard, dict(name=NAME, body=json.dumps(BODY)), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["body"] == dict(widgets=[WIDGET])


def test_create_then_tags(stubs, run_module):
    expect_missing(stubs)
    stubs["cloudwatch"].add_response("put_dashboard", dict(
        DashboardValidationMessages=[dict(DataPath="/widgets/0", Message="Should match")]), dict(
        DashboardName=NAME, DashboardBody=json.dumps(BODY, sort_keys=True)))
    expect_get(stubs)
    stubs["cloudwatch"].add_response("tag_resource", {}, dict(ResourceARN=ARN, Tags=[dict(Key="application", Value="shop")]))
    result = run_module(cloudwatch_dashboard, dict(name=NAME, body=json.dumps(BODY), tags=TAGS))
    assert result["changed"] is True
    assert result["dashboard"]["arn"] == ARN
    assert "/widgets/0: Should match" in str(result["warnings"])


def test_check_mode_predicts_a_new_dashboard(stubs, run_module):
    expect_missing(stubs)
    result = run_module(cloudwatch_dashboard, dict(name=NAME, body=json.dumps(BODY), tags=TAGS), check_mode=True)
    assert result["changed"] is True
    assert result["dashboard"]["arn"] == ""


def test_a_body_without_widgets_is_refused_before_any_call(run_module):
    result = run_module(cloudwatch_dashboard, dict(name=NAME, body=json.dumps(dict(start="-PT6H"))), expect_failure=True)
    assert "widgets list" in result["msg"]
    result = run_module(cloudwatch_dashboard, dict(name=NAME, body=json.dumps(dict(widgets=[dict(type="metric")]))),
                        expect_failure=True)
    assert "properties.metrics" in result["msg"]


def test_absent_deletes(stubs, run_module):
    expect_get(stubs)
    stubs["cloudwatch"].add_response("delete_dashboards", {}, dict(DashboardNames=[NAME]))
    assert run_module(cloudwatch_dashboard, dict(name=NAME, state="absent"))["changed"] is True
