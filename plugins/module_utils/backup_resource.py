# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tags of the AWS Backup resources (vault, plan, framework, report plan, restore testing plan).

AWS Backup tags a resource as its create call makes it (each call names the tags its own way), and later with
ListTags, TagResource and UntagResource on its ARN.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_arn_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.changes import put_resource
from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state


def backup_tags(module, changes, client, arn):
    """O(tags) / O(purge_tags) of an AWS Backup resource: the tags after the run, None when O(tags) is unset."""
    return apply_arn_tag_options(module, changes, client, client.list_tags, dict(ResourceArn=arn), "Tags", "TagKeyList")


def create_request(module, request, tags_key):
    """``request``, a create call's parameters, with O(tags) under ``tags_key`` when there are any."""
    if module.params["tags"]:
        request[tags_key] = module.params["tags"]
    return request


def run_backup_state(module, what, invalid, problems, present, absent):
    """fail_on_problems with ``invalid``, else run_state with an AWS Backup client.

    ``what`` names the resource in the message of an AWS error, with O(name).
    """
    fail_on_problems(module, problems, invalid)
    run_state(module, "{0} {1}".format(what, module.params["name"]), present, absent, aws_client(module, "backup"))


def put_backup_resource(module, changes, client, facet, found, current, wanted, create, update, result_of):
    """put_resource with AWS Backup's tag calls; ``create()`` sends create_request's tags.

    ``result_of`` runs before the tags, so the parts a resource keeps apart (a restore testing plan's selections)
    are written there.
    """
    return put_resource(module, changes, facet, found, current, wanted, create, update, result_of,
                        lambda arn: backup_tags(module, changes, client, arn))
