"""Create or delete the EKS cluster of the scenario, which no module of the collection manages.

usage: cluster.py ENDPOINT create|delete NAME [SUBNET_ID ...]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

endpoint, action, name, *subnets = sys.argv[1:]
eks, = local_clients(endpoint, "eks")
existing = eks.list_clusters()["clusters"]
if action == "create" and name not in existing:
    eks.create_cluster(
        name=name,
        version="1.32",
        roleArn="arn:aws:iam::123456789012:role/" + name + "-cluster",
        resourcesVpcConfig={"subnetIds": subnets or ["subnet-00000000000000001", "subnet-00000000000000002"]},
    )
    print("created", name)
elif action == "delete" and name in existing:
    eks.delete_cluster(name=name)
    print("deleted", name)
