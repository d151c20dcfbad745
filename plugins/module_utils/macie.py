# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon Macie: the account session, custom data identifiers and classification jobs found by name, tags.

Macie has ids, not names, for identifiers and jobs: the modules find them by name by listing, and refuse a name
two of them share. Neither can be updated (a job only changes its status), so a difference is refused, not
written: the user deletes (or cancels) and creates again, knowingly.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_arn_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.names import only_one
from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items

# What Macie answers while the account has no Macie session.
NOT_ENABLED = ("AccessDeniedException", "ResourceNotFoundException")
FINAL_JOB_STATES = ("CANCELLED", "COMPLETE")


def read_session(client):
    """The Macie session of the account and region, or None when Macie is not enabled."""
    try:
        session = client.get_macie_session(aws_retry=True)
    except is_boto3_error_code(NOT_ENABLED):
        return None
    return dict(status=session["status"], finding_publishing_frequency=session["findingPublishingFrequency"])


def _listed(call, **request):
    """Every item of a Macie list call; none while Macie is not enabled (a check mode run before the session
    exists, or removing what a disabled Macie no longer has)."""
    try:
        return all_items(call, "items", "nextToken", **request)
    except is_boto3_error_code(NOT_ENABLED):
        return []


def find_identifier(client, name):
    """The summary (id, arn, name) of the custom data identifier named ``name``, or None."""
    items = _listed(client.list_custom_data_identifiers)
    return only_one([i for i in items if i.get("name") == name], "custom data identifiers are", name)


def find_job(client, name):
    """The summary of the classification job named ``name`` that is not cancelled or complete, or None."""
    criteria = dict(includes=[dict(comparator="EQ", key="name", values=[name])],
                    excludes=[dict(comparator="EQ", key="jobStatus", values=list(FINAL_JOB_STATES))])
    items = _listed(client.list_classification_jobs, filterCriteria=criteria)
    return only_one([i for i in items if i.get("name") == name], "classification jobs are", name)


def name_problems(name, longest):
    """The problem of O(name) (1 to ``longest`` characters, as Macie takes it), in a list for the module's others."""
    return [] if name and len(name) <= longest else ["name must have 1 to {0} characters".format(longest)]


def manage_tags(module, changes, client, arn):
    """O(tags) / O(purge_tags) of a Macie resource; the tags after the run (None when unmanaged)."""
    return apply_arn_tag_options(module, changes, client, client.list_tags_for_resource, dict(resourceArn=arn), "tags",
                                 "tagKeys")
