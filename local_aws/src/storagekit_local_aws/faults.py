"""Fault injection: answer a share of AWS calls with throttling or server errors.

Modules must survive what AWS does under load (principle 3: calls retry with jittered backoff).
An injected fault is answered here, so moto never sees the call and nothing changes state;
that is what a throttled call on AWS does too.
"""

import random
import threading

from .responses import error_reply

# (error code, HTTP status) per protocol, as the botocore service models and AWS's documentation give them;
# "s3" stands for S3's own rest-xml dialect. rest-json services (EKS, EFS) model ThrottlingException as
# HTTP 429; Route 53 documents Throttling with HTTP 400; EC2 answers RequestLimitExceeded with 503.
_CODES = {
    "throttle": {
        "json": ("ThrottlingException", 400),
        "query": ("Throttling", 400),
        "ec2": ("RequestLimitExceeded", 503),
        "rest-json": ("ThrottlingException", 429),
        "rest-xml": ("Throttling", 400),
        "s3": ("SlowDown", 503),
    },
    "server_error": {
        "json": ("InternalFailure", 500),
        "query": ("InternalFailure", 500),
        "ec2": ("InternalError", 500),
        "rest-json": ("InternalFailure", 500),
        "rest-xml": ("InternalFailure", 500),
        "s3": ("InternalError", 500),
    },
}
# DynamoDB's own name for its server error.
_SERVICE_CODES = {("dynamodb", "server_error"): ("InternalServerError", 500)}

_MESSAGES = {"throttle": "Rate exceeded", "server_error": "Internal server error (injected fault)"}


class FaultInjector:
    """Decide per call whether to fail it, from the fault_* settings of an EndpointConfig."""

    def __init__(self, config):
        self.config = config
        self._lock = threading.Lock()
        self._random = random.Random(config["fault_seed"])
        config.listeners.append(self._on_config_change)

    def _on_config_change(self, changed):
        """A new seed (or a new rate) starts a new, repeatable sequence of draws."""
        if "fault_seed" in changed or "fault_rate" in changed:
            with self._lock:
                self._random = random.Random(self.config["fault_seed"])

    def _selected(self, call):
        allowed = self.config["fault_operations"]
        return allowed is None or call.operation in allowed or call.name in allowed

    def pick(self, call):
        """The fault kind to inject for this call, or None."""
        rate = self.config["fault_rate"]
        if rate <= 0 or not self._selected(call) or fault_code(call, "throttle") is None:
            return None
        kinds = self.config["fault_kinds"]
        with self._lock:
            if self._random.random() >= rate:
                return None
            return self._random.choice(kinds)

    def reply(self, call, kind):
        code, status = fault_code(call, kind)
        return error_reply(call, code, _MESSAGES[kind], status)


def fault_code(call, kind):
    """(code, status) AWS uses for this kind of fault on this call's protocol, or None."""
    if (call.service, kind) in _SERVICE_CODES:
        return _SERVICE_CODES[(call.service, kind)]
    family = "s3" if call.service == "s3" else call.protocol
    return _CODES[kind].get(family)
