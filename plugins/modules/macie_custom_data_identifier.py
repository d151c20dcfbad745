#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: macie_custom_data_identifier
short_description: An Amazon Macie custom data identifier found by its name
version_added: 0.1.0
description:
  - Creates, tags and deletes a Macie custom data identifier (a regular expression with optional keywords and
    ignore words) that classification jobs use beside Macie's managed data identifiers. Neither amazon.aws nor
    community.aws has a module for it.
  - Macie cannot change an identifier once it exists; different detection criteria are refused before any
    write. Delete it first (O(state=absent)); jobs made with it keep using the old one.
  - A no-change run lists the identifiers and reads the one found (and its tags) and writes nothing.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the identifier; unique among the account's identifiers.
    type: str
    required: true
  regex:
    description: The regular expression of the text to detect (at most 512 characters). Required to create it.
    type: str
  keywords:
    description: Words of which one must be near the match (at most 50, 3 to 90 characters each).
    type: list
    elements: str
    default: []
  ignore_words:
    description: Matches to ignore (at most 10, 4 to 90 characters each).
    type: list
    elements: str
    default: []
  maximum_match_distance:
    description: Most characters between a keyword and the match (1 to 300).
    type: int
    default: 50
  description:
    description: Description of the identifier.
    type: str
    default: ""
  state:
    description: Whether the identifier exists.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Customer numbers of the shop
  storagekit.aws.macie_custom_data_identifier:
    name: shop-customer-number
    regex: "CUST-[0-9]{8}"
    keywords: [customer, kunde]
    tags:
      application: shop
"""

RETURN = r"""
identifier:
  description: The identifier after the run (predicted in check mode); empty when it does not exist.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the identifier (empty in check mode before it exists); jobs name it by this id.
      type: str
    arn:
      description: ARN of the identifier.
      type: str
    name:
      description: Name of the identifier.
      type: str
    tags:
      description: Tags; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.macie import find_identifier
from ansible_collections.storagekit.aws.plugins.module_utils.macie import manage_tags
from ansible_collections.storagekit.aws.plugins.module_utils.macie import name_problems
from ansible_collections.storagekit.aws.plugins.module_utils.names import run_named_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems
from ansible_collections.storagekit.aws.plugins.module_utils.resource_tags import with_tags
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    regex=dict(type="str"),
    keywords=dict(type="list", elements="str", default=[], no_log=False),
    ignore_words=dict(type="list", elements="str", default=[]),
    maximum_match_distance=dict(type="int", default=50),
    description=dict(type="str", default=""),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)
CRITERIA = (("regex", "regex"), ("keywords", "keywords"), ("ignore_words", "ignoreWords"),
            ("maximum_match_distance", "maximumMatchDistance"))


def option_problems(params):
    """What Macie would refuse, before any call."""
    problems = name_problems(params["name"], 128)
    if params["state"] == "absent":
        return problems
    if not params["regex"] or len(params["regex"]) > 512:
        problems.append("regex must have 1 to 512 characters")
    for option, most, low, high in (("keywords", 50, 3, 90), ("ignore_words", 10, 4, 90)):
        values = params[option]
        if len(values) > most or any(not low <= len(v) <= high for v in values):
            problems.append("{0} takes at most {1} words of {2} to {3} characters".format(option, most, low, high))
    if not 1 <= params["maximum_match_distance"] <= 300:
        problems.append("maximum_match_distance must be from 1 to 300")
    return problems


def criteria(source, from_params):
    """The detection criteria of the options or of a GetCustomDataIdentifier answer, word lists sorted, to compare."""
    result = dict((option, source.get(option if from_params else key)) for option, key in CRITERIA)
    for option in ("keywords", "ignore_words"):
        result[option] = sorted(result[option] or [])
    return result


def ensure_present(module, client):
    params = module.params
    changes = ChangeSet(module)
    found = find_identifier(client, params["name"])
    result = dict(name=params["name"], id="", arn="")
    if found is None:
        request = dict(name=params["name"], regex=params["regex"], keywords=params["keywords"], ignoreWords=params["ignore_words"],
                       maximumMatchDistance=params["maximum_match_distance"], description=params["description"])
        if params["tags"]:
            request["tags"] = params["tags"]
        made = changes.apply("identifier", None, criteria(params, True), lambda: client.create_custom_data_identifier(
            aws_retry=True, **request)) or {}
        result["id"] = made.get("customDataIdentifierId", "")
        return changes.result(identifier=with_tags(module, result))
    result.update(id=found["id"], arn=found["arn"])
    current = client.get_custom_data_identifier(aws_retry=True, id=found["id"])
    if criteria(current, False) != criteria(params, True):
        module.fail_json(msg="Custom data identifier {0} detects {1}, not {2}; Macie cannot change an identifier: delete it "
                             "first (state=absent)".format(params["name"], criteria(current, False), criteria(params, True)))
    return changes.result(identifier=with_tags(module, result, lambda: manage_tags(module, changes, client, found["arn"])))


def ensure_absent(module, client):
    return remove_one(module, "identifier", "identifier", find_identifier(client, module.params["name"]),
                      lambda found: dict(name=found["name"], id=found["id"]),
                      lambda found: client.delete_custom_data_identifier(aws_retry=True, id=found["id"]))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    fail_on_problems(module, option_problems(module.params), "custom data identifier " + module.params["name"])
    client = aws_client(module, "macie2")
    run_named_state(module, "Macie custom data identifier", "Macie custom data identifiers", ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
