"""What the project adds to moto's CloudFront: distributions stored as AWS stores them, ETags,
deployment status, AWS's checks, origin access controls and the AWS managed policies."""

import time

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"


@pytest.fixture
def cf(aws, boto3_client):
    assert_local(aws)
    return boto3_client("cloudfront", attempts=1)


@pytest.fixture
def acm(boto3_client):
    return boto3_client("acm", attempts=1)


def issued_certificate(acm, domain="www.example.com"):
    arn = acm.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"
    return arn


def create_oac(cf, name="site"):
    return cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": name, "Description": "site bucket", "SigningProtocol": "sigv4",
        "SigningBehavior": "always", "OriginAccessControlOriginType": "s3"})


def site_config(oac_id="", certificate_arn=None, reference="site", **overrides):
    """A static site: S3 origin with an origin access control, managed policies, TLS."""
    config = {
        "CallerReference": reference,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "site", "DomainName": "site.s3.us-east-1.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": oac_id,
        }]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https", "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED, "ResponseHeadersPolicyId": SECURITY_HEADERS,
        },
        "Comment": "static site",
        "Enabled": True,
        "DefaultRootObject": "index.html",
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
        "PriceClass": "PriceClass_100",
        "CustomErrorResponses": {"Quantity": 1, "Items": [{
            "ErrorCode": 404, "ResponsePagePath": "/404.html", "ResponseCode": "404", "ErrorCachingMinTTL": 10}]},
        "Logging": {"Enabled": True, "IncludeCookies": False, "Bucket": "logs.s3.amazonaws.com", "Prefix": "cf/"},
        "WebACLId": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/1234",
    }
    if certificate_arn:
        config["Aliases"] = {"Quantity": 1, "Items": ["www.example.com"]}
        config["ViewerCertificate"] = {"ACMCertificateArn": certificate_arn, "SSLSupportMethod": "sni-only",
                                       "MinimumProtocolVersion": "TLSv1.2_2021"}
    config.update(overrides)
    return config


def assert_includes(stored, sent):
    """Every field sent comes back unchanged (AWS adds defaults around them)."""
    if isinstance(sent, dict):
        for key, value in sent.items():
            assert key in stored, key
            assert_includes(stored[key], value)
    elif isinstance(sent, list):
        assert len(stored) == len(sent)
        for stored_item, sent_item in zip(stored, sent):
            assert_includes(stored_item, sent_item)
    else:
        assert stored == sent


def test_every_field_of_an_s3_site_with_oac_round_trips(cf, acm):
    oac_id = create_oac(cf)["OriginAccessControl"]["Id"]
    sent = site_config(oac_id, issued_certificate(acm))
    created = cf.create_distribution(DistributionConfig=sent)
    distribution_id = created["Distribution"]["Id"]
    stored = cf.get_distribution_config(Id=distribution_id)
    assert stored["ETag"] == created["ETag"]
    for config in (created["Distribution"]["DistributionConfig"], stored["DistributionConfig"],
                   cf.get_distribution(Id=distribution_id)["Distribution"]["DistributionConfig"]):
        assert_includes(config, sent)
        origin = config["Origins"]["Items"][0]
        assert origin["OriginAccessControlId"] == oac_id
        assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
        behavior = config["DefaultCacheBehavior"]
        assert not {"ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"} & set(behavior)
        certificate = config["ViewerCertificate"]
        assert certificate["CloudFrontDefaultCertificate"] is False
        assert certificate["CertificateSource"] == "acm"
        assert certificate["Certificate"] == sent["ViewerCertificate"]["ACMCertificateArn"]
    summary = cf.list_distributions()["DistributionList"]["Items"][0]
    assert summary["Id"] == distribution_id and summary["ETag"] == created["ETag"]
    assert summary["Origins"]["Items"][0]["OriginAccessControlId"] == oac_id
    assert summary["AliasICPRecordals"] == [{"CNAME": "www.example.com", "ICPRecordalStatus": "APPROVED"}]


def test_defaults_are_stored_as_aws_fills_them_in(cf):
    config = {
        "CallerReference": "minimal",
        "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "b.s3.amazonaws.com",
                                             "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all",
                                 "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                                 "MinTTL": 0},
        "Comment": "", "Enabled": False,
    }
    stored = cf.create_distribution(DistributionConfig=config)["Distribution"]["DistributionConfig"]
    assert stored["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True, "SSLSupportMethod": "vip",
                                           "MinimumProtocolVersion": "TLSv1", "CertificateSource": "cloudfront"}
    assert (stored["HttpVersion"], stored["PriceClass"], stored["IsIPV6Enabled"]) == ("http2", "PriceClass_All", False)
    assert stored["Logging"] == {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""}
    assert stored["Origins"]["Items"][0]["OriginAccessControlId"] == ""
    behavior = stored["DefaultCacheBehavior"]
    assert (behavior["MinTTL"], behavior["DefaultTTL"], behavior["MaxTTL"]) == (0, 86400, 31536000)
    assert behavior["AllowedMethods"]["CachedMethods"]["Items"] == ["HEAD", "GET"]


def test_update_needs_the_current_etag_and_gives_a_new_one(cf):
    created = cf.create_distribution(DistributionConfig=site_config())
    distribution_id, etag = created["Distribution"]["Id"], created["ETag"]
    changed = site_config(Comment="changed", Enabled=False)
    for if_match, code in (("", "InvalidIfMatchVersion"), ("E0000000000000", "PreconditionFailed")):
        with pytest.raises(ClientError) as excinfo:
            cf.update_distribution(Id=distribution_id, IfMatch=if_match, DistributionConfig=changed)
        assert error_code(excinfo) == code
    updated = cf.update_distribution(Id=distribution_id, IfMatch=etag, DistributionConfig=changed)
    assert updated["ETag"] != etag
    stored = cf.get_distribution_config(Id=distribution_id)
    assert stored["ETag"] == updated["ETag"]
    assert (stored["DistributionConfig"]["Comment"], stored["DistributionConfig"]["Enabled"]) == ("changed", False)
    with pytest.raises(ClientError) as excinfo:
        cf.update_distribution(Id=distribution_id, IfMatch=etag, DistributionConfig=changed)
    assert error_code(excinfo) == "PreconditionFailed"
    with pytest.raises(ClientError) as excinfo:
        cf.update_distribution(Id=distribution_id, IfMatch=updated["ETag"],
                               DistributionConfig=site_config(reference="other"))
    assert error_code(excinfo) == "IllegalUpdate"


def test_delete_needs_a_disabled_distribution_and_its_etag(cf):
    created = cf.create_distribution(DistributionConfig=site_config())
    distribution_id = created["Distribution"]["Id"]
    with pytest.raises(ClientError) as excinfo:
        cf.delete_distribution(Id=distribution_id, IfMatch=created["ETag"])
    assert error_code(excinfo) == "DistributionNotDisabled"
    disabled = cf.update_distribution(Id=distribution_id, IfMatch=created["ETag"],
                                      DistributionConfig=site_config(Enabled=False))
    for if_match, code in (("", "InvalidIfMatchVersion"), (created["ETag"], "PreconditionFailed")):
        with pytest.raises(ClientError) as excinfo:
            cf.delete_distribution(Id=distribution_id, IfMatch=if_match)
        assert error_code(excinfo) == code
    cf.delete_distribution(Id=distribution_id, IfMatch=disabled["ETag"])
    with pytest.raises(ClientError) as excinfo:
        cf.get_distribution(Id=distribution_id)
    assert error_code(excinfo) == "NoSuchDistribution"
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0


def test_in_progress_for_the_latency_then_deployed(aws, cf):
    aws.configure(latency_seconds={"cloudfront:distribution": 0.6})
    created = cf.create_distribution(DistributionConfig=site_config(Enabled=False))
    distribution_id = created["Distribution"]["Id"]
    assert created["Distribution"]["Status"] == "InProgress"
    assert cf.get_distribution(Id=distribution_id)["Distribution"]["Status"] == "InProgress"
    assert cf.list_distributions()["DistributionList"]["Items"][0]["Status"] == "InProgress"
    with pytest.raises(ClientError) as excinfo:
        cf.delete_distribution(Id=distribution_id, IfMatch=created["ETag"])
    assert error_code(excinfo) == "DistributionNotDisabled"
    cf.get_waiter("distribution_deployed").wait(Id=distribution_id, WaiterConfig={"Delay": 0.2, "MaxAttempts": 20})
    assert cf.get_distribution(Id=distribution_id)["Distribution"]["Status"] == "Deployed"
    updated = cf.update_distribution(Id=distribution_id, IfMatch=created["ETag"],
                                     DistributionConfig=site_config(Enabled=False, Comment="again"))
    assert updated["Distribution"]["Status"] == "InProgress"
    time.sleep(0.7)
    cf.delete_distribution(Id=distribution_id, IfMatch=updated["ETag"])


def test_deployed_at_once_without_latency(cf):
    created = cf.create_distribution(DistributionConfig=site_config())
    assert created["Distribution"]["Status"] == "Deployed"


def _quantity_mismatch(config):
    config["Origins"]["Quantity"] = 2


def _unknown_target(config):
    config["DefaultCacheBehavior"]["TargetOriginId"] = "nowhere"


def _forwarded_values_with_policy(config):
    config["DefaultCacheBehavior"]["ForwardedValues"] = {"QueryString": False, "Cookies": {"Forward": "none"}}


def _no_cache_settings(config):
    del config["DefaultCacheBehavior"]["CachePolicyId"]


def _unknown_cache_policy(config):
    config["DefaultCacheBehavior"]["CachePolicyId"] = "00000000-0000-0000-0000-000000000000"


def _unknown_oac(config):
    config["Origins"]["Items"][0]["OriginAccessControlId"] = "E0NOSUCHOAC"


def _alias_without_certificate(config):
    config["Aliases"] = {"Quantity": 1, "Items": ["www.example.com"]}


def _certificate_for_another_name(config):
    config["Aliases"] = {"Quantity": 1, "Items": ["shop.example.com"]}


def _unknown_certificate(config):
    config["ViewerCertificate"]["ACMCertificateArn"] = config["ViewerCertificate"]["ACMCertificateArn"][:-4] + "0000"


@pytest.mark.parametrize("change, code", [
    (_quantity_mismatch, "InconsistentQuantities"),
    (_unknown_target, "NoSuchOrigin"),
    (_forwarded_values_with_policy, "InvalidArgument"),
    (_no_cache_settings, "InvalidArgument"),
    (_unknown_cache_policy, "NoSuchCachePolicy"),
    (_unknown_oac, "InvalidOriginAccessControl"),
    (_alias_without_certificate, "InvalidViewerCertificate"),
    (_certificate_for_another_name, "InvalidViewerCertificate"),
    (_unknown_certificate, "InvalidViewerCertificate"),
])
def test_configs_aws_refuses_are_refused(cf, acm, change, code):
    config = site_config(certificate_arn=issued_certificate(acm))
    if change is _alias_without_certificate:
        del config["ViewerCertificate"], config["Aliases"]
    change(config)
    with pytest.raises(ClientError) as excinfo:
        cf.create_distribution(DistributionConfig=config)
    assert error_code(excinfo) == code
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0


def test_oac_and_oai_together_are_refused(cf):
    oac_id = create_oac(cf)["OriginAccessControl"]["Id"]
    config = site_config(oac_id)
    config["Origins"]["Items"][0]["S3OriginConfig"]["OriginAccessIdentity"] = "origin-access-identity/cloudfront/E1"
    with pytest.raises(ClientError) as excinfo:
        cf.create_distribution(DistributionConfig=config)
    assert error_code(excinfo) == "IllegalOriginAccessConfiguration"


def test_a_pending_certificate_is_refused(aws, cf, acm):
    aws.configure(latency_seconds={"acm:certificate": 30})
    arn = acm.request_certificate(DomainName="www.example.com", ValidationMethod="DNS")["CertificateArn"]
    with pytest.raises(ClientError) as excinfo:
        cf.create_distribution(DistributionConfig=site_config(certificate_arn=arn))
    assert error_code(excinfo) == "InvalidViewerCertificate"


def test_list_distributions_pages_with_marker(cf):
    ids = [cf.create_distribution(DistributionConfig=site_config(reference=f"r{i}"))["Distribution"]["Id"]
           for i in range(3)]
    first = cf.list_distributions(MaxItems="2")["DistributionList"]
    assert [d["Id"] for d in first["Items"]] == ids[:2] and first["IsTruncated"]
    rest = cf.list_distributions(Marker=first["NextMarker"], MaxItems="2")["DistributionList"]
    assert [d["Id"] for d in rest["Items"]] == ids[2:] and not rest["IsTruncated"]


def test_origin_access_control_etags_if_match_and_in_use(cf):
    created = create_oac(cf)
    oac_id, etag = created["OriginAccessControl"]["Id"], created["ETag"]
    config = cf.get_origin_access_control_config(Id=oac_id)
    assert config["ETag"] == etag and config["OriginAccessControlConfig"]["Name"] == "site"
    new_config = {"Name": "site", "SigningProtocol": "sigv4", "SigningBehavior": "no-override",
                  "OriginAccessControlOriginType": "s3"}
    with pytest.raises(ClientError) as excinfo:
        cf.update_origin_access_control(Id=oac_id, IfMatch="E0000000000000", OriginAccessControlConfig=new_config)
    assert error_code(excinfo) == "PreconditionFailed"
    updated = cf.update_origin_access_control(Id=oac_id, IfMatch=etag, OriginAccessControlConfig=new_config)
    assert updated["ETag"] != etag
    assert cf.get_origin_access_control(Id=oac_id)["ETag"] == updated["ETag"]

    distribution = cf.create_distribution(DistributionConfig=site_config(oac_id, Enabled=False))
    with pytest.raises(ClientError) as excinfo:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=updated["ETag"])
    assert error_code(excinfo) == "OriginAccessControlInUse"
    cf.delete_distribution(Id=distribution["Distribution"]["Id"], IfMatch=distribution["ETag"])
    with pytest.raises(ClientError) as excinfo:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert error_code(excinfo) == "PreconditionFailed"
    cf.delete_origin_access_control(Id=oac_id, IfMatch=updated["ETag"])
    with pytest.raises(ClientError) as excinfo:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=updated["ETag"])
    assert error_code(excinfo) == "NoSuchOriginAccessControl"


def test_aws_managed_policies(cf):
    optimized = cf.get_cache_policy(Id=CACHING_OPTIMIZED)["CachePolicy"]["CachePolicyConfig"]
    assert optimized["Name"] == "Managed-CachingOptimized"
    assert (optimized["MinTTL"], optimized["DefaultTTL"], optimized["MaxTTL"]) == (1, 86400, 31536000)
    disabled = cf.get_cache_policy(Id=CACHING_DISABLED)["CachePolicy"]["CachePolicyConfig"]
    assert (disabled["Name"], disabled["MaxTTL"]) == ("Managed-CachingDisabled", 0)
    headers = cf.get_response_headers_policy(Id=SECURITY_HEADERS)["ResponseHeadersPolicy"]
    hsts = headers["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] == 31536000
    managed = cf.list_cache_policies(Type="managed")["CachePolicyList"]
    assert {CACHING_OPTIMIZED, CACHING_DISABLED} <= {i["CachePolicy"]["Id"] for i in managed["Items"]}
    assert all(i["Type"] == "managed" for i in managed["Items"])
    assert cf.list_cache_policies(Type="custom")["CachePolicyList"]["Quantity"] == 0
    with pytest.raises(ClientError) as excinfo:
        cf.get_cache_policy(Id="00000000-0000-0000-0000-000000000000")
    assert error_code(excinfo) == "NoSuchCachePolicy"


def test_invalidations_complete_and_tags_work(cf):
    created = cf.create_distribution(DistributionConfig=site_config())
    distribution_id, arn = created["Distribution"]["Id"], created["Distribution"]["ARN"]
    invalidation = cf.create_invalidation(DistributionId=distribution_id, InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "publish-1"})["Invalidation"]
    cf.get_waiter("invalidation_completed").wait(DistributionId=distribution_id, Id=invalidation["Id"],
                                                 WaiterConfig={"Delay": 0.1, "MaxAttempts": 2})
    listed = cf.list_invalidations(DistributionId=distribution_id)["InvalidationList"]["Items"]
    assert [(i["Id"], i["Status"]) for i in listed] == [(invalidation["Id"], "Completed")]
    cf.tag_resource(Resource=arn, Tags={"Items": [{"Key": "site", "Value": "www"}]})
    assert cf.list_tags_for_resource(Resource=arn)["Tags"]["Items"] == [{"Key": "site", "Value": "www"}]
    cf.untag_resource(Resource=arn, TagKeys={"Items": ["site"]})
    assert cf.list_tags_for_resource(Resource=arn)["Tags"]["Items"] == []


def test_create_with_tags_round_trips_too(cf):
    created = cf.create_distribution_with_tags(DistributionConfigWithTags={
        "DistributionConfig": site_config(), "Tags": {"Items": [{"Key": "site", "Value": "www"}]}})
    distribution = created["Distribution"]
    assert_includes(distribution["DistributionConfig"], site_config())
    assert cf.list_tags_for_resource(Resource=distribution["ARN"])["Tags"]["Items"] == [{"Key": "site", "Value": "www"}]
