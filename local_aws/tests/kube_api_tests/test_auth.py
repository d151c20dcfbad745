"""Bearer tokens: the fixed token and EKS tokens (presigned STS GetCallerIdentity URLs)."""

import base64
import datetime

import boto3
import pytest
from storagekit_kube_api.auth import Authenticator

from .conftest import CLUSTER_NAME
from .helpers import KubeHTTP


def eks_token(cluster_name, access_key="testing", secret_key="testing", region="us-east-1"):
    """An EKS token as `aws eks get-token` makes it; presigning is local, nothing is sent."""
    session = boto3.session.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                                    region_name=region)
    sts = session.client("sts", region_name=region, endpoint_url=f"https://sts.{region}.amazonaws.com")

    def add_cluster_header(request, **_):
        request.headers["x-k8s-aws-id"] = cluster_name

    sts.meta.events.register("before-sign.sts.GetCallerIdentity", add_cluster_header)
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=60, HttpMethod="GET")
    return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def _status(kube_api, token):
    return KubeHTTP(kube_api, token=token).get("/api/v1/namespaces").status_code


def test_fixed_token(kube_api, kube):
    assert kube.get("/api/v1/namespaces").status_code == 200
    assert _status(kube_api, "wrong") == 401
    anonymous = kube.session.get(kube_api.url + "/version", verify=kube.ca_file, timeout=10,
                                 headers={"Authorization": ""})
    assert (anonymous.status_code, anonymous.json()["reason"]) == (401, "Unauthorized")


def test_valid_eks_token(kube_api):
    assert _status(kube_api, eks_token(CLUSTER_NAME)) == 200
    assert _status(kube_api, eks_token(CLUSTER_NAME, region="eu-west-1")) == 200


@pytest.mark.parametrize("token", [
    pytest.param(lambda: eks_token("another-cluster"), id="other-cluster"),
    pytest.param(lambda: eks_token(CLUSTER_NAME, secret_key="not-the-key"), id="bad-signature"),
    pytest.param(lambda: eks_token(CLUSTER_NAME, access_key="AKIDUNKNOWN"), id="unknown-access-key"),
    pytest.param(lambda: "k8s-aws-v1." + base64.urlsafe_b64encode(b"https://example.com/?Action=x").decode(),
                 id="not-sts"),
    pytest.param(lambda: "k8s-aws-v1.%%%", id="not-base64"),
])
def test_invalid_eks_tokens(kube_api, token):
    assert _status(kube_api, token()) == 401


def test_eks_token_problems_are_named():
    authenticator = Authenticator("fixed", CLUSTER_NAME)
    token = eks_token(CLUSTER_NAME)
    assert authenticator.eks_token_problem(token) is None
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    # Signed for 60 s, accepted for 15 minutes, as aws-iam-authenticator does.
    assert authenticator.eks_token_problem(token, now=now + datetime.timedelta(minutes=10)) is None
    assert authenticator.eks_token_problem(token, now=now + datetime.timedelta(minutes=20)) == "expired"
    assert "x-k8s-aws-id" in Authenticator("fixed", "other").eks_token_problem(token)
    url = base64.urlsafe_b64decode(token[len("k8s-aws-v1."):] + "==").decode().replace("%3Bx-k8s-aws-id", "")
    stripped = "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
    assert authenticator.eks_token_problem(stripped) == "x-k8s-aws-id is not a signed header"


def test_control_api_needs_no_token(kube_api):
    assert kube_api.health()["status"] == "ok"
