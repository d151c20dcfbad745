"""CloudFront: what moto 5.2.5 lacks or gets wrong, following the botocore service model.

Distributions: moto keeps each distribution's identity (Id, ARN, domain name), its tags and
its invalidations; this extension keeps its DistributionConfig as AWS stores it and its ETag,
because moto
- drops Origins[].OriginAccessControlId and S3OriginConfig, reports the default certificate
  next to an ACM certificate, and adds ForwardedValues and TTLs to a behavior with a cache
  policy;
- never changes the ETag and accepts any If-Match on UpdateDistribution and DeleteDistribution;
- deletes enabled distributions;
- does not check what AWS checks on create and update (quantities, target origins, cache
  policies, origin access controls, the viewer certificate).
Latency hook: a distribution is InProgress for the "cloudfront:distribution" latency after each
create or update, then Deployed; AWS refuses to delete it meanwhile.

Creates run one at a time, so that moto's CallerReference check (DistributionAlreadyExists, as
AWS answers any reuse of a reference) and the name check below hold for concurrent calls.

Also: origin access control names unique in the account (moto creates a second one of the same
name; AWS: OriginAccessControlAlreadyExists), ETags and If-Match for origin access controls, GetOriginAccessControlConfig, refusing to
delete an origin access control a distribution uses, invalidation status "Completed" (moto:
"COMPLETED"), and the AWS managed cache and response headers policies (moto has none).
"""

import copy
import datetime
import re
import threading
import uuid
from urllib.parse import parse_qs

from ..latency import LatencyHook
from ..operations import service_model
from .base import (
    ServiceExtension,
    aws_error,
    validate_input,
    xml_output,
    xml_payload,
    xml_reply,
)

HEAD_GET = {"Quantity": 2, "Items": ["HEAD", "GET"]}
DISTRIBUTION_PATH = re.compile(r"^/2020-05-31/distribution/([^/]+)")
OAC_PATH = re.compile(r"^/2020-05-31/origin-access-control/([^/]+)")
POLICY_PATH = re.compile(r"^/2020-05-31/(?:cache|response-headers)-policy/([^/]+)")
MANAGED_SINCE = datetime.datetime(2021, 11, 1, tzinfo=datetime.timezone.utc)
NO_IF_MATCH = "The If-Match version is missing or not valid for the resource."
PRECONDITION = "The precondition given in one or more of the request-header fields evaluated to false."


def _cache_policy(policy_id, name, comment, ttls, compress):
    never = {"HeaderBehavior": "none"}
    return {
        "Id": policy_id,
        "LastModifiedTime": MANAGED_SINCE,
        "CachePolicyConfig": {
            "Comment": comment,
            "Name": name,
            "DefaultTTL": ttls[1],
            "MaxTTL": ttls[2],
            "MinTTL": ttls[0],
            "ParametersInCacheKeyAndForwardedToOrigin": {
                "EnableAcceptEncodingGzip": compress,
                "EnableAcceptEncodingBrotli": compress,
                "HeadersConfig": never,
                "CookiesConfig": {"CookieBehavior": "none"},
                "QueryStringsConfig": {"QueryStringBehavior": "none"},
            },
        },
    }


# The AWS managed policies a static site uses, as AWS publishes them.
MANAGED_CACHE_POLICIES = {
    p["Id"]: p for p in (
        _cache_policy("658327ea-f89d-4fab-a63d-7e88639e58f6", "Managed-CachingOptimized",
                      "Policy with caching enabled. Supports Gzip and Brotli compression.",
                      (1, 86400, 31536000), True),
        _cache_policy("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "Managed-CachingDisabled",
                      "Policy with caching disabled", (0, 0, 0), False),
        _cache_policy("b2884449-e4de-46a7-ac36-70bc7f1ddd6d", "Managed-CachingOptimizedForUncompressedObjects",
                      "Default policy when compression is disabled", (1, 86400, 31536000), False),
    )
}
MANAGED_RESPONSE_HEADERS_POLICIES = {
    "67f7725c-6f97-4210-82d7-5512b31e9d03": {
        "Id": "67f7725c-6f97-4210-82d7-5512b31e9d03",
        "LastModifiedTime": MANAGED_SINCE,
        "ResponseHeadersPolicyConfig": {
            "Comment": "Adds a set of security headers to every response",
            "Name": "Managed-SecurityHeadersPolicy",
            "SecurityHeadersConfig": {
                "XSSProtection": {"Override": False, "Protection": True, "ModeBlock": True},
                "FrameOptions": {"Override": False, "FrameOption": "SAMEORIGIN"},
                "ReferrerPolicy": {"Override": False, "ReferrerPolicy": "strict-origin-when-cross-origin"},
                "ContentTypeOptions": {"Override": False},
                "StrictTransportSecurity": {
                    "Override": False, "IncludeSubdomains": False, "Preload": False,
                    "AccessControlMaxAgeSec": 31536000,
                },
            },
        },
    },
}
MANAGED_ETAG = "E23ZP02F085DFQ"


def moto_backend(exchange):
    from moto.cloudfront.models import cloudfront_backends
    from moto.utilities.utils import get_partition

    return cloudfront_backends[exchange.account_id][get_partition(exchange.call.region)]


def new_etag():
    return "E" + uuid.uuid4().hex[:13].upper()


def path_id(exchange, pattern):
    match = pattern.match(exchange.environ.get("PATH_INFO", ""))
    return match.group(1) if match else None


def query_param(exchange, name):
    return parse_qs(exchange.environ.get("QUERY_STRING", "")).get(name, [None])[0]


class CloudFrontExtension(ServiceExtension):
    service = "cloudfront"
    atomic = frozenset({"CreateDistribution", "CreateDistributionWithTags", "CreateOriginAccessControl"})

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._distributions = {}  # (account, id) -> {"config", "etag", "modified", "arn", "domain"}
        self.latency_hooks = [CloudFrontLatency()]
        self._handlers = {
            "CreateDistribution": self.check_create,
            "CreateDistributionWithTags": self.check_create,
            "GetDistribution": self.get_distribution,
            "GetDistributionConfig": self.get_distribution,
            "UpdateDistribution": self.update_distribution,
            "DeleteDistribution": self.check_delete,
            "ListDistributions": self.list_distributions,
            "CreateOriginAccessControl": self.check_oac_name,
            "GetOriginAccessControlConfig": self.get_oac_config,
            "UpdateOriginAccessControl": self.check_oac_write,
            "DeleteOriginAccessControl": self.check_oac_write,
            "GetCachePolicy": self.get_managed_policy,
            "GetCachePolicyConfig": self.get_managed_policy,
            "GetResponseHeadersPolicy": self.get_managed_policy,
            "GetResponseHeadersPolicyConfig": self.get_managed_policy,
            "ListCachePolicies": self.list_managed_policies,
            "ListResponseHeadersPolicies": self.list_managed_policies,
        }

    def reset(self):
        with self._lock:
            self._distributions.clear()

    def distributions(self):
        """A copy of ((account, id), record) of every distribution, for the edge (cloudfront_edge.py)."""
        with self._lock:
            return list(self._distributions.items())

    def handle(self, exchange):
        handler = self._handlers.get(exchange.operation)
        return handler(exchange) if handler else None

    def rewrite(self, exchange):
        if exchange.operation in ("CreateDistribution", "CreateDistributionWithTags") and exchange.reply.status == 201:
            self.created(exchange)
        elif exchange.operation == "DeleteDistribution" and exchange.reply.status == 204:
            with self._lock:
                self._distributions.pop((exchange.account_id, path_id(exchange, DISTRIBUTION_PATH)), None)
        elif exchange.operation in ("CreateInvalidation", "GetInvalidation", "ListInvalidations"):
            exchange.reply.set_body(exchange.reply.body.replace(b"<Status>COMPLETED</Status>", b"<Status>Completed</Status>"))

    # --- distributions -----------------------------------------------------------------------

    def record(self, exchange, distribution_id):
        with self._lock:
            return self._distributions.get((exchange.account_id, distribution_id))

    def request_config(self, exchange):
        """(DistributionConfig of the request, error Reply or None)."""
        try:
            payload = xml_payload(exchange)
        except ValueError:
            return None, aws_error(exchange, "MalformedXML", "The XML document you provided was not well-formed.")
        name = "DistributionConfigWithTags" if exchange.operation == "CreateDistributionWithTags" else "DistributionConfig"
        params = {name: payload}
        if exchange.operation == "UpdateDistribution":
            params.update(Id=path_id(exchange, DISTRIBUTION_PATH), IfMatch=exchange.environ.get("HTTP_IF_MATCH", ""))
        problem = validate_input("cloudfront", exchange.operation, params)
        if problem:
            return None, aws_error(exchange, "InvalidArgument", problem)
        config = payload["DistributionConfig"] if name == "DistributionConfigWithTags" else payload
        error = config_error(exchange, config)
        if error:
            return None, aws_error(exchange, *error)
        return config, None

    def check_create(self, exchange):
        """Refuse what AWS refuses; moto then creates the distribution (see created)."""
        dummy, error = self.request_config(exchange)
        return error

    def created(self, exchange):
        """Keep the config as AWS stores it, and answer with it."""
        config, dummy = self.request_config(exchange)
        moto_answer = xml_output(exchange)["Distribution"]
        record = {
            "config": stored_config(config), "etag": new_etag(), "modified": now(),
            "arn": moto_answer["ARN"], "domain": moto_answer["DomainName"],
        }
        with self._lock:
            self._distributions[(exchange.account_id, moto_answer["Id"])] = record
        set_certificate_use(exchange, moto_answer["ARN"], None, record["config"])
        exchange.reply = xml_reply(exchange, {
            "Distribution": distribution(moto_answer["Id"], record),
            "Location": f"https://cloudfront.amazonaws.com/2020-05-31/distribution/{moto_answer['Id']}",
            "ETag": record["etag"],
        })

    def get_distribution(self, exchange):
        distribution_id = path_id(exchange, DISTRIBUTION_PATH)
        record = self.record(exchange, distribution_id)
        if record is None:
            return None  # moto answers NoSuchDistribution
        if exchange.operation == "GetDistributionConfig":
            return xml_reply(exchange, {"DistributionConfig": record["config"], "ETag": record["etag"]})
        return xml_reply(exchange, {"Distribution": distribution(distribution_id, record), "ETag": record["etag"]})

    def if_match_error(self, exchange, etag):
        if_match = exchange.environ.get("HTTP_IF_MATCH", "")
        if not if_match:
            return aws_error(exchange, "InvalidIfMatchVersion", NO_IF_MATCH)
        if if_match != etag:
            return aws_error(exchange, "PreconditionFailed", PRECONDITION, 412)
        return None

    def update_distribution(self, exchange):
        distribution_id = path_id(exchange, DISTRIBUTION_PATH)
        record = self.record(exchange, distribution_id)
        if record is None:
            return aws_error(exchange, "NoSuchDistribution", "The specified distribution does not exist.", 404)
        error = self.if_match_error(exchange, record["etag"])
        if error:
            return error
        config, error = self.request_config(exchange)
        if error:
            return error
        if config["CallerReference"] != record["config"]["CallerReference"]:
            return aws_error(exchange, "IllegalUpdate", "The CallerReference of a distribution cannot be changed.")
        with self._lock:
            old = record["config"]
            record.update(config=stored_config(config), etag=new_etag(), modified=now())
        set_certificate_use(exchange, record["arn"], old, record["config"])
        return xml_reply(exchange, {"Distribution": distribution(distribution_id, record), "ETag": record["etag"]})

    def check_delete(self, exchange):
        """AWS deletes only a disabled distribution, with its current ETag; moto then deletes it."""
        record = self.record(exchange, path_id(exchange, DISTRIBUTION_PATH))
        if record is None:
            return None  # moto answers NoSuchDistribution
        error = self.if_match_error(exchange, record["etag"])
        if error:
            return error
        if record["config"]["Enabled"]:
            return aws_error(exchange, "DistributionNotDisabled",
                             "The distribution you are trying to delete has not been disabled.", 409)
        set_certificate_use(exchange, record["arn"], record["config"], None)
        return None

    def list_distributions(self, exchange):
        with self._lock:
            records = [(key[1], dict(r)) for key, r in self._distributions.items() if key[0] == exchange.account_id]
        marker = query_param(exchange, "Marker") or ""
        max_items = int(query_param(exchange, "MaxItems") or 100)
        ids = [distribution_id for distribution_id, dummy in records]
        start = ids.index(marker) + 1 if marker in ids else 0
        page = records[start:start + max_items]
        listing = {"Marker": marker, "MaxItems": max_items, "IsTruncated": start + max_items < len(records),
                   "Quantity": len(page)}
        if page:
            listing["Items"] = [summary(distribution_id, r) for distribution_id, r in page]
        if listing["IsTruncated"]:
            listing["NextMarker"] = page[-1][0]
        return xml_reply(exchange, {"DistributionList": listing})

    # --- origin access controls --------------------------------------------------------------

    def check_oac_name(self, exchange):
        """One origin access control per name in the account; moto then creates it."""
        try:
            name = xml_payload(exchange).get("Name")
        except ValueError:
            return None  # moto answers the malformed body
        if any(control.name == name for control in moto_backend(exchange).origin_access_controls.values()):
            return aws_error(exchange, "OriginAccessControlAlreadyExists",
                             "An origin access control with the same name already exists.", 409)
        return None

    def get_oac_config(self, exchange):
        control = moto_backend(exchange).origin_access_controls.get(path_id(exchange, OAC_PATH))
        if control is None:
            return no_such_oac(exchange)
        return xml_reply(exchange, {"OriginAccessControlConfig": oac_config(control), "ETag": control.etag})

    def check_oac_write(self, exchange):
        """AWS checks If-Match, gives each update a new ETag, and keeps a control in use."""
        control_id = path_id(exchange, OAC_PATH)
        control = moto_backend(exchange).origin_access_controls.get(control_id)
        if control is None:
            return no_such_oac(exchange)
        error = self.if_match_error(exchange, control.etag)
        if error:
            return error
        if exchange.operation == "UpdateOriginAccessControl":
            control.etag = new_etag()
            control.description = ""  # the update replaces the whole config; moto keeps an old description
            return None
        with self._lock:
            in_use = any(origin.get("OriginAccessControlId") == control_id
                         for key, r in self._distributions.items() if key[0] == exchange.account_id
                         for origin in r["config"]["Origins"].get("Items", []))
        if in_use:
            return aws_error(exchange, "OriginAccessControlInUse",
                             "Cannot delete the origin access control because it's in use by one or more origins.",
                             409)
        return None

    # --- AWS managed policies -----------------------------------------------------------------

    def get_managed_policy(self, exchange):
        cache = "CachePolicy" in exchange.operation
        policies = MANAGED_CACHE_POLICIES if cache else MANAGED_RESPONSE_HEADERS_POLICIES
        policy = policies.get(path_id(exchange, POLICY_PATH))
        if policy is None:
            if cache:
                return aws_error(exchange, "NoSuchCachePolicy", "The cache policy does not exist.", 404)
            return aws_error(exchange, "NoSuchResponseHeadersPolicy", "The response headers policy does not exist.", 404)
        name = "CachePolicy" if cache else "ResponseHeadersPolicy"
        if exchange.operation.endswith("Config"):
            return xml_reply(exchange, {name + "Config": policy[name + "Config"], "ETag": MANAGED_ETAG})
        return xml_reply(exchange, {name: policy, "ETag": MANAGED_ETAG})

    def list_managed_policies(self, exchange):
        """Only AWS managed policies exist here; Type custom lists none."""
        cache = exchange.operation == "ListCachePolicies"
        kind = query_param(exchange, "Type")
        if kind not in (None, "managed", "custom"):
            return aws_error(exchange, "InvalidArgument", f"Invalid value for Type: {kind}")
        name = "CachePolicy" if cache else "ResponseHeadersPolicy"
        policies = (MANAGED_CACHE_POLICIES if cache else MANAGED_RESPONSE_HEADERS_POLICIES).values()
        items = [] if kind == "custom" else [{"Type": "managed", name: p} for p in policies]
        listing = {"MaxItems": int(query_param(exchange, "MaxItems") or 100), "Quantity": len(items)}
        if items:
            listing["Items"] = items
        return xml_reply(exchange, {name + "List": listing})


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def no_such_oac(exchange):
    return aws_error(exchange, "NoSuchOriginAccessControl", "The origin access control does not exist.", 404)


def oac_config(control):
    config = {
        "Name": control.name, "Description": control.description or "",
        "SigningProtocol": control.signing_protocol, "SigningBehavior": control.signing_behavior,
        "OriginAccessControlOriginType": control.origin_type,
    }
    return {k: v for k, v in config.items() if v is not None}


def distribution(distribution_id, record):
    """The Distribution element of an answer (Status Deployed; the latency hook shows InProgress)."""
    aliases = record["config"]["Aliases"].get("Items", [])
    return {
        "Id": distribution_id, "ARN": record["arn"], "Status": "Deployed", "LastModifiedTime": record["modified"],
        "InProgressInvalidationBatches": 0, "DomainName": record["domain"],
        "ActiveTrustedSigners": {"Enabled": False, "Quantity": 0},
        "ActiveTrustedKeyGroups": {"Enabled": False, "Quantity": 0},
        "DistributionConfig": record["config"],
        "AliasICPRecordals": [{"CNAME": alias, "ICPRecordalStatus": "APPROVED"} for alias in aliases],
    }


def summary(distribution_id, record):
    """A DistributionSummary of ListDistributions: the config's listed fields and identity."""
    members = service_model("cloudfront").shape_for("DistributionSummary").members
    full = distribution(distribution_id, record)
    answer = {k: v for k, v in record["config"].items() if k in members}
    answer.update({k: full[k] for k in ("Id", "ARN", "Status", "LastModifiedTime", "DomainName", "AliasICPRecordals")})
    answer["ETag"] = record["etag"]
    return answer


# --- what AWS checks and stores --------------------------------------------------------------


def config_error(exchange, config):
    """(code, message[, status]) for a DistributionConfig AWS refuses, or None."""
    quantity = inconsistent_quantity(config)
    if quantity:
        return "InconsistentQuantities", f"The value of Quantity and the size of Items don't match ({quantity})."
    origins = config["Origins"].get("Items", [])
    targets = {o["Id"] for o in origins} | {g["Id"] for g in config.get("OriginGroups", {}).get("Items", [])}
    behaviors = [config["DefaultCacheBehavior"]] + config.get("CacheBehaviors", {}).get("Items", [])
    if any(b["TargetOriginId"] not in targets for b in behaviors):
        return "NoSuchOrigin", "One or more of your origins or origin groups do not exist.", 404
    for behavior in behaviors:
        error = behavior_error(behavior)
        if error:
            return error
    for origin in origins:
        error = origin_error(exchange, origin)
        if error:
            return error
    return certificate_error(exchange, config)


def inconsistent_quantity(value, path="DistributionConfig"):
    """The path of the first {Quantity, Items} pair whose counts differ, or None."""
    if isinstance(value, dict):
        if "Quantity" in value and value["Quantity"] != len(value.get("Items", [])):
            return path
        for key, item in value.items():
            found = inconsistent_quantity(item, f"{path}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            found = inconsistent_quantity(item, path)
            if found:
                return found
    return None


def behavior_error(behavior):
    if behavior.get("CachePolicyId"):
        if "ForwardedValues" in behavior:
            return "InvalidArgument", ("The parameter ForwardedValues cannot be used when a cache policy is "
                                       "associated to the cache behavior.")
        if behavior["CachePolicyId"] not in MANAGED_CACHE_POLICIES:
            return "NoSuchCachePolicy", "The cache policy does not exist.", 404
    elif "ForwardedValues" not in behavior:
        return "InvalidArgument", "The parameter ForwardedValues is required."
    elif "MinTTL" not in behavior:
        return "InvalidArgument", "The parameter MinTTL is required."
    policy_id = behavior.get("ResponseHeadersPolicyId")
    if policy_id and policy_id not in MANAGED_RESPONSE_HEADERS_POLICIES:
        return "NoSuchResponseHeadersPolicy", "The response headers policy does not exist.", 404
    return None


def origin_error(exchange, origin):
    kinds = [k for k in ("S3OriginConfig", "CustomOriginConfig", "VpcOriginConfig") if k in origin]
    if len(kinds) != 1:
        return "InvalidArgument", "Exactly one of CustomOriginConfig, VpcOriginConfig and S3OriginConfig must be specified"
    control_id = origin.get("OriginAccessControlId")
    if control_id:
        if control_id not in moto_backend(exchange).origin_access_controls:
            return "InvalidOriginAccessControl", "The specified origin access control does not exist or is not valid."
        if origin.get("S3OriginConfig", {}).get("OriginAccessIdentity"):
            return "IllegalOriginAccessConfiguration", (
                "An origin cannot contain both an origin access control (OAC) and an origin access identity (OAI).")
    return None


CNAME_NEEDS_CERTIFICATE = (
    "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate "
    "that validates your authorization to use the domain name.")
BAD_CERTIFICATE = ("The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, "
                   "or doesn't include a valid certificate chain.")


def certificate_error(exchange, config):
    """AWS takes only an issued ACM certificate in us-east-1 that covers every alias."""
    certificate = config.get("ViewerCertificate", {})
    aliases = config.get("Aliases", {}).get("Items", [])
    arn = certificate.get("ACMCertificateArn")
    if not arn:
        if aliases and not certificate.get("IAMCertificateId"):
            return "InvalidViewerCertificate", CNAME_NEEDS_CERTIFICATE
        return None
    if not certificate.get("SSLSupportMethod"):
        return "InvalidViewerCertificate", "The SSLSupportMethod is required when a certificate is specified."
    cert = acm_certificate(exchange, arn)
    if cert is None or cert.status != "ISSUED":
        return "InvalidViewerCertificate", BAD_CERTIFICATE
    names = [cert.common_name] + list(cert.sans)
    for alias in aliases:
        if not any(covers(name, alias) for name in names):
            return "InvalidViewerCertificate", (
                "The certificate that is attached to your distribution doesn't cover the alternate domain name "
                f"(CNAME) that you're trying to add: {alias}")
    return None


def covers(name, alias):
    """A certificate name covers an alias exactly or by a one-label wildcard."""
    if name.startswith("*."):
        return alias.count(".") == name.count(".") and alias.endswith(name[1:])
    return name == alias


def acm_certificate(exchange, arn):
    """moto's certificate for an ARN in this account's us-east-1, or None."""
    from moto.acm.exceptions import CertificateNotFound
    from moto.acm.models import acm_backends

    if not arn.startswith(f"arn:aws:acm:us-east-1:{exchange.account_id}:certificate/"):
        return None
    try:
        return acm_backends[exchange.account_id]["us-east-1"].get_certificate(arn)
    except CertificateNotFound:
        return None


def set_certificate_use(exchange, distribution_arn, old_config, new_config):
    """ACM lists the distributions that use a certificate (InUseBy) and will not delete it then."""
    for config, used in ((old_config, False), (new_config, True)):
        arn = (config or {}).get("ViewerCertificate", {}).get("ACMCertificateArn")
        cert = acm_certificate(exchange, arn) if arn else None
        if cert is not None:
            users = [u for u in cert.in_use_by if u != distribution_arn]
            cert.in_use_by[:] = users + ([distribution_arn] if used else [])


def stored_config(config):
    """A DistributionConfig with the defaults AWS fills in, as GetDistributionConfig shows it."""
    config = copy.deepcopy(config)
    defaults = {
        "Aliases": {"Quantity": 0}, "DefaultRootObject": "", "OriginGroups": {"Quantity": 0},
        "CacheBehaviors": {"Quantity": 0}, "CustomErrorResponses": {"Quantity": 0},
        "Logging": {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""},
        "PriceClass": "PriceClass_All",
        "Restrictions": {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}},
        "WebACLId": "", "HttpVersion": "http2", "IsIPV6Enabled": False,
        "ContinuousDeploymentPolicyId": "", "Staging": False,
    }
    for key, value in defaults.items():
        config.setdefault(key, value)
    for origin in config["Origins"].get("Items", []):
        for key, value in {"OriginPath": "", "CustomHeaders": {"Quantity": 0}, "ConnectionAttempts": 3,
                           "ConnectionTimeout": 10, "OriginShield": {"Enabled": False},
                           "OriginAccessControlId": ""}.items():
            origin.setdefault(key, value)
        if "CustomOriginConfig" in origin:
            origin["CustomOriginConfig"].setdefault("OriginReadTimeout", 30)
            origin["CustomOriginConfig"].setdefault("OriginKeepaliveTimeout", 5)
    for behavior in [config["DefaultCacheBehavior"]] + config["CacheBehaviors"].get("Items", []):
        stored_behavior(behavior)
    config["ViewerCertificate"] = stored_certificate(config.get("ViewerCertificate", {}))
    return config


def stored_behavior(behavior):
    for key, value in {
        "TrustedSigners": {"Enabled": False, "Quantity": 0}, "TrustedKeyGroups": {"Enabled": False, "Quantity": 0},
        "AllowedMethods": dict(HEAD_GET, CachedMethods=dict(HEAD_GET)), "SmoothStreaming": False,
        "Compress": False, "LambdaFunctionAssociations": {"Quantity": 0}, "FunctionAssociations": {"Quantity": 0},
        "FieldLevelEncryptionId": "",
    }.items():
        behavior.setdefault(key, value)
    behavior["AllowedMethods"].setdefault("CachedMethods", dict(HEAD_GET))
    if "ForwardedValues" in behavior:  # legacy cache settings; a cache policy has its own TTLs
        behavior.setdefault("DefaultTTL", 86400)
        behavior.setdefault("MaxTTL", 31536000)


def stored_certificate(certificate):
    """The ViewerCertificate with the certificate source AWS reports."""
    if certificate.get("ACMCertificateArn"):
        source, arn = "acm", certificate["ACMCertificateArn"]
    elif certificate.get("IAMCertificateId"):
        source, arn = "iam", certificate["IAMCertificateId"]
    else:
        return {"CloudFrontDefaultCertificate": True, "SSLSupportMethod": "vip",
                "MinimumProtocolVersion": certificate.get("MinimumProtocolVersion", "TLSv1"),
                "CertificateSource": "cloudfront"}
    stored = {k: v for k, v in certificate.items() if k not in ("Certificate", "CertificateSource")}
    stored.update(CloudFrontDefaultCertificate=False, Certificate=arn, CertificateSource=source)
    stored.setdefault("MinimumProtocolVersion", "TLSv1")
    return stored


class CloudFrontLatency(LatencyHook):
    """A distribution is InProgress for a while after each create or update, as AWS deploys it
    to its edge locations; AWS refuses to delete it until it is Deployed."""

    service = "cloudfront"
    kinds = ("cloudfront:distribution",)
    CHANGES = {"CreateDistribution", "CreateDistributionWithTags", "UpdateDistribution"}
    SHOWN = CHANGES | {"GetDistribution", "ListDistributions"}

    @staticmethod
    def key(exchange, distribution_id):
        return f"{exchange.account_id}/{distribution_id}"

    def refuse(self, exchange, model):
        if exchange.operation != "DeleteDistribution":
            return None
        if model.pending("cloudfront:distribution", self.key(exchange, path_id(exchange, DISTRIBUTION_PATH))):
            return aws_error(exchange, "DistributionNotDisabled",
                             "The distribution you are trying to delete has not been disabled.", 409)
        return None

    def observe(self, exchange, model):
        if exchange.reply.status >= 300:
            return
        if exchange.operation == "DeleteDistribution":
            model.forget("cloudfront:distribution", self.key(exchange, path_id(exchange, DISTRIBUTION_PATH)))
            return
        if exchange.operation not in self.SHOWN:
            return
        output = xml_output(exchange)
        if exchange.operation == "ListDistributions":
            items = output["DistributionList"].get("Items", [])
        else:
            items = [output["Distribution"]]
        if exchange.operation in self.CHANGES:
            model.start("cloudfront:distribution", self.key(exchange, items[0]["Id"]))
        pending = [i for i in items if model.pending("cloudfront:distribution", self.key(exchange, i["Id"]))]
        for item in pending:
            item["Status"] = "InProgress"
        if pending:
            exchange.reply = xml_reply(exchange, output)
