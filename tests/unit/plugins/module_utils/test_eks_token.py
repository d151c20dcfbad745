"""eks_token: the token `aws eks get-token` makes, checked against an independent SigV4 computation.

Presigning is local: a 'before-send' handler fails the test if botocore ever tries to send a request.
"""

import base64
import datetime
import hashlib
import hmac
from urllib.parse import parse_qsl, quote, urlsplit

import boto3
import pytest

from ansible_collections.storagekit.aws.plugins.module_utils import eks_token

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
FROZEN = datetime.datetime(2026, 3, 4, 5, 6, 7)


def refuse_to_send(**kwargs):
    raise AssertionError("presigning must not send a request")


def sts_client(region="eu-west-1", endpoint_url=None):
    session = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=region
    )
    client = session.client("sts", endpoint_url=endpoint_url)
    client.meta.events.register("before-send", refuse_to_send)
    return client


@pytest.fixture
def frozen_clock(monkeypatch):
    """Botocore's signing time and the token module's clock both read FROZEN."""
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda *a, **k: FROZEN)
    monkeypatch.setattr(eks_token, "utc_now", lambda: FROZEN.replace(tzinfo=datetime.timezone.utc))


def url_of(token):
    body = token[len(eks_token.TOKEN_PREFIX):]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")


def expected_signature(url, headers, region):
    """SigV4 of a presigned GET, computed from the AWS specification rather than botocore."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "X-Amz-Signature"]
    canonical_query = "&".join(
        "{0}={1}".format(quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in sorted(query)
    )
    names = sorted(headers)
    canonical_request = "\n".join(
        [
            "GET",
            parts.path or "/",
            canonical_query,
            "".join("{0}:{1}\n".format(n, headers[n]) for n in names),
            ";".join(names),
            hashlib.sha256(b"").hexdigest(),
        ]
    )
    amz_date = dict(query)["X-Amz-Date"]
    scope = "{0}/{1}/sts/aws4_request".format(amz_date[:8], region)
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (amz_date[:8], region, "sts", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def test_token_is_a_presigned_regional_get_caller_identity_url(frozen_clock):
    token, expiration = eks_token.cluster_token(sts_client("eu-west-1"), "prod")

    assert token.startswith("k8s-aws-v1.")
    assert "=" not in token and "+" not in token and "/" not in token
    url = url_of(token)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "sts.eu-west-1.amazonaws.com", "/")
    query = dict(parse_qsl(parts.query))
    assert query["Action"] == "GetCallerIdentity"
    assert query["Version"] == "2011-06-15"
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == "60"
    assert query["X-Amz-Date"] == "20260304T050607Z"
    assert query["X-Amz-Credential"] == ACCESS_KEY + "/20260304/eu-west-1/sts/aws4_request"
    assert query["X-Amz-SignedHeaders"].split(";") == ["host", "x-k8s-aws-id"]
    # The cluster name is signed but not sent in the URL: EKS re-sends it as a header.
    assert "prod" not in url
    headers = {"host": "sts.eu-west-1.amazonaws.com", "x-k8s-aws-id": "prod"}
    assert query["X-Amz-Signature"] == expected_signature(url, headers, "eu-west-1")
    assert expiration == "2026-03-04T05:20:07Z"


def test_the_signature_binds_the_cluster_name(frozen_clock):
    client = sts_client()
    prod = eks_token.cluster_token(client, "prod")[0]
    staging = eks_token.cluster_token(client, "staging")[0]
    assert dict(parse_qsl(urlsplit(url_of(prod)).query))["X-Amz-Signature"] != dict(
        parse_qsl(urlsplit(url_of(staging)).query)
    )["X-Amz-Signature"]
    # Same inputs, same token: the handlers are registered once however often the client is used.
    assert eks_token.cluster_token(client, "prod")[0] == prod


def test_a_configured_endpoint_url_is_the_token_host(frozen_clock):
    url = url_of(eks_token.cluster_token(sts_client("us-west-2", "http://127.0.0.1:4566"), "dev")[0])
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "127.0.0.1:4566")
    query = dict(parse_qsl(parts.query))
    assert query["X-Amz-Credential"].endswith("/us-west-2/sts/aws4_request")
    headers = {"host": "127.0.0.1:4566", "x-k8s-aws-id": "dev"}
    assert query["X-Amz-Signature"] == expected_signature(url, headers, "us-west-2")


def test_padding_is_stripped_whatever_the_url_length():
    for url in ("a", "ab", "abc", "https://sts.eu-west-1.amazonaws.com/?x=1"):
        token = eks_token.token_from_url(url)
        assert not token.endswith("=")
        assert url_of(token) == url


def test_expiration_is_fourteen_minutes_after_now():
    now = datetime.datetime(2026, 12, 31, 23, 50, 0, tzinfo=datetime.timezone.utc)
    assert eks_token.expiration_time(now) == "2027-01-01T00:04:00Z"
