#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: destroy_preflight
short_description: Check a destroy before it deletes anything
version_added: 0.1.0
description:
  - Reads everything a destroy of a stack would refuse or lose, before its first delete, so that a destroy
    either removes the whole stack or changes nothing.
  - Fails listing B(all) blockers at once - DB instances and DynamoDB tables with deletion protection on that
    the destroy is not allowed to switch off, and S3 buckets that hold objects without O(buckets[].force).
  - Lists what survives the destroy with the KMS key that encrypts it - final snapshots, the automated backups
    RDS keeps, the backup DynamoDB keeps of a deleted table with point-in-time recovery, earlier snapshots and
    backups - and splits O(kms_keys) into keys the destroy may schedule for deletion and keys it keeps because
    they encrypt something that survives, unless O(delete_keys_with_backups=true).
  - Names the final snapshots, so that the deleting modules take them under the names reported here.
  - Makes read calls only, in check mode too.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  db_instances:
    description: RDS DB instances the destroy deletes, as it will delete them.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: DB instance identifier.
        type: str
        required: true
      deletion_protection:
        description:
          - V(false) lets the destroy switch deletion protection off, as the same option of
            M(storagekit.aws.rds_db_instance) does; otherwise a protected instance is a blocker.
        type: bool
      final_snapshot: &final_snapshot
        description: Whether the destroy takes a final snapshot.
        type: bool
        default: true
      final_snapshot_identifier: &final_snapshot_identifier
        description: Name of the final snapshot; V(<name>-final-<UTC timestamp>) when not set.
        type: str
      delete_automated_backups:
        description: Whether the destroy deletes the automated backups; RDS keeps them otherwise.
        type: bool
        default: false
  replication_groups:
    description: ElastiCache replication groups the destroy deletes.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Replication group id.
        type: str
        required: true
      final_snapshot: *final_snapshot
      final_snapshot_identifier: *final_snapshot_identifier
  tables:
    description: DynamoDB tables the destroy deletes.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Table name.
        type: str
        required: true
      deletion_protection:
        description: V(false) lets the destroy switch deletion protection off; otherwise a protected table is a blocker.
        type: bool
  buckets:
    description: S3 buckets the destroy deletes.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Bucket name.
        type: str
        required: true
      force:
        description: Whether the destroy deletes the bucket with its objects; otherwise a bucket holding objects is a blocker.
        type: bool
        default: false
  kms_keys:
    description: KMS keys (alias, id or ARN) the destroy would schedule for deletion.
    type: list
    elements: str
    default: []
  delete_keys_with_backups:
    description:
      - Drop the keys of O(kms_keys) with the snapshots and backups they encrypt. The destroy then keeps nothing
        that only the key could read - no final snapshots (RV(final_snapshots) is empty), automated backups go with
        their instance, point-in-time recovery of a table is switched off before its deletion
        (RV(recovery_off)) - and the snapshots and backups that exist are listed in RV(dropped), for
        M(storagekit.aws.destroy_backups) to delete.
    type: bool
    default: false
  remedies:
    description:
      - What to tell the user for each kind of blocker, appended to its line of the failure message; for example
        the playbook variable that allows the destroy to proceed.
    type: dict
    default: {}
    suboptions:
      deletion_protection:
        description: For deletion protection.
        type: str
      not_empty:
        description: For a bucket that holds objects.
        type: str
      kept_keys:
        description: Not a blocker; appended to the line of RV(summary) of each key the destroy keeps.
        type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.attributes.info
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Check the destroy of the stack before anything is deleted
  storagekit.aws.destroy_preflight:
    db_instances:
      - name: web-app-db
        deletion_protection: "{{ web_app_stack_deletion_protection }}"
    replication_groups:
      - name: web-app-sessions
    buckets:
      - name: web-app-uploads
        force: "{{ web_app_stack_force_destroy }}"
    kms_keys: [alias/web-app-rds, alias/web-app-elasticache, alias/web-app-s3]
    remedies:
      deletion_protection: set web_app_stack_deletion_protection=false
      not_empty: set web_app_stack_force_destroy=true
  register: destroy_plan

- name: Delete the database under the final snapshot name the check reported
  storagekit.aws.rds_db_instance:
    name: web-app-db
    state: absent
    deletion_protection: false
    final_snapshot_identifier: "{{ destroy_plan.final_snapshots.db_instances['web-app-db'] }}"

- name: Schedule the deletion of the keys that encrypt nothing that survives
  amazon.aws.kms_key:
    alias: "{{ item.key }}"
    state: absent
  loop: "{{ destroy_plan.kms_keys_to_delete }}"
"""

RETURN = r"""
blockers:
  description: What the destroy would refuse; the module fails when there is any.
  returned: always
  type: list
  elements: dict
  sample:
    - {kind: deletion_protection, resource: DB instance web-app-db, problem: has deletion protection on}
    - {kind: not_empty, resource: S3 bucket web-app-uploads, problem: holds objects}
retained:
  description: Snapshots and backups that survive the destroy, with the KMS key that encrypts them.
  returned: always
  type: list
  elements: dict
  sample:
    - kind: final snapshot
      name: web-app-db-final-20260101120000
      source: DB instance web-app-db
      kms_key_id: arn:aws:kms:us-east-1:123456789012:key/0d6c4b3e-1111-2222-3333-444455556666
final_snapshots:
  description: The final snapshot each DB instance and replication group will get, by its name.
  returned: always
  type: dict
  sample:
    db_instances: {web-app-db: web-app-db-final-20260101120000}
    replication_groups: {web-app-sessions: web-app-sessions-final-20260101120000}
unprotect:
  description:
    - DB instances and tables with deletion protection on that the destroy may switch off (their
      O(db_instances[].deletion_protection) or O(tables[].deletion_protection) is V(false)).
  returned: always
  type: dict
  sample:
    db_instances: [web-app-db]
    tables: []
kms_keys_to_delete:
  description:
    - Keys of O(kms_keys) that exist and are not pending deletion, and encrypt nothing that survives the destroy
      (or all of them with O(delete_keys_with_backups=true)); C(encrypts) names what becomes unrestorable.
  returned: always
  type: list
  elements: dict
  sample:
    - {key: alias/web-app-s3, arn: "arn:aws:kms:us-east-1:123456789012:key/1f2e", encrypts: []}
summary:
  description: Lines for the run's output - what survives the destroy, and which keys are kept or deleted and why.
  returned: always
  type: list
  elements: str
  sample:
    - "Kept: final snapshot web-app-db-final-20260101120000 of DB instance web-app-db"
    - "Keeping KMS key alias/web-app-rds (arn:aws:kms:us-east-1:123456789012:key/0d6c): it encrypts final snapshot
       web-app-db-final-20260101120000"
dropped:
  description:
    - With O(delete_keys_with_backups=true), the snapshots and backups of the resources that exist now, which
      M(storagekit.aws.destroy_backups) deletes; otherwise empty.
  returned: always
  type: list
  elements: dict
  sample:
    - {kind: snapshot, name: web-app-db-before-upgrade, source: DB instance web-app-db, kms_key_id: "arn:aws:kms:..."}
recovery_off:
  description:
    - With O(delete_keys_with_backups=true), the tables with point-in-time recovery on, to switch it off before
      their deletion so that DynamoDB keeps no backup of them; otherwise empty.
  returned: always
  type: list
  elements: str
  sample: [web-app-items]
kms_keys_kept:
  description: Keys of O(kms_keys) the destroy keeps, with the snapshots and backups they encrypt.
  returned: always
  type: list
  elements: dict
  sample:
    - key: alias/web-app-rds
      arn: arn:aws:kms:us-east-1:123456789012:key/0d6c
      encrypts: [final snapshot web-app-db-final-20260101120000]
"""

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import Plan
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import blocker_message
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import plan_bucket
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import plan_db_instance
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import plan_keys
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import plan_replication_group
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import plan_table
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import summary
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

FINAL_SNAPSHOT = dict(final_snapshot=dict(type="bool", default=True), final_snapshot_identifier=dict(type="str"))

ARGUMENT_SPEC = dict(
    db_instances=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        deletion_protection=dict(type="bool"),
        delete_automated_backups=dict(type="bool", default=False),
        **FINAL_SNAPSHOT)),
    replication_groups=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True), **FINAL_SNAPSHOT)),
    tables=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True), deletion_protection=dict(type="bool"))),
    buckets=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True), force=dict(type="bool", default=False))),
    kms_keys=dict(type="list", elements="str", default=[], no_log=False),
    delete_keys_with_backups=dict(type="bool", default=False),
    remedies=dict(type="dict", default={}, options=dict(
        deletion_protection=dict(type="str"), not_empty=dict(type="str"), kept_keys=dict(type="str", no_log=False))),
)

# (option, service, reader): each client is made only when its list is not empty.
READERS = (
    ("db_instances", "rds", plan_db_instance),
    ("replication_groups", "elasticache", plan_replication_group),
    ("tables", "dynamodb", plan_table),
    ("buckets", "s3", plan_bucket),
)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    plan = Plan(drop_backups=params["delete_keys_with_backups"])
    try:
        for option, service, reader in READERS:
            if params[option]:
                client = aws_client(module, service)
                for spec in params[option]:
                    reader(plan, client, spec)
        to_delete, kept = [], []
        if params["kms_keys"]:
            kms = aws_client(module, "kms")
            to_delete, kept = plan_keys(plan, kms, params["kms_keys"], params["delete_keys_with_backups"])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read what the destroy would remove")
    remedies = params["remedies"] or {}
    result = dict(
        changed=False, blockers=plan.blockers, retained=plan.retained, final_snapshots=plan.final_snapshots,
        unprotect=plan.unprotect, recovery_off=plan.recovery_off,
        dropped=[dict((k, v) for k, v in item.items() if k != "delete") for item in plan.dropped],
        kms_keys_to_delete=to_delete, kms_keys_kept=kept, summary=summary(plan, to_delete, kept, remedies),
    )
    if plan.blockers:
        module.fail_json(msg=blocker_message(plan.blockers, remedies), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
