"""The stack whose data events the trail logs: a bucket and a table (create), or nothing (delete)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

s3, dynamodb = local_clients(sys.argv[1], "s3", "dynamodb")
BUCKET, TABLE = "storagekit-molecule-audit-uploads", "storagekit-molecule-audit-orders"
if sys.argv[2] == "create":
    s3.create_bucket(Bucket=BUCKET)
    dynamodb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
else:
    s3.delete_bucket(Bucket=BUCKET)
    dynamodb.delete_table(TableName=TABLE)
