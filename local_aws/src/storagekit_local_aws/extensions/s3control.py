"""S3 Control: S3 Storage Lens configurations checked as S3 does before moto stores them.

moto 5.2.5 stores PutStorageLensConfiguration as sent and answers it back; it checks nothing. Here a
configuration is refused first when it does not fit the model (MalformedXML: shape, enum values, Id of 1 to 64
characters, MaxDepth 1 to 10, MinStorageBytesPercentage 1 to 100), when its Id is not the ConfigId of the call,
when it has both Include and Exclude or an empty one, when a bucket in Include / Exclude or the export destination
is no bucket ARN, when an export names both or neither of SSE-S3 and SSE-KMS, or SSE-KMS without a KMS key ARN
(InvalidRequest). What passes goes to moto unchanged.
"""

from botocore.parsers import ResponseParserError, RestXMLParser

from ..operations import service_model
from .base import ServiceExtension, aws_error, validate_input

MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"
BUCKET_ARN = "arn:aws:s3:::"


def request_body(exchange):
    """The XML body of the call read by the operation's input shape (its root is the request element)."""
    shape = service_model("s3control").operation_model(exchange.operation).input_shape
    parser = RestXMLParser()
    try:
        return parser._parse_shape(shape, parser._parse_xml_string_to_dom(exchange.body))
    except ResponseParserError as error:
        raise ValueError(str(error)) from None


def lens_problem(config_id, config):
    """Why S3 refuses the configuration (InvalidRequest), or None."""
    if config.get("Id") != config_id:
        return "The configuration Id must match the ConfigId of the request"
    if "Include" in config and "Exclude" in config:
        return "A configuration can have Include or Exclude, not both"
    for key in ("Include", "Exclude"):
        scope = config.get(key)
        if scope is None:
            continue
        if not scope.get("Buckets") and not scope.get("Regions"):
            return "{0} must name buckets or regions".format(key)
        if any(not b.startswith(BUCKET_ARN) or "/" in b for b in scope.get("Buckets") or []):
            return "{0} buckets must be bucket ARNs".format(key)
    destination = (config.get("DataExport") or {}).get("S3BucketDestination")
    if destination:
        if not destination["Arn"].startswith(BUCKET_ARN) or "/" in destination["Arn"]:
            return "The export destination must be a bucket ARN"
        encryption = destination.get("Encryption") or {}
        if len(encryption) > 1:
            return "The export encryption is SSE-S3 or SSE-KMS, not both"
        if "SSEKMS" in encryption and not encryption["SSEKMS"].get("KeyId", "").startswith("arn:aws:kms:"):
            return "SSE-KMS export encryption needs the ARN of a KMS key"
    return None


def range_problem(config):
    criteria = (((config["AccountLevel"].get("BucketLevel") or {}).get("PrefixLevel") or {})
                .get("StorageMetrics") or {}).get("SelectionCriteria") or {}
    if not 1 <= criteria.get("MaxDepth", 1) <= 10:
        return True
    if not 1 <= criteria.get("MinStorageBytesPercentage", 1) <= 100:
        return True
    return not 1 <= len(config["Id"]) <= 64


class S3ControlExtension(ServiceExtension):
    service = "s3control"

    def handle(self, exchange):
        if exchange.operation != "PutStorageLensConfiguration":
            return None
        try:
            payload = request_body(exchange)
        except ValueError:
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        config = payload.get("StorageLensConfiguration") or {}
        config_id = exchange.environ.get("PATH_INFO", "").rstrip("/").rsplit("/", 1)[-1]
        params = {"ConfigId": config_id, "AccountId": exchange.account_id, "StorageLensConfiguration": config}
        if validate_input("s3control", exchange.operation, params) or range_problem(config):
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        problem = lens_problem(config_id, config)
        if problem:
            return aws_error(exchange, "InvalidRequest", problem)
        return None
