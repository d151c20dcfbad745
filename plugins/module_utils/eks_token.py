# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The bearer token an EKS cluster accepts for IAM authentication, made without the AWS CLI.

EKS authenticates a client by replaying a presigned STS GetCallerIdentity request: the token is
that request's URL, base64url encoded, behind the prefix C(k8s-aws-v1.). The cluster name travels
in the signed header C(x-k8s-aws-id), so a token made for one cluster is refused by another.
This builds the same token as ``aws eks get-token``; presigning is local computation, nothing is sent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime

TOKEN_PREFIX = "k8s-aws-v1."
CLUSTER_NAME_HEADER = "x-k8s-aws-id"
URL_EXPIRES_IN = 60
# The cluster accepts a token for 15 minutes after its signing time; clients are told 14 so
# they refresh before a request can race the end of that window (as ``aws eks get-token`` does).
TOKEN_LIFETIME = datetime.timedelta(minutes=14)


def _hold_cluster_name(params, context, **kwargs):
    """Take the header value out of the API parameters, which GetCallerIdentity does not accept."""
    if CLUSTER_NAME_HEADER in params:
        context[CLUSTER_NAME_HEADER] = params.pop(CLUSTER_NAME_HEADER)


def _add_cluster_name_header(request, **kwargs):
    """Put the header on the request before it is signed, so it is part of the signature."""
    if CLUSTER_NAME_HEADER in request.context:
        request.headers[CLUSTER_NAME_HEADER] = request.context[CLUSTER_NAME_HEADER]


def presigned_caller_identity_url(sts_client, cluster_name):
    """A GET GetCallerIdentity URL presigned for URL_EXPIRES_IN seconds with the cluster name header.

    The URL's host is the STS client's endpoint: the regional endpoint of its region, or its
    endpoint_url when one is configured.
    """
    events = sts_client.meta.events
    # unique_id keeps a second call on the same client from registering the handlers twice.
    events.register(
        "provide-client-params.sts.GetCallerIdentity",
        _hold_cluster_name,
        unique_id="storagekit-eks-token-params",
    )
    events.register(
        "before-sign.sts.GetCallerIdentity",
        _add_cluster_name_header,
        unique_id="storagekit-eks-token-header",
    )
    return sts_client.generate_presigned_url(
        "get_caller_identity",
        Params={CLUSTER_NAME_HEADER: cluster_name},
        ExpiresIn=URL_EXPIRES_IN,
        HttpMethod="GET",
    )


def token_from_url(url):
    """The token form of a presigned URL: prefix plus unpadded base64url."""
    encoded = base64.urlsafe_b64encode(url.encode("utf-8")).decode("ascii")
    return TOKEN_PREFIX + encoded.rstrip("=")


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def expiration_time(now):
    """When clients should stop using a token made ``now``, as an RFC 3339 UTC timestamp."""
    return (now + TOKEN_LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ")


def cluster_token(sts_client, cluster_name):
    """The token for ``cluster_name`` and its expiration timestamp, as ``aws eks get-token`` reports them."""
    now = utc_now()
    token = token_from_url(presigned_caller_identity_url(sts_client, cluster_name))
    return token, expiration_time(now)
