"""Change the molecule tables out of band, the way a console user or another tool would."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

dynamodb, autoscaling = local_clients(sys.argv[1], "dynamodb", "application-autoscaling")
orders = dynamodb.describe_table(TableName="storagekit-molecule-orders")["Table"]
dynamodb.update_continuous_backups(
    TableName="storagekit-molecule-orders",
    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False},
)
dynamodb.tag_resource(ResourceArn=orders["TableArn"], Tags=[{"Key": "environment", "Value": "changed-by-hand"}])
dynamodb.update_contributor_insights(TableName="storagekit-molecule-orders", ContributorInsightsAction="DISABLE")

dynamodb.update_table(TableName="storagekit-molecule-sessions", DeletionProtectionEnabled=False)
dynamodb.update_time_to_live(
    TableName="storagekit-molecule-sessions", TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"}
)
autoscaling.put_scaling_policy(
    PolicyName="storagekit-write-capacity-utilization",
    ServiceNamespace="dynamodb",
    ResourceId="table/storagekit-molecule-sessions",
    ScalableDimension="dynamodb:table:WriteCapacityUnits",
    PolicyType="TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration={
        "TargetValue": 90.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
    },
)
print("drifted")
