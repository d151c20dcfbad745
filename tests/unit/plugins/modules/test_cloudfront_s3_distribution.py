"""cloudfront_s3_distribution: the exact API calls of create, no-change, drift repair, check mode and delete runs."""

import copy
import datetime

import pytest

from ansible_collections.storagekit.aws.plugins.module_utils import cloudfront_config
from ansible_collections.storagekit.aws.plugins.modules import cloudfront_s3_distribution

DIST_ID = "E2QWRUHAPOMQZL"
ARN = "arn:aws:cloudfront::123456789012:distribution/" + DIST_ID
DOMAIN = "d111111abcdef8.cloudfront.net"
OAC_ID = "E3OACEXAMPLE01"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
REFERENCE = "website"
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
ARGS = dict(
    name="website",
    origin_bucket="example-website",
    origin_bucket_region="eu-west-1",
    origin_access_control_id=OAC_ID,
)
FULL_ARGS = dict(
    ARGS,
    aliases=["www.example.com", "example.com"],
    acm_certificate_arn=CERT,
    spa=True,
    logging=dict(bucket="example-logs", prefix="cloudfront/website/"),
    tags=dict(team="web"),
)


def sent_config(aliases=None, certificate=None, errors=None, logging=None):
    """The DistributionConfig the module sends to create the distribution of ARGS (or FULL_ARGS)."""
    sent = dict(
        CallerReference=REFERENCE,
        Comment="website",
        Enabled=True,
        Origins=dict(
            Quantity=1,
            Items=[
                dict(
                    Id="s3-origin",
                    DomainName="example-website.s3.eu-west-1.amazonaws.com",
                    OriginPath="",
                    OriginAccessControlId=OAC_ID,
                    S3OriginConfig=dict(OriginAccessIdentity=""),
                )
            ],
        ),
        DefaultCacheBehavior=dict(
            TargetOriginId="s3-origin",
            ViewerProtocolPolicy="redirect-to-https",
            AllowedMethods=dict(Quantity=2, Items=["HEAD", "GET"], CachedMethods=dict(Quantity=2, Items=["HEAD", "GET"])),
            Compress=True,
            CachePolicyId="658327ea-f89d-4fab-a63d-7e88639e58f6",
            ResponseHeadersPolicyId="67f7725c-6f97-4210-82d7-5512b31e9d03",
        ),
        Aliases=aliases or dict(Quantity=0),
        Logging=logging or dict(Enabled=False, IncludeCookies=False, Bucket="", Prefix=""),
        WebACLId="",
        Restrictions=dict(GeoRestriction=dict(RestrictionType="none", Quantity=0)),
        DefaultRootObject="index.html",
        PriceClass="PriceClass_100",
        HttpVersion="http2and3",
        IsIPV6Enabled=True,
        ViewerCertificate=certificate or dict(CloudFrontDefaultCertificate=True),
        CustomErrorResponses=errors or dict(Quantity=0),
    )
    return sent


FULL_ALIASES = dict(Quantity=2, Items=["example.com", "www.example.com"])
FULL_CERTIFICATE = dict(ACMCertificateArn=CERT, SSLSupportMethod="sni-only", MinimumProtocolVersion="TLSv1.2_2021")
SPA_ERRORS = dict(
    Quantity=2,
    Items=[
        dict(ErrorCode=403, ResponsePagePath="/index.html", ResponseCode="200", ErrorCachingMinTTL=10),
        dict(ErrorCode=404, ResponsePagePath="/index.html", ResponseCode="200", ErrorCachingMinTTL=10),
    ],
)
FULL_LOGGING = dict(Enabled=True, IncludeCookies=False, Bucket="example-logs.s3.amazonaws.com", Prefix="cloudfront/website/")


def full_sent_config():
    return sent_config(aliases=FULL_ALIASES, certificate=FULL_CERTIFICATE, errors=SPA_ERRORS, logging=FULL_LOGGING)


def stored_config(sent):
    """The config as GetDistributionConfig returns it: AWS fills in defaults and may reorder lists."""
    stored = copy.deepcopy(sent)
    origin = stored["Origins"]["Items"][0]
    origin.update(
        ConnectionAttempts=3,
        ConnectionTimeout=10,
        CustomHeaders=dict(Quantity=0),
        OriginShield=dict(Enabled=False),
    )
    origin["S3OriginConfig"]["OriginReadTimeout"] = 30
    stored["DefaultCacheBehavior"].update(
        TrustedSigners=dict(Enabled=False, Quantity=0),
        TrustedKeyGroups=dict(Enabled=False, Quantity=0),
        SmoothStreaming=False,
        LambdaFunctionAssociations=dict(Quantity=0),
        FunctionAssociations=dict(Quantity=0),
        FieldLevelEncryptionId="",
    )
    if stored["ViewerCertificate"].get("CloudFrontDefaultCertificate"):
        stored["ViewerCertificate"].update(
            SSLSupportMethod="vip", MinimumProtocolVersion="TLSv1", CertificateSource="cloudfront"
        )
    else:
        stored["ViewerCertificate"].update(Certificate=CERT, CertificateSource="acm")
    for key in ("Aliases", "CustomErrorResponses"):
        if stored[key].get("Items"):
            stored[key]["Items"] = list(reversed(stored[key]["Items"]))
    stored.update(
        OriginGroups=dict(Quantity=0),
        CacheBehaviors=dict(Quantity=0),
        ContinuousDeploymentPolicyId="",
        Staging=False,
    )
    return stored


def distribution(config, status="Deployed"):
    return dict(
        Id=DIST_ID,
        ARN=ARN,
        Status=status,
        LastModifiedTime=NOW,
        InProgressInvalidationBatches=0,
        DomainName=DOMAIN,
        DistributionConfig=config,
    )


def summary(config, status="Deployed", **changes):
    item = dict(
        Id=DIST_ID,
        ARN=ARN,
        Status=status,
        LastModifiedTime=NOW,
        DomainName=DOMAIN,
        Aliases=config["Aliases"],
        Origins=config["Origins"],
        DefaultCacheBehavior=config["DefaultCacheBehavior"],
        CacheBehaviors=dict(Quantity=0),
        CustomErrorResponses=config["CustomErrorResponses"],
        Comment=config["Comment"],
        PriceClass=config["PriceClass"],
        Enabled=config["Enabled"],
        ViewerCertificate=config["ViewerCertificate"],
        Restrictions=config["Restrictions"],
        WebACLId=config["WebACLId"],
        HttpVersion=config["HttpVersion"],
        IsIPV6Enabled=config["IsIPV6Enabled"],
        Staging=False,
    )
    item.update(changes)
    return item


def expect_list(stubs, *summaries, **page):
    listing = dict(Marker=page.pop("marker", ""), MaxItems=100, IsTruncated=False, Quantity=len(summaries))
    if summaries:
        listing["Items"] = list(summaries)
    listing.update(page)
    expected = dict(Marker=listing["Marker"]) if listing["Marker"] else {}
    stubs["cloudfront"].add_response("list_distributions", dict(DistributionList=listing), expected)


def expect_found(stubs, config, etag="ETAG1", status="Deployed"):
    """The reads that find the distribution by name: ListDistributions, then its config for the ETag."""
    expect_list(stubs, summary(config, status))
    stubs["cloudfront"].add_response(
        "get_distribution_config", dict(DistributionConfig=config, ETag=etag), dict(Id=DIST_ID)
    )


def expect_get_distribution(stubs, config, status, etag):
    stubs["cloudfront"].add_response(
        "get_distribution", dict(Distribution=distribution(config, status), ETag=etag), dict(Id=DIST_ID)
    )


def expect_tags(stubs, tags):
    items = [dict(Key=k, Value=v) for k, v in tags.items()]
    stubs["cloudfront"].add_response("list_tags_for_resource", dict(Tags=dict(Items=items)), dict(Resource=ARN))


# ---------------------------------------------------------------------------------------------
# Create
# ---------------------------------------------------------------------------------------------


def test_create_sends_the_whole_secure_config_with_tags(stubs, run_module):
    expect_list(stubs)
    sent = full_sent_config()
    stubs["cloudfront"].add_response(
        "create_distribution_with_tags",
        dict(Distribution=distribution(stored_config(sent), "InProgress"), ETag="ETAG1", Location="x"),
        dict(DistributionConfigWithTags=dict(DistributionConfig=sent, Tags=dict(Items=[dict(Key="team", Value="web")]))),
    )
    result = run_module(cloudfront_s3_distribution, FULL_ARGS)
    assert result["changed"] is True
    got = result["distribution"]
    assert (got["id"], got["arn"], got["domain_name"], got["status"], got["etag"]) == (DIST_ID, ARN, DOMAIN, "InProgress", "ETAG1")
    assert got["hosted_zone_id"] == "Z2FDTNDATAQYW2"
    assert got["origin_bucket"] == "example-website" and got["origin_bucket_region"] == "eu-west-1"
    assert got["origin_access_control_id"] == OAC_ID
    assert got["aliases"] == ["example.com", "www.example.com"]
    assert got["spa"] is True
    assert got["logging"] == dict(enabled=True, bucket="example-logs", prefix="cloudfront/website/", include_cookies=False)
    assert got["tags"] == dict(team="web")


def test_create_with_the_default_certificate_and_no_tags(stubs, run_module):
    expect_list(stubs)
    sent = sent_config()
    stubs["cloudfront"].add_response(
        "create_distribution_with_tags",
        dict(Distribution=distribution(stored_config(sent), "InProgress"), ETag="ETAG1"),
        dict(DistributionConfigWithTags=dict(DistributionConfig=sent, Tags=dict(Items=[])),),
    )
    result = run_module(cloudfront_s3_distribution, ARGS)
    assert result["changed"] is True
    assert result["distribution"]["cloudfront_default_certificate"] is True
    assert result["distribution"]["minimum_protocol_version"] == ""
    assert "tags" not in result["distribution"]


def test_create_and_wait_polls_until_deployed(stubs, run_module):
    expect_list(stubs)
    stored = stored_config(sent_config())
    stubs["cloudfront"].add_response(
        "create_distribution_with_tags", dict(Distribution=distribution(stored, "InProgress"), ETag="ETAG1")
    )
    expect_get_distribution(stubs, stored, "InProgress", "ETAG1")
    expect_get_distribution(stubs, stored, "Deployed", "ETAG1")
    result = run_module(cloudfront_s3_distribution, dict(ARGS, wait=True))
    assert result["distribution"]["status"] == "Deployed"


def test_check_mode_create_makes_no_write_and_shows_the_settings(stubs, run_module):
    expect_list(stubs)
    result = run_module(cloudfront_s3_distribution, FULL_ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["distribution"]["id"] is None
    assert result["distribution"]["viewer_protocol_policy"] == "redirect-to-https"
    assert result["diff"]["before"] == dict(distribution=None)
    after = result["diff"]["after"]["distribution"]
    assert after["origin_domain_name"] == "example-website.s3.eu-west-1.amazonaws.com"
    assert after["acm_certificate_arn"] == CERT
    assert after["minimum_protocol_version"] == "TLSv1.2_2021"
    assert [r["error_code"] for r in after["custom_error_responses"]] == [403, 404]


# ---------------------------------------------------------------------------------------------
# Existing distributions
# ---------------------------------------------------------------------------------------------


def test_no_change_run_only_reads(stubs, run_module):
    stored = stored_config(full_sent_config())
    expect_found(stubs, stored)
    expect_tags(stubs, dict(team="web"))
    result = run_module(cloudfront_s3_distribution, FULL_ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["distribution"]["etag"] == "ETAG1"
    assert result["distribution"]["arn"] == ARN


def test_no_change_with_the_default_certificate(stubs, run_module):
    expect_found(stubs, stored_config(sent_config()))
    assert run_module(cloudfront_s3_distribution, ARGS)["changed"] is False


def test_distributions_are_listed_across_pages_and_staging_copies_ignored(stubs, run_module):
    stored = stored_config(sent_config())
    other = summary(stored, Id="E111", Comment="other")
    staging = summary(stored, Id="E222", Staging=True)
    expect_list(stubs, other, IsTruncated=True, NextMarker="page2")
    expect_list(stubs, staging, summary(stored), marker="page2")
    stubs["cloudfront"].add_response(
        "get_distribution_config", dict(DistributionConfig=stored, ETag="ETAG1"), dict(Id=DIST_ID)
    )
    assert run_module(cloudfront_s3_distribution, ARGS)["changed"] is False


def test_drift_is_repaired_with_one_update_carrying_ifmatch(stubs, run_module):
    stored = stored_config(full_sent_config())
    drifted = copy.deepcopy(stored)
    origin = drifted["Origins"]["Items"][0]
    origin["OriginAccessControlId"] = ""
    drifted["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "allow-all"
    drifted["Aliases"] = dict(Quantity=3, Items=["www.example.com", "hand.example.com", "example.com"])
    expect_found(stubs, drifted, etag="ETAG5")
    repaired = copy.deepcopy(drifted)
    repaired["Origins"]["Items"][0]["OriginAccessControlId"] = OAC_ID
    repaired["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "redirect-to-https"
    repaired["Aliases"] = FULL_ALIASES
    # The certificate is rewritten without the deprecated fields AWS returns; list order is CloudFront's own.
    repaired["ViewerCertificate"] = FULL_CERTIFICATE
    repaired["CustomErrorResponses"] = SPA_ERRORS
    stubs["cloudfront"].add_response(
        "update_distribution",
        dict(Distribution=distribution(repaired, "InProgress"), ETag="ETAG6"),
        dict(Id=DIST_ID, IfMatch="ETAG5", DistributionConfig=repaired),
    )
    expect_tags(stubs, dict(team="web"))
    result = run_module(cloudfront_s3_distribution, FULL_ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == dict(
        distribution=dict(
            origin_access_control_id="",
            viewer_protocol_policy="allow-all",
            aliases=["example.com", "hand.example.com", "www.example.com"],
        )
    )
    assert result["diff"]["after"] == dict(
        distribution=dict(
            origin_access_control_id=OAC_ID,
            viewer_protocol_policy="redirect-to-https",
            aliases=["example.com", "www.example.com"],
        )
    )
    assert result["distribution"]["etag"] == "ETAG6"
    assert result["distribution"]["status"] == "InProgress"


def test_check_mode_drift_predicts_change_without_writing(stubs, run_module):
    drifted = stored_config(sent_config())
    drifted["Origins"]["Items"][0]["OriginAccessControlId"] = ""
    expect_found(stubs, drifted)
    result = run_module(cloudfront_s3_distribution, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["distribution"]["origin_access_control_id"] == OAC_ID
    assert result["diff"]["after"] == dict(distribution=dict(origin_access_control_id=OAC_ID))


def test_legacy_origin_and_cache_settings_are_converted_and_the_rest_kept(stubs, run_module):
    """An origin with an OAI, forwarded values and TTLs, plus a hand-made second origin and behavior."""
    stored = stored_config(sent_config())
    origin = stored["Origins"]["Items"][0]
    origin.update(DomainName="example-website.s3.amazonaws.com", OriginAccessControlId="")
    origin["S3OriginConfig"]["OriginAccessIdentity"] = "origin-access-identity/cloudfront/E1OAI"
    api = dict(Id="api", DomainName="api.example.com", OriginPath="", CustomOriginConfig=dict(
        HTTPPort=80, HTTPSPort=443, OriginProtocolPolicy="https-only"))
    stored["Origins"] = dict(Quantity=2, Items=[api, origin])
    stored["CacheBehaviors"] = dict(Quantity=1, Items=[dict(
        PathPattern="/api/*", TargetOriginId="api", ViewerProtocolPolicy="https-only",
        CachePolicyId="4135ea2d-6df8-44a3-9df3-4b5a84be39ad")])
    behavior = stored["DefaultCacheBehavior"]
    behavior.pop("CachePolicyId")
    behavior.update(
        ForwardedValues=dict(QueryString=False, Cookies=dict(Forward="none")), MinTTL=0, DefaultTTL=86400, MaxTTL=31536000
    )
    expect_found(stubs, stored, etag="ETAG2")
    repaired = copy.deepcopy(stored)
    fixed = repaired["Origins"]["Items"][1]
    fixed.update(DomainName="example-website.s3.eu-west-1.amazonaws.com", OriginAccessControlId=OAC_ID)
    fixed["S3OriginConfig"] = dict(OriginAccessIdentity="", OriginReadTimeout=30)
    repaired["ViewerCertificate"] = dict(CloudFrontDefaultCertificate=True)
    behavior = repaired["DefaultCacheBehavior"]
    for legacy in ("ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"):
        behavior.pop(legacy)
    behavior["CachePolicyId"] = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    stubs["cloudfront"].add_response(
        "update_distribution",
        dict(Distribution=distribution(repaired, "InProgress"), ETag="ETAG3"),
        dict(Id=DIST_ID, IfMatch="ETAG2", DistributionConfig=repaired),
    )
    result = run_module(cloudfront_s3_distribution, ARGS, diff=True)
    assert result["changed"] is True
    assert set(result["diff"]["before"]["distribution"]) == {
        "origin_domain_name", "origin_access_control_id", "origin_access_identity", "cache_policy_id"
    }


def test_unset_aliases_logging_and_web_acl_are_left_alone(stubs, run_module):
    stored = stored_config(sent_config(aliases=FULL_ALIASES, certificate=FULL_CERTIFICATE, logging=FULL_LOGGING))
    stored["WebACLId"] = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/1234"
    expect_found(stubs, stored)
    result = run_module(cloudfront_s3_distribution, dict(ARGS, acm_certificate_arn=CERT))
    assert result["changed"] is False
    assert result["distribution"]["aliases"] == ["example.com", "www.example.com"]
    assert result["distribution"]["web_acl_id"].startswith("arn:aws:wafv2:")


def test_empty_logging_turns_logging_off(stubs, run_module):
    stored = stored_config(sent_config(logging=FULL_LOGGING))
    expect_found(stubs, stored, etag="ETAG2")
    repaired = copy.deepcopy(stored)
    repaired["Logging"] = dict(Enabled=False, IncludeCookies=False, Bucket="", Prefix="")
    repaired["ViewerCertificate"] = dict(CloudFrontDefaultCertificate=True)
    stubs["cloudfront"].add_response(
        "update_distribution",
        dict(Distribution=distribution(repaired, "InProgress"), ETag="ETAG3"),
        dict(Id=DIST_ID, IfMatch="ETAG2", DistributionConfig=repaired),
    )
    result = run_module(cloudfront_s3_distribution, dict(ARGS, logging={}))
    assert result["changed"] is True
    assert result["distribution"]["logging"]["enabled"] is False


def test_tag_drift_untags_and_tags(stubs, run_module):
    expect_found(stubs, stored_config(full_sent_config()))
    expect_tags(stubs, dict(team="someone-else", extra="x"))
    cloudfront = stubs["cloudfront"]
    cloudfront.add_response("untag_resource", {}, dict(Resource=ARN, TagKeys=dict(Items=["extra"])))
    cloudfront.add_response("tag_resource", {}, dict(Resource=ARN, Tags=dict(Items=[dict(Key="team", Value="web")])))
    result = run_module(cloudfront_s3_distribution, FULL_ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == dict(tags=dict(team="someone-else", extra="x"))
    assert result["diff"]["after"] == dict(tags=dict(team="web"))
    assert result["distribution"]["tags"] == dict(team="web")


def test_by_id_reads_one_distribution(stubs, run_module):
    stored = stored_config(sent_config())
    expect_get_distribution(stubs, stored, "Deployed", "ETAG1")
    args = dict(ARGS, distribution_id=DIST_ID)
    del args["name"]
    result = run_module(cloudfront_s3_distribution, args)
    assert result["changed"] is False
    assert result["distribution"]["name"] == "website"


def test_unknown_id_is_not_created(stubs, run_module):
    stubs["cloudfront"].add_client_error(
        "get_distribution", "NoSuchDistribution", "The specified distribution does not exist.", 404,
        expected_params=dict(Id=DIST_ID),
    )
    args = dict(ARGS, distribution_id=DIST_ID)
    del args["name"]
    result = run_module(cloudfront_s3_distribution, args, expect_failure=True)
    assert "was not found" in result["msg"]


def test_two_distributions_with_the_name_are_refused(stubs, run_module):
    stored = stored_config(sent_config())
    expect_list(stubs, summary(stored), summary(stored, Id="E111"))
    result = run_module(cloudfront_s3_distribution, ARGS, expect_failure=True)
    assert "pass distribution_id" in result["msg"]


def test_wait_on_an_unchanged_distribution_still_rolling_out(stubs, run_module):
    stored = stored_config(sent_config())
    expect_found(stubs, stored, status="InProgress")
    expect_get_distribution(stubs, stored, "Deployed", "ETAG1")
    result = run_module(cloudfront_s3_distribution, dict(ARGS, wait=True))
    assert result["changed"] is False
    assert result["distribution"]["status"] == "Deployed"


# ---------------------------------------------------------------------------------------------
# Absent
# ---------------------------------------------------------------------------------------------


def test_absent_disables_waits_and_deletes_with_the_new_etag(stubs, run_module):
    stored = stored_config(sent_config())
    expect_found(stubs, stored, etag="ETAG1")
    disabled = dict(stored, Enabled=False)
    stubs["cloudfront"].add_response(
        "update_distribution",
        dict(Distribution=distribution(disabled, "InProgress"), ETag="ETAG2"),
        dict(Id=DIST_ID, IfMatch="ETAG1", DistributionConfig=disabled),
    )
    expect_get_distribution(stubs, disabled, "InProgress", "ETAG2")
    expect_get_distribution(stubs, disabled, "Deployed", "ETAG2")
    stubs["cloudfront"].add_response("delete_distribution", {}, dict(Id=DIST_ID, IfMatch="ETAG2"))
    result = run_module(cloudfront_s3_distribution, dict(name="website", state="absent"), diff=True)
    assert result["changed"] is True
    assert result["distribution"] == {}
    assert result["diff"]["after"] == dict(distribution=None)
    assert result["diff"]["before"]["distribution"]["origin_access_control_id"] == OAC_ID


def test_absent_deletes_a_disabled_deployed_distribution_at_once(stubs, run_module):
    disabled = dict(stored_config(sent_config()), Enabled=False)
    expect_found(stubs, disabled, etag="ETAG4")
    stubs["cloudfront"].add_response("delete_distribution", {}, dict(Id=DIST_ID, IfMatch="ETAG4"))
    assert run_module(cloudfront_s3_distribution, dict(name="website", state="absent"))["changed"] is True


def test_absent_in_check_mode_only_reads(stubs, run_module):
    expect_found(stubs, stored_config(sent_config()))
    result = run_module(cloudfront_s3_distribution, dict(name="website", state="absent"), check_mode=True)
    assert result["changed"] is True


def test_absent_when_missing_is_unchanged(stubs, run_module):
    expect_list(stubs)
    assert run_module(cloudfront_s3_distribution, dict(name="website", state="absent"))["changed"] is False


def test_absent_wait_times_out_with_a_clear_message(stubs, run_module, monkeypatch):
    clock = iter(range(0, 10000, 100))
    monkeypatch.setattr("time.monotonic", lambda: next(clock))
    stored = stored_config(sent_config())
    expect_found(stubs, stored)
    disabled = dict(stored, Enabled=False)
    stubs["cloudfront"].add_response(
        "update_distribution", dict(Distribution=distribution(disabled, "InProgress"), ETag="ETAG2")
    )
    for dummy in range(3):
        expect_get_distribution(stubs, disabled, "InProgress", "ETAG2")
    result = run_module(
        cloudfront_s3_distribution, dict(name="website", state="absent", wait_timeout=250), expect_failure=True
    )
    assert "Timed out after 250 seconds" in result["msg"]


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(origin_access_control_id=None), "origin_access_control_id"),
        (dict(name=None), "one of the following is required: name, distribution_id"),
        (dict(name="x" * 129), "1 to 128 characters"),
        (dict(aliases=["www.example.com"]), "aliases need acm_certificate_arn"),
        (dict(acm_certificate_arn=CERT.replace("us-east-1", "eu-west-1")), "ACM certificate in us-east-1"),
        (dict(origin_bucket="Example_Bucket"), "origin_bucket: bucket name 'Example_Bucket' is not valid"),
        (dict(logging=dict(bucket="logs..bucket")), "logging.bucket: bucket name 'logs..bucket' is not valid"),
        (dict(origin_path="/site/"), "origin_path must start with /"),
        (dict(default_root_object="/index.html"), "without a leading /"),
        (dict(logging=dict(prefix="logs/")), "need logging.bucket"),
        (dict(spa=True, spa_error_caching_min_ttl=-1), "must not be negative"),
        (dict(viewer_protocol_policy="http-only"), "viewer_protocol_policy"),
        (dict(minimum_protocol_version="TLSv1"), "minimum_protocol_version"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, changes, message):
    args = dict(ARGS)
    for key, value in changes.items():
        if value is None:
            del args[key]
        else:
            args[key] = value
    result = run_module(cloudfront_s3_distribution, args, expect_failure=True)
    assert message in result["msg"]


def test_caller_reference_is_the_name_in_every_run():
    assert cloudfront_config.caller_reference("website") == "website"


def test_fresh_caller_reference_adds_the_time(monkeypatch):
    monkeypatch.setattr("time.gmtime", lambda: datetime.datetime(2026, 1, 1).timetuple())
    assert cloudfront_config.fresh_caller_reference("website") == "website-20260101T000000Z"


# ---------------------------------------------------------------------------------------------
# Two runs at once
# ---------------------------------------------------------------------------------------------


def expect_create_refused(stubs, sent):
    stubs["cloudfront"].add_client_error(
        "create_distribution_with_tags", "DistributionAlreadyExists", http_status_code=409,
        expected_params=dict(DistributionConfigWithTags=dict(DistributionConfig=sent, Tags=dict(Items=[]))),
    )


def test_the_distribution_another_run_created_meanwhile_is_adopted(stubs, run_module):
    """Both runs listed no distribution; CloudFront refuses the second create of the name's CallerReference."""
    expect_list(stubs)
    sent = sent_config()
    expect_create_refused(stubs, sent)
    expect_found(stubs, stored_config(sent), status="InProgress")
    result = run_module(cloudfront_s3_distribution, ARGS)
    assert result["changed"] is True
    got = result["distribution"]
    assert (got["id"], got["etag"], got["status"]) == (DIST_ID, "ETAG1", "InProgress")


def test_the_adopted_distribution_gets_the_settings_of_this_run(stubs, run_module):
    expect_list(stubs)
    sent = sent_config()
    expect_create_refused(stubs, sent)
    other = stored_config(sent)
    other["PriceClass"] = "PriceClass_All"
    expect_found(stubs, other)
    repaired = dict(other, PriceClass="PriceClass_100", ViewerCertificate=sent["ViewerCertificate"])
    stubs["cloudfront"].add_response(
        "update_distribution",
        dict(Distribution=distribution(repaired, "InProgress"), ETag="ETAG2"),
        dict(Id=DIST_ID, IfMatch="ETAG1", DistributionConfig=repaired),
    )
    result = run_module(cloudfront_s3_distribution, ARGS)
    assert result["distribution"]["price_class"] == "PriceClass_100"
    assert result["distribution"]["etag"] == "ETAG2"


def test_a_reference_held_by_a_deleted_distribution_is_replaced_by_a_fresh_one(stubs, run_module, monkeypatch):
    monkeypatch.setattr("time.gmtime", lambda: datetime.datetime(2026, 1, 1).timetuple())
    expect_list(stubs)
    sent = sent_config()
    expect_create_refused(stubs, sent)
    expect_list(stubs)
    fresh = dict(sent, CallerReference="website-20260101T000000Z")
    stubs["cloudfront"].add_response(
        "create_distribution_with_tags",
        dict(Distribution=distribution(stored_config(fresh), "InProgress"), ETag="ETAG1"),
        dict(DistributionConfigWithTags=dict(DistributionConfig=fresh, Tags=dict(Items=[]))),
    )
    result = run_module(cloudfront_s3_distribution, ARGS)
    assert result["distribution"]["id"] == DIST_ID
