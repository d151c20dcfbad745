"""Print an ElastiCache replication group as DescribeReplicationGroups returns it, as JSON (a read call only).

usage: read_replication_group.py ENDPOINT REPLICATION_GROUP_ID
"""

import json
import sys

from local_clients import local_clients

endpoint, group_id = sys.argv[1:]
elasticache, = local_clients(endpoint, "elasticache")
try:
    group = elasticache.describe_replication_groups(ReplicationGroupId=group_id)["ReplicationGroups"][0]
except elasticache.exceptions.ReplicationGroupNotFoundFault:
    group = None
print(json.dumps(group, default=str))
