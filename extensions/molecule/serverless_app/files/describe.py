"""Read the molecule serverless storage back (read calls only) and print it as JSON for verify.yml."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position
from policy_document import policy_document  # noqa: E402  pylint: disable=wrong-import-position

dynamodb, s3, iam, sts = local_clients(sys.argv[1], "dynamodb", "s3", "iam", "sts")
name = sys.argv[2]
table = name + "-items"
bucket = name + "-static"
backups = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
print(json.dumps({
    "table": dynamodb.describe_table(TableName=table)["Table"],
    "point_in_time_recovery": backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"],
    "bucket_encryption": s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"],
    "bucket_public_access_block": s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"],
    "policy": policy_document(iam, sts, name + "-lambda"),
}, default=str))
