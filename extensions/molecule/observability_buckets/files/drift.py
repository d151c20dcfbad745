"""Change the observability buckets and roles out of band."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

s3, iam = local_clients(sys.argv[1], "s3", "iam")
s3.put_public_access_block(
    Bucket="sk-molecule-tempo-traces-use1",
    PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False, "RestrictPublicBuckets": False,
    },
)
s3.delete_bucket_policy(Bucket="sk-molecule-loki-chunks-use1")
s3.put_bucket_versioning(Bucket="sk-molecule-mimir-ruler-use1", VersioningConfiguration={"Status": "Suspended"})
iam.delete_role_policy(RoleName="sk-molecule-mimir-storage", PolicyName="mimir-buckets")
print("drifted")
