"""kubernetes.core.k8s and k8s_info, run by ansible-playbook, against the server."""

from .helpers import run_playbook

STORAGE_CLASS = """\
- name: storage class
  kubernetes.core.k8s:
    state: present
    wait: false
    definition:
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: efs-sc
        labels: {{tier: shared}}
      provisioner: efs.csi.aws.com
      parameters:
        provisioningMode: efs-ap
        fileSystemId: fs-0123456789abcdef0
        directoryPerms: "{perms}"
- name: namespace
  kubernetes.core.k8s:
    state: present
    wait: false
    definition:
      apiVersion: v1
      kind: Namespace
      metadata:
        name: storage
        labels: {{team: "{team}"}}
"""

FACTS = """\
- name: read back
  kubernetes.core.k8s_info:
    api_version: storage.k8s.io/v1
    kind: StorageClass
    label_selectors: [tier=shared]
"""

ABSENT = """\
- kubernetes.core.k8s:
    state: absent
    api_version: storage.k8s.io/v1
    kind: StorageClass
    name: efs-sc
    wait: false
- kubernetes.core.k8s:
    state: absent
    api_version: v1
    kind: Namespace
    name: storage
    wait: false
"""


def _summary(kube_api):
    return kube_api.requests()["summary"]


def test_create_rerun_check_patch_and_delete(kube_api, kube, tmp_path):
    """Three ansible-playbook runs (each costs seconds): create twice, --check, patch then delete."""
    present = STORAGE_CLASS.format(perms="700", team="a")
    created = run_playbook(tmp_path, kube_api, present + present)
    assert [r["changed"] for r in created] == [True, True, False, False]
    assert created[1]["result"]["status"]["phase"] == "Active"
    assert created[3]["result"]["metadata"]["resourceVersion"] == created[1]["result"]["metadata"]["resourceVersion"]
    assert kube.get("/apis/storage.k8s.io/v1/storageclasses/efs-sc").json()["parameters"]["directoryPerms"] == "700"

    kube_api.clear_requests()
    checked = run_playbook(tmp_path, kube_api, STORAGE_CLASS.format(perms="750", team="b"), check=True)
    assert [r["changed"] for r in checked] == [True, True]
    summary = _summary(kube_api)
    assert summary["writes"] == 0, summary
    assert summary["dry_run_writes"] == 2, summary  # kubernetes.core asks the server for a dry run
    assert kube.get("/apis/storage.k8s.io/v1/storageclasses/efs-sc").json()["parameters"]["directoryPerms"] == "700"

    kube_api.clear_requests()
    results = run_playbook(tmp_path, kube_api, STORAGE_CLASS.format(perms="750", team="b") + FACTS + ABSENT)
    patched_class, patched_namespace, facts, *deletes = results
    assert patched_class["changed"] and patched_namespace["changed"]
    assert facts["resources"][0]["parameters"]["directoryPerms"] == "750"
    assert patched_namespace["result"]["metadata"]["labels"] == {"team": "b", "kubernetes.io/metadata.name": "storage"}
    assert [r["changed"] for r in deletes] == [True, True]
    assert kube.get("/apis/storage.k8s.io/v1/storageclasses/efs-sc").status_code == 404
    assert kube.get("/api/v1/namespaces/storage").status_code == 404
    verbs = _summary(kube_api)["by_verb"]
    assert verbs["patch StorageClass"] == 1 and verbs["patch Namespace"] == 1
    assert verbs["delete StorageClass"] == 1 and verbs["delete Namespace"] == 1
