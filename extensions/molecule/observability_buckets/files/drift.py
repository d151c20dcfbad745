"""Change the observability buckets and roles out of band."""

import sys
from urllib.parse import urlparse

import boto3

endpoint = sys.argv[1]
if urlparse(endpoint).hostname != "127.0.0.1":
    sys.exit("refusing to touch anything but the local endpoint on 127.0.0.1: " + endpoint)

session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
s3 = session.client("s3", endpoint_url=endpoint)
iam = session.client("iam", endpoint_url=endpoint)
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
