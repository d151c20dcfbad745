"""eks_kubeconfig: one DescribeCluster, a private kubeconfig with a fresh token, the token never returned."""

import base64
import json
import os
import stat
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.storagekit.aws.plugins.modules import eks_kubeconfig

ARN = "arn:aws:eks:us-east-1:123456789012:cluster/prod"
ENDPOINT = "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com"
CA_PEM = b"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample\n-----END CERTIFICATE-----\n"
CA_DATA = base64.b64encode(CA_PEM).decode("ascii")


def cluster(**overrides):
    raw = dict(
        name="prod",
        arn=ARN,
        version="1.32",
        endpoint=ENDPOINT,
        status="ACTIVE",
        platformVersion="eks.5",
        roleArn="arn:aws:iam::123456789012:role/eks-cluster",
        certificateAuthority=dict(data=CA_DATA),
    )
    raw.update(overrides)
    return raw


@pytest.fixture
def sts_endpoints(monkeypatch, run_module, stubs):
    """The endpoint each STS client was asked for; that client is a real one on it, with a Stubber, so
    presigning (local computation) uses the real host and any request would fail instead of leaving."""
    asked = []
    stub_client = AnsibleAWSModule.client

    def client(self, service, retry_decorator=None, **kwargs):
        if service != "sts":
            return stub_client(self, service, retry_decorator=retry_decorator, **kwargs)
        asked.append(kwargs.get("endpoint"))
        sts = stubs._session.client("sts", endpoint_url=kwargs["endpoint"])
        Stubber(sts).activate()
        return sts

    monkeypatch.setattr(AnsibleAWSModule, "client", client)
    return asked


def expect_describe(stubs, raw):
    stubs["eks"].add_response("describe_cluster", dict(cluster=raw), dict(name="prod"))


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def url_of(token):
    body = token[len("k8s-aws-v1."):]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")


def test_writes_a_private_kubeconfig_and_returns_no_token(stubs, run_module, sts_endpoints, tmp_path):
    expect_describe(stubs, cluster())
    path = tmp_path / "kube" / "prod.yaml"

    result = run_module(eks_kubeconfig, dict(cluster_name="prod", path=str(path)))

    config = yaml.safe_load(path.read_text())
    assert config["current-context"] == ARN
    (entry,) = config["clusters"]
    assert entry == dict(name=ARN, cluster={"server": ENDPOINT, "certificate-authority-data": CA_DATA})
    (context,) = config["contexts"]
    assert context == dict(name=ARN, context=dict(cluster=ARN, user=ARN))
    (user,) = config["users"]
    token = user["user"]["token"]
    assert user["name"] == ARN and set(user["user"]) == {"token"}

    # The token is a presigned GetCallerIdentity URL for the regional STS host, even with endpoint_url set
    # (the task runs with the loopback stub endpoint): EKS accepts no other host.
    assert sts_endpoints == ["https://sts.us-east-1.amazonaws.com"]
    assert token.startswith("k8s-aws-v1.") and not token.endswith("=")
    parts = urlsplit(url_of(token))
    assert parts.scheme == "https" and parts.netloc == "sts.us-east-1.amazonaws.com"
    query = dict(parse_qsl(parts.query))
    assert query["Action"] == "GetCallerIdentity"
    assert query["X-Amz-Expires"] == "60"
    assert "x-k8s-aws-id" in query["X-Amz-SignedHeaders"].split(";")
    assert query["X-Amz-Credential"].endswith("/us-east-1/sts/aws4_request")

    ca_path = tmp_path / "kube" / "prod.ca.crt"
    assert ca_path.read_bytes() == CA_PEM
    assert mode_of(path) == 0o600 and mode_of(ca_path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["prod.ca.crt", "prod.yaml"]

    assert result["changed"] is False
    assert result["kubeconfig"] == str(path)
    assert result["ca_cert"] == str(ca_path)
    assert result["host"] == ENDPOINT
    assert result["context"] == ARN
    assert result["cluster"] == dict(
        name="prod", arn=ARN, version="1.32", endpoint=ENDPOINT, status="ACTIVE", platform_version="eks.5"
    )
    assert len(result["expiration"]) == 20 and result["expiration"].endswith("Z")
    dumped = json.dumps(result)
    assert token not in dumped and token[len("k8s-aws-v1."):][:40] not in dumped
    assert "certificate-authority-data" not in dumped


def test_default_path_is_per_account_region_and_cluster_and_context_alias(stubs, run_module, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    expect_describe(stubs, cluster())

    result = run_module(eks_kubeconfig, dict(cluster_name="prod", alias="prod"))

    directory = tmp_path / ".kube" / "eks" / "123456789012" / "us-east-1"
    assert result["kubeconfig"] == str(directory / "prod.kubeconfig")
    assert result["ca_cert"] == str(directory / "prod.ca.crt")
    assert result["context"] == "prod"
    config = yaml.safe_load((directory / "prod.kubeconfig").read_text())
    assert config["current-context"] == "prod"
    assert config["contexts"][0]["context"] == dict(cluster=ARN, user=ARN)


def test_check_mode_still_writes_the_credential_cache(stubs, run_module, tmp_path):
    expect_describe(stubs, cluster())
    path = tmp_path / "prod"

    result = run_module(eks_kubeconfig, dict(cluster_name="prod", path=str(path)), check_mode=True)

    assert result["changed"] is False
    assert yaml.safe_load(path.read_text())["clusters"][0]["cluster"]["server"] == ENDPOINT
    assert (tmp_path / "prod.ca.crt").read_bytes() == CA_PEM


def test_a_rerun_replaces_the_token_and_stays_unchanged(stubs, run_module, tmp_path, monkeypatch):
    made = iter(["k8s-aws-v1.first", "k8s-aws-v1.second"])
    monkeypatch.setattr(eks_kubeconfig, "cluster_token", lambda sts, name: (next(made), "2026-03-04T05:20:07Z"))
    path = tmp_path / "prod.yaml"
    for expected in ("k8s-aws-v1.first", "k8s-aws-v1.second"):
        expect_describe(stubs, cluster())
        result = run_module(eks_kubeconfig, dict(cluster_name="prod", path=str(path)))
        assert result["changed"] is False
        assert yaml.safe_load(path.read_text())["users"][0]["user"]["token"] == expected
        assert mode_of(path) == 0o600


def test_a_cluster_that_is_not_active_fails_before_writing(stubs, run_module, tmp_path):
    raw = cluster(status="CREATING")
    del raw["endpoint"], raw["certificateAuthority"]
    expect_describe(stubs, raw)
    path = tmp_path / "prod.yaml"

    result = run_module(eks_kubeconfig, dict(cluster_name="prod", path=str(path)), expect_failure=True)

    assert "prod is CREATING, not ACTIVE" in result["msg"]
    assert result["cluster"]["status"] == "CREATING"
    assert list(tmp_path.iterdir()) == []


def test_a_missing_cluster_fails_clearly(stubs, run_module, tmp_path):
    stubs["eks"].add_client_error(
        "describe_cluster", "ResourceNotFoundException", "No cluster found for name: prod.", 404, expected_params=dict(name="prod")
    )
    result = run_module(eks_kubeconfig, dict(cluster_name="prod", path=str(tmp_path / "k")), expect_failure=True)
    assert result["msg"] == "EKS cluster prod does not exist in region us-east-1."
    assert list(tmp_path.iterdir()) == []


def test_a_local_cluster_on_outposts_signs_its_cluster_id(stubs, run_module, tmp_path, monkeypatch):
    signed_for = []

    def fake_token(sts, identifier):
        signed_for.append(identifier)
        return "k8s-aws-v1.x", "2026-03-04T05:20:07Z"

    monkeypatch.setattr(eks_kubeconfig, "cluster_token", fake_token)
    expect_describe(stubs, cluster(id="a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", outpostConfig=dict(
        outpostArns=["arn:aws:outposts:us-east-1:123456789012:outpost/op-0123456789abcdef0"],
        controlPlaneInstanceType="m5.large",
    )))
    run_module(eks_kubeconfig, dict(cluster_name="prod", path=str(tmp_path / "k")))
    assert signed_for == ["a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"]


@pytest.mark.parametrize(
    "region, expected",
    [
        ("us-east-1", "https://sts.us-east-1.amazonaws.com"),
        ("eu-west-3", "https://sts.eu-west-3.amazonaws.com"),
        ("us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com"),
        ("cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn"),
        ("cn-northwest-1", "https://sts.cn-northwest-1.amazonaws.com.cn"),
    ],
)
def test_sts_endpoint_is_the_regional_host_of_the_partition(region, expected):
    assert eks_kubeconfig.sts_endpoint(region) == expected
