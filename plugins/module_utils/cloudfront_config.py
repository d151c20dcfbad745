# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The DistributionConfig of a CloudFront distribution for a private S3 origin: the desired settings from the
options, the checks made before any write, the settings read back from a config for comparison, and the
config built from the desired settings.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re
import time

from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import items
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import quantity_items
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import check_bucket_name


CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


SECURITY_HEADERS_POLICY = "67f7725c-6f97-4210-82d7-5512b31e9d03"


ORIGIN_ID = "s3-origin"


SPA_ERROR_CODES = (403, 404)


LOGGING_BUCKET_SUFFIX = ".s3.amazonaws.com"


COMMENT_MAX_LENGTH = 128


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


REGIONAL_S3_DOMAIN = re.compile(r"^(?P<bucket>.+)\.s3\.(?P<region>[a-z]{2}(-[a-z]+)+-\d)\.amazonaws\.com$")


def bucket_region(module):
    return module.params["origin_bucket_region"] or module.region


def validate_options(module):
    """Refuse bad or inconsistent input before any API call."""
    params = module.params
    if params["name"] is not None and not 0 < len(params["name"]) <= COMMENT_MAX_LENGTH:
        module.fail_json(msg="name must be 1 to {0} characters long (it is kept in the comment).".format(COMMENT_MAX_LENGTH))
    if params["state"] == "absent":
        return
    check_bucket_name(module, "origin_bucket", params["origin_bucket"])
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
    if logging is not None and logging["bucket"]:
        check_bucket_name(module, "logging.bucket", logging_bucket_name(logging["bucket"]))


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


def caller_reference(name):
    """CallerReference of a new distribution: its name, the same in every run.

    CloudFront refuses a second create with a reference it has seen (DistributionAlreadyExists), so two
    runs that create the same distribution at once make one, and a create that botocore retries is never
    doubled.
    """
    return name


def fresh_caller_reference(name):
    """A reference for a name whose own one CloudFront still holds for a deleted or renamed distribution."""
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
