"""The shape of a service extension, and helpers to answer calls by the botocore model."""

import uuid

from botocore.validate import ParamValidator

from ..operations import service_model
from ..responses import JSON_CONTENT_TYPE, Reply, error_reply


class ServiceExtension:
    """What the project adds to moto for one service.

    Subclasses set `service` (the botocore service name) and override what they need:
    `handle` answers operations moto lacks, `rewrite` fills in fields moto leaves out of its
    answers, `latency_hooks` declares how the service's resources look while being created,
    `reset` drops all state (POST /moto-api/reset).
    """

    service = None

    def __init__(self):
        self.latency_hooks = []

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


def aws_error(exchange, code, message, status=400):
    """An AWS error answer in the protocol of the call."""
    return error_reply(exchange.call, code, message, status)


def json_reply(exchange, data):
    """A successful answer in the json protocol of the call's service."""
    content_type = JSON_CONTENT_TYPE.get(exchange.call.service, "application/x-amz-json-1.1")
    reply = Reply(200, [("Content-Type", content_type), ("x-amzn-RequestId", str(uuid.uuid4()))])
    reply.set_json(data)
    return reply
