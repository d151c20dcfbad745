"""Runtime settings of the local AWS endpoint: fault injection, the latency model, call delays and
the Kubernetes API server EKS clusters report.

Everything is off by default. Settings come from the environment at start-up and can be
changed while the endpoint runs through POST /_local_aws/config.
"""

import base64
import binascii
import json
import os
import threading
from urllib.parse import urlparse

FAULT_KINDS = ("throttle", "server_error")

DEFAULTS = {
    "fault_rate": 0.0,
    "fault_seed": None,
    "fault_kinds": list(FAULT_KINDS),
    "fault_operations": None,
    "latency_seconds": None,
    "call_delay_seconds": None,
    "eks_cluster_endpoint": None,
}


class ConfigError(ValueError):
    """A setting has a value the endpoint cannot use."""


def _check(key, value):
    """Return the value of one setting in its stored form, or raise ConfigError."""
    if key == "fault_rate":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ConfigError("fault_rate must be a number from 0 to 1")
        return float(value)
    if key == "fault_seed":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ConfigError("fault_seed must be an integer or null")
        return value
    if key == "fault_kinds":
        if not isinstance(value, list) or not value or not set(value) <= set(FAULT_KINDS):
            raise ConfigError(f"fault_kinds must be a non-empty subset of {list(FAULT_KINDS)}")
        return list(value)
    if key == "fault_operations":
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(op, str) for op in value)
        ):
            raise ConfigError(
                'fault_operations must be null or a list like ["DescribeTable", "s3:PutObject"]'
            )
        return value
    if key == "latency_seconds":
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return float(value)
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
            for k, v in value.items()
        ):
            return {k: float(v) for k, v in value.items()}
        raise ConfigError(
            'latency_seconds must be null, a number of seconds or a dict like {"dynamodb:table": 3}'
        )
    if key == "call_delay_seconds":
        if value is None:
            return None
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 60
            for k, v in value.items()
        ):
            return {k: float(v) for k, v in value.items()}
        raise ConfigError(
            'call_delay_seconds must be null or a dict like {"cloudfront:CreateDistributionWithTags": 2} '
            "(0 to 60 seconds)"
        )
    if key == "eks_cluster_endpoint":
        return _check_eks_cluster_endpoint(value)
    raise ConfigError(f"unknown setting {key!r}; known: {sorted(DEFAULTS)}")


def _check_eks_cluster_endpoint(value):
    """null, or the local Kubernetes API server every EKS cluster reports: an https URL on
    127.0.0.1 and the base64 PEM of the CA that signed its certificate."""
    if value is None:
        return None
    message = ('eks_cluster_endpoint must be null or {"url": "https://127.0.0.1:PORT", '
               '"certificate_authority_data": "<base64 PEM>"}')
    if not isinstance(value, dict) or set(value) != {"url", "certificate_authority_data"}:
        raise ConfigError(message)
    url, data = value["url"], value["certificate_authority_data"]
    if not isinstance(url, str) or not isinstance(data, str):
        raise ConfigError(message)
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname != "127.0.0.1":
        raise ConfigError("eks_cluster_endpoint url must be https://127.0.0.1[:PORT]")
    try:
        pem = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError("eks_cluster_endpoint certificate_authority_data must be base64") from None
    if b"-----BEGIN CERTIFICATE-----" not in pem:
        raise ConfigError("eks_cluster_endpoint certificate_authority_data must be a base64 PEM certificate")
    return {"url": url, "certificate_authority_data": data}


class EndpointConfig:
    """Thread-safe holder of the settings; other parts read it on every request."""

    def __init__(self, **settings):
        self._lock = threading.Lock()
        self._values = dict(DEFAULTS)
        self.listeners = []
        self.update(settings)

    @classmethod
    def from_env(cls, environ=None):
        """Start-up settings from LOCAL_AWS_* variables (a bad value stops the start)."""
        environ = os.environ if environ is None else environ
        settings = {}
        if environ.get("LOCAL_AWS_FAULT_RATE"):
            settings["fault_rate"] = float(environ["LOCAL_AWS_FAULT_RATE"])
        if environ.get("LOCAL_AWS_FAULT_SEED"):
            settings["fault_seed"] = int(environ["LOCAL_AWS_FAULT_SEED"])
        if environ.get("LOCAL_AWS_FAULT_KINDS"):
            settings["fault_kinds"] = environ["LOCAL_AWS_FAULT_KINDS"].split(",")
        if environ.get("LOCAL_AWS_FAULT_OPERATIONS"):
            settings["fault_operations"] = environ["LOCAL_AWS_FAULT_OPERATIONS"].split(",")
        if environ.get("LOCAL_AWS_LATENCY_SECONDS"):
            # A plain number, or JSON such as {"dynamodb:table": 3}.
            settings["latency_seconds"] = json.loads(environ["LOCAL_AWS_LATENCY_SECONDS"])
        return cls(**settings)

    def update(self, settings):
        """Check all given settings first, then apply them together."""
        checked = {key: _check(key, value) for key, value in settings.items()}
        with self._lock:
            self._values.update(checked)
        for listener in self.listeners:
            listener(checked)
        return self.as_dict()

    def as_dict(self):
        with self._lock:
            return json.loads(json.dumps(self._values))

    def __getitem__(self, key):
        with self._lock:
            return self._values[key]
