"""Generic in-memory object storage, one table for every kind.

It does what the API server's registry does for any object: names and namespaces, uid,
creationTimestamp, a cluster-wide resourceVersion that only moves on a real change,
generation bumped when anything but metadata and status changes, optimistic concurrency on
resourceVersion, dry runs that validate and answer without storing, and deletion of a
namespace's objects with it. Kind-specific defaults are only those clients rely on.
"""

import base64
import binascii
import copy
import datetime
import re
import secrets
import threading
import uuid

from . import errors
from .selectors import fields_match, labels_match

INITIAL_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_SERVER_SET = ("uid", "creationTimestamp", "resourceVersion", "generation", "selfLink", "managedFields")


def _now():
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _without_server_fields(obj):
    trimmed = copy.deepcopy(obj)
    for key in _SERVER_SET:
        trimmed.get("metadata", {}).pop(key, None)
    return trimmed


def _spec_of(obj):
    return {k: v for k, v in obj.items() if k not in ("metadata", "status")}


class Store:
    """Objects keyed by (group, plural, namespace, name); every method is thread-safe."""

    def __init__(self, namespace_kind):
        self._lock = threading.RLock()
        self._objects = {}
        self._resource_version = 0
        self._namespace_kind = namespace_kind
        for name in INITIAL_NAMESPACES:
            self.create(namespace_kind, None, {"metadata": {"name": name}})

    @property
    def resource_version(self):
        with self._lock:
            return str(self._resource_version)

    def _key(self, kind, namespace, name):
        return (kind.group, kind.plural, namespace if kind.namespaced else None, name)

    def _current(self, kind, namespace, name):
        obj = self._objects.get(self._key(kind, namespace, name))
        if obj is None:
            raise errors.not_found(kind, name)
        return obj

    def _next_version(self):
        self._resource_version += 1
        return str(self._resource_version)

    # --- reads -------------------------------------------------------------------------

    def get(self, kind, namespace, name):
        with self._lock:
            return copy.deepcopy(self._current(kind, namespace, name))

    def list(self, kind, namespace=None, labels=(), fields=()):
        """Matching objects (all namespaces when namespace is None) and the list's resourceVersion."""
        with self._lock:
            items = [
                copy.deepcopy(obj) for (group, plural, ns, _name), obj in sorted(self._objects.items(),
                                                                                 key=lambda i: str(i[0]))
                if (group, plural) == (kind.group, kind.plural)
                and (namespace is None or ns == namespace)
                and labels_match(labels, obj["metadata"].get("labels"))
                and fields_match(fields, obj)
            ]
            return items, str(self._resource_version)

    # --- writes ------------------------------------------------------------------------

    def _prepare(self, kind, namespace, obj):
        """Check and normalise a body: apiVersion/kind, name, namespace, kind defaults."""
        obj = copy.deepcopy(obj)
        if obj.get("kind") not in (None, kind.kind) or obj.get("apiVersion") not in (None, kind.group_version):
            raise errors.bad_request(
                f"the API version in the data ({obj.get('apiVersion')}) does not match the expected API "
                f"version ({kind.group_version}) or kind ({obj.get('kind')} is not {kind.kind})")
        obj["apiVersion"], obj["kind"] = kind.group_version, kind.kind
        metadata = obj.setdefault("metadata", {})
        if not isinstance(metadata, dict):
            raise errors.bad_request("metadata must be an object")
        body_namespace = metadata.get("namespace") or None
        if kind.namespaced:
            if body_namespace and namespace and body_namespace != namespace:
                raise errors.bad_request("the namespace of the provided object does not match the namespace "
                                         "sent on the request")
            metadata["namespace"] = namespace or body_namespace
            if not metadata["namespace"]:
                raise errors.bad_request("a namespace is required for a namespaced kind")
        else:
            metadata.pop("namespace", None)
        for key in ("labels", "annotations"):
            if metadata.get(key) is None:
                metadata.pop(key, None)
        if kind.kind == "Secret":
            self._normalise_secret(kind, obj)
        if kind.kind == "Namespace":
            metadata.setdefault("labels", {})["kubernetes.io/metadata.name"] = metadata.get("name")
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = {"phase": "Active"}
        return obj

    @staticmethod
    def _normalise_secret(kind, obj):
        """As the API server does: stringData folds into data, type defaults to Opaque."""
        data = obj.get("data") or {}
        for key, value in (obj.pop("stringData", None) or {}).items():
            data[key] = base64.b64encode(str(value).encode()).decode()
        for key, value in data.items():
            try:
                base64.b64decode(value, validate=True)
            except (binascii.Error, TypeError) as error:
                raise errors.invalid(kind, obj["metadata"].get("name"), f"data[{key}]: illegal base64 data") from error
        if data:
            obj["data"] = data
        obj.setdefault("type", "Opaque")

    def _check_name(self, kind, obj):
        name = obj["metadata"].get("name")
        if not name:
            raise errors.invalid(kind, "", "metadata.name: Required value: name or generateName is required")
        if len(name) > 253 or not _DNS_SUBDOMAIN.match(name):
            raise errors.invalid(kind, name, f"metadata.name: Invalid value: {name!r}: must be a lowercase "
                                 "RFC 1123 subdomain")

    def _check_namespace_exists(self, kind, obj):
        if kind.namespaced:
            namespace = obj["metadata"]["namespace"]
            if self._key(self._namespace_kind, None, namespace) not in self._objects:
                raise errors.not_found(self._namespace_kind, namespace)

    def create(self, kind, namespace, obj, dry_run=False):
        with self._lock:
            metadata = obj.get("metadata")
            if isinstance(metadata, dict) and not metadata.get("name") and metadata.get("generateName"):
                obj = dict(obj, metadata=dict(metadata, name=metadata["generateName"] + secrets.token_hex(3)[:5]))
            obj = self._prepare(kind, namespace, obj)
            metadata = obj["metadata"]
            self._check_name(kind, obj)
            self._check_namespace_exists(kind, obj)
            key = self._key(kind, metadata.get("namespace"), metadata["name"])
            if key in self._objects:
                raise errors.already_exists(kind, metadata["name"])
            for field in _SERVER_SET:
                metadata.pop(field, None)
            metadata["uid"] = str(uuid.uuid4())
            metadata["creationTimestamp"] = _now()
            metadata["generation"] = 1
            if dry_run:
                metadata["resourceVersion"] = str(self._resource_version)
                return obj
            metadata["resourceVersion"] = self._next_version()
            self._objects[key] = obj
            return copy.deepcopy(obj)

    def replace(self, kind, namespace, name, obj, dry_run=False):
        """PUT: the body replaces the object; a resourceVersion in it must be the current one."""
        with self._lock:
            existing = self._current(kind, namespace, name)
            obj = self._prepare(kind, namespace, obj)
            if obj["metadata"].get("name", name) != name:
                raise errors.bad_request("the name of the object does not match the name on the URL")
            obj["metadata"]["name"] = name
            sent_version = obj["metadata"].get("resourceVersion")
            if sent_version and sent_version != existing["metadata"]["resourceVersion"]:
                raise errors.conflict(kind, name, "the object has been modified; please apply your changes "
                                      "to the latest version and try again")
            return self._store_update(kind, existing, obj, dry_run)

    def patch(self, kind, namespace, name, apply_patch, dry_run=False, create_missing=False):
        """PATCH: `apply_patch(current object)` gives the new one; with create_missing an absent
        object is created from `apply_patch({})` (server-side apply)."""
        with self._lock:
            key = self._key(kind, namespace, name)
            if key not in self._objects and create_missing:
                obj = apply_patch({})
                obj.setdefault("metadata", {}).setdefault("name", name)
                return self.create(kind, namespace, obj, dry_run), True
            existing = self._current(kind, namespace, name)
            obj = self._prepare(kind, namespace, apply_patch(copy.deepcopy(existing)))
            if obj["metadata"].get("name") != name:
                raise errors.bad_request("the name of the object does not match the name on the URL")
            sent_version = obj["metadata"].get("resourceVersion")
            if sent_version and sent_version != existing["metadata"]["resourceVersion"]:
                raise errors.conflict(kind, name, "the object has been modified; please apply your changes "
                                      "to the latest version and try again")
            return self._store_update(kind, existing, obj, dry_run), False

    def _store_update(self, kind, existing, obj, dry_run):
        metadata = obj["metadata"]
        for field in ("uid", "creationTimestamp", "generation", "resourceVersion"):
            metadata[field] = existing["metadata"][field]
        if "status" in existing:
            obj["status"] = copy.deepcopy(existing["status"])
        self._check_name(kind, obj)
        if _without_server_fields(obj) == _without_server_fields(existing):
            return copy.deepcopy(existing)
        if _spec_of(obj) != _spec_of(existing):
            metadata["generation"] = existing["metadata"]["generation"] + 1
        if dry_run:
            return obj
        metadata["resourceVersion"] = self._next_version()
        self._objects[self._key(kind, metadata.get("namespace"), metadata["name"])] = obj
        return copy.deepcopy(obj)

    def delete(self, kind, namespace, name, preconditions=None, dry_run=False):
        with self._lock:
            existing = self._current(kind, namespace, name)
            for field in ("uid", "resourceVersion"):
                wanted = (preconditions or {}).get(field)
                if wanted and wanted != existing["metadata"][field]:
                    raise errors.conflict(kind, name, f"Precondition failed: {field} in precondition: {wanted}, "
                                          f"{field} in object meta: {existing['metadata'][field]}")
            if dry_run:
                return copy.deepcopy(existing)
            del self._objects[self._key(kind, namespace, name)]
            if kind == self._namespace_kind:
                for key in [k for k in self._objects if k[2] == name]:
                    del self._objects[key]
            self._next_version()
            return existing
