"""Change the molecule tables out of band, the way a console user or another tool would."""

import sys
from urllib.parse import urlparse

import boto3

endpoint = sys.argv[1]
if urlparse(endpoint).hostname != "127.0.0.1":
    sys.exit("refusing to touch anything but the local endpoint on 127.0.0.1: " + endpoint)

session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
dynamodb = session.client("dynamodb", endpoint_url=endpoint)
autoscaling = session.client("application-autoscaling", endpoint_url=endpoint)

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
