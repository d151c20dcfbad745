#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudfront_s3_distribution
short_description: Serve a private S3 bucket through a CloudFront distribution with Origin Access Control
version_added: 0.1.0
description:
  - Creates, updates and deletes a CloudFront distribution whose default cache behavior serves one
    private S3 bucket through an origin access control (OAC), with secure defaults
    (HTTPS redirect, TLS 1.2 minimum with a custom certificate, HTTP/2 and HTTP/3, IPv6, the managed
    C(CachingOptimized) cache policy and C(SecurityHeadersPolicy) response headers policy).
  - The distribution is identified by O(name), which the module keeps in the distribution's comment,
    or by O(distribution_id) when given.
  - The module compares the settings it manages with the distribution's configuration and calls
    C(UpdateDistribution) only when one differs, carrying the ETag it read so a concurrent change is
    never overwritten. Settings made by hand on the managed options (an alias, a detached OAC, another
    viewer protocol policy) are put back.
  - The managed origin is the one the default cache behavior targets. Other origins, other cache
    behaviors, geographic restrictions, function associations and origin timeouts are kept as they are.
  - Deleting (O(state=absent)) disables the distribution, waits until CloudFront has deployed that
    (usually several minutes), then deletes it.
  - The bucket policy must grant C(s3:GetObject) to the C(cloudfront.amazonaws.com) service principal
    with the condition C(AWS:SourceArn) equal to RV(distribution.arn).
  - Supports check mode and diff mode.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - Name of the distribution, kept in its comment (at most 128 characters) and used to find it.
      - Required to create a distribution. With O(distribution_id) it renames the distribution's comment.
    type: str
  distribution_id:
    description:
      - Id of an existing distribution to manage instead of finding it by O(name).
    type: str
  state:
    description:
      - Whether the distribution should exist.
    type: str
    choices: [present, absent]
    default: present
  origin_bucket:
    description:
      - Name of the S3 bucket served. The origin domain is C(<bucket>.s3.<region>.amazonaws.com).
      - Required with O(state=present).
    type: str
  origin_bucket_region:
    description:
      - Region of O(origin_bucket). Defaults to the region of the module's connection (O(region)).
    type: str
  origin_path:
    description:
      - Directory in the bucket that CloudFront requests content from, for example C(/site).
        An empty string serves the bucket's root.
    type: str
    default: ''
  origin_access_control_id:
    description:
      - Id of the origin access control that signs CloudFront's requests to the bucket
        (RV(storagekit.aws.cloudfront_origin_access_control#module:origin_access_control.id)).
      - Required with O(state=present).
    type: str
  aliases:
    description:
      - Alternate domain names (CNAMEs) of the distribution. They need O(acm_certificate_arn).
      - When not set, the aliases are left alone (and a new distribution has none).
        An empty list removes them all.
    type: list
    elements: str
  acm_certificate_arn:
    description:
      - ARN of an ACM certificate in C(us-east-1) for the aliases. It is served with SNI
        and O(minimum_protocol_version).
      - Without it the distribution uses the CloudFront default certificate (C(*.cloudfront.net)).
    type: str
  minimum_protocol_version:
    description:
      - Oldest TLS version and ciphers viewers may use, with O(acm_certificate_arn).
        The CloudFront default certificate always allows TLSv1.
    type: str
    choices: [TLSv1.2_2018, TLSv1.2_2019, TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025]
    default: TLSv1.2_2021
  default_root_object:
    description:
      - Object returned for a request to the root URL. An empty string returns none.
    type: str
    default: index.html
  viewer_protocol_policy:
    description:
      - How viewers may use HTTP and HTTPS.
    type: str
    choices: [allow-all, https-only, redirect-to-https]
    default: redirect-to-https
  http_version:
    description:
      - Highest HTTP version viewers may use.
    type: str
    choices: [http1.1, http2, http3, http2and3]
    default: http2and3
  ipv6:
    description:
      - Whether the distribution answers over IPv6 too.
    type: bool
    default: true
  price_class:
    description:
      - Which edge locations serve the distribution.
    type: str
    choices: [PriceClass_100, PriceClass_200, PriceClass_All]
    default: PriceClass_100
  cache_policy_id:
    description:
      - Id of the cache policy of the default cache behavior. Defaults to the managed
        C(CachingOptimized) policy.
    type: str
    default: 658327ea-f89d-4fab-a63d-7e88639e58f6
  response_headers_policy_id:
    description:
      - Id of the response headers policy of the default cache behavior. Defaults to the managed
        C(SecurityHeadersPolicy) (HSTS, X-Content-Type-Options, X-Frame-Options, Referrer-Policy,
        X-XSS-Protection). An empty string removes the policy.
    type: str
    default: 67f7725c-6f97-4210-82d7-5512b31e9d03
  compress:
    description:
      - Whether CloudFront compresses objects for viewers that accept it.
    type: bool
    default: true
  spa:
    description:
      - Serve a single-page application, whose routes are not objects in the bucket. Responses
        403 and 404 from the bucket are replaced by C(/<default_root_object>) (C(/index.html)) with status 200.
      - With V(false) the distribution has no custom error responses.
    type: bool
    default: false
  spa_error_caching_min_ttl:
    description:
      - Seconds CloudFront caches the replaced 403 and 404 responses of O(spa=true).
    type: int
    default: 10
  logging:
    description:
      - Standard (access) logging to an S3 bucket.
      - When not set, logging is left alone (and a new distribution has none). An empty dict
        (no O(logging.bucket)) turns logging off.
    type: dict
    suboptions:
      bucket:
        description:
          - Name of the bucket the logs are written to (C(<name>.s3.amazonaws.com) is accepted too).
            The bucket needs ACLs enabled for the log delivery.
        type: str
      prefix:
        description:
          - Prefix of the log object names, for example C(cloudfront/website/).
        type: str
        default: ''
      include_cookies:
        description:
          - Whether cookies are logged.
        type: bool
        default: false
  web_acl_id:
    description:
      - ARN of a global (C(CLOUDFRONT) scope) AWS WAF web ACL to associate.
        An empty string removes the association. When not set, it is left alone.
    type: str
  enabled:
    description:
      - Whether the distribution serves requests.
    type: bool
    default: true
  wait:
    description:
      - Wait until CloudFront has deployed the distribution to its edge locations (status C(Deployed)),
        which usually takes several minutes, before returning.
      - With O(wait=false) the module returns as soon as CloudFront has accepted the change, so several
        slow resources can be created side by side and waited for together afterwards.
      - O(state=absent) always waits for the disabled distribution to be deployed, because CloudFront
        only deletes a deployed, disabled distribution.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - storagekit.aws.wait
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - The module never sends a write in check mode; it predicts the result instead. In check mode a
    new distribution has no id, ARN or domain name yet.
"""

EXAMPLES = r"""
- name: Origin access control for the bucket
  storagekit.aws.cloudfront_origin_access_control:
    name: website
  register: oac

- name: Distribution with a custom domain and an SPA fallback
  storagekit.aws.cloudfront_s3_distribution:
    name: website
    origin_bucket: example-website
    origin_bucket_region: eu-west-1
    origin_access_control_id: "{{ oac.origin_access_control.id }}"
    aliases: [www.example.com]
    acm_certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
    spa: true
    logging:
      bucket: example-logs
      prefix: cloudfront/website/
    tags:
      team: web
  register: site

- name: Let only this distribution read the bucket
  amazon.aws.s3_bucket:
    name: example-website
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {Service: cloudfront.amazonaws.com}
          Action: s3:GetObject
          Resource: arn:aws:s3:::example-website/*
          Condition:
            StringEquals:
              AWS:SourceArn: "{{ site.distribution.arn }}"

- name: Alias record for the custom domain
  amazon.aws.route53:
    zone: example.com
    record: www.example.com
    type: A
    value: "{{ site.distribution.domain_name }}"
    alias: true
    alias_hosted_zone_id: "{{ site.distribution.hosted_zone_id }}"

- name: Disable, wait for the deployment and delete
  storagekit.aws.cloudfront_s3_distribution:
    name: website
    state: absent
"""

RETURN = r"""
distribution:
  description:
    - The distribution after the run (predicted in check mode); empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the distribution; not known in check mode before creation.
      type: str
      sample: E2QWRUHAPOMQZL
    arn:
      description: ARN of the distribution, the C(AWS:SourceArn) of the bucket policy.
      type: str
      sample: arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL
    domain_name:
      description: Domain name of the distribution, the target of alias records.
      type: str
      sample: d111111abcdef8.cloudfront.net
    hosted_zone_id:
      description: Route 53 hosted zone id of all CloudFront domain names, for alias records.
      type: str
      sample: Z2FDTNDATAQYW2
    status:
      description: C(InProgress) while a change rolls out, C(Deployed) afterwards.
      type: str
      sample: Deployed
    etag:
      description: ETag of the distribution's current configuration.
      type: str
      sample: E2QWRUHEXAMPLE
    name:
      description: The name kept in the distribution's comment.
      type: str
      sample: website
    enabled:
      description: Whether the distribution serves requests.
      type: bool
    origin_bucket:
      description: Bucket of the managed origin, when its domain is an S3 REST endpoint.
      type: str
      sample: example-website
    origin_bucket_region:
      description: Region of the bucket, when the origin domain names it.
      type: str
      sample: eu-west-1
    origin_domain_name:
      description: Domain name of the managed origin.
      type: str
      sample: example-website.s3.eu-west-1.amazonaws.com
    origin_path:
      description: Origin path.
      type: str
      sample: ''
    origin_access_control_id:
      description: Id of the origin access control of the origin; empty when it has none.
      type: str
    origin_access_identity:
      description: Legacy origin access identity of the origin; empty when unused, absent for a non-S3 origin.
      type: str
    aliases:
      description: Alternate domain names, sorted.
      type: list
      elements: str
    cloudfront_default_certificate:
      description: Whether the CloudFront default certificate is used.
      type: bool
    acm_certificate_arn:
      description: ACM certificate ARN; empty with the default certificate.
      type: str
    ssl_support_method:
      description: C(sni-only) with a custom certificate; empty with the default certificate.
      type: str
    minimum_protocol_version:
      description: Minimum TLS protocol version with a custom certificate; empty with the default certificate.
      type: str
    default_root_object:
      description: Default root object.
      type: str
      sample: index.html
    viewer_protocol_policy:
      description: Viewer protocol policy of the default cache behavior.
      type: str
      sample: redirect-to-https
    http_version:
      description: Highest HTTP version.
      type: str
      sample: http2and3
    ipv6:
      description: Whether IPv6 is enabled.
      type: bool
    price_class:
      description: Price class.
      type: str
      sample: PriceClass_100
    cache_policy_id:
      description: Cache policy of the default cache behavior.
      type: str
    response_headers_policy_id:
      description: Response headers policy of the default cache behavior; empty when none.
      type: str
    compress:
      description: Whether objects are compressed.
      type: bool
    spa:
      description: Whether the custom error responses are exactly those of O(spa=true).
      type: bool
    custom_error_responses:
      description: Custom error responses, sorted by error code.
      type: list
      elements: dict
      contains:
        error_code:
          description: HTTP status code from the origin.
          type: int
          sample: 404
        response_page_path:
          description: Object returned instead.
          type: str
          sample: /index.html
        response_code:
          description: HTTP status code returned to the viewer.
          type: str
          sample: '200'
        error_caching_min_ttl:
          description: Seconds the response is cached.
          type: int
          sample: 10
    logging:
      description: Standard logging; C(bucket) is the bucket name.
      type: dict
      sample: {enabled: true, bucket: example-logs, prefix: cloudfront/website/, include_cookies: false}
    web_acl_id:
      description: ARN of the associated web ACL; empty when none.
      type: str
    tags:
      description: Tags of the distribution, when managed with O(tags).
      type: dict
"""

import copy
import re
import time

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import CLOUDFRONT_HOSTED_ZONE_ID
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import find_distributions_by_comment
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import get_distribution
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import get_distribution_config
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import is_deployed
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import items
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import quantity_items
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import read_tags
from ansible_collections.storagekit.aws.plugins.module_utils.compare import changed_facets
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
SECURITY_HEADERS_POLICY = "67f7725c-6f97-4210-82d7-5512b31e9d03"
ORIGIN_ID = "s3-origin"
SPA_ERROR_CODES = (403, 404)
LOGGING_BUCKET_SUFFIX = ".s3.amazonaws.com"
COMMENT_MAX_LENGTH = 128

ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    distribution_id=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    origin_bucket=dict(type="str"),
    origin_bucket_region=dict(type="str"),
    origin_path=dict(type="str", default=""),
    origin_access_control_id=dict(type="str"),
    aliases=dict(type="list", elements="str"),
    acm_certificate_arn=dict(type="str"),
    minimum_protocol_version=dict(
        type="str",
        choices=["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
        default="TLSv1.2_2021",
    ),
    default_root_object=dict(type="str", default="index.html"),
    viewer_protocol_policy=dict(
        type="str", choices=["allow-all", "https-only", "redirect-to-https"], default="redirect-to-https"
    ),
    http_version=dict(type="str", choices=["http1.1", "http2", "http3", "http2and3"], default="http2and3"),
    ipv6=dict(type="bool", default=True),
    price_class=dict(type="str", choices=["PriceClass_100", "PriceClass_200", "PriceClass_All"], default="PriceClass_100"),
    cache_policy_id=dict(type="str", default=CACHING_OPTIMIZED),
    response_headers_policy_id=dict(type="str", default=SECURITY_HEADERS_POLICY),
    compress=dict(type="bool", default=True),
    spa=dict(type="bool", default=False),
    spa_error_caching_min_ttl=dict(type="int", default=10),
    logging=dict(
        type="dict",
        options=dict(
            bucket=dict(type="str"),
            prefix=dict(type="str", default=""),
            include_cookies=dict(type="bool", default=False),
        ),
    ),
    web_acl_id=dict(type="str"),
    enabled=dict(type="bool", default=True),
    tags=dict(type="dict", aliases=["resource_tags"]),
    purge_tags=dict(type="bool", default=True),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=900),
)
REQUIRED_ONE_OF = [("name", "distribution_id")]
REQUIRED_IF = [("state", "present", ("origin_bucket", "origin_access_control_id"))]

# The settings compared with the distribution; a desired value of None is not managed.
COMPARED = (
    "name",
    "enabled",
    "origin_domain_name",
    "origin_path",
    "origin_access_control_id",
    "origin_access_identity",
    "aliases",
    "cloudfront_default_certificate",
    "acm_certificate_arn",
    "ssl_support_method",
    "minimum_protocol_version",
    "default_root_object",
    "viewer_protocol_policy",
    "http_version",
    "ipv6",
    "price_class",
    "cache_policy_id",
    "response_headers_policy_id",
    "compress",
    "custom_error_responses",
    "logging",
    "web_acl_id",
)
ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[\w-]+$")
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
REGIONAL_S3_DOMAIN = re.compile(r"^(?P<bucket>.+)\.s3\.(?P<region>[a-z]{2}(-[a-z]+)+-\d)\.amazonaws\.com$")


# ---------------------------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------------------------


def bucket_region(module):
    return module.params["origin_bucket_region"] or module.region


def validate_options(module):
    """Refuse bad or inconsistent input before any API call."""
    params = module.params
    if params["name"] is not None and not 0 < len(params["name"]) <= COMMENT_MAX_LENGTH:
        module.fail_json(msg="name must be 1 to {0} characters long (it is kept in the comment).".format(COMMENT_MAX_LENGTH))
    if params["state"] == "absent":
        return
    if not BUCKET_NAME.match(params["origin_bucket"]):
        module.fail_json(msg="origin_bucket must be an S3 bucket name, not {0}.".format(params["origin_bucket"]))
    if not bucket_region(module):
        module.fail_json(msg="origin_bucket_region is required when the module has no region.")
    if params["acm_certificate_arn"] and not ACM_ARN.match(params["acm_certificate_arn"]):
        module.fail_json(msg="acm_certificate_arn must be the ARN of an ACM certificate in us-east-1, as CloudFront requires.")
    if params["aliases"] and not params["acm_certificate_arn"]:
        module.fail_json(msg="aliases need acm_certificate_arn: the CloudFront default certificate does not cover them.")
    origin_path = params["origin_path"]
    if origin_path and (not origin_path.startswith("/") or origin_path.endswith("/")):
        module.fail_json(msg="origin_path must start with / and not end with / (for example /site), or be empty.")
    if params["default_root_object"].startswith("/"):
        module.fail_json(msg="default_root_object is an object name without a leading /, for example index.html.")
    if params["spa_error_caching_min_ttl"] < 0:
        module.fail_json(msg="spa_error_caching_min_ttl must not be negative.")
    logging = params["logging"]
    if logging is not None and not logging["bucket"] and (logging["prefix"] or logging["include_cookies"]):
        module.fail_json(msg="logging.prefix and logging.include_cookies need logging.bucket.")


def origin_domain_name(bucket, region):
    return "{0}.s3.{1}.amazonaws.com".format(bucket, region)


def logging_bucket_name(bucket):
    """A logging bucket as its name; CloudFront keeps it as the bucket's global domain name."""
    if bucket and bucket.endswith(LOGGING_BUCKET_SUFFIX):
        return bucket[: -len(LOGGING_BUCKET_SUFFIX)]
    return bucket or ""


def spa_error_responses(params):
    page = "/" + (params["default_root_object"] or "index.html")
    return [
        dict(error_code=code, response_page_path=page, response_code="200", error_caching_min_ttl=params["spa_error_caching_min_ttl"])
        for code in SPA_ERROR_CODES
    ]


def desired_logging(logging):
    if logging is None:
        return None
    if not logging["bucket"]:
        return dict(enabled=False)
    return dict(
        enabled=True,
        bucket=logging_bucket_name(logging["bucket"]),
        prefix=logging["prefix"] or "",
        include_cookies=logging["include_cookies"],
    )


def desired_settings(module):
    """The managed settings as the user wants them, in the shape normalize_config gives."""
    params = module.params
    region = bucket_region(module)
    acm = params["acm_certificate_arn"]
    return dict(
        name=params["name"],
        enabled=params["enabled"],
        origin_bucket=params["origin_bucket"],
        origin_bucket_region=region,
        origin_domain_name=origin_domain_name(params["origin_bucket"], region),
        origin_path=params["origin_path"] or "",
        origin_access_control_id=params["origin_access_control_id"],
        origin_access_identity="",
        aliases=sorted(set(params["aliases"])) if params["aliases"] is not None else None,
        cloudfront_default_certificate=not acm,
        acm_certificate_arn=acm or "",
        ssl_support_method="sni-only" if acm else "",
        minimum_protocol_version=params["minimum_protocol_version"] if acm else "",
        default_root_object=params["default_root_object"] or "",
        viewer_protocol_policy=params["viewer_protocol_policy"],
        http_version=params["http_version"],
        ipv6=params["ipv6"],
        price_class=params["price_class"],
        cache_policy_id=params["cache_policy_id"],
        response_headers_policy_id=params["response_headers_policy_id"] or "",
        compress=params["compress"],
        spa=params["spa"],
        custom_error_responses=spa_error_responses(params) if params["spa"] else [],
        logging=desired_logging(params["logging"]),
        web_acl_id=params["web_acl_id"],
    )


# ---------------------------------------------------------------------------------------------
# Reading a DistributionConfig into the managed settings
# ---------------------------------------------------------------------------------------------


def managed_origin(config):
    """The origin the default cache behavior targets, or None."""
    target = (config.get("DefaultCacheBehavior") or {}).get("TargetOriginId")
    for origin in items(config.get("Origins")):
        if origin.get("Id") == target:
            return origin
    return None


def normalize_error_responses(config):
    responses = [
        dict(
            error_code=r["ErrorCode"],
            response_page_path=r.get("ResponsePagePath") or "",
            response_code=r.get("ResponseCode") or "",
            error_caching_min_ttl=r.get("ErrorCachingMinTTL", 10),
        )
        for r in items(config.get("CustomErrorResponses"))
    ]
    return sorted(responses, key=lambda r: r["error_code"])


def normalize_logging(config):
    logging = config.get("Logging") or {}
    return dict(
        enabled=bool(logging.get("Enabled")),
        bucket=logging_bucket_name(logging.get("Bucket")),
        prefix=logging.get("Prefix") or "",
        include_cookies=bool(logging.get("IncludeCookies")),
    )


def is_spa(responses):
    """True when the error responses are exactly the 403 and 404 fallback of spa=true."""
    return (
        [r["error_code"] for r in responses] == list(SPA_ERROR_CODES)
        and len(set(r["response_page_path"] for r in responses)) == 1
        and all(r["response_code"] == "200" for r in responses)
    )


def normalize_config(config):
    """A DistributionConfig as the module's settings, with AWS's wrappers, order and defaults evened out."""
    origin = managed_origin(config) or {}
    domain = origin.get("DomainName") or ""
    match = REGIONAL_S3_DOMAIN.match(domain)
    s3_origin = origin.get("S3OriginConfig")
    behavior = config.get("DefaultCacheBehavior") or {}
    certificate = config.get("ViewerCertificate") or {}
    default_certificate = bool(certificate.get("CloudFrontDefaultCertificate"))
    responses = normalize_error_responses(config)
    return dict(
        name=config.get("Comment") or "",
        enabled=bool(config.get("Enabled")),
        origin_bucket=match.group("bucket") if match else None,
        origin_bucket_region=match.group("region") if match else None,
        origin_domain_name=domain,
        origin_path=origin.get("OriginPath") or "",
        origin_access_control_id=origin.get("OriginAccessControlId") or "",
        origin_access_identity=(s3_origin.get("OriginAccessIdentity") or "") if s3_origin is not None else None,
        aliases=sorted(items(config.get("Aliases"))),
        cloudfront_default_certificate=default_certificate,
        acm_certificate_arn="" if default_certificate else certificate.get("ACMCertificateArn") or "",
        ssl_support_method="" if default_certificate else certificate.get("SSLSupportMethod") or "",
        minimum_protocol_version="" if default_certificate else certificate.get("MinimumProtocolVersion") or "",
        default_root_object=config.get("DefaultRootObject") or "",
        viewer_protocol_policy=behavior.get("ViewerProtocolPolicy"),
        http_version=config.get("HttpVersion"),
        ipv6=bool(config.get("IsIPV6Enabled")),
        price_class=config.get("PriceClass"),
        cache_policy_id=behavior.get("CachePolicyId") or "",
        response_headers_policy_id=behavior.get("ResponseHeadersPolicyId") or "",
        compress=bool(behavior.get("Compress")),
        spa=is_spa(responses),
        custom_error_responses=responses,
        logging=normalize_logging(config),
        web_acl_id=config.get("WebACLId") or "",
    )


# ---------------------------------------------------------------------------------------------
# Building the DistributionConfig
# ---------------------------------------------------------------------------------------------


def caller_reference(name):
    """CallerReference of a new distribution: the name, plus the time so a deleted name can come back.

    The value is fixed for the run, so a create that botocore retries is never doubled.
    """
    return "{0}-{1}".format(name, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))


def new_config(desired, reference):
    """The parts of a new distribution's config that the module sets once and then leaves alone."""
    return dict(
        CallerReference=reference,
        Comment=desired["name"],
        Enabled=desired["enabled"],
        Origins=quantity_items([]),
        DefaultCacheBehavior=dict(
            TargetOriginId=ORIGIN_ID,
            ViewerProtocolPolicy=desired["viewer_protocol_policy"],
            AllowedMethods=dict(
                Quantity=2, Items=["HEAD", "GET"], CachedMethods=dict(Quantity=2, Items=["HEAD", "GET"])
            ),
        ),
        Aliases=quantity_items([]),
        Logging=logging_config(dict(enabled=False)),
        WebACLId="",
        Restrictions=dict(GeoRestriction=dict(RestrictionType="none", Quantity=0)),
    )


def logging_config(logging):
    if not logging["enabled"]:
        return dict(Enabled=False, IncludeCookies=False, Bucket="", Prefix="")
    return dict(
        Enabled=True,
        IncludeCookies=logging["include_cookies"],
        Bucket=logging["bucket"] + LOGGING_BUCKET_SUFFIX,
        Prefix=logging["prefix"],
    )


def viewer_certificate(desired):
    if desired["cloudfront_default_certificate"]:
        return dict(CloudFrontDefaultCertificate=True)
    return dict(
        ACMCertificateArn=desired["acm_certificate_arn"],
        SSLSupportMethod=desired["ssl_support_method"],
        MinimumProtocolVersion=desired["minimum_protocol_version"],
    )


def set_origin(config, desired):
    """Point the managed origin at the bucket through the OAC; other origins stay as they are."""
    target = config["DefaultCacheBehavior"]["TargetOriginId"]
    origins = items(config.get("Origins"))
    current = managed_origin(config)
    origin = copy.deepcopy(current) if current else dict(Id=target)
    origin.update(
        DomainName=desired["origin_domain_name"],
        OriginPath=desired["origin_path"],
        OriginAccessControlId=desired["origin_access_control_id"],
    )
    s3_origin = dict(OriginAccessIdentity="")
    read_timeout = (origin.get("S3OriginConfig") or {}).get("OriginReadTimeout")
    if read_timeout is not None:
        s3_origin["OriginReadTimeout"] = read_timeout
    origin["S3OriginConfig"] = s3_origin
    origin.pop("CustomOriginConfig", None)
    origin.pop("VpcOriginConfig", None)
    if current:
        origins = [origin if o.get("Id") == target else o for o in origins]
    else:
        origins.append(origin)
    config["Origins"] = quantity_items(origins)


def set_default_cache_behavior(config, desired):
    behavior = config["DefaultCacheBehavior"]
    behavior.update(
        ViewerProtocolPolicy=desired["viewer_protocol_policy"],
        Compress=desired["compress"],
        CachePolicyId=desired["cache_policy_id"],
    )
    if desired["response_headers_policy_id"]:
        behavior["ResponseHeadersPolicyId"] = desired["response_headers_policy_id"]
    else:
        behavior.pop("ResponseHeadersPolicyId", None)
    # A cache policy replaces the legacy forwarded values and TTLs; CloudFront refuses both together.
    for legacy in ("ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"):
        behavior.pop(legacy, None)


def build_config(desired, current_config=None, reference=None):
    """The full DistributionConfig to send: the current one (or a new one) with every managed setting applied."""
    config = copy.deepcopy(current_config) if current_config is not None else new_config(desired, reference)
    if desired["name"] is not None:
        config["Comment"] = desired["name"]
    config.update(
        Enabled=desired["enabled"],
        DefaultRootObject=desired["default_root_object"],
        PriceClass=desired["price_class"],
        HttpVersion=desired["http_version"],
        IsIPV6Enabled=desired["ipv6"],
        ViewerCertificate=viewer_certificate(desired),
    )
    responses = [
        dict(
            ErrorCode=r["error_code"],
            ResponsePagePath=r["response_page_path"],
            ResponseCode=r["response_code"],
            ErrorCachingMinTTL=r["error_caching_min_ttl"],
        )
        for r in desired["custom_error_responses"]
    ]
    config["CustomErrorResponses"] = quantity_items(responses)
    if desired["aliases"] is not None:
        config["Aliases"] = quantity_items(desired["aliases"])
    if desired["logging"] is not None:
        config["Logging"] = logging_config(desired["logging"])
    if desired["web_acl_id"] is not None:
        config["WebACLId"] = desired["web_acl_id"]
    set_origin(config, desired)
    set_default_cache_behavior(config, desired)
    return config


# ---------------------------------------------------------------------------------------------
# Finding the distribution
# ---------------------------------------------------------------------------------------------


def find_distribution(module, client):
    """The distribution to manage as ``dict(meta, config, etag)``, or None.

    By name: ListDistributions, then GetDistributionConfig of the one match for its ETag.
    By id: one GetDistribution.
    """
    distribution_id, name = module.params["distribution_id"], module.params["name"]
    if distribution_id:
        distribution, etag = get_distribution(client, distribution_id)
        if distribution is None:
            return None
        return dict(meta=meta_of(distribution), config=distribution["DistributionConfig"], etag=etag)
    matches = [d for d in find_distributions_by_comment(client, name) if not d.get("Staging")]
    if len(matches) > 1:
        module.fail_json(
            msg="Several distributions have the comment {0} ({1}); pass distribution_id to choose one.".format(
                name, ", ".join(sorted(d["Id"] for d in matches))
            )
        )
    if not matches:
        return None
    config, etag = get_distribution_config(client, matches[0]["Id"])
    if config is None:
        return None  # Deleted between the list and the get.
    return dict(meta=meta_of(matches[0]), config=config, etag=etag)


def meta_of(distribution):
    """Id, ARN, domain name and status of a Distribution or DistributionSummary."""
    return dict(
        id=distribution["Id"],
        arn=distribution["ARN"],
        domain_name=distribution["DomainName"],
        status=distribution["Status"],
    )


def result_of(meta, config, etag, tags=None):
    distribution = dict(meta, etag=etag, hosted_zone_id=CLOUDFRONT_HOSTED_ZONE_ID)
    distribution.update(normalize_config(config))
    if tags is not None:
        distribution["tags"] = tags
    return distribution


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def visible(settings):
    """The managed settings shown in the diff."""
    return dict((k, settings[k]) for k in COMPARED + ("spa",) if settings.get(k) is not None)


def create_distribution(module, client, changes, desired):
    if desired["name"] is None:
        module.fail_json(
            msg="Distribution {0} was not found; give name instead of distribution_id to create one.".format(
                module.params["distribution_id"]
            )
        )
    config = build_config(desired, reference=caller_reference(desired["name"]))
    tags = module.params["tags"] or {}

    def write():
        try:
            return client.create_distribution_with_tags(
                aws_retry=True,
                DistributionConfigWithTags=dict(
                    DistributionConfig=config, Tags=dict(Items=ansible_dict_to_boto3_tag_list(tags))
                ),
            )
        except is_boto3_error_code("CNAMEAlreadyExists") as e:
            return module.fail_json_aws(e, msg="An alias of {0} is already used by another distribution".format(desired["name"]))

    answer = changes.apply("distribution", None, visible(normalize_config(config)), write)
    managed_tags = tags if module.params["tags"] is not None else None
    if answer is None:
        meta = dict(id=None, arn=None, domain_name=None, status=None)
        return result_of(meta, config, None, managed_tags)
    distribution = answer["Distribution"]
    return result_of(meta_of(distribution), distribution["DistributionConfig"], answer["ETag"], managed_tags)


def update_distribution(client, changes, desired, found):
    """One UpdateDistribution with IfMatch when a managed setting differs; the resulting state."""
    current = normalize_config(found["config"])
    plan = changed_facets(desired, current, COMPARED)
    if not plan:
        return found
    config = build_config(desired, found["config"])
    before = dict((k, pair[0]) for k, pair in plan.items())
    after = dict((k, pair[1]) for k, pair in plan.items())

    def write():
        return client.update_distribution(
            aws_retry=True, Id=found["meta"]["id"], IfMatch=found["etag"], DistributionConfig=config
        )

    answer = changes.apply("distribution", before, after, write)
    if answer is None:
        return dict(found, config=config, etag=None)
    distribution = answer["Distribution"]
    return dict(meta=meta_of(distribution), config=distribution["DistributionConfig"], etag=answer["ETag"])


def update_tags(module, client, changes, arn):
    """Tag changes with TagResource/UntagResource; the tags after the run, or None when not managed."""
    if module.params["tags"] is None:
        return None
    return apply_tag_changes(
        changes,
        read_tags(client, arn),
        module.params["tags"],
        module.params["purge_tags"],
        lambda keys: client.untag_resource(aws_retry=True, Resource=arn, TagKeys=dict(Items=keys)),
        lambda tags: client.tag_resource(aws_retry=True, Resource=arn, Tags=dict(Items=ansible_dict_to_boto3_tag_list(tags))),
    )


def wait_deployed(module, client, distribution_id):
    """Wait for status Deployed; the last ``(Distribution, ETag)`` read (``(None, None)`` once deleted)."""
    return wait_until(
        module,
        lambda: get_distribution(client, distribution_id),
        lambda answer: answer[0] is None or is_deployed(answer[0]),
        module.params["wait_timeout"],
        "CloudFront distribution {0} to be deployed".format(distribution_id),
    )


# ---------------------------------------------------------------------------------------------
# States
# ---------------------------------------------------------------------------------------------


def ensure_present(module, client):
    changes = ChangeSet(module)
    desired = desired_settings(module)
    found = find_distribution(module, client)
    if found is None:
        distribution = create_distribution(module, client, changes, desired)
    else:
        if desired["name"] is None:
            desired["name"] = found["config"].get("Comment")
        found = update_distribution(client, changes, desired, found)
        tags = update_tags(module, client, changes, found["meta"]["arn"])
        distribution = result_of(found["meta"], found["config"], found["etag"], tags)
    waitable = distribution["id"] and changes.writes_allowed and not is_deployed(distribution)
    if module.params["wait"] and waitable:
        deployed, etag = wait_deployed(module, client, distribution["id"])
        if deployed is not None:
            distribution.update(status=deployed["Status"], etag=etag)
    return changes.result(distribution=distribution)


def ensure_absent(module, client):
    changes = ChangeSet(module)
    found = find_distribution(module, client)
    if found is None:
        return changes.result(distribution={})
    distribution_id = found["meta"]["id"]

    def write():
        etag, status = found["etag"], found["meta"]["status"]
        if found["config"]["Enabled"]:
            config = dict(found["config"], Enabled=False)
            answer = client.update_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag, DistributionConfig=config)
            etag, status = answer["ETag"], answer["Distribution"]["Status"]
        if status != "Deployed":
            deployed, etag = wait_deployed(module, client, distribution_id)
            if deployed is None:
                return
        try:
            client.delete_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag)
        except is_boto3_error_code("NoSuchDistribution"):
            pass  # Deleted meanwhile: the wanted state.

    changes.apply("distribution", visible(normalize_config(found["config"])), None, write)
    return changes.result(distribution={})


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC,
        required_one_of=REQUIRED_ONE_OF,
        required_if=REQUIRED_IF,
        supports_check_mode=True,
    )
    validate_options(module)
    client = module.client("cloudfront", retry_decorator=AWSRetry.jittered_backoff())
    what = module.params["distribution_id"] or module.params["name"]
    try:
        if module.params["state"] == "absent":
            result = ensure_absent(module, client)
        else:
            result = ensure_present(module, client)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage CloudFront distribution {0}".format(what))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
