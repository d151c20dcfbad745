"""macie_custom_data_identifier: found by name, created with its tags, never changed in place."""

from ansible_collections.storagekit.aws.plugins.modules import macie_custom_data_identifier

ID = "abcdef0123456789abcdef01"
ARN = "arn:aws:macie2:us-east-1:123456789012:custom-data-identifier/" + ID
ARGS = dict(name="shop-customer-number", regex="CUST-[0-9]{8}", keywords=["customer"], tags={"application": "shop"})
CURRENT = dict(id=ID, arn=ARN, name="shop-customer-number", regex="CUST-[0-9]{8}", keywords=["customer"],
               ignoreWords=[], maximumMatchDistance=50, deleted=False)


def expect_list(stubs, *items):
    stubs["macie2"].add_response("list_custom_data_identifiers", {"items": list(items)}, {})


def test_create(stubs, run_module):
    expect_list(stubs, dict(id="other", arn=ARN + "x", name="other"))
    stubs["macie2"].add_response("create_custom_data_identifier", {"customDataIdentifierId": ID}, dict(
        name="shop-customer-number", regex="CUST-[0-9]{8}", keywords=["customer"], ignoreWords=[], maximumMatchDistance=50,
        description="", tags={"application": "shop"}))
    result = run_module(macie_custom_data_identifier, ARGS)
    assert result["changed"] is True
    assert result["identifier"]["id"] == ID


def test_no_change(stubs, run_module):
    expect_list(stubs, dict(id=ID, arn=ARN, name="shop-customer-number"))
    stubs["macie2"].add_response("get_custom_data_identifier", CURRENT, {"id": ID})
    stubs["macie2"].add_response("list_tags_for_resource", {"tags": {"application": "shop"}}, {"resourceArn": ARN})
    assert run_module(macie_custom_data_identifier, ARGS)["changed"] is False


def test_other_criteria_refused_before_any_write(stubs, run_module):
    expect_list(stubs, dict(id=ID, arn=ARN, name="shop-customer-number"))
    stubs["macie2"].add_response("get_custom_data_identifier", dict(CURRENT, regex="CUST-[0-9]{6}"), {"id": ID})
    result = run_module(macie_custom_data_identifier, ARGS, expect_failure=True)
    assert "cannot change an identifier" in result["msg"]


def test_bad_input_and_delete(stubs, run_module):
    result = run_module(macie_custom_data_identifier, dict(ARGS, keywords=["ab"], maximum_match_distance=0),
                        expect_failure=True)
    assert "keywords" in result["msg"] and "maximum_match_distance" in result["msg"]
    expect_list(stubs, dict(id=ID, arn=ARN, name="shop-customer-number"))
    stubs["macie2"].add_response("delete_custom_data_identifier", {}, {"id": ID})
    assert run_module(macie_custom_data_identifier, dict(name="shop-customer-number", state="absent"))["changed"] is True
