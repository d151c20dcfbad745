"""Change the molecule buckets out of band, the way a console user or another tool would."""

import sys
from urllib.parse import urlparse

import boto3

endpoint = sys.argv[1]
if urlparse(endpoint).hostname != "127.0.0.1":
    sys.exit("refusing to touch anything but the local endpoint on 127.0.0.1: " + endpoint)

s3 = boto3.session.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
).client("s3", endpoint_url=endpoint)
s3.put_bucket_versioning(Bucket="sk-molecule-uploads", VersioningConfiguration={"Status": "Suspended"})
s3.delete_public_access_block(Bucket="sk-molecule-uploads")
s3.delete_bucket_policy(Bucket="sk-molecule-backups")
s3.put_bucket_tagging(
    Bucket="sk-molecule-backups",
    Tagging={"TagSet": [{"Key": "data-classification", "Value": "public"}, {"Key": "owner", "Value": "someone"}]},
)
s3.delete_bucket_intelligent_tiering_configuration(Bucket="sk-molecule-uploads", Id="archive-old-uploads")
s3.delete_bucket_lifecycle(Bucket="sk-molecule-backups")
print("drifted")
