"""CloudTrail: what moto 5.2.5 lacks or gets wrong, following the botocore service model.

- CreateTrail and UpdateTrail check what AWS checks before it accepts a destination: the bucket exists
  (also on update) and its policy lets cloudtrail.amazonaws.com read the bucket ACL and put objects under
  `[prefix/]AWSLogs/<account>/` for this trail (aws:SourceArn, s3:x-amz-acl) (InsufficientS3BucketPolicyException);
  the KMS key exists (KmsKeyNotFoundException), is enabled (KmsKeyDisabledException) and its policy lets
  cloudtrail.amazonaws.com call kms:GenerateDataKey* with the trail's encryption context
  (InsufficientEncryptionPolicyException); the trail stores the key ARN, as AWS answers it; a CloudWatch Logs
  group exists and comes with a role that cloudtrail.amazonaws.com may assume (InvalidCloudWatchLogsLogGroupArnException,
  InvalidCloudWatchLogsRoleArnException). moto checks none of this, and a second CreateTrail of a name silently
  replaced the first trail (here TrailAlreadyExistsException).
- Event selectors: a new trail logs all management events (the default EventSelectors; moto: none);
  PutEventSelectors takes either EventSelectors or AdvancedEventSelectors, validated as AWS does
  (InvalidEventSelectorsException: eventCategory required with Equals; the fields each category supports;
  resources.type required for data events, Equals only, one value; readOnly Equals true or false; at most
  500 values in all conditions; at most 5 basic selectors), and either replaces the other (moto kept basic
  selectors next to advanced ones); GetEventSelectors answers only the kind the trail has, and GetTrail /
  DescribeTrails report HasCustomEventSelectors (moto: always false).
- DeleteTrail of an unknown trail is TrailNotFoundException (moto answers success).

Trails deliver no log files here: IsLogging and the destination are what a test can read.
"""

import io
import json
import re

from .base import ServiceExtension, aws_error, json_reply, validate_input
from .s3 import policy_allows_service

SERVICE = "cloudtrail.amazonaws.com"
DEFAULT_EVENT_SELECTORS = [{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [],
                            "ExcludeManagementEventSources": []}]
OPERATORS = ("Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith")
EQUALS_ONLY = {"eventCategory", "resources.type", "readOnly"}
CATEGORY_FIELDS = {
    "Management": {"eventCategory", "eventSource", "readOnly"},
    "Data": {"eventCategory", "eventName", "eventSource", "eventType", "resources.type", "readOnly", "resources.ARN",
             "sessionCredentialFromConsole", "userIdentity.arn"},
    "NetworkActivity": {"eventCategory", "eventSource", "eventName", "errorCode", "vpcEndpointId"},
}
MAX_VALUES = 500
MAX_BASIC_SELECTORS = 5
RESOURCE_TYPE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")


def moto_backend(exchange):
    from moto.cloudtrail.models import cloudtrail_backends

    return cloudtrail_backends[exchange.account_id][exchange.call.region]


def trail_arn(exchange, name):
    return f"arn:aws:cloudtrail:{exchange.call.region}:{exchange.account_id}:trail/{name}"


def find_trail(exchange, name_or_arn):
    backend = moto_backend(exchange)
    if name_or_arn in backend.trails:
        return backend.trails[name_or_arn]
    return next((trail for trail in backend.trails.values() if trail.arn == name_or_arn), None)


def set_request_json(exchange, params):
    """Replace the call's JSON body, so that moto reads `params` instead."""
    body = json.dumps(params).encode()
    exchange.body = body
    exchange._request_json = params  # pylint: disable=protected-access
    exchange.environ["wsgi.input"] = io.BytesIO(body)
    exchange.environ["CONTENT_LENGTH"] = str(len(body))


def has_custom_selectors(trail):
    return bool(trail.advanced_event_selectors) or trail.event_selectors != DEFAULT_EVENT_SELECTORS


class CloudTrailExtension(ServiceExtension):
    service = "cloudtrail"
    atomic = frozenset({"CreateTrail"})

    def handle(self, exchange):
        handler = {
            "CreateTrail": self.create_or_update,
            "UpdateTrail": self.create_or_update,
            "PutEventSelectors": self.put_event_selectors,
            "GetEventSelectors": self.get_event_selectors,
            "DeleteTrail": self.delete_trail,
        }.get(exchange.operation)
        if handler is None:
            return None
        try:
            params = exchange.request_json()
        except ValueError:
            return aws_error(exchange, "SerializationException", "The request body is not a JSON object")
        problem = validate_input("cloudtrail", exchange.operation, params)
        if problem:
            return aws_error(exchange, "ValidationException", problem)
        return handler(exchange, params)

    def rewrite(self, exchange):
        if exchange.reply.status != 200:
            return
        if exchange.operation == "CreateTrail":
            trail = find_trail(exchange, exchange.request_json()["Name"])
            if trail is not None:
                trail.event_selectors = [dict(selector) for selector in DEFAULT_EVENT_SELECTORS]
        elif exchange.operation in ("GetTrail", "DescribeTrails"):
            answer = exchange.reply.json()
            trails = [answer["Trail"]] if "Trail" in answer else answer.get("trailList", [])
            for described in trails:
                trail = find_trail(exchange, described["TrailARN"])
                if trail is not None:
                    described["HasCustomEventSelectors"] = has_custom_selectors(trail)
            exchange.reply.set_json(answer)

    # --- trails -----------------------------------------------------------------------------------

    def create_or_update(self, exchange, params):
        name = params["Name"]
        existing = find_trail(exchange, name)
        if exchange.operation == "CreateTrail" and existing is not None:
            return aws_error(exchange, "TrailAlreadyExistsException",
                             f"Trail {name} already exists for customer: {exchange.account_id}")
        if exchange.operation == "UpdateTrail" and existing is None:
            return None  # moto answers TrailNotFoundException
        arn = existing.arn if existing is not None else trail_arn(exchange, name)
        if "S3BucketName" in params or "S3KeyPrefix" in params:
            bucket = params.get("S3BucketName", existing.bucket_name if existing else None)
            prefix = params.get("S3KeyPrefix", existing.s3_key_prefix if existing else None)
            refusal = self.check_bucket(exchange, bucket, prefix, arn)
            if refusal is not None:
                return refusal
        if params.get("KmsKeyId"):
            key_arn, refusal = self.check_key(exchange, params["KmsKeyId"], arn)
            if refusal is not None:
                return refusal
            set_request_json(exchange, dict(params, KmsKeyId=key_arn))
        if "CloudWatchLogsLogGroupArn" in params or "CloudWatchLogsRoleArn" in params:
            refusal = self.check_cloudwatch_logs(exchange, params.get("CloudWatchLogsLogGroupArn") or "",
                                                 params.get("CloudWatchLogsRoleArn") or "", arn)
            if refusal is not None:
                return refusal
        return None  # moto makes or updates the trail

    @staticmethod
    def check_bucket(exchange, bucket_name, prefix, arn):
        from moto.s3.models import s3_backends

        bucket = s3_backends[exchange.account_id]["aws"].buckets.get(bucket_name)
        if bucket is None:
            return aws_error(exchange, "S3BucketDoesNotExistException", f"S3 bucket {bucket_name} does not exist!")
        logs = f"arn:aws:s3:::{bucket_name}/{prefix + '/' if prefix else ''}AWSLogs/{exchange.account_id}/"
        context = {"aws:SourceArn": arn, "aws:SourceAccount": exchange.account_id}
        allowed = (
            policy_allows_service(bucket.policy, SERVICE, "s3:GetBucketAcl", f"arn:aws:s3:::{bucket_name}", context)
            and policy_allows_service(bucket.policy, SERVICE, "s3:PutObject",
                                      logs + f"CloudTrail/{exchange.call.region}/log.json.gz",
                                      dict(context, **{"s3:x-amz-acl": "bucket-owner-full-control"}))
        )
        if not allowed:
            return aws_error(exchange, "InsufficientS3BucketPolicyException",
                             f"Incorrect S3 bucket policy is detected for bucket: {bucket_name}")
        return None

    @staticmethod
    def check_key(exchange, key_id, arn):
        """(key ARN, None) when CloudTrail may encrypt with the key, else (None, error reply)."""
        from moto.kms.models import kms_backends

        region = key_id.split(":")[3] if key_id.startswith("arn:") else exchange.call.region
        backend = kms_backends[exchange.account_id][region]
        try:
            key = backend.keys.get(backend.any_id_to_key_id(key_id))
        except Exception:  # pylint: disable=broad-except  # moto fails on an unknown alias
            key = None
        if key is None:
            return None, aws_error(exchange, "KmsKeyNotFoundException", f"KMS key {key_id} does not exist.")
        if key.key_state != "Enabled":
            return None, aws_error(exchange, "KmsKeyDisabledException", f"KMS key {key.arn} is {key.key_state}.")
        context = {"kms:EncryptionContext:aws:cloudtrail:arn": arn, "aws:SourceArn": arn,
                   "aws:SourceAccount": exchange.account_id}
        if not policy_allows_service(key.policy, SERVICE, "kms:GenerateDataKey", key.arn, context):
            return None, aws_error(exchange, "InsufficientEncryptionPolicyException",
                                   f"Insufficient permissions to access S3 bucket or KMS key {key.arn}.")
        return key.arn, None

    @staticmethod
    def check_cloudwatch_logs(exchange, group_arn, role_arn, arn):
        from moto.iam.models import iam_backends
        from moto.logs.models import logs_backends

        if not group_arn and not role_arn:
            return None  # delivery to CloudWatch Logs turned off
        match = re.match(r"^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(:\*)?$", group_arn)
        if match is None or match.group(3) not in logs_backends[match.group(2)][match.group(1)].groups:
            return aws_error(exchange, "InvalidCloudWatchLogsLogGroupArnException",
                             "Access denied. Verify in IAM that the role has adequate permissions.")
        try:
            role = iam_backends[exchange.account_id]["global"].get_role_by_arn(role_arn)
        except Exception:  # pylint: disable=broad-except  # moto raises its NotFound
            role = None
        context = {"aws:SourceArn": arn, "aws:SourceAccount": exchange.account_id}
        if role is None or not policy_allows_service(role.assume_role_policy_document, SERVICE, "sts:AssumeRole",
                                                     role.arn, context):
            return aws_error(exchange, "InvalidCloudWatchLogsRoleArnException",
                             "Access denied. Verify in IAM that the role has adequate permissions.")
        return None

    def delete_trail(self, exchange, params):
        if find_trail(exchange, params["Name"]) is None:
            return aws_error(exchange, "TrailNotFoundException",
                             f"Unknown trail: {params['Name']} for the user: {exchange.account_id}")
        moto_backend(exchange).delete_trail(find_trail(exchange, params["Name"]).trail_name)
        return json_reply(exchange, {})

    # --- event selectors --------------------------------------------------------------------------

    def put_event_selectors(self, exchange, params):
        trail = find_trail(exchange, params["TrailName"])
        if trail is None:
            return aws_error(exchange, "TrailNotFoundException",
                             f"Unknown trail: {params['TrailName']} for the user: {exchange.account_id}")
        basic, advanced = params.get("EventSelectors"), params.get("AdvancedEventSelectors")
        if (basic is None) == (advanced is None):
            return aws_error(exchange, "InvalidEventSelectorsException",
                             "Specify either EventSelectors or AdvancedEventSelectors, not both.")
        problem = basic_problem(basic) if basic is not None else advanced_problem(advanced)
        if problem:
            return aws_error(exchange, "InvalidEventSelectorsException", problem)
        if basic is not None:
            trail.event_selectors = [dict({"IncludeManagementEvents": True, "ReadWriteType": "All",
                                           "DataResources": [], "ExcludeManagementEventSources": []}, **selector)
                                     for selector in basic]
            trail.advanced_event_selectors = []
            return json_reply(exchange, {"TrailARN": trail.arn, "EventSelectors": trail.event_selectors})
        trail.event_selectors = []
        trail.advanced_event_selectors = advanced
        return json_reply(exchange, {"TrailARN": trail.arn, "AdvancedEventSelectors": advanced})

    def get_event_selectors(self, exchange, params):
        trail = find_trail(exchange, params["TrailName"])
        if trail is None:
            return aws_error(exchange, "TrailNotFoundException",
                             f"Unknown trail: {params['TrailName']} for the user: {exchange.account_id}")
        if trail.advanced_event_selectors:
            return json_reply(exchange, {"TrailARN": trail.arn, "AdvancedEventSelectors": trail.advanced_event_selectors})
        return json_reply(exchange, {"TrailARN": trail.arn, "EventSelectors": trail.event_selectors})


def basic_problem(selectors):
    if not 1 <= len(selectors) <= MAX_BASIC_SELECTORS:
        return f"A trail can have 1 to {MAX_BASIC_SELECTORS} event selectors, not {len(selectors)}."
    for selector in selectors:
        if selector.get("ReadWriteType", "All") not in ("ReadOnly", "WriteOnly", "All"):
            return f"Invalid ReadWriteType {selector['ReadWriteType']!r}."
    return None


def advanced_problem(selectors):
    """What AWS refuses in advanced event selectors of a trail, or None."""
    values = 0
    for selector in selectors:
        fields = {}
        for condition in selector["FieldSelectors"]:
            field = condition["Field"]
            if field in fields:
                return f"Invalid FieldSelector: field {field} appears more than once in a selector."
            operators = [op for op in OPERATORS if condition.get(op)]
            if not operators:
                return f"Invalid FieldSelector: field {field} has no operator with values."
            if field in EQUALS_ONLY and operators != ["Equals"]:
                return f"Invalid FieldSelector: field {field} supports only the Equals operator."
            values += sum(len(condition[op]) for op in operators)
            fields[field] = condition
        category = fields.get("eventCategory", {}).get("Equals")
        if not category or len(category) != 1 or category[0] not in CATEGORY_FIELDS:
            return ("Invalid FieldSelector: eventCategory is required and must be Equals one of "
                    + ", ".join(sorted(CATEGORY_FIELDS)) + ".")
        unsupported = sorted(set(fields) - CATEGORY_FIELDS[category[0]])
        if unsupported:
            return f"Invalid FieldSelector: {', '.join(unsupported)} not supported for {category[0]} events."
        if category[0] == "Data":
            types = fields.get("resources.type", {}).get("Equals")
            if not types or len(types) != 1 or not RESOURCE_TYPE.match(types[0]):
                return "Invalid FieldSelector: resources.type is required for data events, with one Equals value."
        if category[0] == "NetworkActivity" and "eventSource" not in fields:
            return "Invalid FieldSelector: eventSource is required for network activity events."
        if "readOnly" in fields and fields["readOnly"]["Equals"] not in (["true"], ["false"]):
            return "Invalid FieldSelector: readOnly must be Equals true or false."
    if values > MAX_VALUES:
        return f"A trail can have at most {MAX_VALUES} values in all conditions of its advanced event selectors."
    return None
