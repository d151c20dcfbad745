"""The stand-in for CloudFront's edge: a distribution's content by Host, read through its origin access control."""

import json

import pytest
import requests

from .helpers import assert_local
from .test_cloudfront_extension import create_oac, issued_certificate, site_config


def oac_policy(distribution_arn, list_too=False):
    """The bucket policy the s3_static_website role writes: CloudFront's service principal, this distribution."""
    actions = ["s3:GetObject", "s3:ListBucket"] if list_too else "s3:GetObject"
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "CloudFrontRead", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": actions, "Resource": ["arn:aws:s3:::site/*", "arn:aws:s3:::site"],
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}}}]})


@pytest.fixture
def site(aws, boto3_client):
    """A private bucket with two pages and a distribution for it with the alias www.example.com."""
    assert_local(aws)
    s3, cf = boto3_client("s3", attempts=1), boto3_client("cloudfront", attempts=1)
    s3.create_bucket(Bucket="site")
    s3.put_object(Bucket="site", Key="index.html", Body=b"<h1>home</h1>", ContentType="text/html",
                  CacheControl="max-age=60")
    s3.put_object(Bucket="site", Key="404.html", Body=b"<h1>not here</h1>", ContentType="text/html")
    oac_id = create_oac(cf)["OriginAccessControl"]["Id"]
    config = site_config(oac_id, issued_certificate(boto3_client("acm", attempts=1)))
    distribution = cf.create_distribution(DistributionConfig=config)["Distribution"]
    s3.put_bucket_policy(Bucket="site", Policy=oac_policy(distribution["ARN"]))
    return {"url": aws.url, "s3": s3, "cf": cf, "distribution": distribution, "config": config}


def get(site, path="/", host="www.example.com", method="GET"):
    return requests.request(method, site["url"] + path, headers={"Host": host}, timeout=10)


def test_the_alias_and_the_domain_name_serve_the_default_root_object(site):
    for host in ("www.example.com", site["distribution"]["DomainName"], "www.example.com.localhost:8080"):
        answer = get(site, host=host)
        assert answer.status_code == 200, host
        assert answer.content == b"<h1>home</h1>"
        assert answer.headers["Content-Type"] == "text/html"
        assert answer.headers["Cache-Control"] == "max-age=60"
        # The managed SecurityHeadersPolicy of the behavior.
        assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert get(site, method="HEAD").content == b""


def test_a_missing_object_is_403_without_list_permission_then_the_custom_error_page(site):
    # Without s3:ListBucket S3 answers 403 for a missing key; the distribution maps only 404.
    assert get(site, "/nothing").status_code == 403
    site["s3"].put_bucket_policy(Bucket="site", Policy=oac_policy(site["distribution"]["ARN"], list_too=True))
    answer = get(site, "/nothing")
    assert answer.status_code == 404
    assert answer.content == b"<h1>not here</h1>"


def test_a_policy_for_another_distribution_is_403(site):
    site["s3"].put_bucket_policy(Bucket="site", Policy=oac_policy("arn:aws:cloudfront::123456789012:distribution/EOTHER"))
    assert get(site).status_code == 403


def test_a_disabled_distribution_or_another_host_is_not_served(site):
    distribution_id = site["distribution"]["Id"]
    etag = site["cf"].get_distribution_config(Id=distribution_id)["ETag"]
    site["cf"].update_distribution(Id=distribution_id, IfMatch=etag, DistributionConfig={**site["config"], "Enabled": False})
    assert get(site).content != b"<h1>home</h1>"
    assert get(site, host="other.example.com").content != b"<h1>home</h1>"
