# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The data residency check of the roles and reference playbooks: one message naming every resource outside the
allowed regions, so a plan is refused whole, before its first write."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: residency_refusal
short_description: One message naming every planned resource outside the allowed regions
positional: _input, allowed
version_added: 0.1.0
description:
  - Takes the plan of a role or playbook, a list of C(resource) and C(region) (a region name, or an ARN whose region
    counts), and the allowed regions (the collection-wide variable C(storagekit_allowed_regions)).
  - Returns an empty string when every resource is in an allowed region, when the allowed list is empty or unset (no
    restriction), and for entries without a region (global resources such as S3 bucket ARNs or IAM).
  - Otherwise one message that lists every offender as C(<resource> in <region>).
options:
  _input:
    description: The planned resources, each a dict with C(resource) (what the message names) and C(region).
    type: list
    elements: dict
    required: true
  allowed:
    description: The allowed regions; empty for no restriction.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Refuse a plan with resources outside the allowed regions
  ansible.builtin.assert:
    that: not _refusal
    fail_msg: "{{ _refusal }}"
    quiet: true
  vars:
    _refusal: >-
      {{ [{'resource': 'DynamoDB table orders', 'region': 'eu-west-1'},
          {'resource': 'replica of DynamoDB table orders', 'region': 'us-east-1'}]
         | storagekit.aws.residency_refusal(storagekit_allowed_regions | default([])) }}
"""

RETURN = r"""
_value:
  description: The refusal naming every offender, or an empty string.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.module_utils.residency import refusal


def residency_refusal(plan, allowed=None):
    if not isinstance(plan, list) or not all(isinstance(item, dict) for item in plan):
        raise AnsibleFilterError("residency_refusal expects a list of dicts with resource and region")
    if allowed is not None and (isinstance(allowed, str) or not isinstance(allowed, (list, tuple))):
        raise AnsibleFilterError("storagekit_allowed_regions must be a list of region names")
    return refusal(plan, allowed or [])


class FilterModule(object):
    def filters(self):
        return {"residency_refusal": residency_refusal}
