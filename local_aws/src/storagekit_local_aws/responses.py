"""Buffered HTTP answers, and AWS error answers in each protocol's wire format.

Fault injection, the latency model and the extensions answer some calls themselves; the error
must look exactly like AWS's so botocore parses it into the right error code.
"""

import binascii
import json
import struct
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from xml.sax.saxutils import escape


@dataclass
class Reply:
    """One complete HTTP answer; extensions may rewrite its body before it is sent."""

    status: int
    headers: list = field(default_factory=list)
    body: bytes = b""

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def set_header(self, name, value):
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()]
        self.headers.append((name, value))

    def json(self):
        """The body as JSON, or None when it is not a JSON object."""
        try:
            data = json.loads(self.body or b"null")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def set_json(self, data):
        self.set_body(json.dumps(data).encode())

    def set_body(self, body):
        """Replace the body and keep Content-Length and DynamoDB's x-amz-crc32 true to it."""
        self.body = body
        self.set_header("Content-Length", str(len(body)))
        if self.header("x-amz-crc32") is not None:
            # botocore retries DynamoDB answers whose CRC does not match the body.
            self.set_header("x-amz-crc32", str(binascii.crc32(body)))

    def send(self, start_response):
        """Hand the answer to the WSGI server."""
        try:
            status_line = f"{self.status} {HTTPStatus(self.status).phrase}"
        except ValueError:
            status_line = str(self.status)
        start_response(status_line, self.headers)
        return [self.body]


def json_reply(status, data, headers=()):
    reply = Reply(status, [("Content-Type", "application/json"), *headers])
    reply.set_json(data)
    return reply


# The json-protocol error type prefix AWS uses per service (botocore drops the part before '#').
JSON_TYPE_PREFIX = {"dynamodb": "com.amazonaws.dynamodb.v20120810#"}
JSON_CONTENT_TYPE = {"dynamodb": "application/x-amz-json-1.0"}


def cbor_encode(value):
    """``value`` (dicts, lists, strings, booleans, None, integers, floats) as CBOR (RFC 8949)."""
    def head(major, length):
        if length < 24:
            return bytes([major << 5 | length])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if length < 256 ** size:
                return bytes([major << 5 | info]) + length.to_bytes(size, "big")
        raise ValueError("too long for CBOR: {0}".format(length))

    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return head(3, len(data)) + data
    if isinstance(value, (list, tuple)):
        return head(4, len(value)) + b"".join(cbor_encode(item) for item in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise TypeError("cannot encode {0!r} as CBOR".format(value))


def cbor_reply(status, data, headers=()):
    """An answer of the smithy-rpc-v2-cbor protocol carrying ``data``."""
    reply = Reply(status, [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"), *headers])
    reply.set_body(cbor_encode(data))
    return reply


def error_reply(call, code, message, status, extra=None):
    """An AWS error answer for `call` in its protocol; None for a protocol we cannot speak.

    ``extra``: more members of the error shape (json and smithy-rpc-v2-cbor), such as CloudWatch's
    dashboardValidationMessages.
    """
    request_id = str(uuid.uuid4())
    fault_type = "Sender" if status < 500 else "Receiver"
    protocol = call.protocol
    if protocol == "smithy-rpc-v2-cbor":
        # A query-compatible service (CloudWatch) names the error code of its query protocol in a header.
        return cbor_reply(status, dict({"__type": code, "message": message}, **(extra or {})), [
            ("x-amzn-RequestId", request_id), ("x-amzn-query-error", "{0};{1}".format(code, fault_type))])
    if protocol == "json":
        content_type = JSON_CONTENT_TYPE.get(call.service, "application/x-amz-json-1.1")
        error_type = code if "#" in code else JSON_TYPE_PREFIX.get(call.service, "") + code
        reply = Reply(status, [("Content-Type", content_type), ("x-amzn-RequestId", request_id)])
        reply.set_json(dict({"__type": error_type, "message": message}, **(extra or {})))
        return reply
    if protocol == "rest-json":
        reply = Reply(status, [
            ("Content-Type", "application/json"),
            ("x-amzn-RequestId", request_id),
            ("x-amzn-ErrorType", code),
        ])
        reply.set_json({"message": message})
        return reply
    if protocol == "query" or (protocol == "rest-xml" and call.service != "s3"):
        xml = (
            f"<ErrorResponse><Error><Type>{fault_type}</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
    elif protocol == "ec2":
        xml = (
            f"<Response><Errors><Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"</Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
    elif protocol == "rest-xml":  # s3
        xml = (
            f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<RequestId>{request_id}</RequestId></Error>"
        )
    else:
        return None
    reply = Reply(status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)])
    reply.set_body(('<?xml version="1.0" encoding="UTF-8"?>\n' + xml).encode())
    return reply
