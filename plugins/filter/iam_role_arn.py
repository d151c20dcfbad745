# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ARN an IAM role has or will have, so that a check mode run can name a role it has not created yet."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: iam_role_arn
short_description: The ARN of an IAM role in the caller's account
version_added: 0.1.0
description:
  - Builds C(arn:<partition>:iam::<account>:role/<path><name>) from what M(amazon.aws.aws_caller_info) returns.
  - Roles use it in check mode, where a role the run is about to create has no ARN yet but the tasks
    that take its ARN (Pod Identity associations, add-ons) still have to be predicted.
  - Returns an empty string when the caller information has no account, for example when the task
    that reads it was skipped.
options:
  _input:
    description: The registered result of M(amazon.aws.aws_caller_info).
    type: dict
    required: true
  name:
    description: The role's name.
    type: str
    required: true
  path:
    description: The role's path.
    type: str
    default: /
"""

EXAMPLES = r"""
- name: Who am I
  amazon.aws.aws_caller_info:
  register: caller

- name: The ARN the role will have
  ansible.builtin.debug:
    msg: "{{ caller | storagekit.aws.iam_role_arn('app-storage') }}"
"""

RETURN = r"""
_value:
  description: The role's ARN, or an empty string without an account.
  type: str
  sample: arn:aws:iam::123456789012:role/app-storage
"""

from ansible.errors import AnsibleFilterError


def iam_role_arn(caller, name, path="/"):
    """``arn:<partition>:iam::<account>:role<path><name>``; '' when ``caller`` holds no account."""
    if not isinstance(caller, dict):
        raise AnsibleFilterError("iam_role_arn expects the result of amazon.aws.aws_caller_info")
    account = caller.get("account")
    if not account:
        return ""
    partition = (caller.get("arn") or "arn:aws:").split(":")[1] or "aws"
    path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    return "arn:{0}:iam::{1}:role{2}{3}".format(partition, account, path, name)


class FilterModule(object):
    def filters(self):
        return {"iam_role_arn": iam_role_arn}
