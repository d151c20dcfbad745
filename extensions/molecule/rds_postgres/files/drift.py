"""Change the molecule database out of band, the way a console user or another tool would."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

rds, = local_clients(sys.argv[1], "rds")
name = sys.argv[2]
instance = rds.modify_db_instance(
    DBInstanceIdentifier=name,
    BackupRetentionPeriod=1,
    DeletionProtection=False,
    EnableIAMDatabaseAuthentication=False,
    ApplyImmediately=True,
)["DBInstance"]
rds.remove_tags_from_resource(ResourceName=instance["DBInstanceArn"], TagKeys=["environment"])
print("drifted", name)
