"""Change the site out of band: detach the OAC, open the bucket, drop its policy, suspend versioning."""

import sys
from urllib.parse import urlparse

import boto3

endpoint = sys.argv[1]
if urlparse(endpoint).hostname != "127.0.0.1":
    sys.exit("refusing to touch anything but the local endpoint on 127.0.0.1: " + endpoint)

session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
cloudfront = session.client("cloudfront", endpoint_url=endpoint)
s3 = session.client("s3", endpoint_url=endpoint)

summary = next(
    d for d in cloudfront.list_distributions()["DistributionList"]["Items"] if d["Comment"] == "sk-molecule-site"
)
answer = cloudfront.get_distribution_config(Id=summary["Id"])
config = answer["DistributionConfig"]
config["Origins"]["Items"][0]["OriginAccessControlId"] = ""
config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "allow-all"
cloudfront.update_distribution(Id=summary["Id"], IfMatch=answer["ETag"], DistributionConfig=config)

s3.put_bucket_versioning(Bucket="sk-molecule-site", VersioningConfiguration={"Status": "Suspended"})
s3.delete_public_access_block(Bucket="sk-molecule-site")
s3.delete_bucket_policy(Bucket="sk-molecule-site")
print("drifted")
