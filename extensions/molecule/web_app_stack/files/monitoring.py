"""Read the stack's alarms, dashboard, alarm topic and its key back (read calls only) and print them as JSON.

Whatever is missing is null (an empty list for the alarms), so the destroy can check that it is gone.
"""

import json
import sys
from pathlib import Path

from botocore.exceptions import ClientError

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

cloudwatch, sns, kms, sts = local_clients(sys.argv[1], "cloudwatch", "sns", "kms", "sts")
name = sys.argv[2]
topic_arn = "arn:aws:sns:us-east-1:{0}:{1}-alarms".format(sts.get_caller_identity()["Account"], name)


def missing_is_none(call, **kwargs):
    try:
        return call(**kwargs)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NotFound", "ResourceNotFound", "NotFoundException"):
            return None
        raise


alarms = [alarm for page in cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=name + "/")
          for alarm in page["MetricAlarms"]]
dashboard = missing_is_none(cloudwatch.get_dashboard, DashboardName=name)
topic = missing_is_none(sns.get_topic_attributes, TopicArn=topic_arn)
key = missing_is_none(kms.describe_key, KeyId="alias/{0}-monitoring".format(name))
print(json.dumps({
    "alarms": {alarm["AlarmName"]: alarm for alarm in alarms},
    "dashboard": json.loads(dashboard["DashboardBody"]) if dashboard else None,
    "topic": topic["Attributes"] if topic else None,
    "subscriptions": (sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"] if topic else []),
    "key": key["KeyMetadata"] if key else None,
}, default=str))
