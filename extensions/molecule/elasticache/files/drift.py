"""Change the molecule cache out of band, the way a console user or another tool would."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

elasticache, = local_clients(sys.argv[1], "elasticache")
group = elasticache.describe_replication_groups(ReplicationGroupId="sk-molecule-cache")["ReplicationGroups"][0]
elasticache.modify_replication_group(ReplicationGroupId="sk-molecule-cache", SnapshotRetentionLimit=1, ApplyImmediately=True)
elasticache.remove_tags_from_resource(ResourceName=group["ARN"], TagKeys=["environment"])
print("drifted", group["ARN"])
