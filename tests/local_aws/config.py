"""Runtime settings of the local AWS endpoint: fault injection and the latency model.

Everything is off by default. Settings come from the environment at start-up and can be
changed while the endpoint runs through POST /_local_aws/config.
"""

import json
import os
import threading

FAULT_KINDS = ("throttle", "server_error")

DEFAULTS = {
    "fault_rate": 0.0,
    "fault_seed": None,
    "fault_kinds": list(FAULT_KINDS),
    "fault_operations": None,
    "latency_seconds": None,
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
    raise ConfigError(f"unknown setting {key!r}; known: {sorted(DEFAULTS)}")


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
