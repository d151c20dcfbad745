"""Print the scenario's EFS file system with its lifecycle, backup policy, policy and mount targets, as JSON
(read calls only)."""

import json
import sys

from local_clients import local_clients

endpoint, name = sys.argv[1:]
efs, = local_clients(endpoint, "efs")
found = [f for f in efs.describe_file_systems()["FileSystems"] if f.get("CreationToken") == name]
if not found:
    print("null")
    sys.exit(0)
file_system = found[0]
fs_id = file_system["FileSystemId"]
try:
    policy = json.loads(efs.describe_file_system_policy(FileSystemId=fs_id)["Policy"])
except efs.exceptions.PolicyNotFound:
    policy = None
targets = efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]
print(json.dumps({
    "FileSystem": file_system,
    "lifecycle": efs.describe_lifecycle_configuration(FileSystemId=fs_id)["LifecyclePolicies"],
    "backup": efs.describe_backup_policy(FileSystemId=fs_id)["BackupPolicy"]["Status"],
    "policy": policy,
    "mount_targets": targets,
    "mount_target_groups": [
        sorted(efs.describe_mount_target_security_groups(MountTargetId=t["MountTargetId"])["SecurityGroups"])
        for t in targets],
}, default=str))
