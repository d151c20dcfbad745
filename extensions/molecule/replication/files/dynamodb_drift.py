"""Remove the replica of the molecule global table out of band, the way a console user would."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

endpoint, table, region = sys.argv[1:4]
(dynamodb,) = local_clients(endpoint, "dynamodb")
dynamodb.update_table(TableName=table, ReplicaUpdates=[{"Delete": {"RegionName": region}}])
print("replica in {0} removed".format(region))
