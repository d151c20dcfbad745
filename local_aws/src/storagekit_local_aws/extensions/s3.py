"""S3: what moto 5.2.5 lacks or gets wrong, following the botocore service model.

- Intelligent-Tiering configurations (Put, Get, Delete, ListBucketIntelligentTieringConfigurations):
  moto routes the PUT as CreateBucket and the GET as ListObjects and stores nothing. Here they
  are stored per bucket, validated as S3 does, and dropped with the bucket.
- Bucket policy conditions: moto treats every Condition as met, so the secure-default
  "deny unless aws:SecureTransport" statement denies every object call, and a statement
  for another principal (cloudfront.amazonaws.com) applies to the caller. Here a statement
  applies only when its principal, action, resource and conditions match the caller's signed
  call, evaluated as IAM does; the endpoint stands in for AWS's HTTPS endpoint, so
  aws:SecureTransport is true.
- PutBucketLogging reads the target bucket's policy without failing on a Principal "*"
  statement (moto answers an internal error), so a TLS-only log bucket can take logs.
- A denied object call answers AccessDenied in S3's error format (moto sends an empty 403).
- CreateBucket checks only the name's length in moto; AWS refuses every name that breaks the general
  purpose bucket naming rules (characters, first and last character, "..", IP address form,
  reserved prefixes and suffixes) with InvalidBucketName. PutBucketEncryption is left alone: AWS does
  not check the KMS key there either (only the uploads that use it fail).
- Object Lock: moto answers GetObjectLockConfiguration with both Days and Years (one of them 0), refuses
  PutObjectLockConfiguration on a bucket that holds objects (AWS has allowed Object Lock on existing buckets
  since 2023, and a new default retention at any time) and lets a locked bucket suspend versioning. Here the
  default retention is answered as it was set, PutObjectLockConfiguration is checked as S3 does (versioning
  enabled, Mode with exactly one positive Days or Years) on any bucket, and suspending versioning of a locked
  bucket answers InvalidBucketState. CreateBucket with ObjectLockEnabledForBucket is moto's own.
- Storage class analysis and request metrics configurations (s3_analytics.py): stored, validated, dropped
  with the bucket.
- Replication (s3_replication.py): configurations validated and answered as put, and new objects and
  delete markers really copied to the destination buckets, with their replication status.
"""

import fnmatch
import json
import re
import threading
from urllib.parse import parse_qs

from ..operations import _s3_path_style
from .base import ServiceExtension, aws_error, validate_input, xml_payload, xml_reply
from .s3_analytics import OPERATIONS as ANALYTICS_OPERATIONS
from .s3_analytics import BucketConfigurations
from .s3_replication import OPERATIONS as REPLICATION_OPERATIONS
from .s3_replication import Replication

TIERING_OPERATIONS = {
    "PutBucketIntelligentTieringConfiguration",
    "GetBucketIntelligentTieringConfiguration",
    "DeleteBucketIntelligentTieringConfiguration",
    "ListBucketIntelligentTieringConfigurations",
}
# Minimum and maximum days before objects move to each archive tier.
TIER_DAYS = {"ARCHIVE_ACCESS": (90, 730), "DEEP_ARCHIVE_ACCESS": (180, 730)}
MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"
PAGE_SIZE = 100
OBJECT_OPERATIONS = {"GetObject", "PutObject", "HeadObject", "DeleteObject"}
OBJECT_LOCK_OPERATIONS = {"GetObjectLockConfiguration", "PutObjectLockConfiguration", "PutBucketVersioning"}
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
IP_ADDRESS = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def moto_backend(exchange):
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    return s3_backends[exchange.account_id][get_partition(exchange.call.region)]


def object_lock(exchange):
    """Object Lock as S3 keeps it (see the module docstring); None leaves the call to moto."""
    bucket = moto_backend(exchange).buckets.get(bucket_name(exchange))
    if bucket is None:
        return None  # moto answers NoSuchBucket
    if exchange.operation == "PutBucketVersioning":
        if bucket.object_lock_enabled and b"<Status>Suspended</Status>" in exchange.body:
            return aws_error(exchange, "InvalidBucketState", "An Object Lock configuration is present on this bucket, "
                             "so the versioning state cannot be changed.", 409)
        return None
    if exchange.operation == "GetObjectLockConfiguration":
        if not bucket.object_lock_enabled:
            return aws_error(exchange, "ObjectLockConfigurationNotFoundError",
                             "Object Lock configuration does not exist for this bucket", 404)
        config = {"ObjectLockEnabled": "Enabled"}
        if bucket.default_lock_mode:
            retention = {"Mode": bucket.default_lock_mode}
            retention.update({"Days": bucket.default_lock_days} if bucket.default_lock_days
                             else {"Years": bucket.default_lock_years})
            config["Rule"] = {"DefaultRetention": retention}
        return xml_reply(exchange, {"ObjectLockConfiguration": config})
    try:
        config = xml_payload(exchange)
    except ValueError:
        return aws_error(exchange, "MalformedXML", MALFORMED_XML)
    if validate_input("s3", exchange.operation, {"Bucket": bucket.name, "ObjectLockConfiguration": config}):
        return aws_error(exchange, "MalformedXML", MALFORMED_XML)
    if bucket.versioning_status != "Enabled":
        return aws_error(exchange, "InvalidBucketState",
                         "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409)
    if config.get("ObjectLockEnabled") != "Enabled":
        return aws_error(exchange, "MalformedXML", MALFORMED_XML)
    retention = (config.get("Rule") or {}).get("DefaultRetention")
    mode = days = years = None
    if retention is not None:
        mode, days, years = retention.get("Mode"), retention.get("Days"), retention.get("Years")
        if not mode or (days is None) == (years is None):
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        if (days if days is not None else years) <= 0:
            return aws_error(exchange, "InvalidArgument", "Default retention period must be a positive integer value.")
    bucket.object_lock_enabled = True
    bucket.default_lock_mode, bucket.default_lock_days, bucket.default_lock_years = mode, days, years
    return xml_reply(exchange, {})


def valid_bucket_name(name):
    """The general purpose bucket naming rules (moto checks only the length)."""
    return bool(
        3 <= len(name) <= 63 and BUCKET_NAME.match(name) and ".." not in name and not IP_ADDRESS.match(name)
        and not name.startswith(RESERVED_PREFIXES) and not name.endswith(RESERVED_SUFFIXES)
    )


def bucket_name(exchange):
    """The bucket of a path-style or virtual-hosted call."""
    host = exchange.environ.get("HTTP_HOST", "")
    path = _s3_path_style(exchange.environ.get("PATH_INFO", "/"), host)
    return path.lstrip("/").split("/", 1)[0]


class S3Extension(ServiceExtension):
    service = "s3"
    atomic = frozenset({"CreateBucket"})

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._tiering = {}  # (account, bucket) -> {configuration id: configuration}
        self.replication = Replication()
        self.bucket_configurations = BucketConfigurations()
        install_policy_evaluation()

    def reset(self):
        with self._lock:
            self._tiering.clear()
        self.replication.reset()
        self.bucket_configurations.reset()

    def rewrite(self, exchange):
        if exchange.operation == "DeleteBucket" and exchange.reply.status == 204:
            with self._lock:
                self._tiering.pop((exchange.account_id, bucket_name(exchange)), None)
            self.replication.forget_bucket(exchange.account_id, bucket_name(exchange))
            self.bucket_configurations.forget_bucket(exchange.account_id, bucket_name(exchange))
        self.replication.after(exchange)
        if (exchange.operation in OBJECT_OPERATIONS and exchange.reply.status == 403
                and not exchange.reply.body and exchange.environ.get("REQUEST_METHOD") != "HEAD"):
            exchange.reply = aws_error(exchange, "AccessDenied", "Access Denied", 403)

    # --- Intelligent-Tiering configurations ------------------------------------------------

    def handle(self, exchange):
        if exchange.operation == "CreateBucket" and not valid_bucket_name(bucket_name(exchange)):
            return aws_error(exchange, "InvalidBucketName", "The specified bucket is not valid.")
        if exchange.operation in OBJECT_LOCK_OPERATIONS:
            return object_lock(exchange)
        if exchange.operation in REPLICATION_OPERATIONS:
            return self.replication.handle(exchange, bucket_name(exchange))
        if exchange.operation in ANALYTICS_OPERATIONS:
            return self.bucket_configurations.handle(exchange, bucket_name(exchange), moto_backend(exchange).buckets)
        if exchange.operation not in TIERING_OPERATIONS:
            return None
        bucket = bucket_name(exchange)
        if bucket not in moto_backend(exchange).buckets:
            return aws_error(exchange, "NoSuchBucket", "The specified bucket does not exist", 404)
        query = parse_qs(exchange.environ.get("QUERY_STRING", ""), keep_blank_values=True)
        key = (exchange.account_id, bucket)
        if exchange.operation == "ListBucketIntelligentTieringConfigurations":
            return self.list_configurations(exchange, key, query.get("continuation-token", [None])[0])
        config_id = query.get("id", [""])[0]
        if not config_id:
            return aws_error(exchange, "InvalidArgument", "Missing required parameter: id")
        if exchange.operation == "PutBucketIntelligentTieringConfiguration":
            return self.put_configuration(exchange, key, config_id)
        with self._lock:
            config = self._tiering.get(key, {}).get(config_id)
            if config is not None and exchange.operation == "DeleteBucketIntelligentTieringConfiguration":
                del self._tiering[key][config_id]
        if config is None:
            return aws_error(exchange, "NoSuchConfiguration", "The specified configuration does not exist.", 404)
        if exchange.operation == "GetBucketIntelligentTieringConfiguration":
            return xml_reply(exchange, {"IntelligentTieringConfiguration": config})
        return xml_reply(exchange, {})

    def put_configuration(self, exchange, key, config_id):
        try:
            config = xml_payload(exchange)
        except ValueError:
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        params = {"Bucket": key[1], "Id": config_id, "IntelligentTieringConfiguration": config}
        if validate_input("s3", exchange.operation, params) or not valid_shape(config):
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        problem = tiering_problem(config["Tierings"])
        if problem:
            return aws_error(exchange, "InvalidArgument", problem)
        with self._lock:
            self._tiering.setdefault(key, {})[config_id] = config
        return xml_reply(exchange, {})

    def list_configurations(self, exchange, key, token):
        with self._lock:
            configs = sorted(self._tiering.get(key, {}).items())
        if token:
            configs = [item for item in configs if item[0] >= token]
        page, rest = configs[:PAGE_SIZE], configs[PAGE_SIZE:]
        output = {"IsTruncated": bool(rest)}
        if token:
            output["ContinuationToken"] = token
        if rest:
            output["NextContinuationToken"] = rest[0][0]
        if page:
            output["IntelligentTieringConfigurationList"] = [config for dummy, config in page]
        return xml_reply(exchange, output)


def valid_shape(config):
    """What S3's XML schema requires beyond the botocore shape: the enum values, at least one
    tiering, and a Filter of at most one of Prefix, Tag and And."""
    if config["Status"] not in ("Enabled", "Disabled") or not config["Tierings"]:
        return False
    if any(tiering["AccessTier"] not in TIER_DAYS for tiering in config["Tierings"]):
        return False
    return len(config.get("Filter", {})) <= 1


def tiering_problem(tierings):
    """S3's rules for the archive tiers: each once, within its day range, deep archive last."""
    days = {}
    for tiering in tierings:
        tier = tiering["AccessTier"]
        if tier in days:
            return f"Duplicate AccessTier {tier} in Tierings"
        low, high = TIER_DAYS[tier]
        if not low <= tiering["Days"] <= high:
            return f"Days for {tier} must be between {low} and {high}"
        days[tier] = tiering["Days"]
    if len(days) == 2 and days["DEEP_ARCHIVE_ACCESS"] <= days["ARCHIVE_ACCESS"]:
        return "Days for DEEP_ARCHIVE_ACCESS must be greater than the days for ARCHIVE_ACCESS"
    return None


# --- bucket policy evaluation ------------------------------------------------------------------


def install_policy_evaluation():
    """Make moto's bucket policy check evaluate principals and conditions (see module doc)."""
    from moto.s3.models import FakeBucket

    FakeBucket.get_permission = bucket_permission
    FakeBucket._log_permissions_enabled_policy = staticmethod(logging_allowed)


def logging_allowed(target_bucket, target_prefix):
    """Does the target bucket's policy let S3 server access logging write there? (moto's own
    check fails with an internal error on any statement whose Principal is "*".)"""
    if target_bucket.policy is None:
        return False
    statements = json.loads(target_bucket.policy)["Statement"]
    key = f"arn:{target_bucket.partition}:s3:::{target_bucket.name}/{target_prefix or ''}x"
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal")
        services = as_list(principal.get("Service", [])) if isinstance(principal, dict) else []
        if (statement.get("Effect") == "Allow" and "logging.s3.amazonaws.com" in services
                and matches(statement, "Action", "s3:PutObject") and matches(statement, "Resource", key)):
            return True
    return False


def bucket_permission(bucket, action, resource):
    """DENIED, PERMITTED or NEUTRAL for the bucket owner's signed call, as IAM decides it:
    an explicit Deny wins, then an Allow; a statement counts only if all its parts match."""
    from moto.iam.access_control import PermissionResult

    if bucket.policy is None:
        return PermissionResult.NEUTRAL
    statements = json.loads(bucket.policy)["Statement"]
    if isinstance(statements, dict):
        statements = [statements]
    context = {"aws:securetransport": "true", "s3:tlsversion": "1.3", "aws:principalaccount": bucket.account_id}
    result = PermissionResult.NEUTRAL
    for statement in statements:
        if not (matches(statement, "Action", action) and matches(statement, "Resource", resource)
                and principal_matches(statement, bucket.account_id)
                and conditions_hold(statement.get("Condition", {}), context)):
            continue
        if statement.get("Effect") == "Deny":
            return PermissionResult.DENIED
        result = PermissionResult.PERMITTED
    return result


def service_permission(bucket, service, action, resource, context):
    """Does the bucket policy let the AWS service `service` (for example cloudfront.amazonaws.com reading
    through an origin access control) make this call? An explicit Deny wins; else it needs an Allow."""
    return policy_allows_service(bucket.policy, service, action, resource, context)


def policy_allows_service(policy, service, action, resource, context):
    """Does a resource policy (a bucket's, a KMS key's, a role's trust policy; JSON text or None) let the AWS
    service principal `service` make this call? An explicit Deny wins; else it needs an Allow."""
    if policy is None:
        return False
    statements = json.loads(policy)["Statement"]
    context = {"aws:securetransport": "true", **{k.lower(): v for k, v in context.items()}}
    allowed = False
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal")
        if not (principal == "*" or isinstance(principal, dict) and service in as_list(principal.get("Service", []))):
            continue
        if not (matches(statement, "Action", action) and matches(statement, "Resource", resource)
                and conditions_hold(statement.get("Condition", {}), context)):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = True
    return allowed


def as_list(value):
    return value if isinstance(value, list) else [value]


def matches(statement, element, value):
    """Action/NotAction or Resource/NotResource against one value (wildcards, actions case-blind)."""
    def hit(patterns):
        fold = element == "Action"
        return any(fnmatch.fnmatchcase(value.lower() if fold else value, p.lower() if fold else p)
                   for p in as_list(patterns))

    if element in statement:
        return hit(statement[element])
    if "Not" + element in statement:
        return not hit(statement["Not" + element])
    return True


def principal_matches(statement, account_id):
    """The caller is an identity of the bucket owner's account, never a service."""
    if "NotPrincipal" in statement:
        return not principal_names_account(statement["NotPrincipal"], account_id)
    return principal_names_account(statement.get("Principal", "*"), account_id)


def principal_names_account(principal, account_id):
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return any(p == "*" or p == account_id or f":{account_id}:" in p for p in as_list(principal.get("AWS", [])))


def conditions_hold(conditions, context):
    """All condition operators hold for the call's context keys (IAM rules for absent keys:
    false, except for negated operators, ...IfExists and Null)."""
    for operator, tests in conditions.items():
        name = operator.split(":")[-1]  # ForAnyValue:/ForAllValues: act on single values here
        if_exists = name.endswith("IfExists")
        name = name[: -len("IfExists")] if if_exists else name
        for key, expected in tests.items():
            actual = context.get(key.lower())
            if name == "Null":
                if (actual is None) != (str(as_list(expected)[0]).lower() == "true"):
                    return False
                continue
            negated = "Not" in name
            if actual is None:
                if not (if_exists or negated):
                    return False
                continue
            if compare(name.replace("Not", ""), actual, as_list(expected)) == negated:
                return False
    return True


def compare(name, actual, expected):
    """One positive condition operator: does the actual value match any expected value?"""
    values = [str(v) for v in expected]
    if name in ("StringEquals", "ArnEquals"):
        return actual in values
    if name == "StringEqualsIgnoreCase":
        return actual.lower() in [v.lower() for v in values]
    if name in ("StringLike", "ArnLike"):
        return any(fnmatch.fnmatchcase(actual, v) for v in values)
    if name == "Bool":
        return actual.lower() in [v.lower() for v in values]
    numeric = re.fullmatch(r"Numeric(Equals|LessThan|LessThanEquals|GreaterThan|GreaterThanEquals)", name)
    if numeric:
        check = {
            "Equals": lambda a, b: a == b,
            "LessThan": lambda a, b: a < b,
            "LessThanEquals": lambda a, b: a <= b,
            "GreaterThan": lambda a, b: a > b,
            "GreaterThanEquals": lambda a, b: a >= b,
        }[numeric.group(1)]
        return any(check(float(actual), float(v)) for v in values)
    return False  # an operator not modelled here never matches
