"""The request log: what a test reads to prove which calls a run made."""


def test_entries_summary_and_clear(kube_api, kube):
    kube.get("/api/v1")
    kube.post("/api/v1/namespaces", {"metadata": {"name": "team"}})
    kube.get("/api/v1/namespaces/team")
    log = kube_api.requests()
    entries = log["requests"]
    assert [(e["verb"], e["kind"], e["write"]) for e in entries] == [
        ("get", None, False), ("create", "Namespace", True), ("get", "Namespace", False)]
    assert entries[1]["path"] == "/api/v1/namespaces" and entries[1]["status"] == 201
    assert log["summary"]["writes"] == 1 and log["summary"]["reads"] == 2
    assert kube_api.requests(since=entries[1]["seq"])["requests"] == entries[2:]

    assert kube_api.clear_requests() == {"cleared": 3}
    kube.get("/api/v1/namespaces/team")
    assert kube_api.requests()["requests"][0]["seq"] == 4  # numbers never restart


def test_refused_requests_are_logged(kube_api, kube):
    kube.delete("/api/v1/namespaces/missing")
    entry = kube_api.requests()["requests"][0]
    assert (entry["verb"], entry["status"], entry["write"]) == ("delete", 404, True)
