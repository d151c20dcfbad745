"""The WSGI application: authentication, discovery, OpenAPI, the control API and resource verbs."""

import json
import traceback
from dataclasses import dataclass
from urllib.parse import unquote

import yaml
from werkzeug.wrappers import Request, Response

from . import discovery, errors, patches, protobuf
from .kinds import KINDS, Kind, find
from .request_log import RequestLog, summarize
from .selectors import SelectorError, parse_field_selector, parse_label_selector
from .store import Store

CONTROL_PREFIX = "/_kube_api/"
PROTOBUF = "application/vnd.kubernetes.protobuf"
PATCH_TYPES = {
    "application/merge-patch+json": "merge",
    "application/json-patch+json": "json",
    "application/strategic-merge-patch+json": "strategic",
    "application/apply-patch+yaml": "apply",
}


def _json(body, status=200):
    return Response(json.dumps(body), status=status, content_type="application/json")


def _decode_body(request):
    """The request body as a dict (or list for JSON patch); None when empty."""
    data = request.get_data()
    if not data:
        return None
    content_type = (request.mimetype or "application/json").lower()
    try:
        if content_type == PROTOBUF:
            return protobuf.decode(data)
        if content_type.endswith("yaml"):
            return yaml.safe_load(data)
        return json.loads(data)
    except protobuf.ProtobufError as error:
        raise errors.ApiError(415, "UnsupportedMediaType", str(error)) from error
    except (ValueError, yaml.YAMLError) as error:
        raise errors.bad_request(f"the body of the request was in an unknown format: {error}") from error


def _dry_run(request, body=None):
    values = request.args.getlist("dryRun")
    if isinstance(body, dict) and body.get("kind") == "DeleteOptions":
        values += body.get("dryRun") or []
    for value in values:
        if value != "All":
            raise errors.bad_request(f"Invalid dryRun value {value!r}: only All is supported")
    return bool(values)


@dataclass
class Route:
    """What a resource URL names: the kind, the namespace, the name and a subresource."""

    kind: Kind
    namespace: str | None
    name: str | None
    subresource: str | None


def _resource_route(kinds, segments):
    """Route for /api/v1/... or /apis/GROUP/VERSION/...; None when the path names no resource."""
    if segments[0] == "api" and len(segments) >= 3:
        group, version, rest = "", segments[1], segments[2:]
    elif segments[0] == "apis" and len(segments) >= 4:
        group, version, rest = segments[1], segments[2], segments[3:]
    else:
        return None
    namespace = None
    if rest[0] == "namespaces" and len(rest) >= 3 and rest[2] not in ("status", "finalize"):
        namespace, rest = rest[1], rest[2:]
    kind = find(group, version, rest[0], kinds)
    if kind is None or len(rest) > 3 or (namespace and not kind.namespaced):
        return None
    return Route(kind, namespace, rest[1] if len(rest) > 1 else None, rest[2] if len(rest) > 2 else None)


class KubeApp:
    """The API server's behaviour, independent of how it is served."""

    def __init__(self, authenticator, address, kinds=KINDS):
        self.authenticator = authenticator
        self.address = address
        self.kinds = kinds
        self.store = Store(find("", "v1", "namespaces", kinds))
        self.log = RequestLog()

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.get_data()  # always read the body, so kept-alive connections stay in step
        return self.respond(request)(environ, start_response)

    def respond(self, request):
        path = request.path
        if path.startswith(CONTROL_PREFIX):
            return self.control(request, path[len(CONTROL_PREFIX):])
        entry = {"verb": request.method.lower(), "kind": None, "namespace": None, "name": None, "dry_run": False}
        try:
            if not self.authenticator.accepts(request.headers.get("Authorization")):
                raise errors.unauthorized()
            response = self.api(request, path, entry)
        except errors.ApiError as error:
            response = _json(error.status(), error.code)
        except Exception as error:  # noqa: BLE001 - a server bug reaches the client as a Status, and the log
            traceback.print_exc()
            response = _json(errors.ApiError(500, "InternalError", f"{type(error).__name__}: {error}").status(), 500)
        self.log.add(request.method, request.full_path.rstrip("?"), entry["verb"], entry["kind"],
                     entry["namespace"], entry["name"], entry["dry_run"], response.status_code,
                     request.mimetype or None)
        return response

    # --- control API (no authentication, like the local AWS endpoint's) ------------------

    def control(self, request, name):
        if name == "health" and request.method == "GET":
            return _json({"status": "ok", "resourceVersion": self.store.resource_version})
        if name == "requests" and request.method == "GET":
            entries = self.log.entries(int(request.args.get("since", 0)))
            return _json({"requests": entries, "summary": summarize(entries)})
        if name == "requests" and request.method == "DELETE":
            return _json({"cleared": self.log.clear()})
        return _json({"message": f"no control endpoint {request.method} {name}"}, 404)

    # --- the Kubernetes API ------------------------------------------------------------

    def api(self, request, path, entry):
        segments = [unquote(s) for s in path.strip("/").split("/") if s]
        document = self.discovery(segments) if request.method == "GET" else None
        if document is not None:
            return _json(document)
        route = _resource_route(self.kinds, segments) if segments else None
        if route is None:
            raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
        entry.update(kind=route.kind.kind, namespace=route.namespace, name=route.name)
        if route.subresource is not None:
            if route.subresource == "status" and request.method == "GET":
                entry["verb"] = "get"
                return _json(self.store.get(route.kind, route.namespace, route.name))
            raise errors.ApiError(405, "MethodNotAllowed", f"{request.method} of {route.subresource} is not served")
        if route.name is None:
            return self.collection(request, route, entry)
        return self.single(request, route, entry)

    def discovery(self, segments):
        """The discovery or OpenAPI document a GET path names, else None."""
        path = "/".join(segments)
        if path == "version":
            return discovery.SERVER_VERSION
        if path == "api":
            return discovery.core_versions(self.address)
        if path == "apis":
            return discovery.group_list(self.kinds)
        if path == "openapi/v3":
            return discovery.openapi_index(self.kinds)
        if len(segments) == 2 and segments[0] == "api":
            return discovery.resource_list(self.kinds, "", segments[1])
        if len(segments) == 2 and segments[0] == "apis":
            return discovery.group(self.kinds, segments[1])
        if len(segments) == 3 and segments[0] == "apis":
            return discovery.resource_list(self.kinds, segments[1], segments[2])
        if segments[:2] == ["openapi", "v3"] and len(segments) in (4, 5):
            group, version = ("", segments[3]) if segments[2] == "api" else (segments[3], segments[4])
            return discovery.openapi_document(self.kinds, group, version)
        return None

    def collection(self, request, route, entry):
        kind = route.kind
        if request.method == "GET":
            if request.args.get("watch") in ("1", "true"):
                entry["verb"] = "watch"
                raise errors.ApiError(405, "MethodNotAllowed", "watch is not served by this test server")
            entry["verb"] = "list"
            items, version = self._select(request, route)
            return _json({"kind": f"{kind.kind}List", "apiVersion": kind.group_version,
                          "metadata": {"resourceVersion": version}, "items": items})
        if request.method == "POST":
            entry["verb"] = "create"
            body = _decode_body(request)
            entry["dry_run"] = _dry_run(request)
            if not isinstance(body, dict):
                raise errors.bad_request("the request needs an object body")
            entry["name"] = (body.get("metadata") or {}).get("name")
            return _json(self.store.create(kind, route.namespace, body, entry["dry_run"]), 201)
        if request.method == "DELETE":
            entry["verb"] = "deletecollection"
            body = _decode_body(request)
            entry["dry_run"] = _dry_run(request, body)
            items, dummy = self._select(request, route)
            deleted = [self.store.delete(kind, i["metadata"].get("namespace"), i["metadata"]["name"],
                                         dry_run=entry["dry_run"]) for i in items]
            return _json({"kind": f"{kind.kind}List", "apiVersion": kind.group_version,
                          "metadata": {"resourceVersion": self.store.resource_version}, "items": deleted})
        raise errors.ApiError(405, "MethodNotAllowed", f"{request.method} is not allowed on a collection")

    def _select(self, request, route):
        try:
            labels = parse_label_selector(request.args.get("labelSelector"))
            fields = parse_field_selector(request.args.get("fieldSelector"))
        except SelectorError as error:
            raise errors.bad_request(str(error)) from error
        return self.store.list(route.kind, route.namespace, labels, fields)

    def single(self, request, route, entry):
        kind, namespace, name = route.kind, route.namespace, route.name
        if request.method == "GET":
            entry["verb"] = "get"
            return _json(self.store.get(kind, namespace, name))
        body = _decode_body(request)
        if request.method == "DELETE":
            entry["verb"] = "delete"
            entry["dry_run"] = _dry_run(request, body)
            preconditions = body.get("preconditions") if isinstance(body, dict) else None
            deleted = self.store.delete(kind, namespace, name, preconditions, entry["dry_run"])
            return _json({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                          "details": {"name": name, "group": kind.group, "kind": kind.plural,
                                      "uid": deleted["metadata"]["uid"]}})
        entry["dry_run"] = _dry_run(request)
        if request.method == "PUT":
            entry["verb"] = "update"
            if not isinstance(body, dict):
                raise errors.bad_request("the request needs an object body")
            return _json(self.store.replace(kind, namespace, name, body, entry["dry_run"]))
        if request.method == "PATCH":
            entry["verb"] = "patch"
            return self.patch(request, route, body, entry["dry_run"])
        raise errors.ApiError(405, "MethodNotAllowed", f"{request.method} is not allowed on an object")

    def patch(self, request, route, body, dry_run):
        patch_type = PATCH_TYPES.get((request.mimetype or "").lower())
        if patch_type is None:
            raise errors.ApiError(415, "UnsupportedMediaType",
                                  f"the body of the request was in an unknown format - accepted media types "
                                  f"include: {', '.join(PATCH_TYPES)}")
        if patch_type == "json":
            if not isinstance(body, list):
                raise errors.bad_request("a JSON patch must be a list of operations")
        elif not isinstance(body, dict):
            raise errors.bad_request("the patch must be an object")
        if patch_type == "apply" and not request.args.get("fieldManager"):
            raise errors.bad_request("PATCH with apply-patch requires a fieldManager")

        def apply(current):
            try:
                if patch_type == "merge":
                    return patches.merge_patch(current, body)
                if patch_type == "json":
                    return patches.json_patch(current, body)
                return patches.strategic_merge_patch(current, body)
            except patches.PatchError as error:
                raise errors.invalid(route.kind, route.name, str(error)) from error

        obj, created = self.store.patch(route.kind, route.namespace, route.name, apply, dry_run,
                                        create_missing=patch_type == "apply")
        return _json(obj, 201 if created else 200)
