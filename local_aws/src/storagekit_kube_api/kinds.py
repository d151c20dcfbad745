"""The kinds the test API server serves: adding one is one line in KINDS."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool
    short_names: tuple = field(default=())

    @property
    def group_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self):
        return self.kind.lower()

    @property
    def base_path(self):
        """URL prefix of the kind's group/version: /api/v1 or /apis/GROUP/VERSION."""
        return f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"


VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update"]

KINDS = (
    Kind("", "v1", "Namespace", "namespaces", False, ("ns",)),
    Kind("", "v1", "ServiceAccount", "serviceaccounts", True, ("sa",)),
    Kind("", "v1", "Secret", "secrets", True),
    Kind("", "v1", "ConfigMap", "configmaps", True, ("cm",)),
    Kind("", "v1", "Service", "services", True, ("svc",)),
    Kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", True, ("pvc",)),
    Kind("", "v1", "PersistentVolume", "persistentvolumes", False, ("pv",)),
    Kind("apps", "v1", "Deployment", "deployments", True, ("deploy",)),
    Kind("apps", "v1", "DaemonSet", "daemonsets", True, ("ds",)),
    Kind("storage.k8s.io", "v1", "StorageClass", "storageclasses", False, ("sc",)),
    Kind("storage.k8s.io", "v1", "CSIDriver", "csidrivers", False),
    # Served whether or not the CustomResourceDefinition object below exists (a real server serves a custom kind
    # only once its definition is created); clients that check for the definition read it as a stored object.
    Kind("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", False, ("crd", "crds")),
    Kind("snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", "volumesnapshotclasses", False, ("vsclass",)),
    Kind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False),
    Kind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", False),
    Kind("rbac.authorization.k8s.io", "v1", "Role", "roles", True),
    Kind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", True),
)


def group_versions(kinds=KINDS):
    """{(group, version): [Kind, ...]} in declaration order."""
    result = {}
    for kind in kinds:
        result.setdefault((kind.group, kind.version), []).append(kind)
    return result


def find(group, version, plural, kinds=KINDS):
    for kind in kinds:
        if (kind.group, kind.version, kind.plural) == (group, version, plural):
            return kind
    return None
