"""The shape of a service extension, and helpers to answer calls by the botocore model."""

import io
import re
import threading
import uuid
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode
from xml.etree import ElementTree

from botocore.awsrequest import HTTPHeaders
from botocore.parsers import QueryParser as ResponseQueryParser
from botocore.parsers import ResponseParserError, RestXMLParser
from botocore.serialize import QuerySerializer, RestXMLSerializer
from botocore.validate import ParamValidator

from ..operations import raw_path, service_model
from ..responses import JSON_CONTENT_TYPE, Reply, error_reply


class ServiceExtension:
    """What the project adds to moto for one service.

    Subclasses set `service` (the botocore service name) and override what they need:
    `handle` answers operations moto lacks, `rewrite` fills in fields moto leaves out of its
    answers, `latency_hooks` declares how the service's resources look while being created,
    `reset` drops all state (POST /moto-api/reset).

    `atomic` names the creates AWS makes atomic per name or idempotency token (CreationToken,
    CallerReference, ...): moto checks for an existing resource and then adds the new one, and the
    threaded server could run two such creates between the check and the add, so the endpoint runs
    these operations of one service one at a time (with `handle`, moto and `rewrite` together).
    """

    service = None
    atomic = frozenset()
    data = None  # the endpoint's DataServers (data_servers.py): real PostgreSQL and Redis servers

    def __init__(self):
        self.latency_hooks = []
        self.create_lock = threading.Lock()

    def handle(self, exchange):
        """Answer the call here instead of moto: return a Reply, or None to let moto answer."""
        return None

    def rewrite(self, exchange):
        """Adjust moto's answer (exchange.reply) in place."""

    def reset(self):
        """Forget all state."""


def validate_input(service, operation, params):
    """Check request parameters against the operation's input shape; return an error or None.

    botocore's ParamValidator checks types, required members and minimums; enums and maximums
    are checked here as AWS does for the top-level members.
    """
    input_shape = service_model(service).operation_model(operation).input_shape
    report = ParamValidator().validate(params, input_shape)
    if report.has_errors():
        return report.generate_report()
    for name, value in params.items():
        shape = input_shape.members[name]
        enum = getattr(shape, "enum", None)  # only string shapes have one
        if enum and value not in enum:
            return f"Value '{value}' at '{name}' failed to satisfy constraint: Member must satisfy enum value set: {enum}"
        maximum = shape.metadata.get("max")
        if maximum is not None:
            size = value if isinstance(value, int) else len(value)
            if size > maximum:
                return f"Value at '{name}' failed to satisfy constraint: Member must be at most {maximum}"
    return None


def aws_error(exchange, code, message, status=400, extra=None):
    """An AWS error answer in the protocol of the call (``extra``: more members of the error, json and CBOR)."""
    return error_reply(exchange.call, code, message, status, extra)


def json_reply(exchange, data):
    """A successful answer in the json protocol of the call's service."""
    content_type = JSON_CONTENT_TYPE.get(exchange.call.service, "application/x-amz-json-1.1")
    reply = Reply(200, [("Content-Type", content_type), ("x-amzn-RequestId", str(uuid.uuid4()))])
    reply.set_json(data)
    return reply


# The namespace AWS puts on the root element of its rest-xml answers.
XML_NAMESPACE = {
    "cloudfront": "http://cloudfront.amazonaws.com/doc/2020-05-31/",
    "route53": "https://route53.amazonaws.com/doc/2013-04-01/",
    "s3": "http://s3.amazonaws.com/doc/2006-03-01/",
}


def xml_payload(exchange):
    """The XML body of a rest-xml request as the dict botocore built it from, read by the
    operation's input shape; raises ValueError when the body is not well-formed XML."""
    operation = service_model(exchange.call.service).operation_model(exchange.operation)
    shape = operation.input_shape
    member = shape.members[shape.serialization["payload"]]
    parser = RestXMLParser()
    try:
        node = parser._parse_xml_string_to_dom(exchange.body)
    except ResponseParserError as error:
        raise ValueError(str(error)) from None
    return parser._parse_shape(member, node)


def xml_output(exchange):
    """moto's rest-xml answer (exchange.reply) read back into the operation's output dict."""
    operation = service_model(exchange.call.service).operation_model(exchange.operation)
    headers = HTTPHeaders()  # botocore looks headers up case-blind
    for name, value in exchange.reply.headers:
        headers[name] = value
    response = {"status_code": exchange.reply.status, "headers": headers, "body": exchange.reply.body}
    data = RestXMLParser().parse(response, operation.output_shape)
    data.pop("ResponseMetadata", None)
    return data


def xml_reply(exchange, output):
    """A successful rest-xml answer carrying `output` (an output dict as botocore returns it):
    header members go to headers, the rest is serialized by the operation's output shape."""
    service = exchange.call.service
    operation = service_model(service).operation_model(exchange.operation)
    reply = Reply(operation.http.get("responseCode", 200), [("x-amzn-RequestId", str(uuid.uuid4()))])
    shape = operation.output_shape
    if shape is None:
        reply.set_body(b"")
        return reply
    body = {}
    for name, value in output.items():
        member = shape.members[name]
        if member.serialization.get("location") == "header":
            reply.set_header(member.serialization["name"], str(value))
        else:
            body[name] = value
    payload = shape.serialization.get("payload")
    if payload:
        root_name = shape.members[payload].serialization.get("name", payload)
        shape, body = shape.members[payload], body.get(payload)
    else:
        root_name = shape.serialization.get("name", shape.name)
    if body is None:
        reply.set_body(b"")
        return reply
    pseudo_root = ElementTree.Element("")
    RestXMLSerializer()._serialize(shape, body, pseudo_root, root_name)
    root = pseudo_root[0]
    if service in XML_NAMESPACE:
        root.set("xmlns", XML_NAMESPACE[service])
    reply.set_header("Content-Type", "text/xml")
    reply.set_body(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root))
    return reply


# --- the rest-json protocol (EKS, EFS, ...) --------------------------------------------------

class BadRequest(ValueError):
    """The request does not fit the operation's input shape."""


def _uri_pattern(request_uri):
    """A regex for an operation's requestUri path; the last label may hold slashes (ARNs)."""
    path = request_uri.partition("?")[0]
    parts = re.split(r"\{([^}]+)\}", path)
    pattern = ""
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pattern += re.escape(part)
        else:
            last = index == len(parts) - 2 and not parts[-1]
            pattern += f"(?P<{re.sub(r'[^A-Za-z0-9_]', '_', part)}>{'.+' if last else '[^/]+'})"
    return re.compile("^" + pattern.rstrip("/") + "/?$")


def _scalar(shape, value):
    if shape.type_name in ("integer", "long"):
        try:
            return int(value)
        except ValueError:
            raise BadRequest(f"{value!r} is not an integer") from None
    if shape.type_name == "boolean":
        if value.lower() not in ("true", "false"):
            raise BadRequest(f"{value!r} is not a boolean")
        return value.lower() == "true"
    return value


def rest_json_params(exchange, operation):
    """The parameters of a rest-json request as the dict botocore built it from: uri labels,
    query string and JSON body, read by the operation's input shape; raises BadRequest."""
    model = service_model(exchange.call.service).operation_model(operation)
    shape = model.input_shape
    params = {}
    if shape is None:
        return params
    pattern = _uri_pattern(model.http["requestUri"])
    match = pattern.match(exchange.environ.get("PATH_INFO", ""))
    encoded = match is None
    if encoded:  # a label holding an encoded slash: match the path as sent, then decode
        match = pattern.match(raw_path(exchange.environ))
    query = parse_qs(exchange.environ.get("QUERY_STRING", ""), keep_blank_values=True)
    try:
        body = exchange.request_json()
    except ValueError:
        raise BadRequest("the request body is not a JSON object") from None
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri":
            if match is not None:
                value = match.group(re.sub(r"[^A-Za-z0-9_]", "_", wire))
                params[name] = unquote(value) if encoded else value
        elif location == "querystring":
            if wire in query:
                values = query[wire]
                if member.type_name == "list":
                    params[name] = [_scalar(member.member, v) for v in values]
                else:
                    params[name] = _scalar(member, values[0])
        elif location is None and name in body:
            params[name] = body[name]
    return params


# --- the query protocol (RDS, ElastiCache, ...) ---------------------------------------------

def query_request(exchange):
    """The call's parameters as the dict botocore serialized them from (lists, nested structures)."""
    from moto.core.parse import QueryParser
    from moto.core.utils import get_service_model
    from werkzeug.datastructures import MultiDict

    operation = get_service_model(exchange.call.service).operation_model(exchange.operation)
    values = MultiDict(parse_qsl(exchange.body.decode("utf-8", "replace"), keep_blank_values=True))
    return QueryParser(operation).parse({"values": values, "body": exchange.body, "headers": {},
                                         "method": "POST", "url_params": {}, "url_path": "/"})


def set_query_request(exchange, params):
    """Replace the call's body with `params` (a dict as query_request returns it), serialized as
    botocore does, so that moto reads them instead."""
    operation = service_model(exchange.call.service).operation_model(exchange.operation)
    body = urlencode(QuerySerializer().serialize_to_request(params, operation)["body"]).encode()
    exchange.body = body
    exchange.environ["wsgi.input"] = io.BytesIO(body)
    exchange.environ["CONTENT_LENGTH"] = str(len(body))


def query_reply(exchange, output, value_picker=None):
    """A successful query-protocol answer carrying `output` (an output dict as botocore returns it, or
    moto's model objects with moto's `value_picker`)."""
    from moto.core.serialize import QuerySerializer
    from moto.core.utils import get_service_model

    operation = get_service_model(exchange.call.service).operation_model(exchange.operation)
    serialized = QuerySerializer(operation, value_picker=value_picker).serialize(output)
    request_id = str(uuid.uuid4())
    reply = Reply(serialized["status_code"], [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)])
    reply.set_body(serialized["body"].replace("request-id", request_id).encode())
    return reply


def query_output(exchange):
    """The call's answer (exchange.reply) read back into the operation's output dict."""
    operation = service_model(exchange.call.service).operation_model(exchange.operation)
    headers = HTTPHeaders()
    for name, value in exchange.reply.headers:
        headers[name] = value
    response = {"status_code": exchange.reply.status, "headers": headers, "body": exchange.reply.body}
    data = ResponseQueryParser().parse(response, operation.output_shape)
    data.pop("ResponseMetadata", None)
    return data


def page(items, params):
    """(items of this page, next Marker or None) for MaxRecords / Marker."""
    start = int(params.get("Marker") or 0)
    size = params.get("MaxRecords") or 100
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)
