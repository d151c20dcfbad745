# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A customer managed KMS key found by its alias: the reads and writes of the kms_key module.

A no-change run reads the key through its alias (DescribeKey) and only the facets the user manages:
the rotation status, the tags, the key policy. A key is tagged at creation with the alias it was made
for (ALIAS_TAG), so that a key whose alias was never created (a run that failed between CreateKey and
CreateAlias) is found and adopted by the next run instead of being left behind.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described

ALIAS_TAG = "storagekit:alias"
POLICY_NAME = "default"


def alias_name(alias):
    """``alias`` with the ``alias/`` prefix KMS requires."""
    return alias if alias.startswith("alias/") else "alias/" + alias


def describe_key(client, key_id):
    """The KeyMetadata of a key given by id, ARN or alias name, or None when there is none."""
    return described(client.describe_key, "KeyMetadata", "NotFoundException", KeyId=key_id)


def _marker_pages(call, key, **request):
    """Every item of a KMS list call, whose pages go by NextMarker / Marker."""
    return all_items(call, key, next_key="NextMarker", request_key="Marker", **request)


def read_tags(client, key_id):
    """The tags of a key as a dict."""
    return dict((t["TagKey"], t["TagValue"]) for t in _marker_pages(client.list_resource_tags, "Tags", KeyId=key_id))


def read_rotation(client, key_id):
    return client.get_key_rotation_status(aws_retry=True, KeyId=key_id)["KeyRotationEnabled"]


def read_policy(client, key_id):
    return client.get_key_policy(aws_retry=True, KeyId=key_id, PolicyName=POLICY_NAME)["Policy"]


def find_orphans(client, alias):
    """Enabled customer managed keys tagged with ``alias`` that have no alias, oldest first.

    Only called when the alias is missing (or on deletion): it lists the account's aliases and keys and
    reads the tags of each key without an alias.
    """
    aliased = set(a.get("TargetKeyId") for a in _marker_pages(client.list_aliases, "Aliases"))
    orphans = []
    for key in _marker_pages(client.list_keys, "Keys"):
        if key["KeyId"] in aliased:
            continue
        try:
            tags = read_tags(client, key["KeyId"])
        except is_boto3_error_code("AccessDeniedException"):
            continue  # Not ours to read, so not one this module made.
        if tags.get(ALIAS_TAG) != alias:
            continue
        meta = describe_key(client, key["KeyId"])
        if meta and meta["KeyState"] == "Enabled" and meta.get("KeyManager") == "CUSTOMER":
            orphans.append(meta)
    return sorted(orphans, key=lambda meta: meta["CreationDate"])


def key_result(meta, alias, **facets):
    """The key in the returned shape; ``facets`` are the managed facets known after the run."""
    result = dict(
        key_id=meta.get("KeyId"),
        key_arn=meta.get("Arn"),
        alias=alias,
        description=meta.get("Description"),
        key_state=meta.get("KeyState"),
    )
    result.update(facets)
    return result


def desired_tags(params, alias):
    """The tags to manage, with the alias tag that lets a later run find the key; None when unmanaged."""
    if params["tags"] is None:
        return None
    tags = dict(params["tags"])
    tags[ALIAS_TAG] = alias
    return tags


def create_key(client, changes, params, alias):
    """CreateKey (tagged with its alias), CreateAlias and rotation; (the key in the returned shape, None), or
    (None, the KeyMetadata of the key another run gave the alias first).

    When CreateAlias finds the alias taken, the alias is read again: if a concurrent run adopted the key this
    run has just made, it is kept; otherwise it is scheduled for deletion and the other run's key is used.
    """
    tags = desired_tags(params, alias) or {ALIAS_TAG: alias}
    request = dict(
        Description=params["description"] or "",
        KeyUsage="ENCRYPT_DECRYPT",
        KeySpec="SYMMETRIC_DEFAULT",
        Tags=[dict(TagKey=k, TagValue=v) for k, v in sorted(tags.items())],
    )
    if params["policy"] is not None:
        request["Policy"] = params["policy"]
    rotation = params["enable_key_rotation"] is not False

    def write():
        meta = client.create_key(aws_retry=True, **request)["KeyMetadata"]
        try:
            client.create_alias(aws_retry=True, AliasName=alias, TargetKeyId=meta["KeyId"])
        except is_boto3_error_code("AlreadyExistsException"):
            winner = describe_key(client, alias)
            if winner is None or winner["KeyId"] != meta["KeyId"]:
                client.schedule_key_deletion(
                    aws_retry=True, KeyId=meta["KeyId"], PendingWindowInDays=params["pending_window"]
                )
                return dict(redundant=meta, winner=winner)
        if rotation:
            client.enable_key_rotation(aws_retry=True, KeyId=meta["KeyId"])
        return dict(created=meta)

    after = dict(alias=alias, description=request["Description"], enable_key_rotation=rotation, tags=tags)
    outcome = changes.apply("key", None, after, write)
    if outcome is None:  # Check mode: the key is predicted.
        return key_result({"Description": request["Description"]}, alias, enable_key_rotation=rotation, tags=tags), None
    if "created" in outcome:
        return key_result(outcome["created"], alias, enable_key_rotation=rotation, tags=tags), None
    return None, outcome


def adopt_key(client, changes, orphan, alias):
    """CreateAlias on a key made for ``alias`` earlier; False when another run created the alias first."""

    def write():
        try:
            client.create_alias(aws_retry=True, AliasName=alias, TargetKeyId=orphan["KeyId"])
        except is_boto3_error_code("AlreadyExistsException"):
            return False
        return True

    adopted = changes.apply("alias", None, dict(alias=alias, adopted_key_id=orphan["KeyId"]), write)
    return adopted is not False


def converge_state(client, changes, meta):
    """An existing key disabled or pending deletion is enabled again (CancelKeyDeletion leaves it disabled)."""
    state = meta["KeyState"]
    if state not in ("Disabled", "PendingDeletion"):
        return state

    def write():
        if state == "PendingDeletion":
            client.cancel_key_deletion(aws_retry=True, KeyId=meta["KeyId"])
        client.enable_key(aws_retry=True, KeyId=meta["KeyId"])

    changes.apply("key_state", state, "Enabled", write)
    return "Enabled"


def converge_description(client, changes, meta, description):
    current = meta.get("Description") or ""
    if description is None or description == current:
        return current
    changes.apply(
        "description", current, description,
        lambda: client.update_key_description(aws_retry=True, KeyId=meta["KeyId"], Description=description),
    )
    return description


def converge_rotation(client, changes, key_id, wanted):
    if wanted is None:
        return None
    current = read_rotation(client, key_id)
    if current == wanted:
        return current
    call = client.enable_key_rotation if wanted else client.disable_key_rotation
    changes.apply("enable_key_rotation", current, wanted, lambda: call(aws_retry=True, KeyId=key_id))
    return wanted


def converge_tags(client, changes, key_id, wanted, purge):
    if wanted is None:
        return None
    return apply_tag_changes(
        changes, read_tags(client, key_id), wanted, purge,
        lambda keys: client.untag_resource(aws_retry=True, KeyId=key_id, TagKeys=keys),
        lambda tags: client.tag_resource(
            aws_retry=True, KeyId=key_id, Tags=[dict(TagKey=k, TagValue=v) for k, v in sorted(tags.items())]
        ),
    )


def converge_policy(client, changes, key_id, wanted):
    if wanted is None:
        return None
    current = read_policy(client, key_id)
    if not compare_policies(json.loads(current), json.loads(wanted)):
        return wanted
    changes.apply(
        "policy", current, wanted,
        lambda: client.put_key_policy(aws_retry=True, KeyId=key_id, PolicyName=POLICY_NAME, Policy=wanted),
    )
    return wanted


def converge_key(client, changes, params, meta, alias):
    """Bring an existing key to the managed facets; the key in the returned shape."""
    state = converge_state(client, changes, meta)
    description = converge_description(client, changes, meta, params["description"])
    facets = dict(
        enable_key_rotation=converge_rotation(client, changes, meta["KeyId"], params["enable_key_rotation"]),
        tags=converge_tags(client, changes, meta["KeyId"], desired_tags(params, alias), params["purge_tags"]),
    )
    if params["policy"] is not None:
        facets["policy"] = converge_policy(client, changes, meta["KeyId"], params["policy"])
    return key_result(dict(meta, KeyState=state, Description=description), alias, **facets)


def schedule_deletion(client, changes, meta, alias, pending_window):
    """ScheduleKeyDeletion of a key that is not pending deletion yet."""
    before = dict(key_id=meta["KeyId"], alias=alias, key_state=meta["KeyState"])
    after = dict(before, key_state="PendingDeletion", pending_window=pending_window)
    changes.apply(
        "key_" + meta["KeyId"], before, after,
        lambda: client.schedule_key_deletion(aws_retry=True, KeyId=meta["KeyId"], PendingWindowInDays=pending_window),
    )
