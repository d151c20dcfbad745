"""Create, read, replace and delete: names, namespaces, uid, resourceVersion, generation."""

import pytest

CONFIG_MAPS = "/api/v1/namespaces/default/configmaps"
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"


def _deployment(image="app:1"):
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"spec": {"containers": [{"name": "web", "image": image}]}}},
    }


def test_create_sets_server_fields_and_get_reads_back(kube):
    created = kube.post(CONFIG_MAPS, {"metadata": {"name": "settings"}, "data": {"a": "1"}})
    assert created.status_code == 201
    body = created.json()
    assert body["apiVersion"] == "v1" and body["kind"] == "ConfigMap"
    assert body["metadata"]["namespace"] == "default"
    assert body["metadata"]["uid"] and body["metadata"]["resourceVersion"] and body["metadata"]["creationTimestamp"]
    assert kube.get(f"{CONFIG_MAPS}/settings").json() == body
    again = kube.post(CONFIG_MAPS, {"metadata": {"name": "settings"}})
    assert (again.status_code, again.json()["reason"]) == (409, "AlreadyExists")


def test_empty_namespace_in_body_is_the_url_namespace(kube):
    created = kube.post(CONFIG_MAPS, {"metadata": {"name": "x", "namespace": ""}})
    assert created.json()["metadata"]["namespace"] == "default"
    mismatch = kube.post(CONFIG_MAPS, {"metadata": {"name": "y", "namespace": "kube-system"}})
    assert mismatch.status_code == 400


@pytest.mark.parametrize("body, status", [
    ({"metadata": {"name": "Bad_Name"}}, 422),
    ({"metadata": {}}, 422),
    ({"kind": "Secret", "metadata": {"name": "x"}}, 400),
])
def test_invalid_bodies_are_refused(kube, body, status):
    assert kube.post(CONFIG_MAPS, body).status_code == status


def test_namespaced_objects_need_their_namespace(kube):
    response = kube.post("/api/v1/namespaces/missing/configmaps", {"metadata": {"name": "x"}})
    assert (response.status_code, response.json()["reason"]) == (404, "NotFound")


def test_replace_checks_resource_version_and_bumps_generation_on_spec_change(kube):
    created = kube.post(DEPLOYMENTS, _deployment()).json()
    assert created["metadata"]["generation"] == 1
    stale = dict(_deployment("app:2"), metadata=dict(created["metadata"], resourceVersion="1"))
    assert kube.put(f"{DEPLOYMENTS}/web", stale).status_code == 409
    fresh = dict(_deployment("app:2"), metadata=created["metadata"])
    replaced = kube.put(f"{DEPLOYMENTS}/web", fresh).json()
    assert replaced["metadata"]["generation"] == 2
    assert replaced["metadata"]["uid"] == created["metadata"]["uid"]
    assert int(replaced["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    relabelled = dict(replaced, metadata=dict(replaced["metadata"], labels={"app": "web", "tier": "front"}))
    assert kube.put(f"{DEPLOYMENTS}/web", relabelled).json()["metadata"]["generation"] == 2
    assert kube.put(f"{DEPLOYMENTS}/missing", _deployment()).status_code == 404  # PUT does not create
    renamed = dict(replaced, metadata=dict(replaced["metadata"], name="other"))
    assert kube.put(f"{DEPLOYMENTS}/web", renamed).status_code == 400


def test_unchanged_update_keeps_resource_version(kube):
    created = kube.post(CONFIG_MAPS, {"metadata": {"name": "same"}, "data": {"a": "1"}}).json()
    replaced = kube.put(f"{CONFIG_MAPS}/same", {"metadata": {"name": "same"}, "data": {"a": "1"}}).json()
    assert replaced["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


def test_delete_reads_options_and_checks_preconditions(kube):
    created = kube.post(CONFIG_MAPS, {"metadata": {"name": "gone"}}).json()
    options = {"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": "other"}}
    assert kube.delete(f"{CONFIG_MAPS}/gone", options).status_code == 409
    options["preconditions"]["uid"] = created["metadata"]["uid"]
    options["propagationPolicy"] = "Foreground"
    deleted = kube.delete(f"{CONFIG_MAPS}/gone", options)
    assert deleted.json()["status"] == "Success"
    assert kube.get(f"{CONFIG_MAPS}/gone").status_code == 404
    assert kube.delete(f"{CONFIG_MAPS}/gone").status_code == 404


def test_deleting_a_namespace_deletes_its_objects(kube):
    kube.post("/api/v1/namespaces", {"metadata": {"name": "team"}})
    kube.post("/api/v1/namespaces/team/serviceaccounts", {"metadata": {"name": "robot"}})
    assert kube.get("/api/v1/namespaces/team").json()["status"]["phase"] == "Active"
    assert kube.delete("/api/v1/namespaces/team").status_code == 200
    assert kube.get("/api/v1/namespaces/team/serviceaccounts/robot").status_code == 404


def test_secret_string_data_is_folded_into_data(kube):
    created = kube.post("/api/v1/namespaces/default/secrets", {"metadata": {"name": "s"}, "stringData": {"k": "v"}})
    body = created.json()
    assert body["data"] == {"k": "dg=="} and body["type"] == "Opaque" and "stringData" not in body
    bad = kube.post("/api/v1/namespaces/default/secrets", {"metadata": {"name": "t"}, "data": {"k": "%%"}})
    assert bad.status_code == 422


def test_cluster_scoped_kinds_have_no_namespace(kube):
    created = kube.post("/apis/rbac.authorization.k8s.io/v1/clusterroles",
                        {"metadata": {"name": "reader", "namespace": "default"}, "rules": []}).json()
    assert "namespace" not in created["metadata"]
    assert kube.get("/apis/rbac.authorization.k8s.io/v1/namespaces/default/clusterroles").status_code == 404
    assert kube.get("/api/v1/persistentvolumes").json()["kind"] == "PersistentVolumeList"


def test_generate_name(kube):
    created = kube.post("/api/v1/namespaces", {"metadata": {"generateName": "team-"}}).json()
    name = created["metadata"]["name"]
    assert name.startswith("team-") and len(name) == len("team-") + 5
    assert created["metadata"]["labels"] == {"kubernetes.io/metadata.name": name}
