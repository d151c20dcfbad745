# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the data classification of each resource of a tier role demands and the resource lacks.

The tier roles share one set of rules, so the refusal reads the same whichever tier holds the data.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: data_class_problems
short_description: The data protection rules a list of resources breaks, by data classification
version_added: 0.1.0
description:
  - Every resource has a data classification, C(public), C(internal), C(confidential) or C(restricted).
  - A C(confidential) or C(restricted) resource needs a customer managed KMS key (an empty key or an AWS managed
    C(alias/aws/...) key is not one), a backup plan, and for an S3 bucket versioning.
  - The tier roles check their resources with it before their first write and refuse the run with the messages.
options:
  _input:
    description:
      - The resources, each a dict with C(resource) (what the message names), C(classification), C(kms_key_id),
        C(backup_plan) and C(backup_option) (the variable that sets the plan); S3 buckets also C(versioning).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse confidential data without a key, backups or versioning
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: >-
      {{ [{'resource': 'DynamoDB table orders', 'classification': 'confidential', 'kms_key_id': 'alias/orders',
           'backup_plan': '', 'backup_option': 'dynamodb_table_backup_plan'}] | storagekit.aws.data_class_problems }}
"""

RETURN = r"""
_value:
  description: One message per broken rule, naming the resource and the rule; empty when none is broken.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.module_utils import data_class


def data_class_problems(resources):
    if not isinstance(resources, list):
        raise AnsibleFilterError("data_class_problems expects a list of resources")
    return data_class.data_class_problems(resources)


class FilterModule(object):
    def filters(self):
        return {"data_class_problems": data_class_problems}
