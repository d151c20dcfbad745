"""kubernetes.core.helm and helm_info with the real helm 3 binary against the server."""

from .helpers import REPO, run_playbook

CHART = REPO / "tests" / "charts" / "aws-efs-csi-driver"

RELEASE = """\
- name: helm {name}
  kubernetes.core.helm:
    binary_path: {helm}
    name: aws-efs-csi-driver
    chart_ref: {chart}
    release_namespace: kube-system
    release_state: {state}
    wait: false
    values:
      controller:
        replicaCount: {replicas}
        serviceAccount:
          name: efs-csi-controller-sa
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/efs-csi
"""

INFO = """\
- name: helm info
  kubernetes.core.helm_info:
    binary_path: {helm}
    name: aws-efs-csi-driver
    release_namespace: kube-system
"""


def _release(helm, name, state="present", replicas=2):
    return RELEASE.format(helm=helm, chart=CHART, name=name, state=state, replicas=replicas)


def test_install_again_upgrade_and_uninstall(kube_api, kube, tmp_path, helm_binary):
    """Two ansible-playbook runs (each costs seconds): install twice and read; upgrade, uninstall."""
    tasks = _release(helm_binary, "install") + _release(helm_binary, "again") + INFO.format(helm=helm_binary)
    installed, again, info = run_playbook(tmp_path, kube_api, tasks)
    assert installed["changed"] is True
    assert again["changed"] is False
    assert info["status"]["status"] == "deployed" and info["status"]["chart"] == "aws-efs-csi-driver-3.1.8"

    account = kube.get("/api/v1/namespaces/kube-system/serviceaccounts/efs-csi-controller-sa").json()
    assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].endswith(":role/efs-csi")
    assert account["metadata"]["annotations"]["meta.helm.sh/release-name"] == "aws-efs-csi-driver"
    assert kube.get("/apis/storage.k8s.io/v1/csidrivers/efs.csi.aws.com").status_code == 200
    deployment = kube.get("/apis/apps/v1/namespaces/kube-system/deployments/efs-csi-controller").json()
    assert deployment["spec"]["replicas"] == 2
    assert kube.get("/apis/apps/v1/namespaces/kube-system/daemonsets/efs-csi-node").status_code == 200
    records = kube.get("/api/v1/namespaces/kube-system/secrets", labelSelector="owner=helm").json()["items"]
    assert [r["metadata"]["labels"]["status"] for r in records] == ["deployed"]
    requests = kube_api.requests()["requests"]
    record_writes = [r for r in requests if r["kind"] == "Secret" and r["write"]]
    assert {r["content_type"] for r in record_writes} == {"application/vnd.kubernetes.protobuf"}

    kube_api.clear_requests()
    upgraded, uninstalled = run_playbook(
        tmp_path, kube_api, _release(helm_binary, "upgrade", replicas=3) + _release(helm_binary, "absent", "absent"))
    assert upgraded["changed"] is True and upgraded["status"]["revision"] == "2"
    assert uninstalled["changed"] is True
    verbs = kube_api.requests()["summary"]["by_verb"]
    assert verbs["patch Deployment"] == 1
    assert "patch DaemonSet" not in verbs  # unchanged objects are left alone
    assert verbs["delete CSIDriver"] == 1
    assert kube.get("/apis/apps/v1/namespaces/kube-system/deployments/efs-csi-controller").status_code == 404
    assert kube.get("/api/v1/namespaces/kube-system/secrets", labelSelector="owner=helm").json()["items"] == []
