"""Label and field selectors on list and deletecollection."""

import pytest
from storagekit_kube_api.selectors import SelectorError, labels_match, parse_label_selector

SECRETS = "/api/v1/namespaces/default/secrets"


@pytest.mark.parametrize("selector, matches", [
    ("owner=helm", True), ("owner==helm", True), ("owner!=helm", False), ("owner", True), ("!owner", False),
    ("owner in (helm, other),status notin (superseded)", True), ("name in (x)", False), ("", True),
    ("missing!=x", True),
])
def test_label_selector_grammar(selector, matches):
    assert labels_match(parse_label_selector(selector), {"owner": "helm", "status": "deployed"}) is matches


def test_label_selector_errors():
    with pytest.raises(SelectorError):
        parse_label_selector("a in b")


def test_list_filters_by_label_and_field(kube):
    for name, status in (("r.v1", "superseded"), ("r.v2", "deployed")):
        kube.post(SECRETS, {"metadata": {"name": name, "labels": {"owner": "helm", "status": status}}})
    kube.post(SECRETS, {"metadata": {"name": "other"}, "type": "kubernetes.io/tls"})

    def names(**params):
        return [i["metadata"]["name"] for i in kube.get(SECRETS, **params).json()["items"]]

    assert names(labelSelector="owner=helm") == ["r.v1", "r.v2"]
    assert names(labelSelector="owner=helm,status=deployed") == ["r.v2"]
    assert names(fieldSelector="metadata.name=other") == ["other"]
    assert names(fieldSelector="type!=Opaque") == ["other"]
    assert kube.get(SECRETS, labelSelector="a in b").status_code == 400
    all_namespaces = kube.get("/api/v1/secrets", fieldSelector="metadata.namespace=default").json()
    assert len(all_namespaces["items"]) == 3 and all_namespaces["kind"] == "SecretList"


def test_delete_collection_by_label(kube):
    for name in ("a", "b"):
        kube.post(SECRETS, {"metadata": {"name": name, "labels": {"drop": "yes" if name == "a" else "no"}}})
    assert kube.delete(SECRETS, labelSelector="drop=yes").status_code == 200
    assert [i["metadata"]["name"] for i in kube.get(SECRETS).json()["items"]] == ["b"]
