"""Drift of the storage_monitoring scenario: the CPU alarm of the database fires at 95 % instead of 80 %, and the
dashboard lost its last widget."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402 pylint: disable=wrong-import-position

ALARM = "storagekit-molecule/rds/storagekit-molecule-db/cpu"
DASHBOARD = "storagekit-molecule"


def main(endpoint):
    (cloudwatch,) = local_clients(endpoint, "cloudwatch")
    alarm = cloudwatch.describe_alarms(AlarmNames=[ALARM])["MetricAlarms"][0]
    cloudwatch.put_metric_alarm(
        AlarmName=ALARM, AlarmDescription=alarm["AlarmDescription"], ActionsEnabled=alarm["ActionsEnabled"],
        OKActions=alarm["OKActions"], AlarmActions=alarm["AlarmActions"], MetricName=alarm["MetricName"],
        Namespace=alarm["Namespace"], Statistic=alarm["Statistic"], Dimensions=alarm["Dimensions"],
        Period=alarm["Period"], EvaluationPeriods=alarm["EvaluationPeriods"],
        DatapointsToAlarm=alarm["DatapointsToAlarm"], Threshold=95.0, ComparisonOperator=alarm["ComparisonOperator"],
        TreatMissingData=alarm["TreatMissingData"])
    body = json.loads(cloudwatch.get_dashboard(DashboardName=DASHBOARD)["DashboardBody"])
    body["widgets"].pop()
    cloudwatch.put_dashboard(DashboardName=DASHBOARD, DashboardBody=json.dumps(body))


if __name__ == "__main__":
    main(sys.argv[1])
