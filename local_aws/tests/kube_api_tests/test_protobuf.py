"""Protobuf bodies as client-go writes them (helm's release Secrets, DeleteOptions)."""

import base64

import pytest
from storagekit_kube_api import protobuf

PROTOBUF = "application/vnd.kubernetes.protobuf"


def _varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number, value):
    """One field: ints as varints, bytes/str/nested messages length-delimited."""
    if isinstance(value, int):  # bool is an int too
        return _varint(number << 3) + _varint(int(value))
    data = value.encode() if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _map_entry(number, key, value):
    return _field(number, _field(1, key) + _field(2, value))


def _envelope(api_version, kind, raw):
    unknown = _field(1, _field(1, api_version) + _field(2, kind)) + _field(2, raw) + _field(3, "") + _field(4, "")
    return protobuf.MAGIC + unknown


def helm_release_secret(name, namespace=""):
    """A Secret encoded the way gogo-protobuf does: empty strings written, zero time as year 1."""
    zero_time = _field(1, -62135596800) + _field(2, 0)
    metadata = (_field(1, name) + _field(2, "") + _field(3, namespace) + _field(5, "") + _field(6, "")
                + _field(7, 0) + _field(8, zero_time)
                + _map_entry(11, "owner", "helm") + _map_entry(11, "status", "deployed"))
    secret = _field(1, metadata) + _map_entry(2, "release", b"\x1f\x8b binary") + _field(3, "helm.sh/release.v1")
    return _envelope("v1", "Secret", secret)


def test_decode_secret_as_json_form():
    decoded = protobuf.decode(helm_release_secret("sh.helm.release.v1.efs.v1"))
    assert decoded == {
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "sh.helm.release.v1.efs.v1", "labels": {"owner": "helm", "status": "deployed"}},
        "data": {"release": base64.b64encode(b"\x1f\x8b binary").decode()},
        "type": "helm.sh/release.v1",
    }


def test_decode_other_kinds_and_refuse_unknown_ones():
    account = _field(1, _field(1, "efs-csi-controller-sa") + _map_entry(12, "a", "b")) + _field(4, False)
    assert protobuf.decode(_envelope("v1", "ServiceAccount", account))["automountServiceAccountToken"] is False
    config_map = _field(1, _field(1, "c")) + _map_entry(2, "k", "v")
    assert protobuf.decode(_envelope("v1", "ConfigMap", config_map))["data"] == {"k": "v"}
    namespace = _field(1, _field(1, "team")) + _field(2, _field(1, "kubernetes"))
    assert protobuf.decode(_envelope("v1", "Namespace", namespace))["spec"] == {"finalizers": ["kubernetes"]}
    options = _field(1, 0) + _field(4, "Background") + _field(5, "All")
    assert protobuf.decode(_envelope("meta.k8s.io/v1", "DeleteOptions", options)) == {
        "apiVersion": "meta.k8s.io/v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
        "propagationPolicy": "Background", "dryRun": ["All"]}
    with pytest.raises(protobuf.ProtobufError):
        protobuf.decode(_envelope("apps/v1", "Deployment", b""))
    with pytest.raises(protobuf.ProtobufError):
        protobuf.decode(b"{}")


def test_server_accepts_protobuf_create_and_delete(kube):
    path = "/api/v1/namespaces/kube-system/secrets"
    created = kube.request("POST", path, helm_release_secret("sh.helm.release.v1.efs.v1"), PROTOBUF)
    assert created.status_code == 201
    assert created.json()["metadata"]["namespace"] == "kube-system"
    listed = kube.get(path, labelSelector="owner=helm").json()["items"]
    assert [i["type"] for i in listed] == ["helm.sh/release.v1"]
    dry = _envelope("meta.k8s.io/v1", "DeleteOptions", _field(5, "All"))
    assert kube.request("DELETE", f"{path}/sh.helm.release.v1.efs.v1", dry, PROTOBUF).status_code == 200
    assert kube.get(f"{path}/sh.helm.release.v1.efs.v1").status_code == 200
    assert kube.request("POST", path, _envelope("apps/v1", "Deployment", b""), PROTOBUF).status_code == 415
