"""EKS add-ons and Pod Identity: what moto 5.2.5 lacks, following the botocore service model.

- CreateAddon, DescribeAddon, UpdateAddon, DeleteAddon, ListAddons (moto: 404, no route).
  The cluster must exist in moto; one add-on per name and cluster (ResourceInUseException);
  the version must be in the catalogue and compatible with the cluster's Kubernetes version,
  the cluster's default version otherwise (InvalidParameterException); configurationValues
  must be a JSON or YAML mapping; serviceAccountRoleArn must be an IAM role ARN;
  podIdentityAssociations create associations owned by the add-on (the add-on reports their
  ARNs; UpdateAddon replaces them; they go with the add-on). preserve is accepted: it only
  concerns the software on the cluster.
- DescribeAddonVersions (moto: 404): a catalogue of AWS add-ons (aws-ebs-csi-driver,
  aws-efs-csi-driver, eks-pod-identity-agent, vpc-cni, coredns, kube-proxy) with versions,
  compatibilities for Kubernetes 1.28 to 1.33 and one defaultVersion per Kubernetes version;
  filters addonName, kubernetesVersion, types, publishers, owners; pagination.
- DescribeUpdate / ListUpdates for add-on updates (moto: 404): UpdateAddon returns an Update
  that is InProgress until the add-on is ACTIVE again, then Successful.
- CreatePodIdentityAssociation, DescribePodIdentityAssociation, UpdatePodIdentityAssociation,
  DeletePodIdentityAssociation, ListPodIdentityAssociations (moto: 404): one association per
  cluster, namespace and service account (ResourceInUseException); ids "a-" + 17 lowercase
  letters and digits; ARNs arn:aws:eks:REGION:ACCOUNT:podidentityassociation/CLUSTER/ID;
  associations an add-on owns are changed through the add-on only (InvalidRequestException).
- TagResource, UntagResource, ListTagsForResource on add-on and association ARNs (moto knows
  cluster ARNs only; those still go to moto).
- Latency hook (kind "eks:addon"): add-ons are CREATING, UPDATING or DELETING for that long,
  then ACTIVE (or gone); UpdateAddon and DeleteAddon meanwhile fail with
  ResourceInUseException. With no latency, the answer of the call itself still says CREATING
  or DELETING, as AWS's does, and the next call sees ACTIVE (or no add-on).
- Endpoint setting "eks_cluster_endpoint": when set, every cluster answer carries its URL as
  `endpoint` and its CA as `certificateAuthority.data` (a local Kubernetes API server plays
  the cluster); moto reports a made-up amazonaws.com URL and random CA data.

Tag calls on ARNs are not named by the endpoint's operation matcher (the decoded ARN holds
slashes), so this module recognises them by method and path.
"""

import copy
import json
import re
import secrets
import string
import threading
import time
import uuid

import yaml

from ..latency import LatencyHook
from ..responses import json_reply
from .base import BadRequest, ServiceExtension, aws_error, rest_json_params, validate_input

# Kubernetes versions the catalogue knows, oldest first.
KUBERNETES_VERSIONS = ("1.28", "1.29", "1.30", "1.31", "1.32", "1.33")
ALL = KUBERNETES_VERSIONS


def since(first, last="1.33"):
    """Kubernetes versions from `first` to `last`, both included."""
    return KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.index(first):KUBERNETES_VERSIONS.index(last) + 1]


# The add-on catalogue: versions as (version, compatible Kubernetes versions, Kubernetes
# versions for which it is the default).
CATALOGUE = {
    "aws-ebs-csi-driver": {
        "type": "storage", "namespace": "kube-system", "iam": True,
        "service_accounts": ("ebs-csi-controller-sa",),
        "versions": [
            ("v1.44.0-eksbuild.1", since("1.28"), ()),
            ("v1.43.0-eksbuild.1", since("1.28"), ()),
            ("v1.42.0-eksbuild.1", since("1.28"), ALL),
            ("v1.41.0-eksbuild.1", since("1.28", "1.32"), ()),
            ("v1.38.1-eksbuild.2", since("1.28", "1.31"), ()),
        ],
    },
    "aws-efs-csi-driver": {
        "type": "storage", "namespace": "kube-system", "iam": True,
        "service_accounts": ("efs-csi-controller-sa", "efs-csi-node-sa"),
        "versions": [
            ("v2.1.8-eksbuild.1", since("1.28"), ()),
            ("v2.1.7-eksbuild.1", since("1.28"), ALL),
            ("v2.0.9-eksbuild.1", since("1.28", "1.32"), ()),
        ],
    },
    "eks-pod-identity-agent": {
        "type": "security", "namespace": "kube-system", "iam": False, "service_accounts": (),
        "versions": [
            ("v1.3.7-eksbuild.2", since("1.28"), ALL),
            ("v1.3.5-eksbuild.2", since("1.28"), ()),
            ("v1.2.0-eksbuild.1", since("1.28", "1.31"), ()),
        ],
    },
    "vpc-cni": {
        "type": "networking", "namespace": "kube-system", "iam": True, "service_accounts": ("aws-node",),
        "versions": [
            ("v1.19.5-eksbuild.1", since("1.28"), ()),
            ("v1.19.2-eksbuild.1", since("1.28"), ALL),
            ("v1.18.6-eksbuild.1", since("1.28", "1.31"), ()),
        ],
    },
    "coredns": {
        "type": "networking", "namespace": "kube-system", "iam": False, "service_accounts": (),
        "versions": [
            ("v1.11.4-eksbuild.14", since("1.29"), since("1.29")),
            ("v1.11.3-eksbuild.1", since("1.29", "1.31"), ()),
            ("v1.10.1-eksbuild.18", since("1.28", "1.28"), ("1.28",)),
        ],
    },
    "kube-proxy": {
        "type": "networking", "namespace": "kube-system", "iam": False, "service_accounts": (),
        "versions": [
            ("v1.33.0-eksbuild.2", ("1.33",), ("1.33",)),
            ("v1.32.3-eksbuild.7", ("1.32",), ("1.32",)),
            ("v1.31.7-eksbuild.7", ("1.31",), ("1.31",)),
            ("v1.30.11-eksbuild.5", ("1.30",), ("1.30",)),
            ("v1.29.15-eksbuild.5", ("1.29",), ("1.29",)),
            ("v1.28.15-eksbuild.20", ("1.28",), ("1.28",)),
        ],
    },
}

ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
ASSOCIATION_ID_CHARS = string.ascii_lowercase + string.digits
ADDON_KIND = "eks:addon"
# Tag calls on ARNs, recognised by method (the operation matcher cannot name them).
TAG_OPERATIONS = {"POST": "TagResource", "DELETE": "UntagResource", "GET": "ListTagsForResource"}


# --- answers of a rest-json service ---------------------------------------------------------

def reply(data):
    """A successful rest-json answer."""
    return json_reply(200, data, [("x-amzn-RequestId", str(uuid.uuid4()))])


def page(items, params, exchange):
    """(items of this page, next token or None, error Reply or None) for maxResults/nextToken."""
    try:
        start = int(params.get("nextToken") or 0)
    except ValueError:
        return None, None, aws_error(exchange, "InvalidParameterException", "The nextToken is invalid")
    end = start + params.get("maxResults", 100)
    return items[start:end], (str(end) if end < len(items) else None), None


# --- the catalogue ----------------------------------------------------------------------------

def catalogue_versions(addon_name, kubernetes_version=None):
    """The catalogue's version entries of an add-on, those compatible with a Kubernetes version."""
    entries = CATALOGUE[addon_name]["versions"]
    return [e for e in entries if kubernetes_version is None or kubernetes_version in e[1]]


def default_version(addon_name, kubernetes_version):
    for version, dummy, defaults in CATALOGUE[addon_name]["versions"]:
        if kubernetes_version in defaults:
            return version
    return None


def describe_catalogue_entry(addon_name, kubernetes_version=None):
    """One add-on of DescribeAddonVersions, compatibilities narrowed to a Kubernetes version."""
    entry = CATALOGUE[addon_name]
    versions = []
    for version, compatible, defaults in catalogue_versions(addon_name, kubernetes_version):
        clusters = [kubernetes_version] if kubernetes_version else list(compatible)
        versions.append({
            "addonVersion": version,
            "architecture": ["amd64", "arm64"],
            "computeTypes": ["ec2", "hybrid"],
            "compatibilities": [
                {"clusterVersion": k, "platformVersions": ["*"], "defaultVersion": k in defaults}
                for k in clusters
            ],
            "requiresConfiguration": False,
            "requiresIamPermissions": entry["iam"],
        })
    return {
        "addonName": addon_name,
        "type": entry["type"],
        "addonVersions": versions,
        "publisher": "eks",
        "owner": "aws",
        "defaultNamespace": entry["namespace"],
    }


def parse_configuration_values(text):
    """configurationValues as AWS reads them: a JSON or YAML mapping; None when invalid."""
    try:
        value = json.loads(text)
    except ValueError:
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            return None
    return value if isinstance(value, dict) else None


def new_association_id():
    return "a-" + "".join(secrets.choice(ASSOCIATION_ID_CHARS) for dummy in range(17))


def moto_cluster(exchange, name):
    """moto's cluster of that name in the call's account and region, or None."""
    from moto.eks.models import eks_backends

    return eks_backends[exchange.account_id][exchange.call.region].clusters.get(name)


def cluster_not_found(exchange, name):
    return aws_error(exchange, "ResourceNotFoundException", f"No cluster found for name: {name}.", 404)


def invalid(exchange, message):
    return aws_error(exchange, "InvalidParameterException", message)


class EKSExtension(ServiceExtension):
    service = "eks"

    def __init__(self):
        super().__init__()
        self._lock = threading.RLock()
        self._addons = {}  # (account, region, cluster, addon name) -> {"addon", "phase", "update_id"}
        self._associations = {}  # (account, region, cluster, association id) -> association
        self._updates = {}  # (account, region, cluster, update id) -> {"update", "addonName"}
        self.latency_hooks = [AddonLatency(self), ClusterEndpoint()]
        self._handlers = {
            "CreateAddon": self.create_addon,
            "DescribeAddon": self.describe_addon,
            "UpdateAddon": self.update_addon,
            "DeleteAddon": self.delete_addon,
            "ListAddons": self.list_addons,
            "DescribeAddonVersions": self.describe_addon_versions,
            "DescribeUpdate": self.describe_update,
            "ListUpdates": self.list_updates,
            "CreatePodIdentityAssociation": self.create_association,
            "DescribePodIdentityAssociation": self.describe_association,
            "UpdatePodIdentityAssociation": self.update_association,
            "DeletePodIdentityAssociation": self.delete_association,
            "ListPodIdentityAssociations": self.list_associations,
            "TagResource": self.tag_resource,
            "UntagResource": self.untag_resource,
            "ListTagsForResource": self.list_tags,
        }

    def reset(self):
        with self._lock:
            self._addons.clear()
            self._associations.clear()
            self._updates.clear()

    @staticmethod
    def operation(exchange):
        """The call's operation; tag calls on ARNs are recognised by their path."""
        if exchange.operation is None and exchange.environ.get("PATH_INFO", "").startswith("/tags/"):
            return TAG_OPERATIONS.get(exchange.environ.get("REQUEST_METHOD"))
        return exchange.operation

    def handle(self, exchange):
        operation = self.operation(exchange)
        handler = self._handlers.get(operation)
        if handler is None:
            return None
        try:
            params = rest_json_params(exchange, operation)
        except BadRequest as error:
            return invalid(exchange, str(error))
        problem = validate_input("eks", operation, params)
        if problem:
            return invalid(exchange, problem)
        scope = (exchange.account_id, exchange.call.region)
        with self._lock:
            return handler(exchange, params, scope)

    def rewrite(self, exchange):
        """A deleted cluster takes its add-ons, associations and updates with it."""
        if exchange.operation != "DeleteCluster" or exchange.reply.status != 200:
            return
        prefix = (exchange.account_id, exchange.call.region, (exchange.reply.json() or {})["cluster"]["name"])
        with self._lock:
            for store in (self._addons, self._associations, self._updates):
                for key in [k for k in store if k[:3] == prefix]:
                    del store[key]

    # --- add-on state -------------------------------------------------------------------------

    def settle(self, pending):
        """Finish add-on transitions whose time is up (`pending(timer key)` is False)."""
        with self._lock:
            for key, record in list(self._addons.items()):
                if record["phase"] is None or pending(addon_timer_key(key)):
                    continue
                if record["phase"] == "DELETING":
                    self._drop_owned_associations(key[:3], record["addon"]["addonArn"])
                    del self._addons[key]
                else:
                    record["phase"] = None
                if record["update_id"]:
                    self._updates[key[:3] + (record["update_id"],)]["update"]["status"] = "Successful"
                    record["update_id"] = None

    def addon_phase(self, key):
        with self._lock:
            record = self._addons.get(key)
            return None if record is None else record["phase"] or "ACTIVE"

    @staticmethod
    def addon_view(record):
        addon = copy.deepcopy(record["addon"])
        addon["status"] = record["phase"] or "ACTIVE"
        return {"addon": addon}

    def _find_addon(self, exchange, params, scope):
        """(record, None) or (None, error Reply) for clusterName + addonName."""
        if moto_cluster(exchange, params["clusterName"]) is None:
            return None, cluster_not_found(exchange, params["clusterName"])
        record = self._addons.get(scope + (params["clusterName"], params["addonName"]))
        if record is None:
            return None, aws_error(exchange, "ResourceNotFoundException",
                                   f"No addon: {params['addonName']} found in cluster: {params['clusterName']}", 404)
        return record, None

    def _check_addon_settings(self, exchange, params, addon_name, kubernetes_version):
        """An error Reply for a version, role or configuration AWS refuses, else None."""
        version = params.get("addonVersion")
        if version is not None and version not in [e[0] for e in catalogue_versions(addon_name)]:
            return invalid(exchange, f"Addon version specified is not supported: {version}")
        if version is not None and version not in [e[0] for e in catalogue_versions(addon_name, kubernetes_version)]:
            return invalid(exchange, f"Addon version {version} of {addon_name} is not supported "
                                     f"for Kubernetes version {kubernetes_version}")
        role = params.get("serviceAccountRoleArn")
        if role is not None and not ROLE_ARN.match(role):
            return invalid(exchange, f"Invalid Role Arn: '{role}'")
        values = params.get("configurationValues")
        if values and parse_configuration_values(values) is None:
            return invalid(exchange, "ConfigurationValue provided in request is not supported: "
                                     "Json schema validation failed: not a JSON or YAML object")
        associations = params.get("podIdentityAssociations") or []
        accounts = [a["serviceAccount"] for a in associations]
        if len(set(accounts)) != len(accounts):
            return invalid(exchange, "podIdentityAssociations name a service account more than once")
        for association in associations:
            if association["serviceAccount"] not in CATALOGUE[addon_name]["service_accounts"]:
                return invalid(exchange, f"Service account {association['serviceAccount']} is not "
                                         f"supported by addon {addon_name}")
            if not ROLE_ARN.match(association["roleArn"]):
                return invalid(exchange, f"Invalid Role Arn: '{association['roleArn']}'")
        return None

    def _association_conflict(self, exchange, scope, cluster, namespace, accounts, owner_arn=None):
        """ResourceInUseException when one of the service accounts already has an association
        (other than one the add-on `owner_arn` owns)."""
        for key, association in self._associations.items():
            if (key[:3] == scope + (cluster,) and association["namespace"] == namespace
                    and association["serviceAccount"] in accounts
                    and (owner_arn is None or association.get("ownerArn") != owner_arn)):
                return aws_error(exchange, "ResourceInUseException",
                                 f"Association already exists: {association['associationId']} for service "
                                 f"account {association['serviceAccount']} in namespace {namespace}", 409)
        return None

    def _set_owned_associations(self, exchange, scope, cluster, addon, wanted):
        """Make the add-on's associations match `wanted` ([{serviceAccount, roleArn}])."""
        namespace = addon.get("namespaceConfig", {}).get("namespace") or CATALOGUE[addon["addonName"]]["namespace"]
        owned = {a["serviceAccount"]: (k, a) for k, a in self._associations.items()
                 if k[:3] == scope + (cluster,) and a.get("ownerArn") == addon["addonArn"]}
        arns = []
        for item in wanted:
            if item["serviceAccount"] in owned:
                dummy, association = owned.pop(item["serviceAccount"])
                if association["roleArn"] != item["roleArn"]:
                    association["roleArn"], association["modifiedAt"] = item["roleArn"], time.time()
            else:
                association = self._new_association(exchange, scope, cluster, {
                    "namespace": namespace, "serviceAccount": item["serviceAccount"], "roleArn": item["roleArn"],
                }, owner_arn=addon["addonArn"])
            arns.append(association["associationArn"])
        for key, dummy in owned.values():
            del self._associations[key]
        addon["podIdentityAssociations"] = arns

    def _drop_owned_associations(self, cluster_scope, addon_arn):
        for key in [k for k, a in self._associations.items()
                    if k[:3] == cluster_scope and a.get("ownerArn") == addon_arn]:
            del self._associations[key]

    # --- add-on operations ----------------------------------------------------------------------

    def create_addon(self, exchange, params, scope):
        cluster_name, addon_name = params["clusterName"], params["addonName"]
        cluster = moto_cluster(exchange, cluster_name)
        if cluster is None:
            return cluster_not_found(exchange, cluster_name)
        key = scope + (cluster_name, addon_name)
        if key in self._addons:
            return aws_error(exchange, "ResourceInUseException", "Addon already exists.", 409)
        if addon_name not in CATALOGUE:
            return invalid(exchange, f"Addon {addon_name} specified is not supported")
        problem = self._check_addon_settings(exchange, params, addon_name, cluster.version)
        if problem:
            return problem
        version = params.get("addonVersion") or default_version(addon_name, cluster.version)
        if version is None:
            return invalid(exchange, f"Addon {addon_name} is not supported for Kubernetes version {cluster.version}")
        namespace = (params.get("namespaceConfig") or {}).get("namespace")
        conflict = self._association_conflict(
            exchange, scope, cluster_name, namespace or CATALOGUE[addon_name]["namespace"],
            [a["serviceAccount"] for a in params.get("podIdentityAssociations") or []])
        if conflict:
            return conflict
        now = time.time()
        addon = {
            "addonName": addon_name,
            "clusterName": cluster_name,
            "addonVersion": version,
            "health": {"issues": []},
            "addonArn": f"{cluster.arn.replace(':cluster/', ':addon/', 1)}/{addon_name}/{uuid.uuid4()}",
            "createdAt": now,
            "modifiedAt": now,
            "tags": dict(params.get("tags") or {}),
            "publisher": "eks",
            "owner": "aws",
            "podIdentityAssociations": [],
        }
        if params.get("serviceAccountRoleArn"):
            addon["serviceAccountRoleArn"] = params["serviceAccountRoleArn"]
        if params.get("configurationValues"):
            addon["configurationValues"] = params["configurationValues"]
        if namespace:
            addon["namespaceConfig"] = {"namespace": namespace}
        self._set_owned_associations(exchange, scope, cluster_name, addon, params.get("podIdentityAssociations") or [])
        self._addons[key] = {"addon": addon, "phase": "CREATING", "update_id": None}
        return reply(self.addon_view(self._addons[key]))

    def describe_addon(self, exchange, params, scope):
        record, error = self._find_addon(exchange, params, scope)
        return error or reply(self.addon_view(record))

    def update_addon(self, exchange, params, scope):
        record, error = self._find_addon(exchange, params, scope)
        if error:
            return error
        cluster = moto_cluster(exchange, params["clusterName"])
        addon = record["addon"]
        problem = self._check_addon_settings(exchange, params, addon["addonName"], cluster.version)
        if problem:
            return problem
        namespace = addon.get("namespaceConfig", {}).get("namespace") or CATALOGUE[addon["addonName"]]["namespace"]
        wanted = params.get("podIdentityAssociations")
        if wanted is not None:
            conflict = self._association_conflict(exchange, scope, params["clusterName"], namespace,
                                                  [a["serviceAccount"] for a in wanted], addon["addonArn"])
            if conflict:
                return conflict
        update_params = []
        if "addonVersion" in params:
            addon["addonVersion"] = params["addonVersion"]
            update_params.append({"type": "AddonVersion", "value": params["addonVersion"]})
        if "serviceAccountRoleArn" in params:
            addon["serviceAccountRoleArn"] = params["serviceAccountRoleArn"]
            update_params.append({"type": "ServiceAccountRoleArn", "value": params["serviceAccountRoleArn"]})
        if "resolveConflicts" in params:
            update_params.append({"type": "ResolveConflicts", "value": params["resolveConflicts"]})
        if "configurationValues" in params:
            if params["configurationValues"]:
                addon["configurationValues"] = params["configurationValues"]
            else:
                addon.pop("configurationValues", None)
            update_params.append({"type": "ConfigurationValues", "value": params["configurationValues"]})
        if wanted is not None:
            self._set_owned_associations(exchange, scope, params["clusterName"], addon, wanted)
            update_params.append({"type": "PodIdentityAssociations", "value": json.dumps(addon["podIdentityAssociations"])})
        addon["modifiedAt"] = time.time()
        update = {"id": str(uuid.uuid4()), "status": "InProgress", "type": "AddonUpdate",
                  "params": update_params, "createdAt": addon["modifiedAt"], "errors": []}
        self._updates[scope + (params["clusterName"], update["id"])] = {"update": update, "addonName": addon["addonName"]}
        record["phase"], record["update_id"] = "UPDATING", update["id"]
        return reply({"update": copy.deepcopy(update)})

    def delete_addon(self, exchange, params, scope):
        record, error = self._find_addon(exchange, params, scope)
        if error:
            return error
        record["phase"] = "DELETING"
        return reply(self.addon_view(record))

    def list_addons(self, exchange, params, scope):
        if moto_cluster(exchange, params["clusterName"]) is None:
            return cluster_not_found(exchange, params["clusterName"])
        names = sorted(k[3] for k in self._addons if k[:3] == scope + (params["clusterName"],))
        names, token, error = page(names, params, exchange)
        if error:
            return error
        return reply({"addons": names, **({"nextToken": token} if token else {})})

    def describe_addon_versions(self, exchange, params, scope):
        kubernetes_version = params.get("kubernetesVersion")
        addons = []
        for name, entry in CATALOGUE.items():
            if params.get("addonName") not in (None, name):
                continue
            if params.get("types") and entry["type"] not in params["types"]:
                continue
            if params.get("publishers") and "eks" not in params["publishers"]:
                continue
            if params.get("owners") and "aws" not in params["owners"]:
                continue
            described = describe_catalogue_entry(name, kubernetes_version)
            if described["addonVersions"]:
                addons.append(described)
        addons, token, error = page(addons, params, exchange)
        if error:
            return error
        return reply({"addons": addons, **({"nextToken": token} if token else {})})

    def describe_update(self, exchange, params, scope):
        if moto_cluster(exchange, params["name"]) is None:
            return cluster_not_found(exchange, params["name"])
        found = self._updates.get(scope + (params["name"], params["updateId"]))
        if found is None or found["addonName"] != params.get("addonName", found["addonName"]):
            return aws_error(exchange, "ResourceNotFoundException", f"No update found for ID: {params['updateId']}", 404)
        return reply({"update": copy.deepcopy(found["update"])})

    def list_updates(self, exchange, params, scope):
        if moto_cluster(exchange, params["name"]) is None:
            return cluster_not_found(exchange, params["name"])
        if params.get("addonName") and scope + (params["name"], params["addonName"]) not in self._addons:
            return aws_error(exchange, "ResourceNotFoundException",
                             f"No addon: {params['addonName']} found in cluster: {params['name']}", 404)
        ids = [k[3] for k, found in self._updates.items()
               if k[:3] == scope + (params["name"],) and found["addonName"] == params.get("addonName")]
        ids, token, error = page(ids, params, exchange)
        if error:
            return error
        return reply({"updateIds": ids, **({"nextToken": token} if token else {})})

    # --- pod identity associations ---------------------------------------------------------------

    def _new_association(self, exchange, scope, cluster_name, params, owner_arn=None):
        cluster = moto_cluster(exchange, cluster_name)
        association_id = new_association_id()
        now = time.time()
        association = {
            "clusterName": cluster_name,
            "namespace": params["namespace"],
            "serviceAccount": params["serviceAccount"],
            "roleArn": params["roleArn"],
            "associationArn": cluster.arn.replace(":cluster/", ":podidentityassociation/", 1) + "/" + association_id,
            "associationId": association_id,
            "tags": dict(params.get("tags") or {}),
            "createdAt": now,
            "modifiedAt": now,
            "disableSessionTags": bool(params.get("disableSessionTags", False)),
        }
        if owner_arn:
            association["ownerArn"] = owner_arn
        self._set_target_role(association, params)
        self._associations[scope + (cluster_name, association_id)] = association
        return association

    @staticmethod
    def _set_target_role(association, params):
        """targetRoleArn (cross-account role chaining) comes with an externalId AWS generates."""
        if params.get("targetRoleArn"):
            association["targetRoleArn"] = params["targetRoleArn"]
            association.setdefault("externalId", str(uuid.uuid4()))
        elif "targetRoleArn" in params:
            association.pop("targetRoleArn", None)
            association.pop("externalId", None)
        if params.get("policy"):
            association["policy"] = params["policy"]
        elif "policy" in params:
            association.pop("policy", None)

    def _find_association(self, exchange, params, scope):
        if moto_cluster(exchange, params["clusterName"]) is None:
            return None, cluster_not_found(exchange, params["clusterName"])
        association = self._associations.get(scope + (params["clusterName"], params["associationId"]))
        if association is None:
            return None, aws_error(exchange, "ResourceNotFoundException",
                                   f"No Pod Identity Association found with id: {params['associationId']}", 404)
        return association, None

    def _check_roles(self, exchange, params):
        for name in ("roleArn", "targetRoleArn"):
            if params.get(name) and not ROLE_ARN.match(params[name]):
                return invalid(exchange, f"Invalid Role Arn: '{params[name]}'")
        if params.get("policy"):
            try:
                document = json.loads(params["policy"])
            except ValueError:
                document = None
            if not isinstance(document, dict):
                return invalid(exchange, "policy must be a JSON IAM policy document")
        return None

    def create_association(self, exchange, params, scope):
        if moto_cluster(exchange, params["clusterName"]) is None:
            return cluster_not_found(exchange, params["clusterName"])
        problem = self._check_roles(exchange, params)
        if problem:
            return problem
        conflict = self._association_conflict(exchange, scope, params["clusterName"], params["namespace"],
                                              [params["serviceAccount"]])
        if conflict:
            return conflict
        association = self._new_association(exchange, scope, params["clusterName"], params)
        return reply({"association": copy.deepcopy(association)})

    def describe_association(self, exchange, params, scope):
        association, error = self._find_association(exchange, params, scope)
        return error or reply({"association": copy.deepcopy(association)})

    def update_association(self, exchange, params, scope):
        association, error = self._find_association(exchange, params, scope)
        if error:
            return error
        if association.get("ownerArn"):
            return aws_error(exchange, "InvalidRequestException",
                             f"Pod Identity Association {association['associationId']} is owned by "
                             f"{association['ownerArn']}; change it through the add-on")
        problem = self._check_roles(exchange, params)
        if problem:
            return problem
        if params.get("roleArn"):
            association["roleArn"] = params["roleArn"]
        if "disableSessionTags" in params:
            association["disableSessionTags"] = params["disableSessionTags"]
        self._set_target_role(association, params)
        association["modifiedAt"] = time.time()
        return reply({"association": copy.deepcopy(association)})

    def delete_association(self, exchange, params, scope):
        association, error = self._find_association(exchange, params, scope)
        if error:
            return error
        if association.get("ownerArn"):
            return aws_error(exchange, "InvalidRequestException",
                             f"Pod Identity Association {association['associationId']} is owned by "
                             f"{association['ownerArn']}; delete it through the add-on")
        del self._associations[scope + (params["clusterName"], params["associationId"])]
        return reply({"association": copy.deepcopy(association)})

    def list_associations(self, exchange, params, scope):
        if moto_cluster(exchange, params["clusterName"]) is None:
            return cluster_not_found(exchange, params["clusterName"])
        summaries = [
            {k: a[k] for k in ("clusterName", "namespace", "serviceAccount", "associationArn",
                               "associationId", "ownerArn") if k in a}
            for key, a in self._associations.items()
            if key[:3] == scope + (params["clusterName"],)
            and params.get("namespace") in (None, a["namespace"])
            and params.get("serviceAccount") in (None, a["serviceAccount"])
        ]
        summaries, token, error = page(summaries, params, exchange)
        if error:
            return error
        return reply({"associations": summaries, **({"nextToken": token} if token else {})})

    # --- tags on add-on and association ARNs ---------------------------------------------------

    def _tagged(self, arn):
        """The add-on or association dict an ARN names, or None (cluster ARNs are moto's)."""
        for record in self._addons.values():
            if record["addon"]["addonArn"] == arn:
                return record["addon"]
        for association in self._associations.values():
            if association["associationArn"] == arn:
                return association
        return None

    def _tag_target(self, exchange, params):
        """(tagged dict, None), (None, error Reply), or (None, None) to let moto answer."""
        arn = params["resourceArn"]
        if ":addon/" not in arn and ":podidentityassociation/" not in arn:
            return None, None
        target = self._tagged(arn)
        if target is None:
            return None, aws_error(exchange, "NotFoundException", f"Resource was not found: {arn}", 404)
        return target, None

    def tag_resource(self, exchange, params, scope):
        target, error = self._tag_target(exchange, params)
        if target is None:
            return error
        target["tags"].update(params["tags"])
        return reply({})

    def untag_resource(self, exchange, params, scope):
        target, error = self._tag_target(exchange, params)
        if target is None:
            return error
        for key in params["tagKeys"]:
            target["tags"].pop(key, None)
        return reply({})

    def list_tags(self, exchange, params, scope):
        target, error = self._tag_target(exchange, params)
        if target is None:
            return error
        return reply({"tags": dict(target["tags"])})


def addon_timer_key(key):
    """Latency timer key of an add-on: ACCOUNT/REGION/CLUSTER/ADDON."""
    return "/".join(key)


class AddonLatency(LatencyHook):
    """Add-ons are CREATING, UPDATING or DELETING for the "eks:addon" latency; AWS refuses to
    update or delete an add-on that is not ACTIVE."""

    service = "eks"
    kinds = (ADDON_KIND,)
    TRANSITIONS = {"CreateAddon", "UpdateAddon", "DeleteAddon"}

    def __init__(self, extension):
        self.extension = extension

    def _key(self, exchange):
        try:
            params = rest_json_params(exchange, exchange.operation)
        except BadRequest:
            return None
        if not params.get("clusterName") or not params.get("addonName"):
            return None
        return (exchange.account_id, exchange.call.region, params["clusterName"], params["addonName"])

    def refuse(self, exchange, model):
        self.extension.settle(lambda timer: model.pending(ADDON_KIND, timer))
        if exchange.operation not in ("UpdateAddon", "DeleteAddon"):
            return None
        key = self._key(exchange)
        phase = key and self.extension.addon_phase(key)
        if phase in (None, "ACTIVE"):
            return None
        return aws_error(exchange, "ResourceInUseException",
                         f"Addon {key[3]} is in {phase} state; it can be changed once it is ACTIVE", 409)

    def observe(self, exchange, model):
        if exchange.operation in self.TRANSITIONS and exchange.reply.status == 200:
            key = self._key(exchange)
            if key:
                model.start(ADDON_KIND, addon_timer_key(key))


class ClusterEndpoint(LatencyHook):
    """Puts the "eks_cluster_endpoint" setting into every cluster answer.

    A hook because hooks are where the endpoint's settings reach an extension (model.config);
    it times nothing.
    """

    service = "eks"
    kinds = ()

    def observe(self, exchange, model):
        setting = model.config["eks_cluster_endpoint"]
        if setting is None or exchange.reply.status != 200:
            return
        data = exchange.reply.json() or {}
        cluster = data.get("cluster")
        if not isinstance(cluster, dict) or "endpoint" not in cluster:
            return
        cluster["endpoint"] = setting["url"]
        cluster["certificateAuthority"] = {"data": setting["certificate_authority_data"]}
        exchange.reply.set_json(data)
