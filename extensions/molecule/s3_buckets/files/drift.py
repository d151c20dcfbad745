"""Change the molecule buckets out of band, the way a console user or another tool would."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

s3, = local_clients(sys.argv[1], "s3")
s3.put_bucket_versioning(Bucket="sk-molecule-uploads", VersioningConfiguration={"Status": "Suspended"})
s3.delete_public_access_block(Bucket="sk-molecule-uploads")
s3.delete_bucket_policy(Bucket="sk-molecule-backups")
s3.put_bucket_tagging(
    Bucket="sk-molecule-backups",
    Tagging={"TagSet": [{"Key": "data-classification", "Value": "public"}, {"Key": "owner", "Value": "someone"}]},
)
s3.delete_bucket_intelligent_tiering_configuration(Bucket="sk-molecule-uploads", Id="archive-old-uploads")
s3.delete_bucket_lifecycle(Bucket="sk-molecule-backups")
# Object Lock cannot be removed, but its default retention can be changed.
s3.put_object_lock_configuration(
    Bucket="sk-molecule-backups",
    ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Years": 5}}},
)
print("drifted")
