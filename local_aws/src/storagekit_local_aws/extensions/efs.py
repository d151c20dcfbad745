"""EFS: what moto 5.2.5 lacks or gets wrong, following the botocore service model.

- UpdateFileSystem (moto: 500, not implemented): ThroughputMode and
  ProvisionedThroughputInMibps, answered with 202 and the file system description.
- CreateFileSystem / UpdateFileSystem accept any ThroughputMode, provisioned mode without
  ProvisionedThroughputInMibps, a throughput without provisioned mode and elastic throughput
  with maxIO; AWS refuses them (BadRequest), and so does this module.
- PutFileSystemPolicy stores anything (AWS: InvalidPolicyException unless a JSON policy);
  DeleteFileSystemPolicy is missing (500); DescribeFileSystemPolicy and DescribeBackupPolicy
  fail with 500 for an unknown file system (AWS: FileSystemNotFound).
- PutBackupPolicy is missing (500); a DISABLED backup policy is reported as DISABLED.
- PutLifecycleConfiguration takes policies with several transitions or the same transition
  twice (AWS: BadRequest); TransitionToArchive and TransitionToPrimaryStorageClass are kept.
- CreateAccessPoint on an unknown file system succeeds, and a reused ClientToken creates a
  second access point (AWS: FileSystemNotFound; the same access point again for the same file
  system, AccessPointAlreadyExists otherwise); Path and CreationInfo are not checked;
  DeleteAccessPoint of an unknown id succeeds (AWS: AccessPointNotFound); DeleteFileSystem
  leaves its access points behind.
- ModifyMountTargetSecurityGroups takes unknown security groups or more than 5; CreateMountTarget
  takes security groups of another VPC than the subnet's (AWS: SecurityGroupNotFound, "one of the
  specified security groups doesn't exist in the subnet's VPC"). Moto refuses an unknown subnet
  (SubnetNotFound) and a second mount target in one Availability Zone (MountTargetConflict).
- TagResource / UntagResource / ListTagsForResource answer 404 for an ARN (the slash in it)
  and tag unknown ids; here both ids and ARNs work and unknown resources are not found.
- Latency hooks (kinds "efs:file-system", "efs:mount-target"): file systems and mount targets
  are "creating" after they are created, then "available"; deleted ones are "deleting" for
  as long before they are gone. Meanwhile AWS's refusals: IncorrectFileSystemLifeCycleState
  for mount targets, access points, updates and policies of a file system being created,
  IncorrectMountTargetState for the security groups of a mount target being created,
  FileSystemInUse for deleting a file system whose mount targets are still being deleted.

CreateFileSystem, CreateAccessPoint and CreateMountTarget run one at a time, so moto's
CreationToken check (FileSystemAlreadyExists), the ClientToken check above and the one mount
target per Availability Zone (MountTargetConflict) hold for concurrent calls.

Moto already refuses DeleteFileSystem while mount targets exist (FileSystemInUse) and keeps
ThroughputMode elastic, DescribeMountTargetSecurityGroups and lifecycle policies as given.
"""

import copy
import json
import re
import threading
import uuid

from ..latency import LatencyHook
from ..responses import json_reply
from .base import BadRequest, ServiceExtension, aws_error, rest_json_params, validate_input

TAGS_PATH = "/2015-02-01/resource-tags/"
# Tag calls on ARNs, recognised by method (the operation matcher cannot name them).
TAG_OPERATIONS = {"POST": "TagResource", "DELETE": "UntagResource", "GET": "ListTagsForResource"}
PERMISSIONS = re.compile(r"^[0-7]{3,4}$")
LIFECYCLE_TRANSITIONS = ("TransitionToIA", "TransitionToArchive", "TransitionToPrimaryStorageClass")
FILE_SYSTEM_KIND = "efs:file-system"
MOUNT_TARGET_KIND = "efs:mount-target"


def moto_backend(exchange):
    from moto.efs.models import efs_backends

    return efs_backends[exchange.account_id][exchange.call.region]


def reply(data, status=200):
    return json_reply(status, data, [("x-amzn-RequestId", str(uuid.uuid4()))])


def bad_request(exchange, message):
    return aws_error(exchange, "BadRequest", message)


def file_system_not_found(exchange, file_system_id):
    return aws_error(exchange, "FileSystemNotFound", f"File system '{file_system_id}' does not exist.", 404)


def throughput_problem(mode, throughput, performance_mode=None):
    """AWS's refusal of a throughput setting, or None."""
    if mode == "provisioned" and throughput is None:
        return "ProvisionedThroughputInMibps is required when ThroughputMode is provisioned"
    if throughput is not None and mode != "provisioned":
        return "ProvisionedThroughputInMibps can only be set when ThroughputMode is provisioned"
    if mode == "elastic" and performance_mode == "maxIO":
        return "Elastic throughput mode is not supported for file systems with the Max I/O performance mode"
    return None


class EFSExtension(ServiceExtension):
    service = "efs"
    atomic = frozenset({"CreateFileSystem", "CreateAccessPoint", "CreateMountTarget"})

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._backup_policies = {}  # file system ARN -> "ENABLED" / "DISABLED"
        self.latency = EFSLatency()
        self.latency_hooks = [self.latency]
        self._handlers = {
            "CreateFileSystem": self.check_create_file_system,
            "UpdateFileSystem": self.update_file_system,
            "PutFileSystemPolicy": self.put_file_system_policy,
            "DescribeFileSystemPolicy": self.describe_file_system_policy,
            "DeleteFileSystemPolicy": self.delete_file_system_policy,
            "PutBackupPolicy": self.put_backup_policy,
            "DescribeBackupPolicy": self.describe_backup_policy,
            "PutLifecycleConfiguration": self.check_lifecycle_configuration,
            "CreateAccessPoint": self.create_access_point,
            "DeleteAccessPoint": self.delete_access_point,
            "ModifyMountTargetSecurityGroups": self.check_security_groups,
            "CreateMountTarget": self.check_create_mount_target,
            "TagResource": self.tag_resource,
            "UntagResource": self.untag_resource,
            "ListTagsForResource": self.list_tags,
        }

    def reset(self):
        with self._lock:
            self._backup_policies.clear()
        self.latency.clear()

    @staticmethod
    def operation(exchange):
        """The call's operation; tag calls on ARNs are recognised by their path."""
        if exchange.operation is None and exchange.environ.get("PATH_INFO", "").startswith(TAGS_PATH):
            return TAG_OPERATIONS.get(exchange.environ.get("REQUEST_METHOD"))
        return exchange.operation

    def handle(self, exchange):
        operation = self.operation(exchange)
        handler = self._handlers.get(operation)
        if handler is None:
            return None
        try:
            params = rest_json_params(exchange, operation)
        except BadRequest as error:
            return bad_request(exchange, str(error))
        problem = validate_input("efs", operation, params)
        if problem:
            return bad_request(exchange, problem)
        with self._lock:
            return handler(exchange, params)

    def rewrite(self, exchange):
        """A deleted file system takes its access points and backup policy with it."""
        if exchange.operation != "DeleteFileSystem" or exchange.reply.status != 204:
            return
        file_system_id = rest_json_params(exchange, "DeleteFileSystem")["FileSystemId"]
        backend = moto_backend(exchange)
        for access_point_id in [k for k, ap in backend.access_points.items() if ap.file_system_id == file_system_id]:
            del backend.access_points[access_point_id]
        with self._lock:
            for arn in [a for a in self._backup_policies if a.endswith("/" + file_system_id)]:
                del self._backup_policies[arn]

    def _file_system(self, exchange, file_system_id):
        """(moto file system, None) or (None, FileSystemNotFound Reply)."""
        file_system = moto_backend(exchange).file_systems_by_id.get(file_system_id)
        if file_system is None:
            return None, file_system_not_found(exchange, file_system_id)
        return file_system, None

    # --- file systems -----------------------------------------------------------------------

    def check_create_file_system(self, exchange, params):
        problem = throughput_problem(params.get("ThroughputMode", "bursting"),
                                     params.get("ProvisionedThroughputInMibps"), params.get("PerformanceMode"))
        return bad_request(exchange, problem) if problem else None

    def update_file_system(self, exchange, params):
        file_system, error = self._file_system(exchange, params["FileSystemId"])
        if error:
            return error
        mode = params.get("ThroughputMode", file_system.throughput_mode)
        throughput = params.get("ProvisionedThroughputInMibps")
        if throughput is None and mode == "provisioned" and "ThroughputMode" not in params:
            throughput = file_system.provisioned_throughput_in_mibps
        problem = throughput_problem(mode, throughput, file_system.performance_mode)
        if problem:
            return bad_request(exchange, problem)
        file_system.throughput_mode = mode
        file_system.provisioned_throughput_in_mibps = throughput
        description = {k: v for k, v in file_system.info_json().items() if v is not None}
        return reply(description, 202)

    # --- policies ----------------------------------------------------------------------------

    def put_file_system_policy(self, exchange, params):
        file_system, error = self._file_system(exchange, params["FileSystemId"])
        if error:
            return error
        try:
            policy = json.loads(params["Policy"])
        except ValueError:
            policy = None
        if not isinstance(policy, dict) or not policy.get("Statement"):
            return aws_error(exchange, "InvalidPolicyException", "Policy is not a valid JSON policy document")
        file_system.file_system_policy = params["Policy"]
        return reply({"FileSystemId": file_system.file_system_id, "Policy": params["Policy"]})

    def describe_file_system_policy(self, exchange, params):
        file_system, error = self._file_system(exchange, params["FileSystemId"])
        if error:
            return error
        if not file_system.file_system_policy:
            return aws_error(exchange, "PolicyNotFound", "No file system policy is set for this file system", 404)
        return reply({"FileSystemId": file_system.file_system_id, "Policy": file_system.file_system_policy})

    def delete_file_system_policy(self, exchange, params):
        file_system, error = self._file_system(exchange, params["FileSystemId"])
        if error:
            return error
        file_system.file_system_policy = None
        return reply({})

    def put_backup_policy(self, exchange, params):
        file_system, error = self._file_system(exchange, params["FileSystemId"])
        if error:
            return error
        status = params["BackupPolicy"]["Status"]
        if status not in ("ENABLED", "DISABLED"):
            return bad_request(exchange, "BackupPolicy Status must be ENABLED or DISABLED")
        self._backup_policies[file_system.file_system_arn] = status
        return reply({"BackupPolicy": {"Status": status}})

    def describe_backup_policy(self, exchange, params):
        file_system, error = self._file_system(exchange, params["FileSystemId"])
        if error:
            return error
        status = self._backup_policies.get(file_system.file_system_arn)
        if status is None and file_system.backup_policy:
            status = file_system.backup_policy["Status"]
        if status is None:
            return aws_error(exchange, "PolicyNotFound", "No backup policy is set for this file system", 404)
        return reply({"BackupPolicy": {"Status": status}})

    def check_lifecycle_configuration(self, exchange, params):
        seen = set()
        for policy in params["LifecyclePolicies"]:
            if len(policy) != 1:
                return bad_request(exchange, "Each LifecyclePolicy object can have only a single transition")
            transition = next(iter(policy))
            if transition in seen:
                return bad_request(exchange, f"LifecyclePolicies can hold only one {transition}")
            seen.add(transition)
        return None

    # --- access points ------------------------------------------------------------------------

    def create_access_point(self, exchange, params):
        file_system, error = self._file_system(exchange, params["FileSystemId"])
        if error:
            return error
        root = params.get("RootDirectory") or {}
        if "Path" in root and not root["Path"].startswith("/"):
            return bad_request(exchange, "RootDirectory Path must be an absolute path")
        creation = root.get("CreationInfo")
        if creation is not None and not PERMISSIONS.match(creation["Permissions"]):
            return bad_request(exchange, "CreationInfo Permissions must be an octal number such as 0755")
        for access_point in moto_backend(exchange).access_points.values():
            if access_point.client_token == params["ClientToken"]:
                if access_point.file_system_id != file_system.file_system_id:
                    return aws_error(exchange, "AccessPointAlreadyExists",
                                     f"Access point with client token {params['ClientToken']} already exists", 409)
                return reply(self.access_point_description(access_point))
        return None  # moto creates it

    @staticmethod
    def access_point_description(access_point):
        return {k: v for k, v in access_point.info_json().items() if v is not None}

    def delete_access_point(self, exchange, params):
        if params["AccessPointId"] not in moto_backend(exchange).access_points:
            return aws_error(exchange, "AccessPointNotFound",
                             f"Access point '{params['AccessPointId']}' does not exist.", 404)
        return None

    # --- mount targets -------------------------------------------------------------------------

    def check_security_groups(self, exchange, params):
        groups = params.get("SecurityGroups") or []
        if len(groups) > 5:
            return aws_error(exchange, "SecurityGroupLimitExceeded",
                             "The maximum number of security groups per interface has been reached.")
        known = {group.id for group in moto_backend(exchange).ec2_backend.describe_security_groups()}
        for group in groups:
            if group not in known:
                return aws_error(exchange, "SecurityGroupNotFound", f"Security group {group} not found")
        return None

    def check_create_mount_target(self, exchange, params):
        """Security groups must exist in the subnet's VPC (moto takes any); moto refuses a missing subnet."""
        ec2 = moto_backend(exchange).ec2_backend
        subnets = [s for s in ec2.describe_subnets() if s.id == params.get("SubnetId")]
        if not subnets:
            return None  # moto answers SubnetNotFound
        groups = {group.id: group for group in ec2.describe_security_groups()}
        for group_id in params.get("SecurityGroups") or []:
            group = groups.get(group_id)
            if group is None or group.vpc_id != subnets[0].vpc_id:
                return aws_error(exchange, "SecurityGroupNotFound",
                                 f"The SecurityGroup ID '{group_id}' does not exist in the VPC of subnet "
                                 f"'{subnets[0].id}' ({subnets[0].vpc_id})")
        return self.check_security_groups(exchange, params)

    # --- tags -----------------------------------------------------------------------------------

    def _tag_target(self, exchange, resource):
        """(moto resource id, None) or (None, error Reply): ids and ARNs of file systems and
        access points."""
        resource_id = resource.rsplit("/", 1)[-1]
        backend = moto_backend(exchange)
        if resource_id.startswith("fsap-"):
            if resource_id not in backend.access_points:
                return None, aws_error(exchange, "AccessPointNotFound", f"Access point '{resource_id}' does not exist.", 404)
        elif resource_id.startswith("fs-"):
            if resource_id not in backend.file_systems_by_id:
                return None, file_system_not_found(exchange, resource_id)
        else:
            return None, bad_request(exchange, f"Invalid resource id: {resource}")
        return resource_id, None

    def tag_resource(self, exchange, params):
        resource_id, error = self._tag_target(exchange, params["ResourceId"])
        if error:
            return error
        moto_backend(exchange).tagging_service.tag_resource(resource_id, params["Tags"])
        return reply({})

    def untag_resource(self, exchange, params):
        resource_id, error = self._tag_target(exchange, params["ResourceId"])
        if error:
            return error
        moto_backend(exchange).tagging_service.untag_resource_using_names(resource_id, params["TagKeys"])
        return reply({})

    def list_tags(self, exchange, params):
        resource_id, error = self._tag_target(exchange, params["ResourceId"])
        if error:
            return error
        return reply({"Tags": moto_backend(exchange).list_tags_for_resource(resource_id)})


class EFSLatency(LatencyHook):
    """File systems and mount targets are "creating" for a while after they are created and
    "deleting" for as long after they are deleted (shown from a copy taken before moto
    deleted them); AWS refuses some calls meanwhile."""

    service = "efs"
    kinds = (FILE_SYSTEM_KIND, MOUNT_TARGET_KIND)
    # Calls AWS refuses while the file system (FileSystemId in uri or body) is being created.
    NEEDS_AVAILABLE_FILE_SYSTEM = {
        "CreateMountTarget", "CreateAccessPoint", "UpdateFileSystem", "PutLifecycleConfiguration",
        "PutFileSystemPolicy", "PutBackupPolicy",
    }
    NEEDS_AVAILABLE_MOUNT_TARGET = {"DescribeMountTargetSecurityGroups", "ModifyMountTargetSecurityGroups"}

    def __init__(self):
        self._lock = threading.Lock()
        self._deleted = {}  # (kind, timer key) of a deleted resource -> its last description

    def clear(self):
        with self._lock:
            self._deleted.clear()

    @staticmethod
    def _prefix(exchange):
        return f"{exchange.account_id}/{exchange.call.region}/"

    @staticmethod
    def _params(exchange):
        try:
            return rest_json_params(exchange, exchange.operation)
        except BadRequest:
            return {}

    def _mount_target_key(self, exchange, mount_target_id):
        """Timer key of a mount target: ACCOUNT/REGION/FS-ID/MT-ID (None when unknown)."""
        mount_target = moto_backend(exchange).mount_targets_by_id.get(mount_target_id)
        if mount_target is None:
            return None
        return f"{self._prefix(exchange)}{mount_target.file_system_id}/{mount_target_id}"

    # --- refusals, and copies of what is about to be deleted ------------------------------------

    def refuse(self, exchange, model):
        operation = exchange.operation
        if operation not in (self.NEEDS_AVAILABLE_FILE_SYSTEM | self.NEEDS_AVAILABLE_MOUNT_TARGET
                             | {"DeleteFileSystem", "DeleteMountTarget"}):
            return None
        params = self._params(exchange)
        prefix = self._prefix(exchange)
        if operation in self.NEEDS_AVAILABLE_FILE_SYSTEM and params.get("FileSystemId"):
            if model.pending(FILE_SYSTEM_KIND, prefix + params["FileSystemId"]):
                return aws_error(exchange, "IncorrectFileSystemLifeCycleState",
                                 f"File system '{params['FileSystemId']}' is in the creating state.", 409)
        if operation in self.NEEDS_AVAILABLE_MOUNT_TARGET and params.get("MountTargetId"):
            key = self._mount_target_key(exchange, params["MountTargetId"])
            if key and model.pending(MOUNT_TARGET_KIND, key):
                return aws_error(exchange, "IncorrectMountTargetState",
                                 f"Mount target '{params['MountTargetId']}' is in the creating state.", 409)
        if operation == "DeleteFileSystem" and params.get("FileSystemId"):
            file_system_prefix = f"{prefix}{params['FileSystemId']}/"
            if [k for k in model.pending_keys(MOUNT_TARGET_KIND, file_system_prefix) if k.endswith("/deleting")]:
                return aws_error(exchange, "FileSystemInUse",
                                 "Must delete all mount targets before deleting file system.", 409)
            self._keep_copy(FILE_SYSTEM_KIND, prefix + params["FileSystemId"] + "/deleting",
                            moto_backend(exchange).file_systems_by_id.get(params["FileSystemId"]))
        if operation == "DeleteMountTarget" and params.get("MountTargetId"):
            key = self._mount_target_key(exchange, params["MountTargetId"])
            if key:
                self._keep_copy(MOUNT_TARGET_KIND, key + "/deleting",
                                moto_backend(exchange).mount_targets_by_id[params["MountTargetId"]])
        return None

    def _keep_copy(self, kind, key, resource):
        if resource is None:
            return
        description = {k: v for k, v in resource.info_json().items() if v is not None}
        description["LifeCycleState"] = "deleting"
        if "NumberOfMountTargets" in description:
            description["NumberOfMountTargets"] = 0
        with self._lock:
            self._deleted[(kind, key)] = description

    # --- timers and pending states ---------------------------------------------------------------

    def observe(self, exchange, model):
        operation, status = exchange.operation, exchange.reply.status
        prefix = self._prefix(exchange)
        if operation == "CreateFileSystem" and status == 201:
            model.start(FILE_SYSTEM_KIND, prefix + exchange.reply.json()["FileSystemId"])
        elif operation == "CreateMountTarget" and status == 200:
            data = exchange.reply.json()
            model.start(MOUNT_TARGET_KIND, f"{prefix}{data['FileSystemId']}/{data['MountTargetId']}")
        elif operation in ("DeleteFileSystem", "DeleteMountTarget"):
            self._started_deleting(exchange, model, status == 204)
        if operation in ("CreateFileSystem", "DescribeFileSystems"):
            self._show_file_systems(exchange, model)
        if operation in ("CreateMountTarget", "DescribeMountTargets"):
            self._show_mount_targets(exchange, model)

    def _started_deleting(self, exchange, model, deleted):
        """Start the "deleting" timer of what was deleted (its copy is dropped if it was not)."""
        params = self._params(exchange)
        prefix = self._prefix(exchange)
        if exchange.operation == "DeleteFileSystem":
            kind, suffix = FILE_SYSTEM_KIND, f"/{params.get('FileSystemId')}/deleting"
        else:
            kind, suffix = MOUNT_TARGET_KIND, f"/{params.get('MountTargetId')}/deleting"
        with self._lock:
            for copy_key in [c for c in self._deleted if c[0] == kind and c[1].startswith(prefix)
                             and c[1].endswith(suffix)]:
                if not deleted or model.seconds(kind) <= 0:
                    del self._deleted[copy_key]
                    continue
                model.forget(kind, copy_key[1][: -len("/deleting")])  # no longer creating
                model.start(kind, copy_key[1])

    def _deleting(self, model, kind, prefix):
        """Copies of deleted resources still being deleted, by timer key."""
        keys = {k for k in model.pending_keys(kind, prefix) if k.endswith("/deleting")}
        with self._lock:
            for copy_key in [c for c in self._deleted if c[0] == kind and c[1].startswith(prefix)]:
                if copy_key[1] not in keys:  # deleted for good
                    del self._deleted[copy_key]
            return {c[1]: copy.deepcopy(d) for c, d in self._deleted.items() if c[0] == kind and c[1] in keys}

    def _show_file_systems(self, exchange, model):
        prefix = self._prefix(exchange)
        data = exchange.reply.json() or {}
        deleting = self._deleting(model, FILE_SYSTEM_KIND, prefix)
        if exchange.operation == "CreateFileSystem":
            descriptions = [data] if exchange.reply.status == 201 else []
        elif exchange.reply.status == 200:
            descriptions = data.get("FileSystems", [])
        else:
            descriptions = None
        if exchange.operation == "DescribeFileSystems":
            params = self._params(exchange)
            wanted = [d for d in deleting.values()
                      if params.get("FileSystemId") in (None, d["FileSystemId"])
                      and params.get("CreationToken") in (None, d["CreationToken"])
                      and "Marker" not in params]
            if descriptions is None and params.get("FileSystemId") and wanted:
                exchange.reply = reply({"FileSystems": wanted})
                return
            if descriptions is not None:
                descriptions.extend(wanted)
        for description in descriptions or []:
            key = prefix + description["FileSystemId"]
            if model.pending(FILE_SYSTEM_KIND, key):
                description["LifeCycleState"] = "creating"
            mount_targets = model.pending_keys(MOUNT_TARGET_KIND, key + "/")
            if description["LifeCycleState"] != "deleting":
                description["NumberOfMountTargets"] += len([k for k in mount_targets if k.endswith("/deleting")])
        if descriptions:
            exchange.reply.set_json(data)

    def _show_mount_targets(self, exchange, model):
        prefix = self._prefix(exchange)
        data = exchange.reply.json() or {}
        deleting = self._deleting(model, MOUNT_TARGET_KIND, prefix)
        if exchange.operation == "CreateMountTarget":
            descriptions = [data] if exchange.reply.status == 200 else []
        elif exchange.reply.status == 200:
            descriptions = data.get("MountTargets", [])
        else:
            descriptions = None
        if exchange.operation == "DescribeMountTargets":
            params = self._params(exchange)
            wanted = [d for d in deleting.values()
                      if (params.get("FileSystemId") or params.get("MountTargetId"))
                      and params.get("FileSystemId") in (None, d["FileSystemId"])
                      and params.get("MountTargetId") in (None, d["MountTargetId"])]
            if descriptions is None and params.get("MountTargetId") and wanted:
                exchange.reply = reply({"MountTargets": wanted})
                return
            if descriptions is not None:
                descriptions.extend(wanted)
        for description in descriptions or []:
            key = f"{prefix}{description['FileSystemId']}/{description['MountTargetId']}"
            if model.pending(MOUNT_TARGET_KIND, key):
                description["LifeCycleState"] = "creating"
        if descriptions:
            exchange.reply.set_json(data)
