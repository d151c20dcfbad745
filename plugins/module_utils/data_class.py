# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the data classification of a resource demands and the resource lacks.

One set of rules for the tier roles and the playbooks' pre-flight, so a refusal reads the same wherever it comes from.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

CLASSES = ("public", "internal", "confidential", "restricted")
PROTECTED = ("confidential", "restricted")


def is_customer_managed(key_id):
    """A key the stack manages: set, and not one of the AWS managed keys (alias/aws/<service>)."""
    key_id = key_id or ""
    return bool(key_id) and not key_id.startswith("alias/aws/") and key_id not in ("aws_owned", "aws_managed")


def data_class_problems(resources):
    """One message per broken rule of each resource (dicts with resource, classification, kms_key_id, ...)."""
    problems = []
    for item in resources:
        name, data_class = item.get("resource"), item.get("classification")
        if data_class not in CLASSES:
            problems.append("{0}: the data classification must be one of {1}, not {2!r}".format(name, ", ".join(CLASSES), data_class))
            continue
        if data_class not in PROTECTED:
            continue
        if not is_customer_managed(item.get("kms_key_id")):
            problems.append("{0} is {1}: {1} data must be encrypted with a customer managed KMS key".format(name, data_class))
        if not item.get("backup_plan"):
            problems.append("{0} is {1}: {1} data must have a backup plan ({2})".format(name, data_class, item.get("backup_option")))
        if "versioning" in item and item["versioning"] != "enabled":
            problems.append("{0} is {1}: a bucket of {1} data must have versioning enabled".format(name, data_class))
    return problems
