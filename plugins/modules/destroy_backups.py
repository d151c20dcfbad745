#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: destroy_backups
short_description: Delete the snapshots and backups of destroyed data resources, with the user's consent
version_added: 0.1.0
description:
  - The second half of a destroy that drops the KMS keys with what they encrypt (see
    M(storagekit.aws.destroy_preflight) O(storagekit.aws.destroy_preflight#module:delete_keys_with_backups)).
    A snapshot whose key is deleted can never be restored but is still billed, so it goes with the key.
  - Deletes the manual snapshots and the automated backups AWS keeps of the DB instances, the manual snapshots
    of the ElastiCache replication groups, and the backups (on-demand and system) of the DynamoDB tables named
    here. It finds them the way M(storagekit.aws.destroy_preflight) lists them.
  - Recovery points in AWS Backup vaults are not touched; the backup role removes those only on its own explicit
    setting.
  - In check mode it lists what it would delete and deletes nothing.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  db_instances:
    description: Names of RDS DB instances whose snapshots and retained automated backups are deleted.
    type: list
    elements: str
    default: []
  replication_groups:
    description: Names of ElastiCache replication groups whose manual snapshots are deleted.
    type: list
    elements: str
    default: []
  tables:
    description: Names of DynamoDB tables whose backups are deleted.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: After the data tiers are gone, delete what only the dropped keys could read
  storagekit.aws.destroy_backups:
    db_instances: [web-app-db]
    replication_groups: [web-app-sessions]
  when: web_app_stack_destroy_keys_with_snapshots | bool
"""

RETURN = r"""
deleted:
  description: The snapshots and backups deleted (in check mode, those that would be).
  returned: always
  type: list
  elements: str
  sample:
    - snapshot web-app-db-before-upgrade of DB instance web-app-db
    - backup nightly of DynamoDB table web-app-items
"""

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import Plan
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import drop_backups
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import plan_db_instance
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import plan_replication_group
from ansible_collections.storagekit.aws.plugins.module_utils.destroy_plan import plan_table
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

ARGUMENT_SPEC = dict(
    db_instances=dict(type="list", elements="str", default=[]),
    replication_groups=dict(type="list", elements="str", default=[]),
    tables=dict(type="list", elements="str", default=[]),
)

# (option, service, reader): each client is made only when its list is not empty.
READERS = (
    ("db_instances", "rds", plan_db_instance),
    ("replication_groups", "elasticache", plan_replication_group),
    ("tables", "dynamodb", plan_table),
)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    plan = Plan(drop_backups=True)
    clients = {}
    try:
        for option, service, reader in READERS:
            for name in module.params[option]:
                clients.setdefault(service, aws_client(module, service))
                reader(plan, clients[service], dict(name=name))
        deleted = drop_backups(plan, clients, check_mode=module.check_mode)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to delete the snapshots and backups of the destroyed resources")
    result = dict(changed=bool(deleted), deleted=deleted)
    if module._diff:
        result["diff"] = dict(before=dict(snapshots_and_backups=deleted), after=dict(snapshots_and_backups=[]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
