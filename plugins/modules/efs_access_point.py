#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: efs_access_point
short_description: Manage an EFS access point with its POSIX user and root directory
version_added: 0.1.0
description:
  - Creates and deletes an Amazon EFS access point, which gives applications (for example a
    Kubernetes persistent volume of the EFS CSI driver) their own root directory and POSIX identity
    on a file system.
  - The access point is found among the file system's access points by its client token, which is
    O(name), or else by its C(Name) tag.
  - EFS cannot change an access point after creation except for its tags. A changed O(posix_user) or
    O(root_directory) fails with a clear error before any write, unless O(recreate=true), which deletes
    the access point and creates it again with a new id.
  - Only the options you set are compared. A run that changes nothing reads the access points of the
    file system once and makes no write call.
  - With O(access_points), one run manages a list of access points, at most O(parallelism) at a time. The access
    points of each file system are listed once for all items. Each access point has its own result, diff and
    error; a failed one does not stop the others, and the task fails naming every failed access point.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  file_system_id:
    description:
      - Id of the file system, for example the RV(storagekit.aws.efs_file_system#module:file_system_id)
        returned by M(storagekit.aws.efs_file_system).
      - Required unless O(access_points) is set; with O(access_points), the file system of the items that name none.
    type: str
  name:
    description:
      - Name of the access point, used as its client token (1 to 64 characters) and C(Name) tag.
      - Required unless O(access_points) is set.
    type: str
  access_points:
    description:
      - A list of access points to manage in this one run, instead of O(name) and the other access point options.
      - Each item takes the options of this module (O(name) required, O(file_system_id) unless set beside the
        list, O(state), O(posix_user), O(root_directory), O(recreate), O(tags), O(purge_tags), O(wait),
        O(wait_timeout)), with the same defaults.
      - Every item is checked before the first call to AWS; an invalid item fails the task before any write.
    type: list
    elements: dict
    version_added: 0.2.0
  state:
    description:
      - Whether the access point should exist.
  posix_user:
    description:
      - The POSIX identity every file system request through the access point uses.
    type: dict
    suboptions:
      uid:
        description: User id.
        type: int
        required: true
      gid:
        description: Group id.
        type: int
        required: true
      secondary_gids:
        description: Further group ids (up to 16), compared in any order.
        type: list
        elements: int
  root_directory:
    description:
      - The directory clients of the access point see as the root of the file system.
    type: dict
    suboptions:
      path:
        description: Absolute path of the directory (up to 100 characters). EFS uses V(/) when unset.
        type: str
      creation_info:
        description:
          - Owner and permissions EFS gives the directory when it does not exist yet. Without it, a
            missing directory makes mounts through the access point fail.
        type: dict
        suboptions:
          owner_uid:
            description: Owner user id.
            type: int
            required: true
          owner_gid:
            description: Owner group id.
            type: int
            required: true
          permissions:
            description: Octal permissions, for example V('0755').
            type: str
            required: true
  recreate:
    description:
      - Delete and create the access point again when O(posix_user) or O(root_directory) differ.
        Clients then need the new access point id.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.wait
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
  - storagekit.aws.parallelism
notes:
  - The C(Name) tag is always O(name), also when O(purge_tags=true).
  - Before creating an access point again, the module always waits until the old one is gone.
"""

EXAMPLES = r"""
- name: Access point for an application, running as 1000:1000 under /apps/grafana
  storagekit.aws.efs_access_point:
    file_system_id: "{{ shared_data.file_system_id }}"
    name: grafana
    posix_user:
      uid: 1000
      gid: 1000
    root_directory:
      path: /apps/grafana
      creation_info:
        owner_uid: 1000
        owner_gid: 1000
        permissions: "0750"
    tags:
      team: observability

- name: Several access points of one file system in one task
  storagekit.aws.efs_access_point:
    file_system_id: "{{ shared_data.file_system_id }}"
    access_points:
      - name: grafana
        posix_user: {uid: 1000, gid: 1000}
        root_directory: {path: /apps/grafana}
      - name: loki
        posix_user: {uid: 1001, gid: 1001}
        root_directory: {path: /apps/loki}

- name: Delete the access point
  storagekit.aws.efs_access_point:
    file_system_id: fs-0123456789abcdef0
    name: grafana
    state: absent
"""

RETURN = r"""
access_points:
  description:
    - With O(access_points), one result per item, in the order given.
    - Each has C(name), C(changed), C(access_point) (as RV(access_point)), C(access_point_id) when it exists and, in
      diff mode, C(diff); a failed item has C(failed=true) and C(msg) instead.
  returned: when O(access_points) is set
  type: list
  elements: dict
  sample: [{"name": "grafana", "changed": false, "access_point_id": "fsap-0123456789abcdef0"}]
access_point_id:
  description: Id of the access point; absent in check mode before creation and after deletion.
  returned: when the access point exists
  type: str
  sample: fsap-0123456789abcdef0
access_point:
  description: The access point after the run (predicted in check mode); empty after deletion.
  returned: always
  type: dict
  contains:
    access_point_id:
      description: Id of the access point.
      type: str
      sample: fsap-0123456789abcdef0
    access_point_arn:
      description: ARN of the access point.
      type: str
    file_system_id:
      description: Id of the file system.
      type: str
    name:
      description: Value of the C(Name) tag.
      type: str
    client_token:
      description: Client token the access point was created with.
      type: str
    posix_user:
      description: POSIX user, with C(uid), C(gid) and C(secondary_gids).
      type: dict
    root_directory:
      description: Root directory, with C(path) and C(creation_info).
      type: dict
    life_cycle_state:
      description: State, for example C(creating) or C(available).
      type: str
    tags:
      description: Tags.
      type: dict
"""

import re

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.efs import desired_tags
from ansible_collections.storagekit.aws.plugins.module_utils.efs import describe_access_point
from ansible_collections.storagekit.aws.plugins.module_utils.efs import list_access_points
from ansible_collections.storagekit.aws.plugins.module_utils.efs import normalize_access_point
from ansible_collections.storagekit.aws.plugins.module_utils.efs import tagging_calls
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_deleted
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until
from ansible_collections.storagekit.aws.plugins.module_utils.runner import for_state
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.pool import check_parallelism
from ansible_collections.storagekit.aws.plugins.module_utils.pool import finish
from ansible_collections.storagekit.aws.plugins.module_utils.pool import items_client
from ansible_collections.storagekit.aws.plugins.module_utils.pool import list_mode_options
from ansible_collections.storagekit.aws.plugins.module_utils.pool import run_step
from ansible_collections.storagekit.aws.plugins.module_utils.pool import validated_items
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

POSIX_USER_SPEC = dict(
    uid=dict(type="int", required=True),
    gid=dict(type="int", required=True),
    secondary_gids=dict(type="list", elements="int"),
)
CREATION_INFO_SPEC = dict(
    owner_uid=dict(type="int", required=True),
    owner_gid=dict(type="int", required=True),
    permissions=dict(type="str", required=True),
)
ROOT_DIRECTORY_SPEC = dict(
    path=dict(type="str"),
    creation_info=dict(type="dict", options=CREATION_INFO_SPEC),
)
ACCESS_POINT_SPEC = dict(
    file_system_id=dict(type="str", required=True),
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    posix_user=dict(type="dict", options=POSIX_USER_SPEC),
    root_directory=dict(type="dict", options=ROOT_DIRECTORY_SPEC),
    recreate=dict(type="bool", default=False),
    **TAG_OPTIONS,
    **wait_options(),
)
MODULE_OPTIONS = list_mode_options(ACCESS_POINT_SPEC, "access_points", shared=["file_system_id"])
MAX_NAME_LENGTH = 64
MAX_PATH_LENGTH = 100
MAX_SECONDARY_GIDS = 16
MAX_ID = 4294967295
PERMISSIONS = re.compile(r"^[0-7]{3,4}$")


# ---------------------------------------------------------------------------------------------
# Validation and the desired state
# ---------------------------------------------------------------------------------------------


def option_problems(params):
    """What is wrong with the options, found without any API call."""
    problems = []
    if not 1 <= len(params["name"]) <= MAX_NAME_LENGTH:
        problems.append("name must have 1 to {0} characters".format(MAX_NAME_LENGTH))
    user = params["posix_user"]
    ids = []
    if user:
        ids += [("posix_user.uid", user["uid"]), ("posix_user.gid", user["gid"])]
        ids += [("posix_user.secondary_gids", g) for g in user["secondary_gids"] or []]
        if len(user["secondary_gids"] or []) > MAX_SECONDARY_GIDS:
            problems.append("posix_user.secondary_gids has more than {0} ids".format(MAX_SECONDARY_GIDS))
    root = params["root_directory"] or {}
    path = root.get("path")
    if path is not None and not (path.startswith("/") and len(path) <= MAX_PATH_LENGTH):
        problems.append("root_directory.path must be absolute and at most {0} characters".format(MAX_PATH_LENGTH))
    info = root.get("creation_info")
    if info:
        ids += [("root_directory.creation_info.owner_uid", info["owner_uid"])]
        ids += [("root_directory.creation_info.owner_gid", info["owner_gid"])]
        if not PERMISSIONS.match(info["permissions"]):
            problems.append("root_directory.creation_info.permissions must be 3 or 4 octal digits, like 0755")
    for option, value in ids:
        if not 0 <= value <= MAX_ID:
            problems.append("{0} must be from 0 to {1}".format(option, MAX_ID))
    return problems


def validate_options(module):
    fail_on_problems(module, option_problems(module.params))


def posix_user_request(user):
    request = dict(Uid=user["uid"], Gid=user["gid"])
    if user["secondary_gids"] is not None:
        request["SecondaryGids"] = user["secondary_gids"]
    return request


def root_directory_request(root):
    request = {}
    if root["path"] is not None:
        request["Path"] = root["path"]
    info = root["creation_info"]
    if info:
        request["CreationInfo"] = dict(OwnerUid=info["owner_uid"], OwnerGid=info["owner_gid"], Permissions=info["permissions"])
    return request


# ---------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------


def same_permissions(want, have):
    return have is not None and int(want, 8) == int(have, 8)


def setting_differences(params, raw):
    """The fixed settings the user set that differ from the access point, as option names."""
    different = []
    user, have_user = params["posix_user"], raw.get("PosixUser") or {}
    if user:
        if user["uid"] != have_user.get("Uid"):
            different.append("posix_user.uid")
        if user["gid"] != have_user.get("Gid"):
            different.append("posix_user.gid")
        if user["secondary_gids"] is not None and sorted(user["secondary_gids"]) != sorted(have_user.get("SecondaryGids") or []):
            different.append("posix_user.secondary_gids")
    root, have_root = params["root_directory"], raw.get("RootDirectory") or {}
    if root:
        if root["path"] is not None and root["path"] != have_root.get("Path", "/"):
            different.append("root_directory.path")
        info, have_info = root["creation_info"], have_root.get("CreationInfo") or {}
        if info and (
            info["owner_uid"] != have_info.get("OwnerUid")
            or info["owner_gid"] != have_info.get("OwnerGid")
            or not same_permissions(info["permissions"], have_info.get("Permissions"))
        ):
            different.append("root_directory.creation_info")
    return different


def find_access_point(module, client, params, listed=None):
    """The raw access point created with this name as client token, or else tagged with this name.

    ``listed`` is the file system's access points when a list run has read them already.
    """
    if listed is None:
        listed = list_access_points(client, params["file_system_id"])
    points = [p for p in listed if p.get("LifeCycleState") not in ("deleting", "deleted")]
    by_token = [p for p in points if p.get("ClientToken") == params["name"]]
    matches = by_token or [p for p in points if p.get("Name") == params["name"]]
    if len(matches) > 1:
        module.fail_json(
            msg="More than one access point of {0} is named {1}: {2}.".format(
                params["file_system_id"], params["name"], ", ".join(sorted(p["AccessPointId"] for p in matches))
            )
        )
    return matches[0] if matches else None


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def settings_view(raw_or_params):
    """The fixed settings as the diff shows them."""
    point = normalize_access_point(raw_or_params)
    return dict((k, point[k]) for k in ("posix_user", "root_directory") if point.get(k) is not None)


def create_request(params):
    request = dict(
        ClientToken=params["name"],
        FileSystemId=params["file_system_id"],
        Tags=ansible_dict_to_boto3_tag_list(desired_tags(params) or dict(Name=params["name"])),
    )
    if params["posix_user"]:
        request["PosixUser"] = posix_user_request(params["posix_user"])
    if params["root_directory"]:
        request["RootDirectory"] = root_directory_request(params["root_directory"])
    return request


def wait_until_gone(module, client, access_point_id):
    wait_deleted(module, lambda: describe_access_point(client, access_point_id), "EFS access point {0}".format(access_point_id))


def wait_until_available(module, client, raw):
    if raw.get("LifeCycleState") == "available":
        return raw
    return wait_until(
        module,
        lambda: describe_access_point(client, raw["AccessPointId"]),
        lambda raw: raw is not None and raw.get("LifeCycleState") in ("available", "error"),
        module.params["wait_timeout"],
        "EFS access point {0} to be available".format(raw["AccessPointId"]),
    )


def keep_access_point(module, client, changes, raw):
    """An access point whose settings match: put its tags right and wait until it is available."""
    params = module.params
    if params["wait"] and not module.check_mode:
        raw = wait_until_available(module, client, raw)
    point = normalize_access_point(raw)
    tags = desired_tags(params)
    if tags is not None:
        untag, tag = tagging_calls(client, raw["AccessPointId"])
        point["tags"] = apply_tag_changes(changes, point["tags"], tags, params["purge_tags"], untag, tag)
    return point


def create_access_point(module, client, request):
    """The new access point, or the one a concurrent run created first with the same ClientToken
    (AccessPointAlreadyExists)."""
    try:
        return client.create_access_point(aws_retry=True, **request)
    except is_boto3_error_code("AccessPointAlreadyExists"):
        found = find_access_point(module, client, module.params)
        if found is None:
            raise
        return found


def ensure_present(module, client, listed=None):
    params = module.params
    changes = ChangeSet(module)
    request = create_request(params)
    raw = find_access_point(module, client, params, listed)
    replaced = None
    if raw is not None:
        different = setting_differences(params, raw)
        if different and not params["recreate"]:
            module.fail_json(
                msg="EFS access point {0} ({1}) cannot be changed in place: {2} differ. "
                "Set recreate=true to delete it and create it again.".format(params["name"], raw["AccessPointId"], ", ".join(different))
            )
        if not different:
            point = keep_access_point(module, client, changes, raw)
            return changes.result(access_point=point, access_point_id=point["access_point_id"])
        replaced, raw = raw, None

    def create():
        if replaced is not None:
            client.delete_access_point(aws_retry=True, AccessPointId=replaced["AccessPointId"])
            wait_until_gone(module, client, replaced["AccessPointId"])
        created = create_access_point(module, client, request)
        return wait_until_available(module, client, created) if params["wait"] else created

    before = dict(name=params["name"], state="absent")
    if replaced is not None:
        before = dict(settings_view(replaced), name=params["name"], access_point_id=replaced["AccessPointId"], state="present")
    after = dict(settings_view(request), name=params["name"], state="present")
    created = changes.apply("access_point", before, after, create)
    if created is None:
        point = normalize_access_point(request)
        point.update(name=params["name"], life_cycle_state="available")
        return changes.result(access_point=point)
    point = normalize_access_point(created)
    return changes.result(access_point=point, access_point_id=point["access_point_id"])


def ensure_absent(module, client, listed=None):
    return remove_found(module, "access_point", find_access_point(module, client, module.params, listed),
                        delete_access_point, client)


def delete_access_point(module, changes, raw, client):
    params = module.params

    def delete():
        client.delete_access_point(aws_retry=True, AccessPointId=raw["AccessPointId"])
        if params["wait"]:
            wait_until_gone(module, client, raw["AccessPointId"])

    before = dict(settings_view(raw), name=params["name"], access_point_id=raw["AccessPointId"], state="present")
    changes.apply("access_point", before, dict(name=params["name"], state="absent"), delete)


def manage_access_points(module, client):
    """The list mode: every item checked first, each file system's access points listed once, then the items."""
    defaults = dict(file_system_id=module.params["file_system_id"])
    given = [dict(defaults, **item) if defaults["file_system_id"] and isinstance(item, dict) and not item.get("file_system_id")
             else item for item in module.params["access_points"]]
    items = validated_items(module, given, ACCESS_POINT_SPEC,
                            lambda params: "EFS access point {0}".format(params["name"]))
    problems = ["{0}: {1}".format(item.name, "; ".join(option_problems(item.module.params))) for item in items
                if option_problems(item.module.params)]
    if problems:
        module.fail_json(msg="Invalid items: {0}.".format(" | ".join(problems)))
    listed = {}
    for file_system_id in sorted(set(item.module.params["file_system_id"] for item in items)):
        try:
            listed[file_system_id] = list_access_points(client, file_system_id)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            module.fail_json_aws(e, msg="Failed to list the access points of {0}".format(file_system_id))

    def step(item):
        ensure = for_state(item.module, ensure_present, ensure_absent)
        return ensure(item.module, client, listed[item.module.params["file_system_id"]])

    run_step(items, step, module.params["parallelism"])
    finish(module, items, "access_points", "EFS access points")


def main():
    module = AnsibleAWSModule(supports_check_mode=True, required_by=dict(name="file_system_id"), **MODULE_OPTIONS)
    if module.params["access_points"] is not None:
        check_parallelism(module)
        manage_access_points(module, items_client(module, "efs"))
    validate_options(module)
    client = aws_client(module, "efs")
    run_state(module, "EFS access point {0}".format(module.params["name"]), ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
