"""Read the trail, its status and selectors, its log bucket, key and log group with read calls only; print JSON.

usage: read_trail.py ENDPOINT TRAIL
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

cloudtrail, s3, kms, logs = local_clients(sys.argv[1], "cloudtrail", "s3", "kms", "logs")
try:
    trail = cloudtrail.get_trail(Name=sys.argv[2])["Trail"]
except cloudtrail.exceptions.TrailNotFoundException:
    print(json.dumps({"trail": None}))
    sys.exit(0)
bucket = trail["S3BucketName"]
group = trail.get("CloudWatchLogsLogGroupArn", "").split(":log-group:")[-1].rsplit(":*", 1)[0]
print(json.dumps({
    "trail": trail,
    "status": cloudtrail.get_trail_status(Name=trail["TrailARN"]),
    "selectors": cloudtrail.get_event_selectors(TrailName=trail["TrailARN"]),
    "object_lock": s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"],
    "versioning": s3.get_bucket_versioning(Bucket=bucket).get("Status"),
    "bucket_policy": json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]),
    "bucket_encryption": s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"],
    "lifecycle": s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"],
    "key": kms.describe_key(KeyId=trail["KmsKeyId"])["KeyMetadata"],
    "key_policy": json.loads(kms.get_key_policy(KeyId=trail["KmsKeyId"], PolicyName="default")["Policy"]),
    "log_groups": logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"] if group else [],
}, default=str))
