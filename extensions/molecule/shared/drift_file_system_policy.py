"""Remove the file system policy of an EFS file system (found by its creation token) out of band.

usage: drift_file_system_policy.py ENDPOINT NAME
"""

import sys

from local_clients import local_clients

endpoint, name = sys.argv[1:]
efs, = local_clients(endpoint, "efs")
file_system = next(f for f in efs.describe_file_systems()["FileSystems"] if f.get("CreationToken") == name)
efs.delete_file_system_policy(FileSystemId=file_system["FileSystemId"])
print("drifted", file_system["FileSystemId"])
