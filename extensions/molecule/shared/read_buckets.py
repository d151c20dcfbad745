"""Read S3 buckets and the facets asked for, with read calls only, as the S3 API returns them (tags as a dict).

The scenarios verify against AWS's own shapes rather than amazon.aws.s3_bucket_info's, which changed between
amazon.aws 10 and 11 (11 strips ServerSideEncryptionConfiguration, PublicAccessBlockConfiguration and
OwnershipControls and parses the policy), so one verify step serves both supported lines.

usage: read_buckets.py ENDPOINT (--name NAME | --contains TEXT) FACET...
FACET: bucket_encryption bucket_versioning public_access_block bucket_ownership_controls bucket_policy
       bucket_tagging bucket_lifecycle_configuration bucket_cors bucket_logging object_lock_configuration
"""

import json
import sys

import botocore.exceptions
from local_clients import local_clients

READERS = {
    "bucket_encryption": "get_bucket_encryption",
    "bucket_versioning": "get_bucket_versioning",
    "public_access_block": "get_public_access_block",
    "bucket_ownership_controls": "get_bucket_ownership_controls",
    "bucket_policy": "get_bucket_policy",
    "bucket_tagging": "get_bucket_tagging",
    "bucket_lifecycle_configuration": "get_bucket_lifecycle_configuration",
    "bucket_cors": "get_bucket_cors",
    "bucket_logging": "get_bucket_logging",
    "object_lock_configuration": "get_object_lock_configuration",
}

endpoint, how, what, *facets = sys.argv[1:]
(s3,) = local_clients(endpoint, "s3")
names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
names = [n for n in names if (n == what if how == "--name" else what in n)]


def read(name, facet):
    """One facet of one bucket; {} where the bucket has none (NoSuch... errors)."""
    try:
        answer = getattr(s3, READERS[facet])(Bucket=name)
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"].startswith("NoSuch") or "NotFound" in error.response["Error"]["Code"]:
            return {}
        raise
    answer.pop("ResponseMetadata", None)
    if facet == "bucket_tagging":
        return {tag["Key"]: tag["Value"] for tag in answer.get("TagSet", [])}
    return answer


print(json.dumps({"buckets": [dict(name=n, **{f: read(n, f) for f in facets}) for n in sorted(names)]}))
