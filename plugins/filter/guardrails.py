# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The guardrails a reference playbook checks its plan against before its first write."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: guardrails
short_description: Every guardrail violation of a stack's plan, and those its overrides allow
version_added: 0.1.0
description:
  - Checks the plan of a stack (what the roles are asked to make, from variables only) against seven guardrails
    and returns all violations at once, so a pre-flight task can refuse the run with one message before any write.
  - C(private_subnets) - a data store placed in public subnets, or using a subnet listed in C(public_subnet_ids).
  - C(encryption) - a data store with encryption at rest or in transit off.
  - C(public_bucket) - a bucket marked public, or with a policy statement that allows C(*) without a condition.
  - C(open_data_port) - an ingress rule open to C(0.0.0.0/0) or C(::/0) on a data port (PostgreSQL, MySQL,
    Redis/Valkey, NFS, ...; protocol C(-1) opens them all).
  - C(deletion_protection) - a data store with C(deletion_protection) false while C(state) is not C(absent).
  - C(data_classification) - the rules of M(storagekit.aws.data_class_problems#filter) for data stores with a
    C(classification).
  - C(budget) - C(monthly_estimate) above C(budget_limit) (unset or 0, no limit).
  - Each guardrail is overridden by C(overrides.<guardrail>); its variable is named C(<prefix>_allow_public_subnets),
    C(_allow_unencrypted), C(_allow_public_buckets), C(_allow_open_data_ports), C(_allow_no_deletion_protection),
    C(_allow_data_class_exceptions), C(_allow_over_budget). An overridden violation is listed in C(overridden).
options:
  _input:
    description:
      - The plan, a dict with C(prefix) (of the override variables), C(state), C(overrides), C(public_subnet_ids),
        C(data_stores) (dicts with C(resource) and any of C(placement), C(subnet_ids), C(encryption_at_rest),
        C(encryption_in_transit), C(deletion_protection), C(classification), C(kms_key_id), C(backup_plan),
        C(backup_option), C(versioning)), C(buckets) (C(resource), C(public), C(policy_statements)), C(ingress)
        (C(resource), C(cidr_ip), C(cidr_ipv6), C(proto), C(from_port), C(to_port), C(ports)), C(budget_limit)
        and C(monthly_estimate).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse a plan that breaks a guardrail, listing every violation
  ansible.builtin.assert:
    that: _check.violations | length == 0
    fail_msg: "{{ _check.summary }}"
  vars:
    _check: >-
      {{ {'prefix': 'web_app_stack', 'state': 'present',
          'overrides': {'budget': web_app_stack_allow_over_budget},
          'data_stores': [{'resource': 'RDS instance web-app-db', 'deletion_protection': false}],
          'ingress': [{'resource': 'cache CIDR group', 'cidr_ip': '0.0.0.0/0', 'from_port': 6379, 'to_port': 6379}],
          'budget_limit': 100, 'monthly_estimate': 150.0} | storagekit.aws.guardrails }}
"""

RETURN = r"""
_value:
  description: The result of the check.
  type: dict
  contains:
    violations: {description: What refuses the run, each naming its guardrail and override variable., type: list, elements: str}
    overridden: {description: Violations an override allows., type: list, elements: str}
    summary: {description: One message listing every violation., type: str}
"""

from ansible_collections.storagekit.aws.plugins.module_utils.guardrails import GuardrailError, check
from ansible_collections.storagekit.aws.plugins.plugin_utils.filters import filter_errors


@filter_errors("guardrails", GuardrailError, TypeError, ValueError)
def guardrails(plan):
    return check(plan)


class FilterModule(object):
    def filters(self):
        return {"guardrails": guardrails}
