# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reads and small helpers shared by the EKS add-on and Pod Identity association modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described

ROLE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")


def is_role_arn(value):
    """True when ``value`` looks like an IAM role ARN (EKS only accepts roles, never users or policies)."""
    return bool(ROLE_ARN_PATTERN.match(value or ""))


def association_id_from_arn(arn):
    """The id in ``arn:aws:eks:REGION:ACCOUNT:podidentityassociation/CLUSTER/ID``."""
    return arn.rsplit("/", 1)[-1]


def describe_addon(client, cluster_name, addon_name):
    """The raw add-on, or None when it (or its cluster) does not exist."""
    return described(client.describe_addon, "addon", "ResourceNotFoundException", clusterName=cluster_name, addonName=addon_name)


def describe_association(client, cluster_name, association_id):
    """The raw Pod Identity association, or None when it does not exist."""
    return described(
        client.describe_pod_identity_association,
        "association",
        "ResourceNotFoundException",
        clusterName=cluster_name,
        associationId=association_id,
    )


def list_associations(client, cluster_name, namespace=None, service_account=None):
    """The association summaries of a cluster, optionally filtered on the server."""
    request = dict(clusterName=cluster_name)
    if namespace is not None:
        request["namespace"] = namespace
    if service_account is not None:
        request["serviceAccount"] = service_account
    return all_items(client.list_pod_identity_associations, "associations", "nextToken", **request)


def version_key(version):
    """Sort key of an add-on version such as ``v1.19.0-eksbuild.1``: its numbers, in order."""
    return tuple(int(n) for n in re.findall(r"\d+", version))


def compatible_versions(client, addon_name, kubernetes_version):
    """``[(version, is_default)]`` of the add-on versions that support ``kubernetes_version``."""
    request = dict(addonName=addon_name, kubernetesVersion=kubernetes_version)
    versions = []
    while True:
        page = client.describe_addon_versions(aws_retry=True, **request)
        for addon in page.get("addons") or []:
            if addon.get("addonName") != addon_name:
                continue
            for info in addon.get("addonVersions") or []:
                for compatibility in info.get("compatibilities") or []:
                    if compatibility.get("clusterVersion") == kubernetes_version:
                        versions.append((info["addonVersion"], bool(compatibility.get("defaultVersion"))))
        if not page.get("nextToken"):
            return versions
        request["nextToken"] = page["nextToken"]


def pick_version(versions, which):
    """The ``latest`` (highest) or ``default`` version of ``compatible_versions``, or None."""
    if which == "default":
        versions = [v for v in versions if v[1]]
    if not versions:
        return None
    return max((v[0] for v in versions), key=version_key)
