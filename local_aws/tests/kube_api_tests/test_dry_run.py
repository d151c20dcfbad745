"""dryRun=All: the server validates and answers, stores nothing, and logs no write."""

CONFIG_MAPS = "/api/v1/namespaces/default/configmaps"


def test_dry_run_create_patch_and_delete_change_nothing(kube, kube_api):
    answer = kube.post(CONFIG_MAPS, {"metadata": {"name": "dry"}}, dryRun="All")
    assert answer.status_code == 201 and answer.json()["metadata"]["uid"]
    assert kube.get(f"{CONFIG_MAPS}/dry").status_code == 404

    stored = kube.post(CONFIG_MAPS, {"metadata": {"name": "real"}, "data": {"a": "1"}}).json()
    kube_api.clear_requests()
    patched = kube.patch(f"{CONFIG_MAPS}/real", {"data": {"a": "2"}}, "application/merge-patch+json", dryRun="All")
    assert patched.json()["data"] == {"a": "2"}
    options = {"kind": "DeleteOptions", "apiVersion": "v1", "dryRun": ["All"]}
    assert kube.delete(f"{CONFIG_MAPS}/real", options).status_code == 200
    assert kube.get(f"{CONFIG_MAPS}/real").json() == stored

    entries = kube_api.requests()["requests"]
    assert [(e["verb"], e["write"], e["dry_run"]) for e in entries] == [
        ("patch", False, True), ("delete", False, True), ("get", False, False)]
    assert kube_api.requests()["summary"]["writes"] == 0


def test_dry_run_still_validates(kube):
    assert kube.post(CONFIG_MAPS, {"metadata": {"name": "Bad"}}, dryRun="All").status_code == 422
    assert kube.post(CONFIG_MAPS, {"metadata": {"name": "x"}}, dryRun="Some").status_code == 400
