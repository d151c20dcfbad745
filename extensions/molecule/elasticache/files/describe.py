"""Print, as JSON, what AWS reports of the molecule cache: read calls only, and never the token."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

NAME = "sk-molecule-cache"
elasticache, secrets, logs = local_clients(sys.argv[1], "elasticache", "secretsmanager", "logs")


def replication_group():
    try:
        return elasticache.describe_replication_groups(ReplicationGroupId=NAME)["ReplicationGroups"][0]
    except elasticache.exceptions.ReplicationGroupNotFoundFault:
        return None


def secret():
    try:
        return secrets.describe_secret(SecretId="elasticache/{0}/auth-token".format(NAME))
    except secrets.exceptions.ResourceNotFoundException:
        return None


group = replication_group()
report = dict(
    replication_group=group,
    tags=elasticache.list_tags_for_resource(ResourceName=group["ARN"])["TagList"] if group else [],
    member_clusters=[
        cluster
        for cluster in elasticache.describe_cache_clusters(ShowCacheNodeInfo=True)["CacheClusters"]
        if cluster.get("ReplicationGroupId") == NAME
    ],
    subnet_groups=[
        subnet_group
        for subnet_group in elasticache.describe_cache_subnet_groups()["CacheSubnetGroups"]
        if subnet_group["CacheSubnetGroupName"] == NAME
    ],
    snapshots=elasticache.describe_snapshots(SnapshotSource="manual")["Snapshots"],
    secret=secret(),
    log_groups=logs.describe_log_groups(logGroupNamePrefix="/aws/elasticache/" + NAME)["logGroups"],
)
print(json.dumps(report, default=str))
