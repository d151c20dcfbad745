"""Print an EKS add-on as DescribeAddon returns it, as JSON (a read call only)."""

import json
import sys

from local_clients import local_clients

endpoint, cluster, addon = sys.argv[1:]
eks, = local_clients(endpoint, "eks")
try:
    print(json.dumps(eks.describe_addon(clusterName=cluster, addonName=addon)["addon"], default=str))
except eks.exceptions.ResourceNotFoundException:
    print("null")
