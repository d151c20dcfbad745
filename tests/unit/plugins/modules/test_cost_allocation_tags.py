"""cost_allocation_tags: one read of the named keys; only the keys whose status differs are set."""

from ansible_collections.storagekit.aws.plugins.modules import cost_allocation_tags


def expect_list(stubs, found):
    stubs["ce"].add_response("list_cost_allocation_tags", {"CostAllocationTags": [
        {"TagKey": k, "Type": "UserDefined", "Status": v} for k, v in found.items()]},
        {"TagKeys": ["application", "environment"], "Type": "UserDefined"})


def test_activates_only_inactive_keys(stubs, run_module):
    expect_list(stubs, {"application": "Inactive", "environment": "Active"})
    stubs["ce"].add_response("update_cost_allocation_tags_status", {"Errors": []},
                             {"CostAllocationTagsStatus": [{"TagKey": "application", "Status": "Active"}]})
    result = run_module(cost_allocation_tags, dict(keys=["environment", "application"]), diff=True)
    assert result["changed"] is True
    assert result["cost_allocation_tags"] == {"application": "Active", "environment": "Active"}
    assert result["diff"]["before"] == {"cost_allocation_tags": {"application": "Inactive"}}


def test_no_change_and_check_mode(stubs, run_module):
    expect_list(stubs, {"application": "Active", "environment": "Active"})
    assert run_module(cost_allocation_tags, dict(keys=["application", "environment"]))["changed"] is False
    expect_list(stubs, {"application": "Active"})
    assert run_module(cost_allocation_tags, dict(keys=["application", "environment"]), check_mode=True)["changed"] is True


def test_errors_aws_answers_fail_the_module(stubs, run_module):
    expect_list(stubs, {})
    stubs["ce"].add_response("update_cost_allocation_tags_status", {"Errors": [
        {"TagKey": "environment", "Code": "TagKeysNotFoundException", "Message": "not found"}]},
        {"CostAllocationTagsStatus": [{"TagKey": "application", "Status": "Active"},
                                      {"TagKey": "environment", "Status": "Active"}]})
    result = run_module(cost_allocation_tags, dict(keys=["application", "environment"]), expect_failure=True)
    assert "environment: TagKeysNotFoundException" in result["msg"]
