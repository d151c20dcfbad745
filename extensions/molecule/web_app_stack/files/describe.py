"""Read the molecule stack back (read calls only) and print it as JSON for verify.yml."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position
from policy_document import policy_document  # noqa: E402  pylint: disable=wrong-import-position

rds, elasticache, s3, iam, sts = local_clients(sys.argv[1], "rds", "elasticache", "s3", "iam", "sts")
name = sys.argv[2]
bucket = name + "-uploads"
print(json.dumps({
    "db": rds.describe_db_instances(DBInstanceIdentifier=name + "-db")["DBInstances"][0],
    "cache": elasticache.describe_replication_groups(ReplicationGroupId=name + "-sessions")["ReplicationGroups"][0],
    "bucket_encryption": s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"],
    "bucket_public_access_block": s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"],
    "policy": policy_document(iam, sts, name + "-ecs-task"),
}, default=str))
