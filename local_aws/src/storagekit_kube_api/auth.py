"""Bearer-token authentication: a fixed token, or an EKS token as aws-iam-authenticator checks it.

An EKS token is "k8s-aws-v1." + base64url (no padding) of a presigned STS GetCallerIdentity
URL whose signed headers include x-k8s-aws-id. EKS sends that URL to STS with the header set
to its own cluster name, so the signature only holds for the cluster the token was made
for. STS is never called here: the signature is recomputed with the secret keys this server
was given (the tests' dummy credentials), which proves the same thing locally.
"""

import base64
import binascii
import datetime
import hmac
import re
from urllib.parse import parse_qs, urlsplit, urlunsplit

from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EKS_PREFIX = "k8s-aws-v1."
CLUSTER_ID_HEADER = "x-k8s-aws-id"
STS_HOST = re.compile(r"^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$")
MAX_TOKEN_AGE = datetime.timedelta(minutes=15)
DEFAULT_AWS_CREDENTIALS = {"testing": "testing"}


class Authenticator:
    """Decides whether an Authorization header is accepted."""

    def __init__(self, token, cluster_name, aws_credentials=None):
        self.token = token
        self.cluster_name = cluster_name
        self.aws_credentials = dict(DEFAULT_AWS_CREDENTIALS if aws_credentials is None else aws_credentials)

    def accepts(self, authorization):
        if not authorization or not authorization.startswith("Bearer "):
            return False
        token = authorization[len("Bearer "):].strip()
        if self.token and hmac.compare_digest(token.encode(), self.token.encode()):
            return True
        if token.startswith(EKS_PREFIX):
            return self.eks_token_problem(token) is None
        return False

    def eks_token_problem(self, token, now=None):
        """None for a valid EKS token, else why it is refused."""
        encoded = token[len(EKS_PREFIX):]
        try:
            url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "not base64url"
        parts = urlsplit(url)
        if parts.scheme != "https" or not STS_HOST.match(parts.hostname or "") or parts.path not in ("", "/"):
            return "not an STS URL"
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if query.get("Action") != "GetCallerIdentity" or query.get("Version") != "2011-06-15":
            return "not a GetCallerIdentity call"
        if query.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
            return "not SigV4"
        signed_headers = query.get("X-Amz-SignedHeaders", "").split(";")
        if CLUSTER_ID_HEADER not in signed_headers or "host" not in signed_headers:
            return f"{CLUSTER_ID_HEADER} is not a signed header"
        credential = query.get("X-Amz-Credential", "").split("/")
        if len(credential) != 5 or credential[3] != "sts" or credential[4] != "aws4_request":
            return "bad credential scope"
        try:
            signed_at = datetime.datetime.strptime(query.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ")
            expires = int(query.get("X-Amz-Expires", "0"))
        except ValueError:
            return "bad date or expiry"
        if expires > MAX_TOKEN_AGE.total_seconds():
            return "X-Amz-Expires is too large"
        # aws-iam-authenticator accepts a token for 15 minutes from its X-Amz-Date, whatever shorter X-Amz-Expires
        # the client signed (aws eks get-token signs 60 s and reuses the token for 14 minutes).
        now = now or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        if not signed_at - datetime.timedelta(minutes=5) <= now <= signed_at + MAX_TOKEN_AGE:
            return "expired"
        secret = self.aws_credentials.get(credential[0])
        if secret is None:
            return "unknown access key"
        expected = self._signature(parts, query, credential, secret, signed_headers)
        if not hmac.compare_digest(expected, query.get("X-Amz-Signature", "")):
            return f"signature does not match for {CLUSTER_ID_HEADER}={self.cluster_name}"
        return None

    def _signature(self, parts, query, credential, secret, signed_headers):
        """The SigV4 query signature of this URL with x-k8s-aws-id set to our cluster name."""
        unsigned = "&".join(p for p in parts.query.split("&") if not p.startswith("X-Amz-Signature="))
        url = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", unsigned, ""))
        headers = {CLUSTER_ID_HEADER: self.cluster_name}
        headers.update({h: "" for h in signed_headers if h not in ("host", CLUSTER_ID_HEADER)})
        request = AWSRequest(method="GET", url=url, headers=headers)
        request.context["timestamp"] = query["X-Amz-Date"]
        signer = SigV4QueryAuth(Credentials(credential[0], secret, query.get("X-Amz-Security-Token")),
                                "sts", credential[2])
        canonical = signer.canonical_request(request)
        return signer.signature(signer.string_to_sign(request, canonical), request)
