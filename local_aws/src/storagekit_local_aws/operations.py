"""Name every AWS request the way botocore built it: service, operation and region.

The request log, fault injection, the latency model and the extensions all key on these names,
so a benchmark can count "dynamodb:DescribeTable" calls without knowing any wire format.

- service: the botocore service name (what boto3.client() takes), found from the signing name
  in the SigV4 credential scope (Credential=AKID/DATE/REGION/SIGNING-NAME/aws4_request).
- operation: from X-Amz-Target (json protocol), Action= (query and ec2 protocols), the
  /service/X/operation/Y path (smithy-rpc-v2-cbor), or by matching method, path, query string
  and headers against the http bindings of the service model (rest-json, rest-xml).
"""

import functools
import gzip
import os
import re
import threading
from dataclasses import dataclass
from urllib.parse import parse_qs

import botocore.session

# Reads are recognised by name; everything else counts as a write. AWS names its read-only
# calls with these verbs (DescribeTable, GetBucketVersioning, ListTagsOfResource, HeadObject,
# Query, Scan, BatchGetItem, SearchResources, LookupEvents, CheckIfPhoneNumberIsOptedOut,
# EstimateTemplateCost, PreviewAgents, SelectObjectContent, ValidateTemplate, TestRenderTemplate).
READ_VERBS = (
    "Describe", "Get", "List", "Head", "Query", "Scan", "BatchGet", "Search", "Lookup",
    "Check", "Estimate", "Preview", "Select", "Validate", "Test",
)
_READ_RE = re.compile(r"^(%s)([A-Z0-9_]|$)" % "|".join(READ_VERBS))

_CREDENTIAL_RE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
_CBOR_PATH_RE = re.compile(r"^/service/([^/]+)/operation/([^/]+)$")


def is_write(operation):
    """True unless the operation name starts with a read verb (see READ_VERBS); unknown is a write."""
    return not (operation and _READ_RE.match(operation))


@dataclass(frozen=True)
class Call:
    """One identified AWS call."""

    service: str
    operation: str | None
    region: str | None
    protocol: str | None
    signing_name: str
    access_key: str

    @property
    def name(self):
        return f"{self.service}:{self.operation}"

    @property
    def write(self):
        return is_write(self.operation)


_session = botocore.session.get_session()
_model_lock = threading.Lock()


@functools.lru_cache(maxsize=None)
def service_model(service):
    """The botocore model of one service, loaded once."""
    with _model_lock:
        return _session.get_service_model(service)


def _signing_name(loader, name):
    """A service's signing name, read from the head of its model file when possible.

    Loading all 400+ service models takes about 5 s; botocore keeps the "metadata" block at
    the start of each file, so reading the first few KB of each takes about 70 ms for all.
    """
    version = loader.determine_latest_version(name, "service-2")
    pattern = re.compile(rb'"(signingName|endpointPrefix)"\s*:\s*"([^"]+)"')
    for base in loader.search_paths:
        path = os.path.join(base, name, version, "service-2.json.gz")
        if os.path.exists(path):
            with gzip.open(path) as f:
                head = f.read(4000).split(b'"operations"')[0]
            found = {k.decode(): v.decode() for k, v in pattern.findall(head)}
            if found:
                return found.get("signingName") or found["endpointPrefix"]
    return service_model(name).signing_name


@functools.lru_cache(maxsize=1)
def _signing_name_index():
    """Map every signing name to the botocore services that use it."""
    loader = _session.get_component("data_loader")
    index = {}
    for name in loader.list_available_services("service-2"):
        index.setdefault(_signing_name(loader, name), []).append(name)
    return index


@functools.lru_cache(maxsize=None)
def services_for_signing_name(signing_name):
    """Candidate botocore services for a signing name, the same-named one first."""
    candidates = _signing_name_index().get(signing_name, [])
    return sorted(candidates, key=lambda name: name != signing_name)


@dataclass
class _Route:
    operation: str
    method: str
    path: re.Pattern
    query: dict  # literal query keys of the requestUri, value None when any value is fine
    required_query: tuple
    required_headers: tuple
    literal_chars: int

    def matches(self, method, path, query, headers):
        return (
            method == self.method
            and self.path.match(path)
            and all(k in query and (v is None or v in query[k]) for k, v in self.query.items())
            and all(k in query for k in self.required_query)
            and all(h in headers for h in self.required_headers)
        )

    @property
    def specificity(self):
        return (
            len(self.query) + len(self.required_query) + len(self.required_headers),
            self.literal_chars,
        )


def _route_for(operation_model):
    """Turn an operation's http binding (e.g. GET /{Bucket}?versioning) into a _Route."""
    http = operation_model.http
    uri_path, dummy, uri_query = http["requestUri"].partition("?")
    pattern, literal_chars = "", 0
    for part in re.split(r"(\{[^}]+\})", uri_path):
        if part.startswith("{"):
            pattern += ".+" if part.endswith("+}") else "[^/]+"
        else:
            pattern += re.escape(part)
            literal_chars += len(part)
    query = {}
    for item in filter(None, uri_query.split("&")):
        key, eq, value = item.partition("=")
        query[key] = value if eq else None
    required_query, required_headers = [], []
    shape = operation_model.input_shape
    if shape is not None:
        for member in shape.required_members:
            location = shape.members[member].serialization.get("location")
            wire_name = shape.members[member].serialization.get("name", member)
            if location == "querystring":
                required_query.append(wire_name)
            elif location == "header":
                required_headers.append(wire_name.lower())
    return _Route(
        operation=operation_model.name,
        method=http["method"],
        path=re.compile("^" + pattern.rstrip("/") + "/?$"),
        query=query,
        required_query=tuple(required_query),
        required_headers=tuple(required_headers),
        literal_chars=literal_chars,
    )


@functools.lru_cache(maxsize=None)
def _routes(service):
    """All http routes of a rest service, built on first use."""
    model = service_model(service)
    return [_route_for(model.operation_model(name)) for name in model.operation_names]


def _headers(environ):
    """Lower-case HTTP header names of a WSGI environ."""
    headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def identify(environ, body):
    """Return the Call of a SigV4-signed request, or None for anything else."""
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    credential = _CREDENTIAL_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if credential:
        access_key, region, signing_name = credential.groups()
    elif "X-Amz-Credential" in query:  # presigned URL
        parts = query["X-Amz-Credential"][0].split("/")
        if len(parts) != 5:
            return None
        access_key, dummy, region, signing_name, dummy = parts
    else:
        return None

    candidates = services_for_signing_name(signing_name)
    if not candidates:
        return Call(signing_name, None, region, None, signing_name, access_key)
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "") or "/"
    headers = _headers(environ)

    target = headers.get("x-amz-target")
    if target:
        prefix, dummy, operation = target.rpartition(".")
        for service in candidates:
            if service_model(service).metadata.get("targetPrefix") == prefix:
                return Call(service, operation, region, "json", signing_name, access_key)
        return Call(candidates[0], operation, region, "json", signing_name, access_key)

    if "x-amz-target" not in headers and _CBOR_PATH_RE.match(path):
        operation = _CBOR_PATH_RE.match(path).group(2)
        return Call(candidates[0], operation, region, "smithy-rpc-v2-cbor", signing_name, access_key)

    params = dict(query)
    if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        params.update(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
    action = params.get("Action", [None])[0]
    if action:
        version = params.get("Version", [None])[0]
        query_services = [
            s for s in candidates
            if service_model(s).protocol in ("query", "ec2") and action in service_model(s).operation_names
        ]
        # elb and elbv2 share a signing name and most action names; the Version tells them apart.
        query_services.sort(key=lambda s: service_model(s).api_version != version)
        if query_services:
            service = query_services[0]
            return Call(service, action, region, service_model(service).protocol, signing_name, access_key)
        return Call(candidates[0], action, region, "query", signing_name, access_key)

    if candidates[0] == "s3":
        path = _s3_path_style(path, headers.get("host", ""))
    matches = _matches(candidates, method, path, query, headers)
    if not matches and raw_path(environ) != path:
        # A label holding an encoded slash (an ARN such as table/NAME) matches only undecoded.
        matches = _matches(candidates, method, raw_path(environ), query, headers)
    if matches:
        # s3 and s3control share a signing name, so compare routes across both.
        dummy, service, operation = max(matches, key=lambda m: m[0])
        return Call(service, operation, region, service_model(service).protocol, signing_name, access_key)
    return Call(candidates[0], None, region, service_model(candidates[0]).protocol,
                signing_name, access_key)


def raw_path(environ):
    """The request path as sent, percent-encoding kept (PATH_INFO has %2F decoded to /)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    return raw.partition("?")[0] if raw else environ.get("PATH_INFO", "")


def _matches(candidates, method, path, query, headers):
    """(specificity, service, operation) of every rest route matching the request."""
    matches = []
    for service in candidates:
        if service_model(service).protocol in ("rest-json", "rest-xml"):
            for route in _routes(service):
                if route.matches(method, path, query, headers):
                    matches.append((route.specificity, service, route.operation))
    return matches


def _s3_path_style(path, host):
    """Turn a virtual-hosted S3 request (bucket.localhost:PORT/key) into its path-style path."""
    hostname = host.split(":")[0]
    if hostname.endswith(".localhost"):
        return "/" + hostname[: -len(".localhost")] + path
    return path
