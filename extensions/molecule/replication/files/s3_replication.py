"""The S3 side of the replication scenario, by boto3 against the local endpoint only.

drift BUCKET: remove the bucket's replication configuration, the way a console user would.
verify SOURCE REGION REPLICA REPLICA_REGION KEY_ARN: write an object to the source and read it from the replica,
encrypted with the replica region's key.
gone BUCKET...: fail if any of the buckets still exists.
"""

import sys
import time
from pathlib import Path

from botocore.exceptions import ClientError

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

endpoint, action, *args = sys.argv[1:]


def read_back(s3, bucket, key, seconds=10):
    """Replication is asynchronous on AWS: poll for a while before giving up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return s3.get_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] != "NoSuchKey":
                raise
        time.sleep(0.5)
    sys.exit("object {0} not readable in {1}".format(key, bucket))


if action == "drift":
    (s3,) = local_clients(endpoint, "s3")
    s3.delete_bucket_replication(Bucket=args[0])
    print("replication of {0} removed".format(args[0]))
elif action == "verify":
    source, region, replica, replica_region, key_arn = args
    (source_s3,) = local_clients(endpoint, "s3", region=region)
    (replica_s3,) = local_clients(endpoint, "s3", region=replica_region)
    written = source_s3.put_object(Bucket=source, Key="verify/hello.txt", Body=b"hello from " + region.encode())
    got = read_back(replica_s3, replica, "verify/hello.txt")
    assert got["Body"].read() == b"hello from " + region.encode(), got
    assert got["ReplicationStatus"] == "REPLICA", got
    assert got["VersionId"] == written["VersionId"], (got["VersionId"], written["VersionId"])
    assert got["ServerSideEncryption"] == "aws:kms" and got["SSEKMSKeyId"] == key_arn, (got.get("SSEKMSKeyId"), key_arn)
    assert written["SSEKMSKeyId"] != key_arn, "the source object should use the source region's key"
    assert source_s3.head_object(Bucket=source, Key="verify/hello.txt")["ReplicationStatus"] == "COMPLETED"
    location = replica_s3.get_bucket_location(Bucket=replica)["LocationConstraint"]
    assert location == replica_region, location
    print("written in {0}/{1}, read from {2}/{3} with {4}".format(region, source, replica_region, replica, key_arn))
elif action == "gone":
    (s3,) = local_clients(endpoint, "s3")
    names = set(b["Name"] for b in s3.list_buckets()["Buckets"])
    left = [b for b in args if b in names]
    if left:
        sys.exit("buckets left: {0}".format(left))
else:
    sys.exit("unknown action " + action)
