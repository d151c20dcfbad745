#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: eks_pod_identity_association_info
short_description: List the EKS Pod Identity associations of a cluster
version_added: 0.1.0
description:
  - Lists the Amazon EKS Pod Identity associations of a cluster with C(ListPodIdentityAssociations),
    optionally only those of one namespace or one service account.
  - With O(describe=true) each association is also described, for its IAM role and tags.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  namespace:
    description:
      - Only associations of this Kubernetes namespace.
    type: str
  service_account:
    description:
      - Only associations of this Kubernetes service account.
    type: str
  describe:
    description:
      - Describe each association (one C(DescribePodIdentityAssociation) call each) to return its
        O(storagekit.aws.eks_pod_identity_association#module:role_arn) and tags, which the list lacks.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.eks_cluster
  - storagekit.aws.attributes.info
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Roles of the service accounts in the observability namespace
  storagekit.aws.eks_pod_identity_association_info:
    cluster_name: prod
    namespace: observability
  register: observability_identities
"""

RETURN = r"""
associations:
  description: The associations in snake_case, sorted by namespace and service account.
  returned: always
  type: list
  elements: dict
  contains:
    namespace:
      description: Kubernetes namespace.
      type: str
      sample: observability
    service_account:
      description: Kubernetes service account.
      type: str
      sample: loki
    association_id:
      description: Id of the association.
      type: str
      sample: a-abcdefghijklmnop1
    association_arn:
      description: ARN of the association.
      type: str
    owner_arn:
      description: ARN of the add-on that owns the association, when an add-on does.
      type: str
    role_arn:
      description: IAM role of the association, with O(describe=true).
      type: str
    tags:
      description: Tags of the association, with O(describe=true).
      type: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.eks import describe_association
from ansible_collections.storagekit.aws.plugins.module_utils.eks import list_associations
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run

ARGUMENT_SPEC = dict(
    cluster_name=dict(type="str", required=True),
    namespace=dict(type="str"),
    service_account=dict(type="str"),
    describe=dict(type="bool", default=True),
)


def read_associations(module, client):
    params = module.params
    summaries = list_associations(client, params["cluster_name"], params["namespace"], params["service_account"])
    associations = []
    for summary in sorted(summaries, key=lambda s: (s["namespace"], s["serviceAccount"])):
        raw = summary
        if params["describe"]:
            # An association deleted since the list is left out.
            raw = describe_association(client, params["cluster_name"], summary["associationId"])
        if raw is not None:
            associations.append(camel_dict_to_snake_dict(raw, ignore_list=["tags"]))
    return dict(changed=False, associations=associations)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    client = aws_client(module, "eks")
    run(module, "list the EKS Pod Identity associations of cluster {0}".format(module.params["cluster_name"]), read_associations, client)


if __name__ == "__main__":
    main()
