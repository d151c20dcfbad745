"""Change the molecule stack out of band: IAM database authentication off, a broader ECS task policy."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

rds, iam, sts = local_clients(sys.argv[1], "rds", "iam", "sts")
name = sys.argv[2]
rds.modify_db_instance(DBInstanceIdentifier=name + "-db", EnableIAMDatabaseAuthentication=False, ApplyImmediately=True)
account = sts.get_caller_identity()["Account"]
too_broad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
iam.create_policy_version(PolicyArn=f"arn:aws:iam::{account}:policy/{name}-ecs-task",
                          PolicyDocument=json.dumps(too_broad), SetAsDefault=True)
print("drifted", name)
