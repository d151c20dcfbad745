#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kms_key
short_description: Manage a symmetric customer managed KMS key found by its alias
version_added: 0.1.0
description:
  - Creates a symmetric encryption KMS key with its alias, keeps its description, automatic rotation, tags and
    (when given) key policy, and schedules its deletion.
  - The key is found with one C(DescribeKey) call on its alias. Besides that, a run that changes nothing reads
    only what it manages; the rotation status when O(enable_key_rotation) is set, the tags when O(tags) is set,
    the key policy when O(policy) is set. M(amazon.aws.kms_key) reads a key about seven times, whatever it manages.
  - Every key the module creates is tagged C(storagekit:alias) with its alias. When the alias does not exist, the
    module first looks for an enabled key with that tag and no alias (left by a run that failed between creating
    the key and its alias) and gives it the alias instead of creating a second key.
  - When another run creates the same alias at the same time, C(CreateAlias) fails for one of them; that run
    schedules the deletion of the key it has just created and uses the other run's key.
  - A key that is disabled or pending deletion is enabled again (its deletion cancelled) by O(state=present).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  alias:
    description:
      - Alias of the key, with or without the C(alias/) prefix. C(alias/aws/) names AWS managed keys and is refused.
    type: str
    required: true
  description:
    description:
      - Description of the key. When unset, an existing description is left alone and a new key gets none.
    type: str
  enable_key_rotation:
    description:
      - Whether KMS rotates the key material every year.
      - When unset, the rotation of an existing key is neither read nor changed, and a new key is rotated.
    type: bool
  policy:
    description:
      - The key policy as JSON. When unset, the policy is neither read nor changed, and a new key gets the
        default key policy, which gives the account full access through IAM.
    type: json
  pending_window:
    description:
      - Days (7 to 30) before a key scheduled for deletion is deleted for good.
    type: int
    default: 30
  state:
    description:
      - V(absent) schedules the deletion of the key and of any key tagged C(storagekit:alias) with this alias
        that has no alias. The alias stays until AWS deletes the key, so a later V(present) run cancels the
        deletion and gets the same key back.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - The C(storagekit:alias) tag is always kept, also with O(purge_tags=true); it is added to a key made
    elsewhere the first time the module manages its tags.
"""

EXAMPLES = r"""
- name: Key of the orders table, rotated yearly
  storagekit.aws.kms_key:
    alias: alias/orders
    description: Encryption at rest of the orders table
    tags:
      team: payments
  register: orders_key

- name: Encrypt with it
  storagekit.aws.dynamodb_table:
    name: orders
    hash_key_name: order_id
    encryption: customer_managed
    kms_key_id: "{{ orders_key.key.key_arn }}"

- name: Schedule the deletion of the key, in 7 days
  storagekit.aws.kms_key:
    alias: alias/orders
    pending_window: 7
    state: absent
"""

RETURN = r"""
key:
  description:
    - The key after the run (predicted in check mode, without id or ARN before the key exists); empty when
      O(state=absent).
    - C(enable_key_rotation), C(tags) and C(policy) are returned only when managed, since only then are they read.
  returned: always
  type: dict
  contains:
    key_id:
      description: Id of the key.
      type: str
      sample: 1234abcd-12ab-34cd-56ef-1234567890ab
    key_arn:
      description: ARN of the key.
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    alias:
      description: Alias of the key, with the C(alias/) prefix.
      type: str
      sample: alias/orders
    description:
      description: Description of the key.
      type: str
      sample: Encryption at rest of the orders table
    key_state:
      description: C(Enabled) after the run; not known in check mode before the key exists.
      type: str
      sample: Enabled
    enable_key_rotation:
      description: Whether the key material is rotated yearly (returned when O(enable_key_rotation) is set or the key is new).
      type: bool
      sample: true
    tags:
      description: Tags of the key.
      type: dict
      sample: {"team": "payments", "storagekit:alias": "alias/orders"}
    policy:
      description: The key policy as JSON.
      type: str
scheduled_for_deletion:
  description: Ids of the keys whose deletion this run scheduled (O(state=absent), or a key a concurrent run made redundant).
  returned: always
  type: list
  elements: str
  sample: [1234abcd-12ab-34cd-56ef-1234567890ab]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils import kms_key
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

ARGUMENT_SPEC = dict(
    alias=dict(type="str", required=True),
    description=dict(type="str"),
    enable_key_rotation=dict(type="bool"),
    policy=dict(type="json"),
    pending_window=dict(type="int", default=30),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def validate_options(module):
    """Refuse bad input before any API call."""
    alias = kms_key.alias_name(module.params["alias"])
    if alias.startswith("alias/aws/") or len(alias) <= len("alias/"):
        module.fail_json(msg="alias must name a customer managed key: alias/<name>, not alias/aws/...; got {0}".format(alias))
    if not 7 <= module.params["pending_window"] <= 30:
        module.fail_json(msg="pending_window must be 7 to 30 days, not {0}".format(module.params["pending_window"]))


def customer_key(module, meta, alias):
    """``meta``, after refusing a key that the account does not manage."""
    if meta is not None and meta.get("KeyManager") != "CUSTOMER":
        module.fail_json(msg="{0} names a key managed by AWS, not a customer managed key".format(alias))
    return meta


def ensure_present(module, client):
    params = module.params
    alias = kms_key.alias_name(params["alias"])
    changes = ChangeSet(module)
    scheduled = []
    meta = customer_key(module, kms_key.describe_key(client, alias), alias)
    if meta is None:
        orphans = kms_key.find_orphans(client, alias)
        if orphans and kms_key.adopt_key(client, changes, orphans[0], alias):
            meta = orphans[0]
        elif not orphans:
            key, race = kms_key.create_key(client, changes, params, alias)
            if key is not None:
                return changes.result(key=key, scheduled_for_deletion=scheduled)
            scheduled.append(race["redundant"]["KeyId"])
            module.warn("Another run created {0} at the same time; the key {1} made by this run is scheduled for "
                        "deletion and the other run's key is used.".format(alias, race["redundant"]["KeyId"]))
            meta = race["winner"]
        if meta is None:  # Another run's alias won: use its key.
            meta = kms_key.describe_key(client, alias)
        customer_key(module, meta, alias)
        if meta is None:
            module.fail_json(msg="{0} was created by another run and is gone again; run once more".format(alias))
    key = kms_key.converge_key(client, changes, params, meta, alias)
    return changes.result(key=key, scheduled_for_deletion=scheduled)


def ensure_absent(module, client):
    params = module.params
    alias = kms_key.alias_name(params["alias"])
    changes = ChangeSet(module)
    meta = customer_key(module, kms_key.describe_key(client, alias), alias)
    doomed = [meta] if meta is not None and meta["KeyState"] != "PendingDeletion" else []
    doomed.extend(kms_key.find_orphans(client, alias))
    for key in doomed:
        kms_key.schedule_deletion(client, changes, key, alias, params["pending_window"])
    return changes.result(key={}, scheduled_for_deletion=[key["KeyId"] for key in doomed])


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    validate_options(module)
    client = aws_client(module, "kms")
    run_state(module, "KMS key {0}".format(kms_key.alias_name(module.params["alias"])), ensure_present, ensure_absent,
              client)


if __name__ == "__main__":
    main()
