"""cloudfront_origin_access_control: the exact API calls of create, no-change, update, check mode and delete runs."""

import pytest

from ansible_collections.storagekit.aws.plugins.modules import cloudfront_origin_access_control

OAC_ID = "E2QWRUHAPOMQZL"
ARGS = dict(name="website", description="CloudFront access to the website bucket")


def config(**changes):
    raw = dict(
        Name="website",
        Description="CloudFront access to the website bucket",
        SigningProtocol="sigv4",
        SigningBehavior="always",
        OriginAccessControlOriginType="s3",
    )
    raw.update(changes)
    return raw


def summary(**changes):
    return dict(config(**changes), Id=OAC_ID)


def expect_list(stubs, *summaries, **page):
    listing = dict(Marker=page.pop("marker", ""), MaxItems=100, IsTruncated=False, Quantity=len(summaries))
    if summaries:
        listing["Items"] = list(summaries)
    listing.update(page)
    expected = dict(Marker=listing["Marker"]) if listing["Marker"] else {}
    stubs["cloudfront"].add_response(
        "list_origin_access_controls", dict(OriginAccessControlList=listing), expected
    )


def expect_get(stubs, etag="ETAG1", **changes):
    stubs["cloudfront"].add_response(
        "get_origin_access_control",
        dict(OriginAccessControl=dict(Id=OAC_ID, OriginAccessControlConfig=config(**changes)), ETag=etag),
        dict(Id=OAC_ID),
    )


def test_create_sends_the_secure_defaults(stubs, run_module):
    expect_list(stubs)
    stubs["cloudfront"].add_response(
        "create_origin_access_control",
        dict(OriginAccessControl=dict(Id=OAC_ID, OriginAccessControlConfig=config()), ETag="ETAG1", Location="x"),
        dict(OriginAccessControlConfig=config()),
    )
    result = run_module(cloudfront_origin_access_control, ARGS, diff=True)
    assert result["changed"] is True
    assert result["origin_access_control"] == dict(
        id=OAC_ID,
        name="website",
        description="CloudFront access to the website bucket",
        origin_type="s3",
        signing_behavior="always",
        signing_protocol="sigv4",
        etag="ETAG1",
    )
    assert result["diff"]["before"] == dict(origin_access_control=None)
    assert result["diff"]["after"]["origin_access_control"]["signing_behavior"] == "always"


def test_no_change_run_only_reads(stubs, run_module):
    expect_list(stubs, summary(Name="other", Id="E111"), summary())
    expect_get(stubs)
    result = run_module(cloudfront_origin_access_control, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["origin_access_control"]["etag"] == "ETAG1"


def test_list_is_followed_across_pages(stubs, run_module):
    expect_list(stubs, summary(Name="other", Id="E111"), IsTruncated=True, NextMarker="page2")
    expect_list(stubs, summary(), marker="page2")
    expect_get(stubs)
    assert run_module(cloudfront_origin_access_control, ARGS)["changed"] is False


def test_unset_description_is_left_alone(stubs, run_module):
    expect_list(stubs, summary(Description="set elsewhere"))
    expect_get(stubs, Description="set elsewhere")
    result = run_module(cloudfront_origin_access_control, dict(name="website"))
    assert result["changed"] is False
    assert result["origin_access_control"]["description"] == "set elsewhere"


def test_drift_is_put_back_with_the_etag_read(stubs, run_module):
    expect_list(stubs, summary(SigningBehavior="never"))
    expect_get(stubs, etag="ETAG7", SigningBehavior="never")
    stubs["cloudfront"].add_response(
        "update_origin_access_control",
        dict(OriginAccessControl=dict(Id=OAC_ID, OriginAccessControlConfig=config()), ETag="ETAG8"),
        dict(Id=OAC_ID, IfMatch="ETAG7", OriginAccessControlConfig=config()),
    )
    result = run_module(cloudfront_origin_access_control, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"] == dict(
        before=dict(origin_access_control=dict(signing_behavior="never")),
        after=dict(origin_access_control=dict(signing_behavior="always")),
    )
    assert result["origin_access_control"]["etag"] == "ETAG8"


def test_check_mode_create_makes_no_write(stubs, run_module):
    expect_list(stubs)
    result = run_module(cloudfront_origin_access_control, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["origin_access_control"]["id"] is None
    assert result["origin_access_control"]["signing_behavior"] == "always"


def test_check_mode_update_predicts_without_writing(stubs, run_module):
    expect_list(stubs, summary(Description="old"))
    expect_get(stubs, Description="old")
    result = run_module(cloudfront_origin_access_control, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["origin_access_control"]["description"] == ARGS["description"]
    assert result["diff"]["before"]["origin_access_control"] == dict(description="old")


def test_absent_deletes_with_the_etag(stubs, run_module):
    expect_list(stubs, summary())
    expect_get(stubs, etag="ETAG3")
    stubs["cloudfront"].add_response("delete_origin_access_control", {}, dict(Id=OAC_ID, IfMatch="ETAG3"))
    result = run_module(cloudfront_origin_access_control, dict(name="website", state="absent"), diff=True)
    assert result["changed"] is True
    assert result["origin_access_control"] == {}
    assert result["diff"]["after"] == dict(origin_access_control=None)
    assert result["diff"]["before"]["origin_access_control"]["id"] == OAC_ID


def test_absent_in_check_mode_only_reads(stubs, run_module):
    expect_list(stubs, summary())
    expect_get(stubs)
    result = run_module(cloudfront_origin_access_control, dict(name="website", state="absent"), check_mode=True)
    assert result["changed"] is True


def test_absent_when_missing_is_unchanged(stubs, run_module):
    expect_list(stubs)
    result = run_module(cloudfront_origin_access_control, dict(name="website", state="absent"))
    assert result["changed"] is False


def test_deleting_an_oac_in_use_fails_clearly(stubs, run_module):
    expect_list(stubs, summary())
    expect_get(stubs, etag="ETAG3")
    stubs["cloudfront"].add_client_error(
        "delete_origin_access_control",
        "OriginAccessControlInUse",
        "Cannot delete, the origin access control is in use.",
        409,
        expected_params=dict(Id=OAC_ID, IfMatch="ETAG3"),
    )
    result = run_module(cloudfront_origin_access_control, dict(name="website", state="absent"), expect_failure=True)
    assert "still used by a CloudFront distribution" in result["msg"]
    assert OAC_ID in result["msg"]


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(name="x" * 65), "1 to 64 characters"),
        (dict(name="website", signing_behavior="sometimes"), "signing_behavior"),
        (dict(name="website", origin_type="custom"), "origin_type"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, args, message):
    result = run_module(cloudfront_origin_access_control, args, expect_failure=True)
    assert message in result["msg"]


def expect_create_refused(stubs):
    stubs["cloudfront"].add_client_error(
        "create_origin_access_control", "OriginAccessControlAlreadyExists", http_status_code=409,
        expected_params=dict(OriginAccessControlConfig=config()),
    )


def test_the_oac_another_run_created_meanwhile_is_adopted(stubs, run_module):
    """Both runs listed no OAC of the name; CloudFront refuses the second one of the same name."""
    expect_list(stubs)
    expect_create_refused(stubs)
    expect_list(stubs, summary())
    expect_get(stubs, etag="ETAG7")
    result = run_module(cloudfront_origin_access_control, ARGS)
    assert result["changed"] is True
    assert result["origin_access_control"]["id"] == OAC_ID
    assert result["origin_access_control"]["etag"] == "ETAG7"


def test_the_adopted_oac_gets_the_settings_of_this_run(stubs, run_module):
    expect_list(stubs)
    expect_create_refused(stubs)
    expect_list(stubs, summary(SigningBehavior="no-override"))
    expect_get(stubs, etag="ETAG7", SigningBehavior="no-override")
    stubs["cloudfront"].add_response(
        "update_origin_access_control",
        dict(OriginAccessControl=dict(Id=OAC_ID, OriginAccessControlConfig=config()), ETag="ETAG8"),
        dict(Id=OAC_ID, IfMatch="ETAG7", OriginAccessControlConfig=config()),
    )
    result = run_module(cloudfront_origin_access_control, ARGS)
    assert result["origin_access_control"]["signing_behavior"] == "always"
    assert result["origin_access_control"]["etag"] == "ETAG8"


def test_an_oac_name_taken_without_a_listed_oac_still_fails(stubs, run_module):
    expect_list(stubs)
    expect_create_refused(stubs)
    expect_list(stubs)
    result = run_module(cloudfront_origin_access_control, ARGS, expect_failure=True)
    assert "OriginAccessControlAlreadyExists" in str(result)
