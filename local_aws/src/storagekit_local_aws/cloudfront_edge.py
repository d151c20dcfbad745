"""A stand-in for CloudFront's edge, so a browser or curl can open a site the endpoint hosts.

A plain (unsigned) GET or HEAD whose Host is a distribution's domain name or one of its aliases, with
`.localhost` appended or not, is answered as the distribution would answer it. Browsers and curl resolve
every `*.localhost` name to the loopback address (RFC 6761), so `http://www.example.com.localhost:PORT/`
reaches the endpoint with that Host; `curl -H 'Host: www.example.com' http://127.0.0.1:PORT/` does too.

As CloudFront does: only enabled distributions answer; `/` is the default root object; the object comes
from the default behavior's S3 origin (with its origin path) as CloudFront's service principal reads it
through an origin access control, so the bucket policy must allow `cloudfront.amazonaws.com` with the
distribution's ARN as `aws:SourceArn` (else 403, as S3 answers); a missing object is 403 unless the policy
also allows `s3:ListBucket` (then 404); custom error responses replace 403 and 404; the object's
Content-Type, Cache-Control and ETag are sent, and the managed SecurityHeadersPolicy's headers when the
behavior uses it. Not modelled: caching, TTLs, other behaviors, other origins, signed URLs, HTTPS.
"""

from .extensions.cloudfront import MANAGED_RESPONSE_HEADERS_POLICIES
from .extensions.s3 import service_permission
from .responses import Reply

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "X-XSS-Protection": "1; mode=block",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
SUFFIX = ".localhost"


def requested_host(environ):
    """The Host header without port and `.localhost`, lower case."""
    host = environ.get("HTTP_HOST", "").rsplit(":", 1)[0].lower().rstrip(".")
    return host[: -len(SUFFIX)] if host.endswith(SUFFIX) else host


class Edge:
    """Answers site requests from the distributions the CloudFront extension keeps."""

    def __init__(self, cloudfront):
        self.cloudfront = cloudfront

    def find(self, host):
        """(account id, distribution record) of the enabled distribution serving `host`, or None."""
        for (account_id, _id), record in self.cloudfront.distributions():
            config = record["config"]
            names = [record["domain"], *config.get("Aliases", {}).get("Items", [])]
            if config.get("Enabled") and host in [n.lower() for n in names]:
                return account_id, record
        return None

    def answer(self, environ):
        """A Reply for a site request, or None when the request is not one."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        host = requested_host(environ)
        if not host or host in ("127.0.0.1", "localhost"):
            return None
        found = self.find(host)
        if found is None:
            return None
        reply = self.serve(*found, environ.get("PATH_INFO") or "/")
        if environ["REQUEST_METHOD"] == "HEAD":
            reply.body = b""
        return reply

    def serve(self, account_id, record, path):
        config = record["config"]
        if path == "/" and config.get("DefaultRootObject"):
            path = "/" + config["DefaultRootObject"]
        status, key = self.fetch(account_id, record, path)
        if status != 200:
            for response in config.get("CustomErrorResponses", {}).get("Items", []):
                if int(response["ErrorCode"]) == status and response.get("ResponsePagePath"):
                    page_status, key = self.fetch(account_id, record, response["ResponsePagePath"])
                    status = int(response.get("ResponseCode") or status) if page_status == 200 else page_status
                    break
        headers = self.security_headers(config)
        if key is None:
            return Reply(status, [("Content-Type", "text/html"), *headers], b"<h1>%d</h1>" % status)
        headers += [("Content-Type", key.metadata.get("Content-Type") or "binary/octet-stream"), ("ETag", key.etag)]
        if key.metadata.get("Cache-Control"):
            headers.append(("Cache-Control", key.metadata["Cache-Control"]))
        return Reply(status, headers, key.value)

    def fetch(self, account_id, record, path):
        """(status, moto key or None) for an object path, read as the distribution's origin access control."""
        from moto.s3.exceptions import MissingBucket
        from moto.s3.models import s3_backends

        behavior = record["config"]["DefaultCacheBehavior"]
        origin = next(o for o in record["config"]["Origins"]["Items"] if o["Id"] == behavior["TargetOriginId"])
        bucket_name = origin["DomainName"].split(".s3.")[0].split(".s3-")[0]
        key_name = (origin.get("OriginPath") or "").strip("/") + "/" + path.lstrip("/")
        key_name = key_name.lstrip("/")
        backend = s3_backends[account_id]["aws"]
        try:
            bucket = backend.get_bucket(bucket_name)
        except MissingBucket:
            return 404, None
        context = {"aws:sourcearn": record["arn"], "aws:sourceaccount": account_id}
        if not service_permission(bucket, "cloudfront.amazonaws.com", "s3:GetObject",
                                  f"arn:aws:s3:::{bucket_name}/{key_name}", context):
            return 403, None
        key = backend.get_object(bucket_name, key_name)  # None for a delete marker
        if key is not None:
            return 200, key
        may_list = service_permission(bucket, "cloudfront.amazonaws.com", "s3:ListBucket",
                                      f"arn:aws:s3:::{bucket_name}", context)
        return (404 if may_list else 403), None

    @staticmethod
    def security_headers(config):
        policy_id = config["DefaultCacheBehavior"].get("ResponseHeadersPolicyId")
        return list(SECURITY_HEADERS.items()) if policy_id in MANAGED_RESPONSE_HEADERS_POLICIES else []
