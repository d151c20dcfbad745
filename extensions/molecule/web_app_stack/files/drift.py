"""Change the molecule stack out of band: IAM database authentication off, a broader ECS task policy, the
database CPU alarm's threshold raised and a dashboard widget deleted."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

rds, iam, sts, cloudwatch = local_clients(sys.argv[1], "rds", "iam", "sts", "cloudwatch")
name = sys.argv[2]
rds.modify_db_instance(DBInstanceIdentifier=name + "-db", EnableIAMDatabaseAuthentication=False, ApplyImmediately=True)
account = sts.get_caller_identity()["Account"]
too_broad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
iam.create_policy_version(PolicyArn=f"arn:aws:iam::{account}:policy/{name}-ecs-task",
                          PolicyDocument=json.dumps(too_broad), SetAsDefault=True)
alarm = cloudwatch.describe_alarms(AlarmNames=[f"{name}/rds/{name}-db/cpu"])["MetricAlarms"][0]
cloudwatch.put_metric_alarm(**{key: alarm[key] for key in (
    "AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "MetricName", "Namespace",
    "Statistic", "Dimensions", "Period", "EvaluationPeriods", "ComparisonOperator", "TreatMissingData")}, Threshold=99.0)
body = json.loads(cloudwatch.get_dashboard(DashboardName=name)["DashboardBody"])
body["widgets"].pop()
cloudwatch.put_dashboard(DashboardName=name, DashboardBody=json.dumps(body))
print("drifted", name)
