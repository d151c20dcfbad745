# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The states of a CloudFront distribution: find it by id or name, create or update it with its tags, wait
until it is deployed, or disable and delete it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import CLOUDFRONT_HOSTED_ZONE_ID
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import find_distributions_by_comment
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import get_distribution
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import get_distribution_config
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import is_deployed
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront import read_tags
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import COMPARED
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import build_config
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import caller_reference
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import desired_settings
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import fresh_caller_reference
from ansible_collections.storagekit.aws.plugins.module_utils.cloudfront_config import normalize_config
from ansible_collections.storagekit.aws.plugins.module_utils.compare import changed_facets
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until


def find_distribution(module, client):
    """The distribution to manage as ``dict(meta, config, etag)``, or None.

    By name: ListDistributions, then GetDistributionConfig of the one match for its ETag.
    By id: one GetDistribution.
    """
    distribution_id, name = module.params["distribution_id"], module.params["name"]
    if distribution_id:
        distribution, etag = get_distribution(client, distribution_id)
        if distribution is None:
            return None
        return dict(meta=meta_of(distribution), config=distribution["DistributionConfig"], etag=etag)
    matches = [d for d in find_distributions_by_comment(client, name) if not d.get("Staging")]
    if len(matches) > 1:
        module.fail_json(
            msg="Several distributions have the comment {0} ({1}); pass distribution_id to choose one.".format(
                name, ", ".join(sorted(d["Id"] for d in matches))
            )
        )
    if not matches:
        return None
    config, etag = get_distribution_config(client, matches[0]["Id"])
    if config is None:
        return None  # Deleted between the list and the get.
    return dict(meta=meta_of(matches[0]), config=config, etag=etag)


def meta_of(distribution):
    """Id, ARN, domain name and status of a Distribution or DistributionSummary."""
    return dict(
        id=distribution["Id"],
        arn=distribution["ARN"],
        domain_name=distribution["DomainName"],
        status=distribution["Status"],
    )


def result_of(meta, config, etag, tags=None):
    distribution = dict(meta, etag=etag, hosted_zone_id=CLOUDFRONT_HOSTED_ZONE_ID)
    distribution.update(normalize_config(config))
    if tags is not None:
        distribution["tags"] = tags
    return distribution


def visible(settings):
    """The managed settings shown in the diff."""
    return dict((k, settings[k]) for k in COMPARED + ("spa",) if settings.get(k) is not None)


def create_distribution(module, client, changes, desired):
    """``(distribution, None)`` after a create (or in check mode), or ``(None, found)`` when a concurrent run
    created the distribution first: CloudFront refuses our create with DistributionAlreadyExists, since its
    CallerReference is the name, and the one that run made is adopted."""
    if desired["name"] is None:
        module.fail_json(
            msg="Distribution {0} was not found; give name instead of distribution_id to create one.".format(
                module.params["distribution_id"]
            )
        )
    config = build_config(desired, reference=caller_reference(desired["name"]))
    tags = module.params["tags"] or {}

    def send(reference):
        config["CallerReference"] = reference
        try:
            return client.create_distribution_with_tags(
                aws_retry=True,
                DistributionConfigWithTags=dict(
                    DistributionConfig=config, Tags=dict(Items=ansible_dict_to_boto3_tag_list(tags))
                ),
            )
        except is_boto3_error_code("CNAMEAlreadyExists") as e:
            return module.fail_json_aws(e, msg="An alias of {0} is already used by another distribution".format(desired["name"]))

    def write():
        try:
            return send(config["CallerReference"])
        except is_boto3_error_code("DistributionAlreadyExists"):
            found = find_distribution(module, client)
            if found is not None:
                return dict(adopted=found)
        # The name's reference is held by a distribution deleted or renamed since.
        return send(fresh_caller_reference(desired["name"]))

    answer = changes.apply("distribution", None, visible(normalize_config(config)), write)
    if answer is not None and "adopted" in answer:
        return None, answer["adopted"]
    managed_tags = tags if module.params["tags"] is not None else None
    if answer is None:
        meta = dict(id=None, arn=None, domain_name=None, status=None)
        return result_of(meta, config, None, managed_tags), None
    distribution = answer["Distribution"]
    return result_of(meta_of(distribution), distribution["DistributionConfig"], answer["ETag"], managed_tags), None


def update_distribution(client, changes, desired, found):
    """One UpdateDistribution with IfMatch when a managed setting differs; the resulting state."""
    current = normalize_config(found["config"])
    plan = changed_facets(desired, current, COMPARED)
    if not plan:
        return found
    config = build_config(desired, found["config"])
    before = dict((k, pair[0]) for k, pair in plan.items())
    after = dict((k, pair[1]) for k, pair in plan.items())

    def write():
        return client.update_distribution(
            aws_retry=True, Id=found["meta"]["id"], IfMatch=found["etag"], DistributionConfig=config
        )

    answer = changes.apply("distribution", before, after, write)
    if answer is None:
        return dict(found, config=config, etag=None)
    distribution = answer["Distribution"]
    return dict(meta=meta_of(distribution), config=distribution["DistributionConfig"], etag=answer["ETag"])


def update_tags(module, client, changes, arn):
    """Tag changes with TagResource/UntagResource; the tags after the run, or None when not managed."""
    return apply_tag_options(
        module,
        changes,
        lambda: read_tags(client, arn),
        lambda keys: client.untag_resource(aws_retry=True, Resource=arn, TagKeys=dict(Items=keys)),
        lambda tags: client.tag_resource(aws_retry=True, Resource=arn, Tags=dict(Items=ansible_dict_to_boto3_tag_list(tags))),
    )


def wait_deployed(module, client, distribution_id):
    """Wait for status Deployed; the last ``(Distribution, ETag)`` read (``(None, None)`` once deleted)."""
    return wait_until(
        module,
        lambda: get_distribution(client, distribution_id),
        lambda answer: answer[0] is None or is_deployed(answer[0]),
        module.params["wait_timeout"],
        "CloudFront distribution {0} to be deployed".format(distribution_id),
    )


def ensure_present(module, client):
    changes = ChangeSet(module)
    desired = desired_settings(module)
    found = find_distribution(module, client)
    if found is None:
        distribution, found = create_distribution(module, client, changes, desired)
    if found is not None:
        if desired["name"] is None:
            desired["name"] = found["config"].get("Comment")
        found = update_distribution(client, changes, desired, found)
        tags = update_tags(module, client, changes, found["meta"]["arn"])
        distribution = result_of(found["meta"], found["config"], found["etag"], tags)
    waitable = distribution["id"] and changes.writes_allowed and not is_deployed(distribution)
    if module.params["wait"] and waitable:
        deployed, etag = wait_deployed(module, client, distribution["id"])
        if deployed is not None:
            distribution.update(status=deployed["Status"], etag=etag)
    return changes.result(distribution=distribution)


def ensure_absent(module, client):
    return remove_found(module, "distribution", find_distribution(module, client), delete_distribution, client)


def delete_distribution(module, changes, found, client):
    distribution_id = found["meta"]["id"]

    def write():
        etag, status = found["etag"], found["meta"]["status"]
        if found["config"]["Enabled"]:
            config = dict(found["config"], Enabled=False)
            answer = client.update_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag, DistributionConfig=config)
            etag, status = answer["ETag"], answer["Distribution"]["Status"]
        if status != "Deployed":
            deployed, etag = wait_deployed(module, client, distribution_id)
            if deployed is None:
                return
        try:
            client.delete_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag)
        except is_boto3_error_code("NoSuchDistribution"):
            pass  # Deleted meanwhile: the wanted state.

    changes.apply("distribution", visible(normalize_config(found["config"])), None, write)
