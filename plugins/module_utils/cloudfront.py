# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading CloudFront distributions and origin access controls together with their ETags.

CloudFront refuses an update or delete whose ``IfMatch`` is not the ETag of the latest version,
so every reader here returns the ETag beside the resource. Lists are paged with CloudFront's
``Marker``/``NextMarker`` pair through the retrying client.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# The hosted zone of every CloudFront domain name, for Route 53 alias records.
CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2"


def items(wrapper):
    """The list inside a CloudFront ``{"Quantity": n, "Items": [...]}`` wrapper (empty when absent)."""
    return list((wrapper or {}).get("Items") or [])


def quantity_items(values):
    """A CloudFront ``{"Quantity": n, "Items": [...]}`` wrapper; an empty list has no ``Items``."""
    values = list(values)
    wrapper = dict(Quantity=len(values))
    if values:
        wrapper["Items"] = values
    return wrapper


def _list_all(operation, list_key):
    """Every item of a CloudFront list operation, following ``NextMarker``."""
    found = []
    request = {}
    while True:
        page = operation(aws_retry=True, **request)[list_key]
        found.extend(page.get("Items") or [])
        if not page.get("IsTruncated") or not page.get("NextMarker"):
            return found
        request["Marker"] = page["NextMarker"]


# ---------------------------------------------------------------------------------------------
# Origin access controls
# ---------------------------------------------------------------------------------------------


def find_origin_access_control(client, name):
    """The summary of the origin access control called ``name``, or None."""
    for summary in _list_all(client.list_origin_access_controls, "OriginAccessControlList"):
        if summary.get("Name") == name:
            return summary
    return None


def get_origin_access_control(client, oac_id):
    """``(OriginAccessControlConfig, ETag)`` of one origin access control, or ``(None, None)``."""
    try:
        answer = client.get_origin_access_control(aws_retry=True, Id=oac_id)
    except is_boto3_error_code("NoSuchOriginAccessControl"):
        return None, None
    return answer["OriginAccessControl"]["OriginAccessControlConfig"], answer["ETag"]


# ---------------------------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------------------------


def find_distributions_by_comment(client, comment):
    """The summaries of all distributions whose Comment is ``comment``."""
    return [d for d in _list_all(client.list_distributions, "DistributionList") if d.get("Comment") == comment]


def _get_with_etag(call, key, distribution_id):
    """``(answer[key], ETag)`` of ``call`` for one distribution, or ``(None, None)`` when it does not exist."""
    try:
        answer = call(aws_retry=True, Id=distribution_id)
    except is_boto3_error_code("NoSuchDistribution"):
        return None, None
    return answer[key], answer["ETag"]


def get_distribution_config(client, distribution_id):
    """``(DistributionConfig, ETag)`` of one distribution, or ``(None, None)``."""
    return _get_with_etag(client.get_distribution_config, "DistributionConfig", distribution_id)


def get_distribution(client, distribution_id):
    """``(Distribution, ETag)``: the distribution with its status and config, or ``(None, None)``."""
    return _get_with_etag(client.get_distribution, "Distribution", distribution_id)


def is_deployed(distribution):
    """True when CloudFront has finished rolling the latest change out to its edge locations."""
    return distribution is not None and distribution.get("Status") == "Deployed"


def read_tags(client, arn):
    """The tags of a CloudFront resource as a dict."""
    tags = client.list_tags_for_resource(aws_retry=True, Resource=arn)["Tags"]
    return boto3_tag_list_to_ansible_dict(tags.get("Items") or [])
