"""Discovery documents (/version, /api, /apis, per group/version) and the OpenAPI v3 index.

kubernetes.core and client-go build their REST mappings from the legacy discovery lists.
helm (like kubectl) asks /openapi/v3 whether PATCH takes `fieldValidation`; when it does,
the server validates fields and the client downloads no schema, so each per-group document
only has to declare that parameter on each kind's PATCH operation.
"""

import hashlib
import json

from .kinds import VERBS, group_versions

SERVER_VERSION = {
    "major": "1", "minor": "32", "gitVersion": "v1.32.3", "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean", "buildDate": "2025-03-11T00:00:00Z", "goVersion": "go1.23.6",
    "compiler": "gc", "platform": "linux/amd64",
}


def core_versions(address):
    return {
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": address}],
    }


def group_list(kinds):
    groups = []
    for (group, version) in group_versions(kinds):
        if not group:
            continue
        entry = {"groupVersion": f"{group}/{version}", "version": version}
        groups.append({"name": group, "versions": [entry], "preferredVersion": entry})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def group(kinds, name):
    """The APIGroup document of /apis/GROUP, or None."""
    for g in group_list(kinds)["groups"]:
        if g["name"] == name:
            return dict(g, kind="APIGroup", apiVersion="v1")
    return None


def resource_list(kinds, group_name, version):
    """The APIResourceList of /api/v1 or /apis/GROUP/VERSION, or None."""
    served = group_versions(kinds).get((group_name, version))
    if served is None:
        return None
    resources = []
    for kind in served:
        resources.append({
            "name": kind.plural, "singularName": kind.singular, "namespaced": kind.namespaced,
            "kind": kind.kind, "verbs": VERBS, "shortNames": list(kind.short_names),
        })
    group_version = served[0].group_version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}


def _openapi_path(kind):
    if kind.namespaced:
        return f"{kind.base_path}/namespaces/{{namespace}}/{kind.plural}/{{name}}"
    return f"{kind.base_path}/{kind.plural}/{{name}}"


def openapi_document(kinds, group_name, version):
    """The OpenAPI v3 document of one group/version: PATCH operations that take fieldValidation."""
    served = group_versions(kinds).get((group_name, version))
    if served is None:
        return None
    paths = {}
    for kind in served:
        gvk = {"group": kind.group, "version": kind.version, "kind": kind.kind}
        paths[_openapi_path(kind)] = {
            "patch": {
                "operationId": f"patch{kind.kind}",
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": gvk,
                "parameters": [
                    {"name": name, "in": "query", "schema": {"type": "string", "uniqueItems": True}}
                    for name in ("dryRun", "fieldManager", "fieldValidation", "force")
                ],
                "responses": {"200": {"description": "OK"}},
            },
        }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": SERVER_VERSION["gitVersion"]},
        "paths": paths,
        "components": {"schemas": {}},
    }


def openapi_index(kinds):
    """/openapi/v3: where each group/version's document is, with a content hash as real servers give."""
    paths = {}
    for (group_name, version) in group_versions(kinds):
        key = f"apis/{group_name}/{version}" if group_name else f"api/{version}"
        body = json.dumps(openapi_document(kinds, group_name, version), sort_keys=True).encode()
        digest = hashlib.sha512(body).hexdigest().upper()[:128]
        paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash={digest}"}
    return {"paths": paths}
