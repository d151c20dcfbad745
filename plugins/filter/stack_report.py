# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A Markdown report and a Mermaid diagram of a stack from what a run returned."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stack_report
short_description: Markdown report and Mermaid flowchart of a stack, from a run's results
version_added: 0.1.0
description:
  - Turns what the roles of a run returned (or, in check mode, planned) into a Markdown report - what exists with
    its identifiers, how it is secured, what protects it, the monthly estimate - and a Mermaid C(flowchart) of the
    application, the tiers and their links, which the report embeds.
  - The nodes and links are those of the resources given, so the diagram shows what the run made.
  - An empty identifier reads C((known after apply)).
options:
  _input:
    description:
      - A dict with C(stack), C(name), C(region), C(mode) (C(plan) for a check-mode run, else C(applied)),
        C(generated) (a time), C(app) (label of the application node), C(estimate) (a
        M(storagekit.aws.cost_estimate#filter) result) and C(resources).
      - Each resource a dict with C(id) (unique, not C(app)), C(name), C(group) (its tier), C(kind) (C(database),
        C(cache), C(table), C(bucket), C(file_system) and C(volume) are drawn as cylinders), C(label), C(notes)
        (extra label lines), C(exists) (dict of identifiers), C(secured) and C(protected) (lists of strings), C(from)
        (the ids of what uses it; C(app) for the application).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Write the report
  ansible.builtin.copy:
    content: "{{ (report | storagekit.aws.stack_report).markdown }}"
    dest: /tmp/stack.md
    mode: "0644"
  vars:
    report:
      stack: web_app_stack
      name: web-app
      app: ECS tasks
      resources:
        - {id: db, name: web-app-db, group: Database, kind: database, label: RDS PostgreSQL, from: [app],
           exists: {ARN: "arn:aws:rds:us-east-1:123456789012:db:web-app-db"}, secured: [TLS only]}
"""

RETURN = r"""
_value:
  description: The texts.
  type: dict
  contains:
    markdown: {description: The report, with the diagram in a C(mermaid) block., type: str}
    mermaid: {description: The diagram alone., type: str}
"""

from ansible_collections.storagekit.aws.plugins.module_utils.stack_report import StackReportError
from ansible_collections.storagekit.aws.plugins.module_utils.stack_report import stack_report as _stack_report
from ansible_collections.storagekit.aws.plugins.plugin_utils.filters import filter_errors


@filter_errors("stack_report", StackReportError)
def stack_report(report):
    return _stack_report(report)


class FilterModule(object):
    def filters(self):
        return {"stack_report": stack_report}
