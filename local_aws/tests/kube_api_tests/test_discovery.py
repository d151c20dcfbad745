"""Discovery and OpenAPI documents, as client-go, kubectl, helm and kubernetes.core read them."""

from storagekit_kube_api.kinds import KINDS
from kubernetes import client, config, dynamic


def test_version_and_core_group(kube):
    assert kube.get("/version").json()["gitVersion"] == "v1.32.3"
    assert kube.get("/api").json()["versions"] == ["v1"]
    resources = {r["name"]: r for r in kube.get("/api/v1").json()["resources"]}
    assert resources["namespaces"]["namespaced"] is False
    assert resources["secrets"]["namespaced"] is True
    assert "patch" in resources["configmaps"]["verbs"]


def test_every_kind_is_discoverable(kube):
    groups = {g["name"]: g for g in kube.get("/apis").json()["groups"]}
    assert groups["storage.k8s.io"]["preferredVersion"]["groupVersion"] == "storage.k8s.io/v1"
    assert kube.get("/apis/storage.k8s.io").json()["kind"] == "APIGroup"
    for kind in KINDS:
        listed = {r["kind"] for r in kube.get(kind.base_path).json()["resources"]}
        assert kind.kind in listed
    assert kube.get("/apis/example.com/v1").status_code == 404


def test_openapi_v3_declares_field_validation_on_patch(kube):
    index = kube.get("/openapi/v3").json()["paths"]
    assert set(index) >= {"api/v1", "apis/apps/v1", "apis/storage.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1"}
    document = kube.get(index["apis/storage.k8s.io/v1"]["serverRelativeURL"]).json()
    patch = document["paths"]["/apis/storage.k8s.io/v1/storageclasses/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "storage.k8s.io", "version": "v1",
                                                        "kind": "StorageClass"}
    assert {"name": "fieldValidation", "in": "query"}.items() <= patch["parameters"][2].items()


def test_kubernetes_dynamic_client_finds_and_uses_kinds(kube_api):
    api_client = config.new_client_from_config(str(kube_api.files / "kubeconfig"))
    resources = dynamic.DynamicClient(api_client).resources
    storage_classes = resources.get(api_version="storage.k8s.io/v1", kind="StorageClass")
    storage_classes.create(body={"metadata": {"name": "gp3"}, "provisioner": "ebs.csi.aws.com"})
    assert [i.metadata.name for i in storage_classes.get().items] == ["gp3"]
    namespaces = client.CoreV1Api(api_client).list_namespace().items
    assert {n.metadata.name for n in namespaces} >= {"default", "kube-system"}


def test_snapshot_crd_and_volume_snapshot_class_are_stored(kube_api):
    """What the ebs_csi_driver role reads and writes: the snapshot CRD object and a VolumeSnapshotClass."""
    api_client = config.new_client_from_config(str(kube_api.files / "kubeconfig"))
    resources = dynamic.DynamicClient(api_client).resources
    crds = resources.get(api_version="apiextensions.k8s.io/v1", kind="CustomResourceDefinition")
    crds.create(body={"metadata": {"name": "volumesnapshotclasses.snapshot.storage.k8s.io"},
                      "spec": {"group": "snapshot.storage.k8s.io", "scope": "Cluster"}})
    assert crds.get(name="volumesnapshotclasses.snapshot.storage.k8s.io").spec.group == "snapshot.storage.k8s.io"
    classes = resources.get(api_version="snapshot.storage.k8s.io/v1", kind="VolumeSnapshotClass")
    classes.create(body={"metadata": {"name": "ebs"}, "driver": "ebs.csi.aws.com", "deletionPolicy": "Retain"})
    assert classes.get(name="ebs").deletionPolicy == "Retain"
