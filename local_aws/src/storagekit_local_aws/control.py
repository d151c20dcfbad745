"""The control API under /_local_aws/, for tests, Molecule (ansible.builtin.uri) and benchmarks.

GET    /_local_aws/health               {"status": "ok", "moto_version": ...}
GET    /_local_aws/requests[?since=N]   {"requests": [...], "summary": {...}}
DELETE /_local_aws/requests             {"cleared": N}
GET    /_local_aws/config               the current settings
POST   /_local_aws/config               change settings (JSON object, any subset of them)
GET    /_local_aws/ca                   the CA bundle (PEM) of the database and cache servers' certificates
GET    /_local_aws/servers              the running database and cache servers

Control requests are not AWS calls: they are never logged, faulted or delayed.
"""

import json
from urllib.parse import parse_qs

from .config import ConfigError
from .request_log import summarize
from .responses import Reply, json_reply

PREFIX = "/_local_aws/"


def handle(app, environ, body):
    """Answer one control request with a Reply."""
    method = environ.get("REQUEST_METHOD", "GET")
    route = environ.get("PATH_INFO", "")[len(PREFIX):].strip("/")
    query = parse_qs(environ.get("QUERY_STRING", ""))

    if route == "health" and method == "GET":
        import moto

        return json_reply(200, {"status": "ok", "moto_version": moto.__version__})

    if route == "requests" and method == "GET":
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            return json_reply(400, {"error": "since must be an integer"})
        entries = app.requests.entries(since)
        return json_reply(200, {"requests": entries, "summary": summarize(entries)})

    if route == "requests" and method == "DELETE":
        return json_reply(200, {"cleared": app.requests.clear()})

    if route == "config" and method == "GET":
        return json_reply(200, app.config.as_dict())

    if route == "config" and method == "POST":
        try:
            settings = json.loads(body or b"{}")
            if not isinstance(settings, dict):
                raise ConfigError("the body must be a JSON object")
            return json_reply(200, app.config.update(settings))
        except (ValueError, ConfigError) as error:
            return json_reply(400, {"error": str(error)})

    if route == "ca" and method == "GET":
        return Reply(200, [("Content-Type", "application/x-pem-file")], app.data.ca_bundle_path.read_bytes())

    if route == "servers" and method == "GET":
        return json_reply(200, {"servers": app.data.describe(), "ca_bundle": str(app.data.ca_bundle_path)})

    if route in ("health", "requests", "config", "ca", "servers"):
        return json_reply(405, {"error": f"{method} not allowed on {PREFIX}{route}"})
    return json_reply(404, {"error": f"no control route {PREFIX}{route}"})
