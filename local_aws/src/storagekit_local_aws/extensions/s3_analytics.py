"""S3 storage class analysis (analytics) and request metrics configurations, which moto 5.2.5 lacks.

moto routes PutBucketAnalyticsConfiguration / PutBucketMetricsConfiguration as CreateBucket and the reads as
ListObjects, and stores nothing. Here both kinds are stored per bucket and checked as S3 does: the bucket exists
(NoSuchBucket), an id is given (InvalidArgument), the body fits the schema (MalformedXML: the model's shape, the
enum values, a Filter of at most one of Prefix, Tag, AccessPointArn and And, an And of at least two conditions),
the Id of the body is the id of the call (InvalidArgument), an analytics export goes to a bucket ARN
(``arn:aws:s3:::name``, InvalidArgument), and a bucket has at most 1,000 configurations of each kind
(TooManyConfigurations). Get and Delete of an unknown id answer NoSuchConfiguration; lists come in pages of 100
with continuation tokens; the configurations are dropped with the bucket. No analysis or metric is produced.
"""

import threading
from urllib.parse import parse_qs

from .base import aws_error, validate_input, xml_payload, xml_reply

KINDS = {
    "Analytics": {"member": "AnalyticsConfiguration", "list": "AnalyticsConfigurationList"},
    "Metrics": {"member": "MetricsConfiguration", "list": "MetricsConfigurationList"},
}
OPERATIONS = {
    "{0}Bucket{1}Configuration{2}".format(verb, kind, "s" if verb == "List" else ""): kind
    for verb in ("Put", "Get", "Delete", "List") for kind in KINDS
}
MAX_CONFIGURATIONS = 1000
PAGE_SIZE = 100
MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"


def filter_ok(config_filter, kind):
    """At most one condition at the top; an And of two or more; access points only in metrics filters."""
    if not config_filter:
        return True
    if len(config_filter) != 1:
        return False
    if "AccessPointArn" in config_filter or "AccessPointArn" in config_filter.get("And", {}):
        if kind != "Metrics":
            return False
    conditions = config_filter.get("And")
    if conditions is None:
        return True
    count = len(conditions.get("Tags") or []) + sum(1 for key in ("Prefix", "AccessPointArn") if key in conditions)
    return count >= 2


def export_problem(config):
    """Why S3 refuses the storage class analysis export of an analytics configuration, or None."""
    export = (config.get("StorageClassAnalysis") or {}).get("DataExport")
    if export is None:
        return None
    destination = export["Destination"]["S3BucketDestination"]
    if not destination["Bucket"].startswith("arn:aws:s3:::") or "/" in destination["Bucket"]:
        return "Invalid destination bucket ARN: {0}".format(destination["Bucket"])
    return None


class BucketConfigurations:
    """The analytics and metrics configurations of every bucket, by (account, bucket, kind)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.configs = {}  # (account, bucket, kind) -> {id: configuration}

    def reset(self):
        with self.lock:
            self.configs.clear()

    def forget_bucket(self, account, bucket):
        with self.lock:
            for kind in KINDS:
                self.configs.pop((account, bucket, kind), None)

    def handle(self, exchange, bucket, buckets):
        """Answer one of OPERATIONS for ``bucket``; ``buckets`` are moto's buckets of the account."""
        kind = OPERATIONS[exchange.operation]
        if bucket not in buckets:
            return aws_error(exchange, "NoSuchBucket", "The specified bucket does not exist", 404)
        query = parse_qs(exchange.environ.get("QUERY_STRING", ""), keep_blank_values=True)
        key = (exchange.account_id, bucket, kind)
        if exchange.operation.startswith("List"):
            return self.list(exchange, key, query.get("continuation-token", [None])[0])
        config_id = query.get("id", [""])[0]
        if not config_id:
            return aws_error(exchange, "InvalidArgument", "Missing required parameter: id")
        if exchange.operation.startswith("Put"):
            return self.put(exchange, key, config_id)
        with self.lock:
            config = self.configs.get(key, {}).get(config_id)
            if config is not None and exchange.operation.startswith("Delete"):
                del self.configs[key][config_id]
        if config is None:
            return aws_error(exchange, "NoSuchConfiguration", "The specified configuration does not exist.", 404)
        if exchange.operation.startswith("Get"):
            return xml_reply(exchange, {KINDS[kind]["member"]: config})
        return xml_reply(exchange, {})

    def put(self, exchange, key, config_id):
        kind = key[2]
        try:
            config = xml_payload(exchange)
        except ValueError:
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        params = {"Bucket": key[1], "Id": config_id, KINDS[kind]["member"]: config}
        if validate_input("s3", exchange.operation, params) or not filter_ok(config.get("Filter"), kind):
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        if config["Id"] != config_id:
            return aws_error(exchange, "InvalidArgument", "Configuration Id in the request does not match the id parameter")
        if kind == "Analytics":
            export = (config.get("StorageClassAnalysis") or {}).get("DataExport")
            if export and (export.get("OutputSchemaVersion") != "V_1"
                           or export["Destination"]["S3BucketDestination"].get("Format") != "CSV"):
                return aws_error(exchange, "MalformedXML", MALFORMED_XML)
            problem = export_problem(config)
            if problem:
                return aws_error(exchange, "InvalidArgument", problem)
        with self.lock:
            stored = self.configs.setdefault(key, {})
            if config_id not in stored and len(stored) >= MAX_CONFIGURATIONS:
                return aws_error(exchange, "TooManyConfigurations",
                                 "You are attempting to create a new configuration but have already reached the "
                                 "{0}-configuration limit.".format(MAX_CONFIGURATIONS))
            stored[config_id] = config
        return xml_reply(exchange, {})

    def list(self, exchange, key, token):
        with self.lock:
            configs = sorted(self.configs.get(key, {}).items())
        if token:
            configs = [item for item in configs if item[0] >= token]
        page, rest = configs[:PAGE_SIZE], configs[PAGE_SIZE:]
        output = {"IsTruncated": bool(rest)}
        if token:
            output["ContinuationToken"] = token
        if rest:
            output["NextContinuationToken"] = rest[0][0]
        if page:
            output[KINDS[key[2]]["list"]] = [config for dummy, config in page]
        return xml_reply(exchange, output)
