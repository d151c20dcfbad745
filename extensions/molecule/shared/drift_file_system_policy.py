"""Remove the file system policy of the shared EFS file system out of band."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

endpoint, name = sys.argv[1:]
efs, = local_clients(endpoint, "efs")
file_system = next(f for f in efs.describe_file_systems()["FileSystems"] if f.get("CreationToken") == name)
efs.delete_file_system_policy(FileSystemId=file_system["FileSystemId"])
print("drifted", file_system["FileSystemId"])
