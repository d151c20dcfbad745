"""Change the molecule serverless storage out of band: point-in-time recovery off, a broader Lambda policy."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

dynamodb, iam, sts = local_clients(sys.argv[1], "dynamodb", "iam", "sts")
name = sys.argv[2]
dynamodb.update_continuous_backups(TableName=name + "-items",
                                   PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
account = sts.get_caller_identity()["Account"]
too_broad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
iam.create_policy_version(PolicyArn=f"arn:aws:iam::{account}:policy/{name}-lambda",
                          PolicyDocument=json.dumps(too_broad), SetAsDefault=True)
print("drifted", name)
