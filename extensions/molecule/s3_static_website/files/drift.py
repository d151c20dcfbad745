"""Change the site out of band: detach the OAC, open the bucket, drop its policy, suspend versioning."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

cloudfront, s3 = local_clients(sys.argv[1], "cloudfront", "s3")
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
