"""PATCH flavours: JSON merge, JSON patch, strategic merge and server-side apply."""

from storagekit_kube_api.patches import strategic_merge_patch

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"


def _create(kube):
    body = {
        "metadata": {"name": "web", "labels": {"app": "web", "old": "x"}},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [
            {"name": "web", "image": "web:1", "env": [{"name": "A", "value": "1"}]},
            {"name": "sidecar", "image": "proxy:1"},
        ]}}},
    }
    return kube.post(DEPLOYMENTS, body).json()


def _containers(obj):
    return obj["spec"]["template"]["spec"]["containers"]


def test_merge_patch_replaces_lists_and_deletes_nulls(kube):
    _create(kube)
    patch = {"metadata": {"labels": {"old": None}}, "spec": {"template": {"spec": {"containers": [
        {"name": "web", "image": "web:2"}]}}}}
    patched = kube.patch(f"{DEPLOYMENTS}/web", patch, MERGE).json()
    assert patched["metadata"]["labels"] == {"app": "web"}
    assert _containers(patched) == [{"name": "web", "image": "web:2"}]
    assert patched["metadata"]["generation"] == 2


def test_json_patch_operations_and_failed_test(kube):
    _create(kube)
    ops = [{"op": "replace", "path": "/spec/replicas", "value": 3},
           {"op": "add", "path": "/metadata/labels/tier", "value": "front"}]
    patched = kube.patch(f"{DEPLOYMENTS}/web", ops, JSON_PATCH).json()
    assert patched["spec"]["replicas"] == 3 and patched["metadata"]["labels"]["tier"] == "front"
    failing = kube.patch(f"{DEPLOYMENTS}/web", [{"op": "test", "path": "/spec/replicas", "value": 9}], JSON_PATCH)
    assert failing.status_code == 422


def test_strategic_merge_merges_containers_by_name(kube):
    _create(kube)
    patch = {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}, {"name": "sidecar"}],
        "containers": [{"name": "web", "image": "web:2", "env": [{"name": "B", "value": "2"}]},
                       {"name": "sidecar", "$patch": "delete"}],
    }}}}
    patched = kube.patch(f"{DEPLOYMENTS}/web", patch, STRATEGIC).json()
    assert _containers(patched) == [{"name": "web", "image": "web:2",
                                     "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}]


def test_strategic_merge_directives():
    current = {"a": {"x": 1, "y": 2}, "f": ["p", "q"], "ports": [{"containerPort": 80, "name": "http"}],
               "keep": {"m": 1, "n": 2}}
    patch = {"$deleteFromPrimitiveList/f": ["q"], "ports": [{"containerPort": 80, "protocol": "TCP"}],
             "a": {"$patch": "replace", "z": 3}, "keep": {"$retainKeys": ["n"], "n": 5}}
    assert strategic_merge_patch(current, patch) == {
        "a": {"z": 3}, "f": ["p"], "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"}],
        "keep": {"n": 5},
    }


def test_server_side_apply_creates_then_merges(kube):
    path = "/apis/storage.k8s.io/v1/storageclasses/efs-sc"
    manifest = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: efs-sc\nprovisioner: efs.csi.aws.com\n"
    created = kube.patch(path, manifest.encode(), APPLY, fieldManager="test")
    assert created.status_code == 201
    updated = kube.patch(path, (manifest + "parameters:\n  basePath: /dynamic\n").encode(), APPLY, fieldManager="test")
    assert updated.status_code == 200 and updated.json()["parameters"] == {"basePath": "/dynamic"}
    assert kube.patch(path, manifest.encode(), APPLY).status_code == 400  # fieldManager is required


def test_patch_of_missing_object_and_unknown_media_type(kube):
    assert kube.patch(f"{DEPLOYMENTS}/missing", {"spec": {}}, MERGE).status_code == 404
    _create(kube)
    assert kube.patch(f"{DEPLOYMENTS}/web", {"spec": {}}, "text/plain").status_code == 415


def test_kubernetes_client_server_side_apply(kube_api):
    from kubernetes import config, dynamic

    resources = dynamic.DynamicClient(config.new_client_from_config(str(kube_api.files / "kubeconfig"))).resources
    accounts = resources.get(api_version="v1", kind="ServiceAccount")
    body = {"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": "efs-csi-controller-sa", "namespace": "kube-system"}}
    first = accounts.server_side_apply(body=body, namespace="kube-system", field_manager="storagekit")
    body["metadata"]["annotations"] = {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/efs"}
    second = accounts.server_side_apply(body=body, namespace="kube-system", field_manager="storagekit")
    assert second.metadata.uid == first.metadata.uid
    assert second.metadata.annotations["eks.amazonaws.com/role-arn"].endswith(":role/efs")
