"""Three DB instances with two days of hourly metrics that must give a down-size, an up-size and a keep ("up"),
or their removal ("down"). MySQL instances: the endpoint runs no database server behind them."""

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

GIB = 1024 ** 3
HOURS = 48
# identifier: (class, CPU %, free memory GiB, connections)
INSTANCES = {
    "sk-molecule-big": ("db.r6g.xlarge", 7.0, 26.0, 4),  # 32 GiB, idle: down-size
    "sk-molecule-hot": ("db.t4g.medium", 93.0, 0.3, 85),  # 4 GiB, busy: up-size
    "sk-molecule-fine": ("db.m6g.large", 45.0, 3.0, 20),  # 8 GiB, in between: keep
}


def up(rds, cloudwatch):
    now = datetime.now(timezone.utc)
    for name, (cls, cpu, free, connections) in INSTANCES.items():
        rds.create_db_instance(DBInstanceIdentifier=name, Engine="mysql", EngineVersion="8.0.40", DBInstanceClass=cls,
                               AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="a-long-password-1")
        data = []
        for hour in range(1, HOURS + 1):
            wobble = (hour % 5) - 2  # a little noise around the level
            for metric, value in (("CPUUtilization", cpu + wobble), ("FreeableMemory", free * GIB * (1 + wobble / 100.0)),
                                  ("DatabaseConnections", connections + wobble)):
                data.append(dict(MetricName=metric, Dimensions=[{"Name": "DBInstanceIdentifier", "Value": name}],
                                 Timestamp=now - timedelta(hours=hour), Value=max(value, 0)))
        for start in range(0, len(data), 20):
            cloudwatch.put_metric_data(Namespace="AWS/RDS", MetricData=data[start:start + 20])


def down(rds, cloudwatch):
    for name in INSTANCES:
        rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)


if __name__ == "__main__":
    clients = local_clients(sys.argv[1], "rds", "cloudwatch")
    {"up": up, "down": down}[sys.argv[2]](*clients)
